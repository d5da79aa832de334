"""The risk table (ISO 14971 with IEC 62304 7.1) and the heat maps before and after control,
from :mod:`medtrace.render.risks`."""

from __future__ import annotations

from typing import Any

from medtrace.render.risks import COLUMNS, render_heat_map, rows
from medtrace.site.data import SiteData
from medtrace.site.pages.architecture import inline_svg
from medtrace.site.pages.common import Pages, render, site_page

__all__ = ["context"]

#: Columns whose cells are IDs, linked to their pages.
_ID_COLUMNS = {"ID", "Controls", "Software item", "SOUP", "Introduced by"}


# @implements SRS-204
def context(data: SiteData) -> dict[str, Any]:
    report = data.risks
    maps = []
    table: list[dict[str, str]] = []
    if report is not None and report.analysis.risks:
        maps = [inline_svg(render_heat_map(h, "items/")) for h in (report.initial, report.residual)]
        table = rows(report.analysis)
    return {
        "columns": COLUMNS,
        "table": table,
        "maps": maps,
        "id_columns": _ID_COLUMNS,
        "known": data.model.items,
    }


@site_page("risks")
def risks(data: SiteData) -> Pages:
    page = render("risks.html.j2", data, "risks.html", "risks", "Risks", **context(data))
    return {"risks.html": page}
