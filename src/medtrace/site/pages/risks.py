"""The risk table (ISO 14971 with IEC 62304 7.1) and the heat maps before and after control,
from :mod:`medtrace.render.risks`."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from medtrace.render.risks import COLUMNS, render_heat_map, rows
from medtrace.site.data import SiteData
from medtrace.site.pages.architecture import inline_svg
from medtrace.site.pages.common import Pages, render, site_page

__all__ = ["context", "linked"]

#: Columns whose cells hold IDs, linked to their pages.
_ID_COLUMNS = {"ID", "Controls", "Verification", "Software item", "SOUP", "Introduced by", "Chain"}
_TOKEN = re.compile(r"[^\s,;:()]+")


def linked(text: str, known: Mapping[str, object]) -> list[tuple[str, bool]]:
    """``text`` cut into parts, each an ID of ``known`` (a link) or plain text."""
    parts: list[tuple[str, bool]] = []
    at = 0
    for m in _TOKEN.finditer(text):
        if m.group() in known:
            parts += [(text[at : m.start()], False), (m.group(), True)]
            at = m.end()
    parts.append((text[at:], False))
    return [p for p in parts if p[0]]


# @implements SRS-204
def context(data: SiteData) -> dict[str, Any]:
    report = data.risks
    maps = []
    table: list[dict[str, list[tuple[str, bool]]]] = []
    if report is not None and report.analysis.risks:
        maps = [inline_svg(render_heat_map(h, "items/")) for h in (report.initial, report.residual)]
        known = data.model.items
        table = [
            {c: linked(v, known) if c in _ID_COLUMNS else [(v, False)] for c, v in row.items()}
            for row in rows(report.analysis)
        ]
    return {
        "columns": COLUMNS,
        "table": table,
        "maps": maps,
    }


@site_page("risks")
def risks(data: SiteData) -> Pages:
    page = render("risks.html.j2", data, "risks.html", "risks", "Risks", **context(data))
    return {"risks.html": page}
