"""``medtrace soup``: the SOUP list against the lockfiles, SBOMs and vulnerability reports.

``--sync`` adds the unlisted packages as draft SOUP items and updates versions (see
:mod:`medtrace.soup.sync`). Exit codes: 0 when the SOUP list matches the lockfiles, 1 on drift (unlisted, other version,
no longer locked) or an unreadable input, 2 on a usage or configuration error. With ``--sbom``
the SOUP list is written as a CycloneDX JSON SBOM instead (``-o FILE``, under the one output
rule of :func:`medtrace.fsutil.plan_output`).
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

import click

from medtrace.cli._common import directory, output_log
from medtrace.errors import ExitCode, UsageError

if TYPE_CHECKING:
    from medtrace.model import Model
    from medtrace.soup.drift import Report

__all__ = ["soup"]


# @implements SRS-132, SRS-138
@click.command()
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json", "markdown"]),
    default="text",
    show_default=True,
    help="Output format of the report.",
)
@click.option(
    "--sync", is_flag=True, help="Add unlisted packages as draft SOUP items; update versions."
)
@click.option("--sbom", is_flag=True, help="Write the SOUP list as a CycloneDX JSON SBOM.")
@click.option("--timestamp", is_flag=True, help="With --sbom: put the time in the SBOM.")
@click.option(
    "-o", "--output", type=click.Path(), help="Write to this file ('-': standard output)."
)
@click.option("--force", is_flag=True, help="Replace an existing file medtrace did not write.")
@click.pass_context
def soup(
    ctx: click.Context,
    fmt: str,
    sync: bool,
    sbom: bool,
    timestamp: bool,
    output: str | None,
    force: bool,
) -> None:
    """The SOUP list held against [paths] lockfiles, sbom and audit: what is locked but not
    listed, listed with another version, or listed but no longer locked; dev-only dependencies
    apart unless [soup] dev = true.

    Exits 0 when the list matches, 1 on drift or an unreadable input, 2 on a usage or
    configuration error.
    """
    from medtrace.pipeline import load_project

    project = load_project(directory(ctx), use_cache=False)
    config = project.config
    if sbom:
        from medtrace.soup.export import sbom_json

        when = datetime.now(UTC).replace(microsecond=0) if timestamp else None
        text = sbom_json(project.model, config.project.name, config.project.version, timestamp=when)
        _emit(text, output, config.root, force)
        ctx.exit(ExitCode.OK)
    from medtrace.soup.load import compared
    from medtrace.soup.report import FORMATS, as_data

    if not any((config.paths.lockfiles, config.paths.sbom, config.paths.audit)):
        raise UsageError(
            "no [paths] lockfiles, sbom or audit in the configuration: nothing to compare"
        )
    inputs, report = compared(config, project.model)
    if sync:
        _sync(project.model, report, config.root, config.soup.list_file)
        ctx.exit(ExitCode.FINDINGS if inputs.all_diagnostics else ExitCode.OK)
    _emit(FORMATS[fmt](as_data(report, inputs)), output, config.root, force)
    failed = report.drift or bool(inputs.all_diagnostics)
    ctx.exit(ExitCode.FINDINGS if failed else ExitCode.OK)


def _sync(model: Model, report: Report, root: Path, configured: str) -> None:
    from medtrace.soup.sync import sync

    done = sync(model, report, root, configured)
    for line in done.added:
        click.echo(f"{done.path}: added draft {line}")
    for line in done.updated:
        click.echo(f"{done.path}: updated {line}")
    for line in done.skipped:
        click.echo(f"{done.path}: left {line}", err=True)
    if not (done.added or done.updated or done.skipped):
        click.echo("nothing to sync: the SOUP list matches the lockfiles")


def _emit(text: str, output: str | None, root: Path, force: bool) -> None:
    if output is None:
        click.echo(text, nl=False)
        return
    from medtrace.fsutil import write_outputs

    log = output_log(root)
    write_outputs({Path(output): text}, force=force, ours=log.owns, log=log)
