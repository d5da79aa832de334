"""``medtrace diff V1 [V2]``: what changed between two releases, tags or commits (``V2``: the
work tree by default). Exit codes: 0 when the comparison was made (whatever it shows); 2 on a
usage error (an unknown revision, a shallow clone without it, a broken release folder)."""

from __future__ import annotations

from pathlib import Path

import click

from medtrace.cli._common import directory, output_log, working
from medtrace.errors import ExitCode

__all__ = ["diff"]

_FORMATS = ["text", "markdown", "json", "html"]


# @implements SRS-284, SRS-285, SRS-286
@click.command()
@click.argument("old", metavar="V1")
@click.argument("new", metavar="[V2]", required=False)
@click.option("--format", "fmt", type=click.Choice(_FORMATS), default="text", show_default=True)
@click.option(
    "-o", "--output", type=click.Path(), help="Write to this file ('-': standard output)."
)
@click.option("--force", is_flag=True, help="Replace an existing file medtrace did not write.")
@click.pass_context
def diff(
    ctx: click.Context, old: str, new: str | None, fmt: str, output: str | None, force: bool
) -> None:
    """Items added, removed and changed (field by field), verification statuses changed, risks
    re-estimated, SOUP added, removed or upgraded and interfaces changed, from V1 to V2.

    V1 and V2 are release folders (a path, or a version released under [release] folder),
    tags, branches or commits; V2 is the work tree when not given. A revision is read from
    git as committed (test results are usually not: statuses are then not compared, and the
    output says so). Exits 0 when the comparison was made, 2 on a usage error.
    """
    from medtrace.render.changes import FORMATS
    from medtrace.vcs.diff import diff as compare
    from medtrace.vcs.snapshot import snapshot_named

    root = directory(ctx)
    with working("Comparing"):
        before = snapshot_named(root, old)
        after = snapshot_named(root, new)
    text = FORMATS[fmt](compare(before, after))
    if output is None:
        click.echo(text, nl=False)
    else:
        from medtrace.fsutil import write_outputs

        log = output_log(root)
        write_outputs({Path(output): text}, force=force, ours=log.owns, log=log)
    ctx.exit(ExitCode.OK)
