"""draw.io placement: Graphviz's layout when installed, a grid otherwise; groups hold their
members (draw.io containers: a child's position is relative to its group) and nothing
overlaps. The file has the structure draw.io reads: ``mxfile/diagram/mxGraphModel/root`` with
the two root cells, unique cell ids, existing parents, a geometry for every vertex, and a
source and a target that are vertices for every edge."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from lxml import etree

from medtrace.architecture import Architecture, View, build_view, view_names
from medtrace.render.arch import FORMATS
from medtrace.render.arch.drawio import Rect, graphviz_layout, grid_layout

from .conftest import models

pytestmark = pytest.mark.verifies("SRS-147")


def _check(view: View, rects: dict[str, Rect]) -> None:
    assert set(rects) == {b.key for b in view.boxes} | {g.key for g in view.groups}
    parents = {b.key: b.group for b in view.boxes} | {g.key: g.parent for g in view.groups}
    for key, parent in parents.items():
        if parent is not None:
            outer, inner = rects[parent], rects[key]
            assert outer.x <= inner.x and inner.x + inner.w <= outer.x + outer.w, (key, parent)
            assert outer.y <= inner.y and inner.y + inner.h <= outer.y + outer.h, (key, parent)
    siblings: dict[str | None, list[str]] = {}
    for key, parent in parents.items():
        siblings.setdefault(parent, []).append(key)
    for keys in siblings.values():
        for i, a in enumerate(keys):
            for b in keys[i + 1 :]:
                ra, rb = rects[a], rects[b]
                apart = (
                    ra.x + ra.w <= rb.x
                    or rb.x + rb.w <= ra.x
                    or ra.y + ra.h <= rb.y
                    or rb.y + rb.h <= ra.y
                )
                assert apart, (a, b)


@pytest.mark.parametrize("name", ["system", "phone-app"])
def test_the_grid_without_graphviz(example: Architecture, name: str) -> None:
    view = build_view(example, name)
    _check(view, grid_layout(view))


@pytest.mark.skipif(shutil.which("dot") is None, reason="Graphviz is not installed")
@pytest.mark.parametrize("name", ["system", "phone-app"])
def test_the_graphviz_layout(example: Architecture, name: str) -> None:
    view = build_view(example, name)
    rects = graphviz_layout(view)
    assert rects is not None
    _check(view, rects)


def _cells(xml: str) -> list[etree._Element]:
    """The mxCells of the one diagram (a cell wrapped in a UserObject, for its link, too)."""
    tree = etree.fromstring(xml.encode("utf-8"))
    assert tree.tag == "mxfile"
    roots = tree.findall("./diagram/mxGraphModel/root")
    assert len(roots) == 1
    cells = [c if c.tag == "mxCell" else c.find("mxCell") for c in roots[0]]
    assert all(c is not None for c in cells)
    return [c for c in cells if c is not None]


def _id(cell: etree._Element) -> str:
    holder = cell.getparent()
    own = cell.get("id") or (holder.get("id") if holder is not None else None)
    assert own, etree.tostring(cell)
    return str(own)


@pytest.mark.verifies("SRS-191")
def test_drawio_is_a_graph_model_draw_io_reads(tmp_path: Path) -> None:
    checked = 0
    for model, arch in models(tmp_path):
        for name in view_names(arch):
            view = build_view(arch, name)
            cells = _cells(FORMATS["drawio"].render(view, "items/"))
            ids = [_id(c) for c in cells]
            assert len(ids) == len(set(ids)), (model, name)
            assert ids[:2] == ["0", "1"] and cells[1].get("parent") == "0"
            vertices = {_id(c) for c in cells if c.get("vertex") == "1"}
            edges = [c for c in cells if c.get("edge") == "1"]
            assert len(vertices) == len(view.boxes) + len(view.groups), (model, name)
            assert len(edges) == len(view.edges), (model, name)
            for cell in cells[1:]:
                assert cell.get("parent") in ids, (model, name, _id(cell))
            for cell in cells:
                geometry = cell.find("mxGeometry")
                if cell.get("vertex") == "1":
                    assert geometry is not None and geometry.get("as") == "geometry"
                    assert float(geometry.get("width", "0")) > 0
                    assert float(geometry.get("height", "0")) > 0
                if cell.get("edge") == "1":
                    assert cell.get("source") in vertices and cell.get("target") in vertices
                    assert geometry is not None and geometry.get("relative") == "1"
            checked += 1
    assert checked >= 7
