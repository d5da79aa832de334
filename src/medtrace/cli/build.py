"""``medtrace build``: the documentation set (a static site that works from ``file://``), and
with ``--format pdf`` / ``--format xlsx`` the PDF and the Excel workbook beside it.

Every file goes through the one output rule (:func:`medtrace.fsutil.write_outputs`); a page
that exists and was not written by medtrace is replaced only with ``--force``. An unchanged
project writes nothing.

Exit codes: 0 when the set was written (``medtrace check`` judges the findings it shows); 2 on
a usage or configuration error (no Chromium for the PDF, a file medtrace did not write).
"""

from __future__ import annotations

from pathlib import Path

import click

from medtrace.cli._common import directory, working
from medtrace.errors import ExitCode

__all__ = ["build"]


# @implements SRS-212
@click.command()
@click.option(
    "-o",
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    help="The output folder (default: build/site under the project root).",
)
@click.option(
    "--format",
    "formats",
    multiple=True,
    type=click.Choice(["html", "pdf", "xlsx"]),
    help="html (always), pdf (the whole set through headless Chromium), xlsx (the workbook); "
    "repeatable.",
)
@click.option("--force", is_flag=True, help="Replace files in the folder medtrace did not write.")
@click.option("--no-cache", is_flag=True, help="Read every file again and rebuild every page.")
@click.pass_context
def build(
    ctx: click.Context, out: Path | None, formats: tuple[str, ...], force: bool, no_cache: bool
) -> None:
    """Build the documentation set: dashboard, requirements by document, a page per item with
    its history, architecture, risks, SOUP, traceability matrix, test report, anomalies, the
    IEC 62304 clause map and a print version. Open index.html in any browser; no network.

    Exits 0 when the set was written, 2 on a usage or configuration error.
    """
    from medtrace.site.build import build_site

    start = directory(ctx)
    chosen = tuple(dict.fromkeys(("html", *formats)))
    with working("Building the documentation set"):
        built = build_site(start, out, formats=chosen, use_cache=not no_cache, force=force)
    for note in built.notes:
        click.echo(f"medtrace: note: {note}", err=True)
    if built.unchanged:
        click.echo(f"unchanged: {built.out}")
    else:
        click.echo(
            f"wrote {len(built.written)} of {built.pages} files"
            + (f", removed {len(built.removed)}" if built.removed else "")
            + f" in {built.out}"
        )
    for path in built.exports:
        click.echo(f"wrote {path}")
    click.echo(f"open {(built.out / 'index.html').resolve().as_uri()}")
    ctx.exit(ExitCode.OK)
