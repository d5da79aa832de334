"""``medtrace arch``: the architecture diagrams, drawn from the model (never from the code).

The system view (``--view system``, the default) and one view per software system
(``--view <ID>``; ``--view all`` for every view), as SVG (Graphviz, run out of process), Mermaid,
draw.io, DOT or PlantUML. One view goes to standard output, or to ``-o FILE``; ``-o DIR/`` writes
every asked view as ``DIR/<view>.<suffix>`` (with no ``--format``, in every format). Files are
written by the one output rule (:func:`medtrace.fsutil.plan_output`), all or nothing.

Without Graphviz, SVG is left out with a note when it was not asked for, and the other formats
are written (draw.io on a plain grid); ``--format svg`` then exits 2.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

import click

from medtrace.cli._common import directory, note_problems, output_log
from medtrace.errors import ExitCode, UsageError

if TYPE_CHECKING:
    from medtrace.architecture import Architecture
    from medtrace.pipeline import Project

__all__ = ["arch"]

_FORMATS = ["svg", "mermaid", "drawio", "dot", "plantuml"]


# @implements SRS-144
@click.command()
@click.option(
    "--view",
    "views",
    multiple=True,
    metavar="VIEW",
    help="'system' (default), a software system's ID, or 'all' (repeatable).",
)
@click.option(
    "--format",
    "formats",
    multiple=True,
    type=click.Choice(_FORMATS),
    help="svg (needs Graphviz), mermaid, drawio, dot or plantuml (repeatable). Default: svg "
    "(mermaid without Graphviz); with -o DIR/, every format.",
)
@click.option(
    "-o",
    "--output",
    type=click.Path(),
    help="Write to this file, or to this directory (ending in '/') one file per view and format.",
)
@click.option(
    "--link-base",
    default="items/",
    show_default=True,
    help="Boxes link to LINK_BASE<ID>.html; '' for no links.",
)
@click.option(
    "--interfaces",
    is_flag=True,
    help="The documentation of the declared public interfaces instead of a diagram (Markdown, "
    "or HTML for -o FILE.html); with -o DIR/, interfaces.md and interfaces.html beside the "
    "diagrams.",
)
@click.option("--force", is_flag=True, help="Replace an existing file medtrace did not write.")
@click.option("--no-cache", is_flag=True, help="Read every file again; do not use the cache.")
@click.pass_context
def arch(
    ctx: click.Context,
    views: tuple[str, ...],
    formats: tuple[str, ...],
    output: str | None,
    link_base: str,
    interfaces: bool,
    force: bool,
    no_cache: bool,
) -> None:
    """Architecture diagrams: the system view (environments, software systems, external
    systems, people and flows) and one view per software system (its items and units, their
    dependencies and interfaces).

    Exits 0 when the diagrams were written; 2 on a usage or configuration error, or when SVG
    was asked for and Graphviz is missing or fails.
    """
    from medtrace.architecture import build_architecture
    from medtrace.architecture.graphviz import engine
    from medtrace.pipeline import load_project

    project = load_project(directory(ctx), use_cache=not no_cache)
    note_problems(len(project.diagnostics))
    to_dir = output is not None and _is_directory(output)
    if interfaces and not to_dir:
        if views or formats:
            raise UsageError("--interfaces writes no diagram: leave out --view and --format")
        _write_interfaces(ctx, project, output, force)
    architecture = build_architecture(project.model)
    names = _views(architecture, views)
    chosen = _formats(formats, to_dir, output, engine() is not None)
    if len(names) * len(chosen) > 1 and not to_dir:
        raise UsageError("several views or formats need a directory: give -o DIR/")
    if engine() is None and "drawio" in chosen:
        click.echo(
            "medtrace: note: Graphviz is not installed: draw.io boxes are on a grid", err=True
        )
    outputs = _render(architecture, names, chosen, link_base or None, project.config.project.name)
    if interfaces:  # into the directory, beside the diagrams
        outputs |= {f"interfaces{s}": _interface_docs(project, f) for s, f in _DOC_SUFFIXES.items()}
    if output is None:
        click.echo(next(iter(outputs.values())), nl=False)
        ctx.exit(ExitCode.OK)
    for path in _write(outputs, Path(output), to_dir, project.config.root, force):
        click.echo(f"wrote {path}")
    ctx.exit(ExitCode.OK)


_DOC_SUFFIXES = {".md": "markdown", ".html": "html"}


def _interface_docs(project: Project, fmt: str) -> str:
    from medtrace.cli.interfaces import render_interfaces_of

    items = [item.id for item in project.model.of_kind("software-item")]
    text, problems = render_interfaces_of(project, items, fmt)
    for problem in problems:
        click.echo(f"medtrace: note: {problem}", err=True)
    return text


def _write_interfaces(
    ctx: click.Context, project: Project, output: str | None, force: bool
) -> None:
    """The interface documentation alone: to standard output, or to ``-o FILE``."""
    suffix = Path(output).suffix.lower() if output else ".md"
    text = _interface_docs(project, _DOC_SUFFIXES.get(suffix, "markdown"))
    if output is None:
        click.echo(text, nl=False)
    else:
        for path in _write({"interfaces": text}, Path(output), False, project.config.root, force):
            click.echo(f"wrote {path}")
    ctx.exit(ExitCode.OK)


def _views(architecture: Architecture, asked: tuple[str, ...]) -> list[str]:
    from medtrace.architecture import view_names

    every = view_names(architecture)
    out: list[str] = []
    for name in asked or ("system",):
        if name == "all":
            out += every
            continue
        element = architecture.elements.get(name)
        if name != "system" and (element is None or not element.is_software):
            import difflib

            close = difflib.get_close_matches(name, every, n=1)
            hint = f" Did you mean '{close[0]}'?" if close else ""
            raise UsageError(f"no view {name!r}; views: {', '.join(every)}.{hint}")
        out.append(name)
    return list(dict.fromkeys(out))


def _formats(
    asked: tuple[str, ...], to_dir: bool, output: str | None, has_engine: bool
) -> list[str]:
    if asked:
        return list(dict.fromkeys(asked))
    if to_dir:
        if not has_engine:
            click.echo(
                "medtrace: note: Graphviz is not installed: SVG left out "
                "(Debian/Ubuntu: apt-get install graphviz)",
                err=True,
            )
        return [f for f in _FORMATS if has_engine or f != "svg"]
    by_suffix = {".svg": "svg", ".mmd": "mermaid", ".drawio": "drawio", ".dot": "dot"}
    by_suffix |= {".gv": "dot", ".puml": "plantuml", ".plantuml": "plantuml"}
    suffix = Path(output).suffix.lower() if output else ""
    if suffix in by_suffix:
        return [by_suffix[suffix]]
    if not has_engine:
        click.echo("medtrace: note: Graphviz is not installed: writing Mermaid", err=True)
        return ["mermaid"]
    return ["svg"]


def _render(
    architecture: Architecture,
    names: list[str],
    formats: list[str],
    link_base: str | None,
    project: str,
) -> dict[str, str]:
    """``<view>.<suffix>`` → the diagram's text, for every view and format."""
    from medtrace.architecture import build_view
    from medtrace.render.arch import FORMATS

    out: dict[str, str] = {}
    for name in names:
        title = f"{project}: system view" if name == "system" and project else ""
        view = build_view(architecture, name, title)
        for fmt in formats:
            form = FORMATS[fmt]
            out[f"{name}{form.suffix}"] = form.render(view, link_base)
    return out


def _is_directory(output: str) -> bool:
    return output.endswith(("/", os.sep)) or Path(output).is_dir()


def _write(
    outputs: dict[str, str], output: Path, to_dir: bool, root: Path, force: bool
) -> list[Path]:
    from medtrace.fsutil import Action, write_outputs
    from medtrace.render.arch import is_ours

    log = output_log(root)

    def ours(path: Path) -> bool:
        return is_ours(path) or log.owns(path)

    if to_dir:
        targets = {output / name: text for name, text in outputs.items()}
    else:
        targets = {output: next(iter(outputs.values()))}
    plans = write_outputs(targets, force=force, ours=ours, log=log)
    return [p.path for p in plans if p.action is not Action.STREAM]
