"""``medtrace interfaces``: documentation of the public interfaces the software items declare,
and ``--record``: the Python APIs recorded for the drift rule (api-changed, MT173)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click

from medtrace.cli._common import directory, output_log, working

if TYPE_CHECKING:
    from medtrace.model import Model
    from medtrace.pipeline import Project

__all__ = ["interfaces", "render_interfaces_of"]


# @implements SRS-156
@click.command()
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["markdown", "html", "text", "json"]),
    default="markdown",
    show_default=True,
    help="Markdown, an HTML fragment for the documentation site, text or JSON.",
)
@click.option("-o", "--output", default="-", show_default=True, help="File to write, or '-'.")
@click.option("--item", "items", multiple=True, help="Only the interfaces of this item (repeat).")
@click.option("--all", "everything", is_flag=True, help="Also interfaces with 'public: false'.")
@click.option(
    "--record", is_flag=True, help="Write the Python APIs to [conformance] api_records instead."
)
@click.option("--force", is_flag=True, help="Replace an existing file medtrace did not write.")
@click.pass_context
def interfaces(
    ctx: click.Context,
    fmt: str,
    output: str,
    items: tuple[str, ...],
    everything: bool,
    record: bool,
    force: bool,
) -> None:
    """Document the interfaces declared in the architecture model (OpenAPI, Python,
    TypeScript, C headers, prose), read statically from their specs and code."""
    from medtrace.pipeline import load_project

    start = directory(ctx)
    with working("Reading the interfaces"):
        project = load_project(start)
        root = project.config.root
        _unknown_items(project.model, items)
        if record:
            _record(project, list(items), everything, force)
            return
        text, problems = render_interfaces_of(project, list(items), fmt, public_only=not everything)
    _write(root, output, text, force)
    for problem in problems:
        click.echo(f"medtrace: note: {problem}", err=True)


def render_interfaces_of(
    project: Project, items: list[str], fmt: str = "markdown", *, public_only: bool = True
) -> tuple[str, list[str]]:
    """The interface documentation of a loaded project (for ``medtrace arch --interfaces``
    too), with the problems met as sentences."""
    from medtrace.interfaces import declared_interfaces, document
    from medtrace.render.interfaces import render_interfaces

    config, model = project.config, project.model
    docs = document(declared_interfaces(model, config.root, items, public_only=public_only))
    problems = [f"{d.item}, '{d.name}': {p}" for d in docs for p in d.problems]
    return render_interfaces(docs, fmt), problems


def _unknown_items(model: Model, items: tuple[str, ...]) -> None:
    for item in items:
        found = model.get(item)
        if found is None or found.kind != "software-item":
            raise click.UsageError(f"--item {item}: no software item has this ID")


def _record(project: Project, items: list[str], everything: bool, force: bool) -> None:
    from medtrace.interfaces import declared_interfaces
    from medtrace.interfaces.record import records

    config = project.config
    declared = declared_interfaces(project.model, config.root, items, public_only=not everything)
    files, problems = records(declared, config.conformance.api_records)
    for problem in problems:
        click.echo(f"medtrace: error: {problem}", err=True)
    targets = {config.root / rel: text for rel, text in files.items()}
    written = _write_files(config.root, targets, force)
    for path in written:
        click.echo(f"recorded {path.relative_to(config.root).as_posix()}")
    if not files:
        click.echo("no Python interface to record", err=True)
    if problems:
        raise click.exceptions.Exit(1)


def _write(root: Path, output: str, text: str, force: bool) -> None:
    _write_files(root, {Path(output): text}, force)


def _write_files(root: Path, targets: dict[Path, str], force: bool) -> list[Path]:
    """Written by the one output rule: a file medtrace did not write needs ``--force``."""
    from medtrace.fsutil import Action, write_outputs

    log = output_log(root)
    plans = write_outputs(targets, force=force, ours=log.owns, log=log)
    return [p.path for p in plans if p.action is not Action.STREAM]
