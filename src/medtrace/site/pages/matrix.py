"""The traceability matrix (:mod:`medtrace.tracing.matrix`, the same views as ``medtrace
matrix``), one page per view and per :data:`ROWS` rows, so that no page grows past a few hundred
kilobytes at 20,000 requirements; a filter on each page (``assets/site.js``). IDs link to their
item's page, test keys and code sites to the matrix page that holds their row."""

from __future__ import annotations

from typing import NamedTuple

from medtrace.render.matrix.htmlpage import CAP
from medtrace.site.data import SiteData
from medtrace.site.names import item_href
from medtrace.site.pages.common import Pages, render, site_page
from medtrace.tracing.matrix import Row, Value, View, cell_parts, cell_status

__all__ = ["ROWS", "html_cell", "link_targets", "pages_of"]

#: Rows per matrix page.
ROWS = 500


class Part(NamedTuple):
    text: str
    rest: str
    href: str | None
    is_id: bool


class Cell(NamedTuple):
    parts: list[Part]
    status: str | None


def pages_of(view: View) -> list[list[Row]]:
    """The rows of ``view`` cut into pages of :data:`ROWS` (one empty page when it has none)."""
    return [view.rows[i : i + ROWS] for i in range(0, len(view.rows), ROWS)] or [[]]


def _page_path(view: str, number: int) -> str:
    return f"matrix/{view}-{number}.html"


def link_targets(data: SiteData) -> dict[str, str]:
    """Row key → the link to it from a matrix page: an item's page, else its matrix row."""
    out: dict[str, str] = {}
    for view in data.matrix.views:
        for n, rows in enumerate(pages_of(view), 1):
            for key, _ in rows:
                if key is not None and key not in out:
                    out[key] = f"{view.name}-{n}.html#{key}"
    for item_id in data.model.items:
        out[item_id] = "../" + item_href(item_id)
    return out


def html_cell(value: Value, anchors: dict[str, str]) -> Cell:
    parts = [
        Part(text[:CAP], text[CAP:], anchors.get(link) if link else None, link == text)
        for text, link in cell_parts(value)
    ]
    return Cell(parts, cell_status(value))


# @implements SRS-205
@site_page("matrix")
def matrix(data: SiteData) -> Pages:
    anchors = link_targets(data)
    out: Pages = {}
    listing = []
    for view in data.matrix.views:
        pages = pages_of(view)
        listing.append((view, len(pages), _page_path(view.name, 1).removeprefix("matrix/")))
        for n, rows in enumerate(pages, 1):
            path = _page_path(view.name, n)
            cells = [(key, [html_cell(c, anchors) for c in row]) for key, row in rows]
            out[path] = render(
                "matrix.html.j2",
                data,
                path,
                "matrix",
                f"{view.title} ({n}/{len(pages)})",
                view=view,
                rows=cells,
                page=n,
                pages=len(pages),
                first=(n - 1) * ROWS + 1,
            )
    out["matrix/index.html"] = render(
        "matrix-index.html.j2",
        data,
        "matrix/index.html",
        "matrix",
        "Traceability matrix",
        listing=listing,
        per_page=ROWS,
    )
    return out
