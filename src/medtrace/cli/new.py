"""``medtrace new`` and ``medtrace renumber``: merge-safe IDs."""

from __future__ import annotations

import os
import stat
from pathlib import Path
from typing import TYPE_CHECKING

import click

from medtrace.cli._common import directory, working
from medtrace.errors import ExitCode

if TYPE_CHECKING:
    from medtrace.pipeline import Project, Traced
    from medtrace.review.renumber import FileEdit


def _text(root: Path, rel: str) -> tuple[bytes, str] | None:
    """A file's bytes and text (UTF-8, a BOM dropped), or ``None`` when it cannot be read so."""
    try:
        data = (root / rel).read_bytes()
        return data, data.decode("utf-8-sig")
    except (OSError, UnicodeDecodeError):
        return None


# @implements SRS-254
@click.command()
@click.argument("kind")
@click.option("--title", default=None, help="The new item's title.")
@click.option(
    "--file", "target", default=None, metavar="PATH", help="The YAML file or folder to put it in."
)
@click.pass_context
def new(ctx: click.Context, kind: str, title: str | None, target: str | None) -> None:
    """Create an item of KIND (a kind's name or prefix) with the next free ID, status draft.

    It goes at the end of the YAML file that holds the kind's last item, or in a new Markdown
    file beside it (or where --file says). Prints the new ID.
    """
    from medtrace.fsutil import write_atomic
    from medtrace.pipeline import load_project
    from medtrace.review.newid import kind_named, plan_new

    project = load_project(directory(ctx))
    config = project.config
    name = kind_named(config, kind)
    text = title if title is not None else _default_title(config.kinds[name].title or name)
    if "\n" in text or "\r" in text or not text.strip():
        raise click.UsageError("--title: one line of text")
    place = _relative(directory(ctx), config.root, target) if target else None
    read = {}
    if place is not None and (config.root / place).is_file():
        found = _text(config.root, place)
        if found is None:
            raise click.UsageError(f"{place}: not a UTF-8 text file")
        read[place] = found[1]
    elif place is None:
        read = _kind_files(project, name)
    made = plan_new(config, project.model, name, text.strip(), place, read)
    path = config.root / made.path
    if made.before is None:
        write_atomic(path, made.after, overwrite=False)
    else:
        _replace(path, made.before, made.after)
    click.echo(f"created {made.id} in {made.path}")


def _default_title(kind_title: str) -> str:
    """``New software requirement`` (an acronym such as ``SOUP`` kept as written)."""
    if kind_title[1:2].islower():
        kind_title = kind_title[0].lower() + kind_title[1:]
    return f"New {kind_title}"


def _kind_files(project: Project, kind: str) -> dict[str, str]:
    out = {}
    for item in project.model.of_kind(kind):
        if item.path not in out and not item.path.lower().endswith(".md"):
            found = _text(project.config.root, item.path)
            if found is not None:
                out[item.path] = found[1]
    return out


def _relative(start: Path, root: Path, path: str) -> str:
    full = (start / path).resolve()
    try:
        return full.relative_to(root.resolve()).as_posix()
    except ValueError:
        raise click.UsageError(f"{path}: not inside the project ({root})") from None


def _replace(path: Path, before: str, after: str) -> None:
    """Write ``after`` over ``path`` atomically, in the file's encoding and mode, if the file
    still holds ``before``."""
    from medtrace.adopt.edits import encode_like
    from medtrace.fsutil import write_atomic

    real = Path(os.path.realpath(path))
    original = real.read_bytes()
    data = encode_like(original, before, after)
    if data is None:
        raise click.ClickException(f"{path}: changed since it was read, or not in one encoding")
    write_atomic(real, data, mode=stat.S_IMODE(real.stat().st_mode))


# @implements SRS-256
@click.command()
@click.argument("old")
@click.argument("new_id", metavar="NEW")
@click.option("--write", is_flag=True, help="Make the changes (the diff is shown first).")
@click.option(
    "--file",
    "in_file",
    metavar="PATH",
    help="When two items have the ID OLD: the file of the one to renumber.",
)
@click.pass_context
def renumber(ctx: click.Context, old: str, new_id: str, write: bool, in_file: str | None) -> None:
    """Move item OLD to the free ID NEW: the item, every link to it in item files, every tag
    in code and tests, and its reviews and approvals. Prints the diff; --write makes it.

    When two items have the ID OLD (a duplicate after a merge), --file names the one to move:
    only its ID changes, and links and tags are left for you to sort out."""
    from medtrace.adopt.edits import unified_diff
    from medtrace.pipeline import trace_project
    from medtrace.review.renumber import plan_renumber

    with working("Reading"):
        traced = trace_project(directory(ctx))
    project = traced.project
    root = project.config.root
    wanted = set(project.files) | {t.path for t in traced.scan.tags if old in t.ids}
    texts = {rel: found[1] for rel in sorted(wanted) if (found := _text(root, rel)) is not None}
    where = _relative(directory(ctx), root, in_file) if in_file else None
    plan = plan_renumber(project.config, project.model, traced.scan.tags, texts, old, new_id, where)
    for edit in plan.edits:
        if edit.rename_to:
            click.echo(f"rename {edit.path} -> {edit.rename_to}")
        click.echo(unified_diff(edit.path, edit.before, edit.after), nl=False)
    for path, line in plan.missed:
        click.echo(
            f"medtrace: {path}:{line}: a tag names {old} but not on this line; edit it by hand",
            err=True,
        )
    if plan.left:
        click.echo(f"medtrace: note: {plan.left}", err=True)
    if not write:
        click.echo(f"{len(plan.edits)} file(s) to change; run again with --write to make them.")
        return
    _write_edits(root, plan.edits)
    if not plan.left:  # one of two items with one ID: the reviews stay with the other
        _move_reviews(ctx, traced, old, new_id)
    click.echo(f"renumbered {old} to {new_id} in {len(plan.edits)} file(s).")
    if plan.missed:
        ctx.exit(ExitCode.FINDINGS)


def _write_edits(root: Path, edits: list[FileEdit]) -> None:
    from medtrace.fsutil import write_atomic

    for edit in edits:
        path = root / edit.path
        if edit.after != edit.before:
            _replace(path, edit.before, edit.after)
        if edit.rename_to:
            data = path.read_bytes()
            write_atomic(root / edit.rename_to, data, overwrite=False)
            path.unlink()


def _move_reviews(ctx: click.Context, before: Traced, old: str, new_id: str) -> None:
    """The lock follows the renumbering (see :func:`medtrace.review.renumber.renumber_lock`)."""
    from medtrace.pipeline import trace_project
    from medtrace.review import Fingerprints, links_under_review, load_lock, save_lock
    from medtrace.review.renumber import renumber_lock

    config = before.project.config
    lock = load_lock(config.root, config.review.lock)
    if not lock.exists or lock.problems:
        return
    after = trace_project(directory(ctx), use_cache=False)
    old_prints = Fingerprints(before.project.model)
    new_prints = Fingerprints(after.project.model)
    tests = [(t.key, list(t.verifies)) for t in after.trace.tests]
    links = links_under_review(after.project.model, config.review.links, tests)
    upstream = {link.key: link.upstream for link in links}
    prints = (
        {i: old_prints[i] for i in before.project.model.items},
        {i: new_prints[i] for i in after.project.model.items},
    )
    if renumber_lock(lock, old, new_id, prints, upstream):
        save_lock(lock)
