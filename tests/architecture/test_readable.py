"""The system view stays readable at 40 boxes and 80 flows, on each of the twelve generated
models of ``bench/arch/generate.py`` (``SEEDS``): its SVG geometry is read back and checked (no
two boxes overlap, every box in its environment and out of the others, every text inside the
canvas, clear of the boxes it does not belong to, and at least 10 points; a flow's label is a
node of its own, class ``flowlabel``, and never covers a box)."""

from __future__ import annotations

import re
import shutil
from dataclasses import dataclass

import pytest
from helpers import load
from lxml import etree

from medtrace.architecture import build_architecture, build_view
from medtrace.architecture.graphviz import Names
from medtrace.render.arch import FORMATS

from .conftest import dense_generator

pytestmark = [
    pytest.mark.verifies("SRS-148", "SRS-190"),
    pytest.mark.skipif(shutil.which("dot") is None, reason="Graphviz is not installed"),
]

SVG = "{http://www.w3.org/2000/svg}"
_NUMBER = re.compile(r"-?\d+(?:\.\d+)?")


@dataclass(frozen=True)
class Rect:
    x1: float
    y1: float
    x2: float
    y2: float

    def overlaps(self, other: Rect, tolerance: float = 0.5) -> bool:
        return (
            self.x1 < other.x2 - tolerance
            and other.x1 < self.x2 - tolerance
            and self.y1 < other.y2 - tolerance
            and other.y1 < self.y2 - tolerance
        )

    def holds(self, other: Rect) -> bool:
        return (
            self.x1 <= other.x1
            and self.y1 <= other.y1
            and other.x2 <= self.x2
            and other.y2 <= self.y2
        )


def _shape(group: etree._Element) -> Rect:
    """The bounding box of a node's or cluster's outline (its first polygon or path)."""
    shape = next(e for e in group.iter(f"{SVG}polygon", f"{SVG}path"))
    raw = shape.get("points") or shape.get("d") or ""
    values = [float(v) for v in _NUMBER.findall(raw)]
    xs, ys = values[0::2], values[1::2]
    return Rect(min(xs), min(ys), max(xs), max(ys))


def _text_box(text: etree._Element) -> Rect:
    size = float(text.get("font-size", "14"))
    x, y = float(text.get("x", "0")), float(text.get("y", "0"))
    width = len(text.text or "") * size * 0.55
    anchor = text.get("text-anchor", "start")
    left = {"start": x, "middle": x - width / 2, "end": x - width}[anchor]
    return Rect(left, y - size * 0.8, left + width, y + size * 0.2)


GENERATED = dense_generator()


@pytest.fixture(scope="module", params=GENERATED.SEEDS, ids=lambda seed: f"seed{seed}")
def geometry(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> dict[str, object]:
    root = GENERATED.write_model(tmp_path_factory.mktemp("dense"), seed=request.param)
    arch = build_architecture(load(root).model)
    view = build_view(arch, "system")
    assert len(view.boxes) == 40 and len(view.edges) == 80
    svg = FORMATS["svg"].render(view, "items/")
    tree = etree.fromstring(svg.encode("utf-8"))
    names = Names.of(view)
    by_name = {v: k for k, v in names.boxes.items()} | {"legend": "legend"}
    clusters = {f"cluster_{v}": k for k, v in names.groups.items()}
    boxes: dict[str, Rect] = {}
    groups: dict[str, Rect] = {}
    labels: list[tuple[str, Rect, str]] = []
    for g in tree.iter(f"{SVG}g"):
        kind, title = g.get("class"), g.findtext(f"{SVG}title")
        kind = "flow" if kind == "node flowlabel" else kind  # a flow's label, a node of its own
        if kind == "node" and title in by_name:
            boxes[by_name[title]] = _shape(g) if title != "legend" else _legend(g)
        elif kind == "cluster" and title in clusters:
            groups[clusters[title]] = _shape(g)
        texts = g.iter(f"{SVG}text") if kind in ("node", "edge", "cluster", "flow") else ()
        texts = g.findall(f"{SVG}text") if kind == "graph" else texts
        for text in texts:
            labels.append((kind or "", _text_box(text), text.get("font-size", "14")))
    width, height = (float(v) for v in tree.get("viewBox", "").split()[2:])
    translate = tree.find(f"{SVG}g").get("transform", "")
    tx, ty = (float(v) for v in re.findall(r"translate\(([-\d.]+) ([-\d.]+)\)", translate)[0])
    return {
        "view": view,
        "boxes": boxes,
        "groups": groups,
        "labels": labels,
        "canvas": Rect(-tx, -ty, width - tx, height - ty),
    }


def _legend(g: etree._Element) -> Rect:
    texts = [_text_box(t) for t in g.iter(f"{SVG}text")]
    return Rect(
        min(t.x1 for t in texts),
        min(t.y1 for t in texts),
        max(t.x2 for t in texts),
        max(t.y2 for t in texts),
    )


def test_every_box_and_environment_is_drawn(geometry: dict[str, object]) -> None:
    boxes, groups = geometry["boxes"], geometry["groups"]
    assert isinstance(boxes, dict) and isinstance(groups, dict)
    assert len(boxes) == 41  # 40 and the legend
    assert set(groups) == {"phone", "cloud", "cluster", "device", "browser"}


def test_no_two_boxes_overlap(geometry: dict[str, object]) -> None:
    boxes = geometry["boxes"]
    assert isinstance(boxes, dict)
    items = sorted(boxes.items())
    overlaps = [
        (a, b) for i, (a, ra) in enumerate(items) for b, rb in items[i + 1 :] if ra.overlaps(rb)
    ]
    assert overlaps == []


def test_boxes_are_in_their_environment_and_out_of_the_others(geometry: dict[str, object]) -> None:
    view, boxes, groups = geometry["view"], geometry["boxes"], geometry["groups"]
    assert isinstance(boxes, dict) and isinstance(groups, dict)
    parents = {g.key: g.parent for g in view.groups}  # type: ignore[attr-defined]
    for box in view.boxes:  # type: ignore[attr-defined]
        chain, env = [], box.group
        while env is not None:
            chain.append(env)
            env = parents[env]
        for key, rect in groups.items():
            if key in chain:
                assert rect.holds(boxes[box.key]), (box.key, key)
            else:
                assert not rect.overlaps(boxes[box.key]), (box.key, key)


def test_every_text_is_legible_inside_the_canvas_and_off_other_boxes(
    geometry: dict[str, object],
) -> None:
    labels, canvas, boxes = geometry["labels"], geometry["canvas"], geometry["boxes"]
    assert isinstance(labels, list) and isinstance(canvas, Rect) and isinstance(boxes, dict)
    assert len([k for k, _, _ in labels if k == "flow"]) >= 80
    for kind, rect, size in labels:
        assert float(size) >= 10, (kind, size)
        assert canvas.holds(rect), (kind, rect)
        if kind in ("edge", "flow"):  # a flow's label never covers a box
            covered = [k for k, r in boxes.items() if r.overlaps(rect, tolerance=1.0)]
            assert covered == [], (rect, [(k, boxes[k]) for k in covered])
