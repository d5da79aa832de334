"""``medtrace risks``: the risk table and the heat maps before and after control.

Markdown goes to standard output by default. ``--format svg`` draws both heat maps side by side;
with ``-o DIR/`` it writes ``heatmap-initial.svg`` and ``heatmap-residual.svg``, and the other
formats ``DIR/risks.SUFFIX``. Every file goes through the one output rule
(:func:`medtrace.fsutil.write_outputs`): written atomically, a file medtrace did not write
replaced only with ``--force``.

Exit codes: 0 when the report was produced (``medtrace check`` judges the risks); 2 on a usage
or configuration error.
"""

from __future__ import annotations

import os
from pathlib import Path

import click

from medtrace.cli._common import directory, note_problems, output_log, working
from medtrace.errors import ExitCode, UsageError
from medtrace.gcpause import gc_paused
from medtrace.render.risks import FORMATS, Report, RiskFormat

__all__ = ["risks"]

Rendered = str | bytes


# @implements SRS-165
@click.command()
@click.option(
    "--format",
    "fmt",
    type=click.Choice(sorted(FORMATS)),
    default="markdown",
    show_default=True,
    help="Output format: the risk table (markdown, csv, json, xlsx) or the heat maps (svg). "
    "xlsx needs -o.",
)
@click.option(
    "-o",
    "--output",
    type=click.Path(),
    help="Write to this file (or directory, ending in '/') instead of standard output.",
)
@click.option("--force", is_flag=True, help="Replace an existing file medtrace did not write.")
@click.option("--no-cache", is_flag=True, help="Read every file again; do not use the cache.")
@click.pass_context
def risks(ctx: click.Context, fmt: str, output: str | None, force: bool, no_cache: bool) -> None:
    """Risk table (ISO 14971 with IEC 62304 7.1) and the risk matrix as heat maps before and
    after control, on the project's own scales.

    Exits 0 when the report was written, whatever the risks show ('medtrace check' judges
    them); 2 on a usage or configuration error.
    """
    form = FORMATS[fmt]
    if form.binary and output is None:
        raise UsageError(f"--format {fmt} writes a binary file: give it with -o PATH")
    from medtrace.checks.risk import analysis_of
    from medtrace.pipeline import trace_project

    with working("Tracing"):
        traced = trace_project(directory(ctx), use_cache=not no_cache)
    project = traced.project
    note_problems(len(traced.diagnostics))
    with gc_paused():
        analysis = analysis_of(project.config, project.model, traced.trace)
        report = Report.of(project.config.project.name, analysis)
        if output is None:
            rendered = form.render(report)
            click.echo(rendered if isinstance(rendered, str) else "", nl=False)
        else:
            for path in _write(form, report, output, project.config.root, force):
                click.echo(f"wrote {path}")
    ctx.exit(ExitCode.OK)


def _outputs(form: RiskFormat, report: Report, output: str) -> dict[Path, Rendered]:
    path = Path(output)
    if not (output.endswith(("/", os.sep)) or path.is_dir()):
        return {path: form.render(report)}
    if form.split is not None:
        return {path / name: content for name, content in form.split(report).items()}
    return {path / f"risks{form.suffix}": form.render(report)}


def _write(form: RiskFormat, report: Report, output: str, root: Path, force: bool) -> list[Path]:
    from medtrace.fsutil import Action, write_outputs
    from medtrace.render.matrix.ownership import is_ours

    log = output_log(root)

    def ours(path: Path) -> bool:
        return is_ours(path, form.owner, root) or log.owns(path)

    plans = write_outputs(_outputs(form, report, output), force=force, ours=ours, log=log)
    return [p.path for p in plans if p.action is not Action.STREAM]
