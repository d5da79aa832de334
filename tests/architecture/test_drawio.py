"""draw.io placement: Graphviz's layout when installed, a grid otherwise; groups hold their
members (draw.io containers: a child's position is relative to its group) and nothing
overlaps."""

from __future__ import annotations

import shutil

import pytest

from medtrace.architecture import Architecture, View, build_view
from medtrace.render.arch.drawio import Rect, graphviz_layout, grid_layout

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
