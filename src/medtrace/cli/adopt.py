"""``medtrace adopt``."""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import click

from medtrace.cli._common import directory, working
from medtrace.errors import ExitCode

if TYPE_CHECKING:
    from medtrace.adopt import Adoption


@click.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="Output format.",
)
@click.option("--kind", "kinds", multiple=True, metavar="KIND", help="Only IDs of this kind.")
@click.option(
    "--prefix", "prefixes", multiple=True, metavar="PREFIX", help="Only IDs with this prefix."
)
@click.option("--diff", "show_diff", is_flag=True, help="Only print the changes as a diff.")
@click.option("--write", is_flag=True, help="Turn the mentions into tags (diff shown first).")
@click.option("-y", "--yes", is_flag=True, help="Write without asking for confirmation.")
@click.pass_context
# @implements SRS-81, SRS-83, SRS-84
def adopt(
    ctx: click.Context,
    paths: tuple[Path, ...],
    fmt: str,
    kinds: tuple[str, ...],
    prefixes: tuple[str, ...],
    show_diff: bool,
    write: bool,
    yes: bool,
) -> None:
    """Find comments that mention a known ID without a tag; propose (or write) the tags.

    PATHS (files or folders, default: every code and test file of the project) restrict the
    search. Tags are `@implements` in source files and `@verifies` in test files. Kinds default to
    system and software requirements and risks.

    Exits 0 when there is nothing to adopt or after a successful --write, 1 when there are
    mentions to convert (or --diff shows changes), 2 on a usage error.
    """
    if show_diff and write:
        raise click.UsageError("--diff only prints the changes; use --write to make them")
    if fmt == "json" and show_diff:
        raise click.UsageError("--diff prints a diff, not JSON; leave out --format json")
    if fmt == "json" and write and not yes:
        raise click.UsageError("--write --format json cannot ask for confirmation; add --yes")
    adoption, root = _adoption(directory(ctx), paths, kinds, prefixes)
    if show_diff:
        _show_diff(ctx, adoption)
    elif write:
        _write(ctx, adoption, root, fmt, yes)
    else:
        _report(ctx, adoption, fmt)


def _adoption(
    start: Path, paths: Sequence[Path], kinds: Sequence[str], prefixes: Sequence[str]
) -> tuple[Adoption, Path]:
    from medtrace.adopt import id_forms, plan, select_kinds
    from medtrace.pipeline import load_project

    with working("Reading"):
        project = load_project(start)
        config = project.config
        only = [_relative(start, config.root, path) for path in paths]
        forms = id_forms(config, select_kinds(config, kinds, prefixes))
        known = {item.id: item.kind for item in project.model}
        adoption = plan(config, known, forms, only)
    if adoption.unmatched:
        raise click.UsageError(
            f"{adoption.unmatched[0]}: no code or test file of the project there "
            "(see [paths] sources and tests)"
        )
    return adoption, config.root


def _relative(start: Path, root: Path, path: Path) -> str:
    """A PATH argument (relative to the starting directory) as a path under the root."""
    full = (start / path).resolve()
    if not full.exists():
        raise click.UsageError(f"{path}: no such file or folder")
    try:
        return full.relative_to(root.resolve()).as_posix()
    except ValueError:
        raise click.UsageError(f"{path}: not inside the project ({root})") from None


def _report(ctx: click.Context, adoption: Adoption, fmt: str) -> None:
    from medtrace.adopt.report import json_report, text_report

    if fmt == "json":
        click.echo(json_report(adoption))
    else:
        click.echo(text_report(adoption))
        if adoption.changed:
            click.echo("Run `medtrace adopt --diff` to see the changes, `--write` to make them.")
    ctx.exit(ExitCode.FINDINGS if adoption.proposals else ExitCode.OK)


def _show_diff(ctx: click.Context, adoption: Adoption) -> None:
    from medtrace.adopt.report import diff

    click.echo(diff(adoption), nl=False)
    ctx.exit(ExitCode.FINDINGS if adoption.changed else ExitCode.OK)


def _write(ctx: click.Context, adoption: Adoption, root: Path, fmt: str, yes: bool) -> None:
    from medtrace.adopt import write_plans
    from medtrace.adopt.report import diff, json_report, text_report

    changed = adoption.changed
    if fmt == "text":
        click.echo(diff(adoption), nl=False)
        click.echo(text_report(adoption, tags=False))
    if not changed:
        if fmt == "json":
            click.echo(json_report(adoption))
        ctx.exit(ExitCode.OK)
    tags = sum(len(plan.proposals) for plan in changed)
    what = f"{tags} tag{'s' if tags != 1 else ''} in {len(changed)} file{'s' if len(changed) != 1 else ''}"
    if not yes:
        if not sys.stdin.isatty():
            click.echo(
                f"medtrace: nothing written: confirm writing {what} by running again with --yes "
                "(standard input is not a terminal, so adopt cannot ask)",
                err=True,
            )
            ctx.exit(ExitCode.USAGE)
        if not click.confirm(f"Write {what}?", default=False):
            click.echo("Nothing written.")
            ctx.exit(ExitCode.FINDINGS)
    failed = write_plans(changed, root)
    if fmt == "json":
        click.echo(json_report(adoption, written=not failed))
    for path, reason in failed:
        click.echo(f"medtrace: {path}: not written: {reason}", err=True)
    if failed:
        ctx.exit(ExitCode.FINDINGS)
    if fmt == "text":
        click.echo(f"Wrote {what}.")
    ctx.exit(ExitCode.OK)
