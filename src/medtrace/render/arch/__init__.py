"""Renderers of the architecture views (:mod:`medtrace.architecture.views`), registered by
name: ``svg`` (Graphviz, out of process), ``mermaid``, ``drawio``, ``dot`` and ``plantuml``."""

from medtrace.render.arch import dot, drawio, mermaid, plantuml, svg
from medtrace.render.arch.registry import FORMATS, MARKER, DiagramFormat, is_ours

__all__ = [
    "FORMATS",
    "MARKER",
    "DiagramFormat",
    "dot",
    "drawio",
    "is_ours",
    "mermaid",
    "plantuml",
    "svg",
]
