"""draw.io (diagrams.net): an ``mxfile`` that opens and edits in draw.io.

Boxes are placed where Graphviz puts them (its ``-Tjson`` layout, run out of process) when
Graphviz is installed, else on a simple grid; groups are draw.io containers, so moving an
environment moves what runs in it. Labels are HTML (``html=1``): user strings are HTML-escaped,
then the XML writer escapes the result again, as draw.io reads it.
"""

from __future__ import annotations

import html
import json
import xml.etree.ElementTree as ET
from dataclasses import dataclass

from medtrace.architecture.graphviz import (
    CLASS_COLOURS,
    FLOW_COLOUR,
    GROUP_FILLS,
    ROLE_COLOURS,
    SAFETY_COLOUR,
    Names,
    engine,
    lay_out,
)
from medtrace.architecture.views import Box, Edge, Group, View, page_url
from medtrace.errors import LayoutError
from medtrace.render.arch.registry import GENERATOR, diagram_format

__all__ = ["Rect", "graphviz_layout", "grid_layout", "render_drawio"]

_POINTS_PER_INCH = 72.0
_BOX_W, _BOX_H, _GAP, _PAD, _HEAD = 180.0, 60.0, 40.0, 20.0, 34.0


@dataclass(frozen=True)
class Rect:
    x: float
    y: float
    w: float
    h: float


def _esc(value: str) -> str:
    return "<br>".join(html.escape(part) for part in value.replace("\r", "").split("\n"))


# @implements SRS-147, SRS-191
@diagram_format("drawio", ".drawio", layout="optional")
def render_drawio(view: View, link_base: str | None) -> str:
    rects = graphviz_layout(view) if engine() is not None else None
    if rects is None:
        rects = grid_layout(view)
    names = Names.of(view)
    ids = {**names.boxes, **names.groups}
    model = ET.Element("mxGraphModel", attrib={"grid": "1", "gridSize": "10", "page": "0"})
    root = ET.SubElement(model, "root")
    ET.SubElement(root, "mxCell", attrib={"id": "0"})
    ET.SubElement(root, "mxCell", attrib={"id": "1", "parent": "0"})
    parents = {g.key: g.parent for g in view.groups} | {b.key: b.group for b in view.boxes}
    for group in view.groups:
        _vertex(root, ids, group, rects, parents, link_base)
    for box in view.boxes:
        _vertex(root, ids, box, rects, parents, link_base)
    for number, edge in enumerate(view.edges):
        _edge(root, number, ids, edge)
    mxfile = ET.Element("mxfile", attrib={"host": "medtrace", "agent": GENERATOR})
    diagram = ET.SubElement(mxfile, "diagram", attrib={"id": view.name, "name": view.title})
    diagram.append(model)
    ET.indent(mxfile)
    return f"<!-- {GENERATOR} -->\n" + ET.tostring(mxfile, encoding="unicode") + "\n"


def _vertex(
    root: ET.Element,
    ids: dict[str, str],
    item: Box | Group,
    rects: dict[str, Rect],
    parents: dict[str, str | None],
    link_base: str | None,
) -> None:
    is_group = isinstance(item, Group)
    role = "group" if is_group else item.role  # type: ignore[union-attr]
    fill, border = ROLE_COLOURS.get(role) or CLASS_COLOURS[item.cls]
    if is_group:
        fill, border = GROUP_FILLS.get(item.cls, "#f8fafc"), CLASS_COLOURS[item.cls][1]
    style = f"rounded=1;whiteSpace=wrap;html=1;fillColor={fill};strokeColor={border};"
    if is_group:
        style += "container=1;collapsible=0;verticalAlign=top;align=left;spacingLeft=8;arcSize=4;"
    if role == "external":
        style += "dashed=1;"
    label = f'<b>{_esc(item.title)}</b><br><font style="font-size:10px">{_esc(item.badge)}</font>'
    parent = parents.get(item.key)
    parent_id = ids.get(parent or "", "1")
    rect = rects[item.key]
    if parent in rects:
        outer = rects[parent]
        rect = Rect(rect.x - outer.x, rect.y - outer.y, rect.w, rect.h)
    cell_attrs = {"style": style, "vertex": "1", "parent": parent_id}
    link = page_url(link_base, item.link) if item.link is not None and link_base else None
    if link is not None:
        holder = ET.SubElement(
            root, "UserObject", attrib={"id": ids[item.key], "label": label, "link": link}
        )
        cell = ET.SubElement(holder, "mxCell", attrib=cell_attrs)
    else:
        cell_attrs |= {"id": ids[item.key], "value": label}
        cell = ET.SubElement(root, "mxCell", attrib=cell_attrs)
    geometry = {"x": f"{rect.x:.0f}", "y": f"{rect.y:.0f}", "as": "geometry"}
    geometry |= {"width": f"{rect.w:.0f}", "height": f"{rect.h:.0f}"}
    ET.SubElement(cell, "mxGeometry", attrib=geometry)


