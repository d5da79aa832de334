"""``medtrace evidence``: coverage per software item and per file, and static-analysis
findings per item, from the reports of ``paths.coverage`` and ``paths.analysis``.

Exit codes: 0 when the report was produced (``medtrace check`` judges the figures); 2 on a
usage or configuration error, or when the project names no report at all.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

from medtrace.cli._common import directory, working
from medtrace.errors import ExitCode, UsageError

if TYPE_CHECKING:
    from medtrace.pipeline import Traced

__all__ = ["evidence"]

_FORMATS = ["json", "markdown", "text"]


# @implements SRS-126
@click.command()
@click.option(
    "--format",
    "fmt",
    type=click.Choice(_FORMATS),
    default="text",
    show_default=True,
    help="Output format.",
)
@click.option("-o", "--output", type=click.Path(dir_okay=False), help="Write to this file.")
@click.option("--force", is_flag=True, help="Replace an existing file medtrace did not write.")
@click.option("--no-cache", is_flag=True, help="Read every file again; do not use the cache.")
@click.pass_context
def evidence(ctx: click.Context, fmt: str, output: str | None, force: bool, no_cache: bool) -> None:
    """Coverage per software item and per file, and static-analysis findings per item.

    Reads the reports named by paths.coverage and paths.analysis (Cobertura XML, lcov, gcovr
    and gcov JSON, SARIF 2.1.0, GCC JSON diagnostics). Problems with the reports are printed
    on standard error; 'medtrace check' judges the figures against [evidence.coverage].
    """
    from medtrace.pipeline import trace_project
    from medtrace.render.evidence import build_view, render_evidence

    root = directory(ctx)
    with working("Reading the evidence"):
        traced = trace_project(root, use_cache=not no_cache, evidence=True)
    config = traced.project.config
    if traced.evidence is None:
        raise UsageError("the configuration names no report: set paths.coverage or paths.analysis")
    model = traced.project.model
    view = build_view(
        config.project.name,
        config.safety_class,
        model,
        traced.evidence,
        traced.trace,
        _test_files(traced),
        lambda item: _class_of(traced, item),
    )
    for d in traced.evidence.diagnostics:
        click.echo(f"{d.location}: {d.severity.value} {d.code} {d.rule}: {d.message}", err=True)
    text = render_evidence(fmt, view)
    if output:
        _write(Path(output), text, force, config.root)
    else:
        sys.stdout.write(text + ("" if text.endswith("\n") else "\n"))
    ctx.exit(ExitCode.OK)


def _test_files(traced: Traced) -> set[str]:
    scan = traced.scan
    return {*scan.test_files, *(t.path for t in scan.tests)}


def _class_of(traced: Traced, item_id: str) -> str:
    from medtrace.checks import Context
    from medtrace.loading import Locator

    project = traced.project
    context = Context(project.config, project.model, Locator(project.config.root))
    return context.item_class(project.model.items[item_id])


def _write(path: Path, text: str, force: bool, root: Path) -> None:
    from medtrace.fsutil import write_atomic
    from medtrace.render.matrix.ownership import is_ours

    if path.exists() and not force and not is_ours(path, "marker", root):
        raise UsageError(f"{path} exists and medtrace did not write it: use --force to replace it")
    write_atomic(path, text if text.endswith("\n") else text + "\n")
