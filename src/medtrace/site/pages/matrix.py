"""The traceability matrix (:mod:`medtrace.tracing.matrix`, the same views as ``medtrace
matrix``), each view in pages of at most :data:`ROWS` rows and about :data:`BUDGET` characters, so
that no page grows past 2 MB at 20,000 requirements; a filter on each page (``assets/site.js``). IDs link to their
item's page, test keys and code sites to the matrix page that holds their row."""

from __future__ import annotations

from typing import NamedTuple

from markupsafe import Markup, escape

from medtrace.render.escaping import visible
from medtrace.render.matrix.htmlpage import CAP
from medtrace.site.data import SiteData
from medtrace.site.names import item_href
from medtrace.site.pages.common import Pages, render, site_page
from medtrace.tracing.matrix import Row, Value, View, cell_parts, cell_status

__all__ = ["ROWS", "html_cell", "link_targets", "pages_of"]

#: Rows per matrix page, at most.
ROWS = 500
#: Characters of HTML per matrix page, about (a page stays well under 2 MB).
BUDGET = 900_000


class Part(NamedTuple):
    text: str
    rest: str
    href: str | None
    is_id: bool


class Cell(NamedTuple):
    parts: list[Part]
    status: str | None


def _cost(row: Row) -> int:
    """About how many characters of HTML a row makes (its text, links and markup)."""
    return 60 + sum(40 + sum(len(t) + 60 for t, _ in cell_parts(v)) for v in row[1])


def pages_of(view: View) -> list[list[Row]]:
    """The rows of ``view`` cut into pages of at most :data:`ROWS` rows and about
    :data:`BUDGET` characters (one empty page when it has none)."""
    pages: list[list[Row]] = []
    current: list[Row] = []
    size = 0
    for row in view.rows:
        cost = _cost(row)
        if current and (len(current) >= ROWS or size + cost > BUDGET):
            pages.append(current)
            current, size = [], 0
        current.append(row)
        size += cost
    return [*pages, current] if current or not pages else pages


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


def _breakable(text: str) -> Markup:
    """Escaped text that may break after a slash, a colon pair or an underscore (paths, test
    keys, symbols), and nowhere else inside a word."""
    shown = str(escape(visible(text)))
    for sep in ("/", "::", "_"):
        shown = shown.replace(sep, sep + "<wbr>")
    return Markup(shown)


def _part_html(part: Part) -> str:
    text = escape(visible(part.text)) if part.is_id else _breakable(part.text)
    if part.href:
        css = ' class="id"' if part.is_id else ""
        text = Markup(f'<a href="{escape(part.href)}"{css}>{text}</a>')
    if part.rest:
        more = f"&hellip; {len(part.rest)} more characters"
        text += Markup(
            f'<details class="more"><summary>{more}</summary>{escape(visible(part.rest))}</details>'
        )
    return str(text)


def _cell_html(cell: Cell, first: bool) -> str:
    css = f' class="st st-{escape(cell.status)}"' if cell.status else ' class="id"' if first else ""
    return f"<td{css}>{'<br>'.join(_part_html(p) for p in cell.parts)}</td>"


def table_html(view: View, rows: list[tuple[str | None, list[Cell]]]) -> Markup:
    """The matrix table of one page (written directly: 20,000 rows of cells through the
    template engine cost several times as much)."""
    head = "".join(f'<th scope="col">{escape(visible(c))}</th>' for c in view.columns)
    body = []
    for key, cells in rows:
        row_id = f' id="{escape(visible(key))}"' if key else ""
        body.append(
            f"<tr{row_id}>{''.join(_cell_html(c, i == 0) for i, c in enumerate(cells))}</tr>"
        )
    if not rows:
        body.append(f'<tr><td colspan="{len(view.columns)}" class="empty">None.</td></tr>')
    return Markup(
        f'<div class="table-wrap"><table class="matrix" data-view="{escape(view.name)}">\n'
        f"<thead><tr>{head}</tr></thead>\n<tbody>\n"
        + "\n".join(body)
        + "\n</tbody>\n</table></div>"
    )


# @implements SRS-205
@site_page("matrix")
def matrix(data: SiteData) -> Pages:
    anchors = link_targets(data)
    out: Pages = {}
    listing = []
    for view in data.matrix.views:
        pages = pages_of(view)
        listing.append((view, len(pages), _page_path(view.name, 1).removeprefix("matrix/")))
        first = 1
        for n, rows in enumerate(pages, 1):
            path = _page_path(view.name, n)
            cells = [(key, [html_cell(c, anchors) for c in row]) for key, row in rows]
            table = table_html(view, cells)
            out[path] = render(
                "matrix.html.j2",
                data,
                path,
                "matrix",
                f"{view.title} ({n}/{len(pages)})",
                view=view,
                table=table,
                shown=len(rows),
                page=n,
                pages=len(pages),
                first=first,
            )
            first += len(rows)
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
