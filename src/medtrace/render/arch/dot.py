"""DOT: the Graphviz source of a view, to lay out with any Graphviz tool."""

from __future__ import annotations

from medtrace.architecture.graphviz import to_dot
from medtrace.architecture.views import View
from medtrace.render.arch.registry import GENERATOR, diagram_format


# @implements SRS-147
@diagram_format("dot", ".dot")
def render_dot(view: View, link_base: str | None) -> str:
    return f"// {GENERATOR}\n" + to_dot(view, link_base)