def _edge(root: ET.Element, number: int, ids: dict[str, str], edge: Edge) -> None:
    colour = SAFETY_COLOUR if edge.safety else FLOW_COLOUR
    style = f"html=1;rounded=1;strokeColor={colour};fontColor={colour};fontSize=10;"
    if edge.style == "uses":
        style += "dashed=1;strokeColor=#6b7a8f;endArrow=open;"
    elif edge.style == "exposes":
        style += "dashed=1;dashPattern=1 3;endArrow=none;"
    else:
        style += "endArrow=classic;" + ("startArrow=classic;" if edge.two_way else "")
        style += "strokeWidth=2;" if edge.safety else ""
    text = edge.label + (" (safety)" if edge.safety else "")
    attrs = {"id": f"e{number}", "value": _esc(text) if edge.style != "exposes" else ""}
    attrs |= {"style": style, "edge": "1", "parent": "1"}
    attrs |= {"source": ids[edge.source], "target": ids[edge.target]}
    cell = ET.SubElement(root, "mxCell", attrib=attrs)
    ET.SubElement(cell, "mxGeometry", attrib={"relative": "1", "as": "geometry"})


def graphviz_layout(view: View) -> dict[str, Rect] | None:
    """Where Graphviz places each box and group (top-left origin, points); ``None`` when the
    layout fails (the grid is used then)."""
    try:
        data = json.loads(lay_out(view, None, "json"))
    except (LayoutError, ValueError):
        return None
    names = Names.of(view)
    by_name = {v: k for k, v in names.boxes.items()}
    by_name |= {f"cluster_{v}": k for k, v in names.groups.items()}
    try:
        height = float(str(data["bb"]).split(",")[3])
        out: dict[str, Rect] = {}
        for obj in data.get("objects", []):
            key = by_name.get(obj.get("name", ""))
            if key is None:
                continue
            if "bb" in obj:
                x1, y1, x2, y2 = (float(v) for v in obj["bb"].split(","))
                out[key] = Rect(x1, height - y2, x2 - x1, y2 - y1)
            else:
                x, y = (float(v) for v in obj["pos"].split(","))
                w = float(obj["width"]) * _POINTS_PER_INCH
                h = float(obj["height"]) * _POINTS_PER_INCH
                out[key] = Rect(x - w / 2, height - y - h / 2, w, h)
    except (KeyError, ValueError, IndexError, TypeError):
        return None
    return out if len(out) == len(view.boxes) + len(view.groups) else None


def grid_layout(view: View) -> dict[str, Rect]:
    """A plain layout without Graphviz: each group holds its members in rows of four."""
    out: dict[str, Rect] = {}
    _place(view, None, 0.0, 0.0, out)
    return out


def _place(
    view: View, parent: str | None, x0: float, y0: float, out: dict[str, Rect]
) -> tuple[float, float]:
    """Lay out what ``parent`` holds from (x0, y0); return the size used."""
    members: list[tuple[str, bool]] = [(b.key, False) for b in view.boxes if b.group == parent]
    members += [(g.key, True) for g in view.groups if g.parent == parent]
    x, y, row_h, width = x0, y0, 0.0, 0.0
    for index, (key, is_group) in enumerate(members):
        if index and index % 4 == 0:
            x, y, row_h = x0, y + row_h + _GAP, 0.0
        if is_group:
            w, h = _place(view, key, x + _PAD, y + _HEAD, out)
            w, h = max(w + 2 * _PAD, _BOX_W + 2 * _PAD), max(h + _HEAD + _PAD, _BOX_H + _HEAD)
        else:
            w, h = _BOX_W, _BOX_H
        out[key] = Rect(x, y, w, h)
        x += w + _GAP
        row_h = max(row_h, h)
        width = max(width, x - x0 - _GAP)
    return width, (y - y0 + row_h) if members else 0.0
