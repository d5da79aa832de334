"""SVG: the view laid out by Graphviz (run out of process), each box linking to its page."""

from __future__ import annotations

from medtrace.architecture.graphviz import lay_out
from medtrace.architecture.views import View
from medtrace.render.arch.registry import GENERATOR, diagram_format


# @implements SRS-147
@diagram_format("svg", ".svg", layout="required")
def render_svg(view: View, link_base: str | None) -> str:
    svg = lay_out(view, link_base, "svg")
    start = svg.find("<svg")
    if start < 0:
        return svg
    return f"{svg[:start]}<!-- {GENERATOR} -->\n{svg[start:]}"
