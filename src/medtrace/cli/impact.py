"""``medtrace impact BASE..HEAD``: what a change touches, from the code to the tests to re-run."""

from __future__ import annotations

import os
import tempfile
from contextlib import ExitStack
from pathlib import Path
from typing import TYPE_CHECKING

import click

from medtrace.cli._common import directory, working
from medtrace.errors import OutputError, RevisionNotFound

if TYPE_CHECKING:
    from medtrace.pipeline import Project
    from medtrace.scanning.model import ScanResult
    from medtrace.vcs.changes import Revisions
    from medtrace.vcs.impact import Impact


# @implements SRS-237, SRS-238
@click.command()
@click.argument("revisions", metavar="BASE[..HEAD]", required=False)
@click.option(
    "--worktree", is_flag=True, help="Compare BASE (default HEAD) with the work tree instead."
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json", "markdown", "github"]),
    default="text",
    show_default=True,
    help="github: notice and warning lines, and the Markdown summary appended to "
    "$GITHUB_STEP_SUMMARY when it is set (printed otherwise).",
)
@click.pass_context
def impact(ctx: click.Context, revisions: str | None, worktree: bool, fmt: str) -> None:
    """The files changed between BASE and HEAD (BASE alone: to HEAD; BASE...HEAD: from where
    they diverged), the code units and software items they touch, the requirements those
    implement, the risks they control, the tests to re-run, and the items, interfaces and SOUP
    versions that changed, with the safety class of each item reached."""
    from medtrace.config import load_config
    from medtrace.render.impact import FORMATS, render_markdown

    if revisions is None and not worktree:
        raise click.UsageError("give BASE..HEAD, BASE, or --worktree")
    config = load_config(directory(ctx))
    with working("reading the change"):
        found = compute(config.root, revisions or "HEAD", worktree)
    if fmt == "github":
        summary = os.environ.get("GITHUB_STEP_SUMMARY")
        click.echo(FORMATS["github"](found), nl=False)
        if summary:
            _append(Path(summary), render_markdown(found))
        else:
            click.echo(render_markdown(found), nl=False)
        return
    click.echo(FORMATS[fmt](found), nl=False)


def _append(path: Path, text: str) -> None:
    """Append to the step summary (GitHub's protocol: each step appends its Markdown)."""
    try:
        with path.open("a", encoding="utf-8") as out:
            out.write(text)
    except OSError as exc:
        raise OutputError(
            f"cannot append to $GITHUB_STEP_SUMMARY ({path}): {exc.strerror or exc}"
        ) from None


def compute(root: Path, spec: str, worktree: bool) -> Impact:
    """Resolve the revisions, read the change, and join it with the new side's project."""
    from medtrace.tracing.build import map_files
    from medtrace.vcs.changes import changed_files, resolve
    from medtrace.vcs.impact import Inputs, analyse, tests_of

    revs = resolve(root, spec, worktree)
    changes = changed_files(root, revs)
    with ExitStack() as stack:
        project, scanned = _new_side(root, revs, stack)
        model, config = project.model, project.config
        owners = map_files(model, {p for c in changes for p in (c.old_path, c.new_path)})
        inputs = Inputs(root, config, model, tests_of(scanned), owners, config.root)
        return analyse(inputs, revs, changes)


def _new_side(root: Path, revs: Revisions, stack: ExitStack) -> tuple[Project, ScanResult]:
    """The project and its test files as they are at HEAD: the work tree when it is that
    commit, unmodified (or with ``--worktree``), else HEAD's files extracted from git into a
    temporary folder."""
    from medtrace.vcs.changes import extract
    from medtrace.vcs.git import repo_state

    state = repo_state(root)
    if revs.head is None or (revs.head == state.commit and state.dirty is False):
        return _project(root, use_cache=True)
    folder = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="medtrace-impact-")))
    if not extract(root, revs.head, folder):
        raise RevisionNotFound(f"git cannot give the files of {revs.head[:12]}")
    return _project(folder, use_cache=False)


def _project(root: Path, *, use_cache: bool) -> tuple[Project, ScanResult]:
    """The items, and the tags of the test files (the code's own tags are read from the changed
    files alone)."""
    from medtrace.pipeline import load_project
    from medtrace.scanning import scan

    project = load_project(root, use_cache=use_cache)
    config = project.config
    scanned = scan(
        config.root,
        [],
        config.paths.tests,
        config.paths.exclude,
        cache_dir=config.cache_dir if use_cache else None,
        languages=config.languages,
        id_prefixes=list(config.kind_by_prefix),
    )
    return project, scanned
