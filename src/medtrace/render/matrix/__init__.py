"""Renderers of the traceability matrix (:mod:`medtrace.tracing.matrix`), registered by name.

``markdown``, ``csv``, ``json``, ``html`` and ``xlsx`` (the last needs the optional extra
``medtrace[xlsx]``; openpyxl and Jinja2 are imported only when their format is used).
"""

from medtrace.render.matrix import csvfile, htmlpage, jsondoc, markdown, workbook
from medtrace.render.matrix.registry import FORMATS, MARKER, Format, Rendered, render_matrix

__all__ = [
    "FORMATS",
    "MARKER",
    "Format",
    "Rendered",
    "csvfile",
    "htmlpage",
    "jsondoc",
    "markdown",
    "render_matrix",
    "workbook",
]
