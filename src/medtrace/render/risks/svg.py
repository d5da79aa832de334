"""The risk matrix as SVG heat maps, before and after control, drawn directly (no script, no
external resource): one cell per severity × probability, coloured by acceptability and worded
too (readable without colour), with the count of risks and their IDs, each a link to the risk's
page ``items/<ID>.html`` of the documentation site; a legend below. Every text is escaped."""

from __future__ import annotations

from urllib.parse import quote
from xml.sax.saxutils import escape, quoteattr

from medtrace.render.matrix.registry import GENERATOR
from medtrace.render.risks.registry import Report, risk_format
from medtrace.risk import Cell, HeatMap

__all__ = ["render_heat_map", "render_svg"]

FILL = {"acceptable": "#d9f2dd", "review": "#fdf0c4", "unacceptable": "#f9d6d5"}
STROKE = {"acceptable": "#2e7d32", "review": "#9a6700", "unacceptable": "#b3261e"}
CELL_W, CELL_H, LABEL_W, HEAD_H, TITLE_H, LEGEND_H = 170, 96, 150, 44, 34, 40
IDS_PER_LINE, ID_LINES = 3, 4
FONT = "font-family='Helvetica, Arial, sans-serif'"


def _text(x: float, y: float, text: str, *, size: int = 12, extra: str = "") -> str:
    return f"<text x='{x:g}' y='{y:g}' font-size='{size}' {extra}>{escape(text)}</text>"


def _per_line(ids: list[str]) -> int:
    """IDs side by side in a cell: three of up to 8 characters, fewer when longer."""
    longest = max((len(i) for i in ids), default=0)
    return IDS_PER_LINE if longest <= 8 else 2 if longest <= 13 else 1


def _ids(cell: Cell, x: float, y: float, link: str) -> list[str]:
    per_line = _per_line(cell.risks[: IDS_PER_LINE * ID_LINES])
    shown = cell.risks[: per_line * ID_LINES]
    step = (CELL_W - 16) / per_line
    out = []
    for n, risk_id in enumerate(shown):
        line, col = divmod(n, per_line)
        href = quoteattr(f"{link}{quote(risk_id, safe='')}.html")
        text = risk_id if len(risk_id) <= 26 else risk_id[:25] + "…"
        label = _text(x + 8 + col * step, y + 44 + line * 13, text, size=10)
        out.append(f"<a href={href}><title>{escape(risk_id)}</title>{label}</a>")
    more = len(cell.risks) - len(shown)
    if more > 0:
        out.append(_text(x + 8, y + 44 + ID_LINES * 13, f"and {more} more", size=10))
    return out


def _cell(cell: Cell, x: float, y: float, link: str) -> list[str]:
    verdict = cell.acceptability
    rect = (
        f"<rect x='{x:g}' y='{y:g}' width='{CELL_W}' height='{CELL_H}' fill='{FILL[verdict]}' "
        f"stroke='{STROKE[verdict]}'/>"
    )
    count = _text(x + 8, y + 22, str(len(cell.risks)), size=18, extra="font-weight='bold'")
    word = _text(x + CELL_W - 8, y + 18, verdict, size=10, extra="text-anchor='end'")
    return [rect, count, word, *_ids(cell, x, y, link)]


def _legend(y: float) -> list[str]:
    out, x = [], 0.0
    for verdict in ("acceptable", "review", "unacceptable"):
        out.append(
            f"<rect x='{x:g}' y='{y:g}' width='16' height='16' fill='{FILL[verdict]}' "
            f"stroke='{STROKE[verdict]}'/>"
        )
        out.append(_text(x + 22, y + 13, verdict))
        x += 130
    out.append(_text(x, y + 13, "count of risks, then their IDs (links)", size=11))
    return out


def _body(heat: HeatMap, x0: float, link: str) -> list[str]:
    rows, cols = len(heat.severity), len(heat.probability)
    out = [_text(x0, 22, heat.title, size=16, extra="font-weight='bold'")]
    out.append(_text(x0, TITLE_H + 18, "severity ↑", size=11, extra="font-style='italic'"))
    out.append(_text(x0, TITLE_H + 34, "probability →", size=11, extra="font-style='italic'"))
    top = TITLE_H + HEAD_H
    for p, name in enumerate(heat.probability):
        cx = x0 + LABEL_W + p * CELL_W + CELL_W / 2
        out.append(_text(cx, TITLE_H + 18, name, extra="text-anchor='middle' font-weight='bold'"))
        out.append(_text(cx, TITLE_H + 34, f"level {p + 1}", size=10, extra="text-anchor='middle'"))
    for r, s in enumerate(reversed(range(rows))):
        y = top + r * CELL_H
        out.append(_text(x0, y + CELL_H / 2, heat.severity[s], extra="font-weight='bold'"))
        out.append(_text(x0, y + CELL_H / 2 + 15, f"level {s + 1}", size=10))
        for p in range(cols):
            out += _cell(heat.cells[s][p], x0 + LABEL_W + p * CELL_W, y, link)
    if heat.unplaced:
        text = f"not estimated: {', '.join(heat.unplaced[:20])}"
        more = len(heat.unplaced) - 20
        text += f" and {more} more" if more > 0 else ""
        out.append(_text(x0, top + rows * CELL_H + 18, text, size=11))
    return out


def _width(heat: HeatMap) -> float:
    return LABEL_W + len(heat.probability) * CELL_W


def _document(maps: list[HeatMap], link: str, title: str) -> str:
    gap = 40
    width = sum(_width(h) for h in maps) + gap * (len(maps) - 1)
    grid_h = TITLE_H + HEAD_H + max(len(h.severity) for h in maps) * CELL_H + 28
    height = grid_h + LEGEND_H
    parts, x = [], 0.0
    for heat in maps:
        parts += _body(heat, x, link)
        x += _width(heat) + gap
    parts += _legend(grid_h + 8)
    return (
        f"<!-- {escape(GENERATOR)} -->\n"
        f"<svg xmlns='http://www.w3.org/2000/svg' width='{width + 2:g}' height='{height:g}' "
        f"viewBox='-1 -1 {width + 2:g} {height:g}' {FONT} fill='#1b1b1b' role='img'>\n"
        f"<title>{escape(title)}</title>\n" + "\n".join(parts) + "\n</svg>\n"
    )


# @implements SRS-165
def render_heat_map(heat: HeatMap, link: str = "items/") -> str:
    """One heat map as an SVG document (for the documentation site)."""
    return _document([heat], link, f"Risk matrix: {heat.title.lower()}")


def _split(report: Report) -> dict[str, str | bytes]:
    return {
        "heatmap-initial.svg": render_heat_map(report.initial),
        "heatmap-residual.svg": render_heat_map(report.residual),
    }


# @implements SRS-165
@risk_format("svg", ".svg", split=_split)
def render_svg(report: Report) -> str:
    """Both heat maps side by side, before and after control."""
    title = f"Risk matrix of {report.project or 'the project'}: before and after control"
    return _document([report.initial, report.residual], "items/", title)
