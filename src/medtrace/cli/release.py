"""``medtrace release VERSION``: the frozen release record; ``--verify DIR`` re-checks one.

Exit codes: 0 when the release was written (or verifies); 1 when the checklist refuses it
(every reason listed) or a release folder differs from its manifest; 2 on a usage or
configuration error.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import click

from medtrace.cli._common import directory, working
from medtrace.diagnostics import Diagnostic
from medtrace.errors import ExitCode, UsageError

__all__ = ["release"]


# @implements SRS-279, SRS-280, SRS-281
@click.command()
@click.argument("version", required=False)
@click.option(
    "-o",
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    help="The folder to write release-VERSION/ and its archive in (default: [release] folder).",
)
@click.option(
    "--verify",
    "verify",
    type=click.Path(path_type=Path),
    metavar="DIR",
    help="Re-check a release folder (or its archive) against its manifest instead.",
)
@click.pass_context
def release(ctx: click.Context, version: str | None, out: Path | None, verify: Path | None) -> None:
    """Write the frozen release record of VERSION: the documentation set, every item as JSON,
    the trace with its results, the SBOM, check's findings, the commit and tag, and a manifest
    with the SHA-256 of every file, in release-VERSION/ and one archive beside it.

    Refuses (exit 1, every reason listed) on errors in check, a modified work tree, an open
    anomaly without an evaluation or a version already released, as [release] checks has
    them for the class. An existing release is never overwritten. With --verify DIR, checks
    every file of a release folder, or of its archive, against its manifest (exit 1 on any
    difference).
    """
    if verify is not None:
        if version is not None:
            raise UsageError("give either VERSION or --verify DIR, not both")
        ctx.exit(_verify(verify))
    if version is None:
        raise UsageError("give the VERSION to release (or --verify DIR)")
    from medtrace.vcs.release import make_release

    with working("Releasing"):
        made = make_release(directory(ctx), version, out)
    if made.refused:
        _show(made.refused)
        n = len(made.refused)
        click.echo(
            f"medtrace: release {version} refused: {n} reason{'s' if n != 1 else ''} "
            f"(checklist: {', '.join(made.checked)})",
            err=True,
        )
        ctx.exit(ExitCode.FINDINGS)
    click.echo(f"wrote {made.folder} ({made.files} files and manifest.json)")
    click.echo(f"wrote {made.archive}")
    ctx.exit(ExitCode.OK)


def _verify(folder: Path) -> int:
    from medtrace.vcs.release import verify_release

    problems, count = verify_release(folder)
    if problems:
        _show(problems)
        click.echo(f"medtrace: {folder}: does not match its manifest", err=True)
        return ExitCode.FINDINGS
    click.echo(f"{folder}: {count} files match manifest.json")
    return ExitCode.OK


def _show(diagnostics: Sequence[Diagnostic]) -> None:
    from medtrace.render.escaping import visible

    for d in diagnostics:
        where = f"{visible(d.location)}: " if d.path else ""
        click.echo(f"{where}{d.severity.value} {d.code} {d.rule}: {visible(d.found)}")
        if d.expected:
            click.echo(f"    expected: {visible(d.expected)}")
        if d.hint:
            click.echo(f"    hint: {visible(d.hint)}")
