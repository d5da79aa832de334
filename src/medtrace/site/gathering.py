"""The parts of the site's data that come from other domain packages: the risk analysis, the
SOUP drift report, the architecture diagram, the interface documentation and the item
histories. Each returns what it found, or a note saying why there is nothing."""

from __future__ import annotations

from typing import TYPE_CHECKING

from medtrace.errors import MedtraceError

if TYPE_CHECKING:
    from medtrace.config import Config
    from medtrace.model import Model
    from medtrace.pipeline import Traced
    from medtrace.render.risks import Report
    from medtrace.review.lock import Review
    from medtrace.soup.drift import Report as SoupReport
    from medtrace.soup.load import Inputs as SoupInputs
    from medtrace.vcs.history import Histories

__all__ = ["approvals", "architecture", "history", "interfaces", "risks", "soup_report"]


def risks(traced: Traced) -> Report | None:
    from medtrace.checks.risk import analysis_of
    from medtrace.render.risks import Report

    project = traced.project
    config = project.config
    if not any(project.model.of_kind(k) for k in config.risk_kinds):
        return None
    analysis = analysis_of(config, project.model, traced.trace)
    return Report.of(config.project.name, analysis)


def soup_report(config: Config, model: Model) -> tuple[tuple[SoupReport, SoupInputs] | None, str]:
    """The drift report of the SOUP list and the inputs it was made from (or why not)."""
    paths = config.paths
    if not any((paths.lockfiles, paths.sbom, paths.audit)):
        return None, "No lockfiles, SBOM or audit are configured: the SOUP list is not compared."
    from medtrace.soup.load import compared

    try:
        inputs, report = compared(config, model)
    except MedtraceError as exc:
        return None, f"The SOUP inputs could not be read: {exc}"
    return (report, inputs), ""


def architecture(config: Config, model: Model) -> tuple[str, str]:
    """The system view as SVG, boxes linking to ``items/<ID>.html`` (or why there is none)."""
    from medtrace.architecture import build_architecture, build_view
    from medtrace.architecture.graphviz import engine
    from medtrace.render.arch import FORMATS

    if not model.of_kind("software-item"):
        return "", "No software items: there is no architecture to draw."
    if engine() is None:
        return (
            "",
            "Graphviz is not installed, so the diagram is left out (apt-get install graphviz).",
        )
    title = f"{config.project.name}: system view" if config.project.name else ""
    try:
        view = build_view(build_architecture(model), "system", title)
        return FORMATS["svg"].render(view, "items/"), ""
    except MedtraceError as exc:
        return "", f"The diagram could not be drawn: {exc}"


def interfaces(config: Config, model: Model) -> str:
    """The documentation of the declared public interfaces, as an HTML fragment."""
    from medtrace.interfaces import declared_interfaces, document
    from medtrace.render.interfaces import render_interfaces

    items = [item.id for item in model.of_kind("software-item")]
    docs = document(declared_interfaces(model, config.root, items, public_only=True))
    return render_interfaces(docs, "html")


def history(config: Config, model: Model) -> Histories:
    from medtrace.vcs.history import item_histories

    return item_histories(config.root, model, config)


def approvals(config: Config) -> dict[str, list[Review]]:
    """Each item's approvals in the lock file (none when the project keeps no lock file)."""
    from medtrace.review import load_lock

    return load_lock(config.root, config.review.lock).approvals
