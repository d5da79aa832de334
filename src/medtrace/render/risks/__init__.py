"""Renderers of the risk table and the heat maps (``medtrace risks``), registered by name:
``markdown``, ``csv``, ``json``, ``xlsx`` (openpyxl, the optional extra ``medtrace[xlsx]``) and
``svg`` (the heat maps before and after control, drawn directly: no script, every text escaped).
"""

from medtrace.render.risks import csvfile, jsondoc, markdown, svg, workbook
from medtrace.render.risks.registry import FORMATS, Report, RiskFormat
from medtrace.render.risks.svg import render_heat_map
from medtrace.render.risks.table import COLUMNS, rows

__all__ = [
    "COLUMNS",
    "FORMATS",
    "Report",
    "RiskFormat",
    "csvfile",
    "jsondoc",
    "markdown",
    "render_heat_map",
    "rows",
    "svg",
    "workbook",
]
