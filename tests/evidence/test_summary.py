"""Figures per software item: own files, rolled up to the parents, files no report measures."""

from __future__ import annotations

import pytest

from medtrace.evidence.model import Evidence, Figures, FileCoverage, Finding, MeasuredFile
from medtrace.evidence.summary import by_item

pytestmark = pytest.mark.verifies("SRS-126")


def coverage(
    path: str, lines: dict[int, int], branches: dict[int, tuple[int, int]]
) -> FileCoverage:
    return FileCoverage(path, MeasuredFile(path, lines=lines, branches=branches), ["r.xml"])


def test_own_figures_roll_up_to_every_ancestor() -> None:
    evidence = Evidence(
        coverage={
            "a/x.c": coverage("a/x.c", {1: 1, 2: 0}, {1: (1, 2)}),
            "a/b/y.c": coverage("a/b/y.c", {1: 3}, {}),
            "stray.c": coverage("stray.c", {1: 1}, {}),
        },
        findings=[Finding("gcc", "-Wx", "warning", "m", "a/b/y.c", 1, 1, "g.json")],
    )
    owners = {"a/x.c": "unit-a", "a/b/y.c": "unit-b", "a/b/z.h": "unit-b", "stray.c": None}
    parents = {"system": None, "unit-a": "system", "unit-b": "unit-a", "empty": "system"}
    found = by_item(evidence, owners, parents, sources=["a/x.c", "a/b/y.c", "a/b/z.h"])
    assert (found["unit-b"].files, found["unit-b"].unmeasured) == (["a/b/y.c"], ["a/b/z.h"])
    assert found["unit-b"].own == Figures((1, 1), (0, 0), (0, 0))
    assert found["unit-a"].own == Figures((1, 2), (1, 2), (0, 0))
    assert found["unit-a"].total == Figures((2, 3), (1, 2), (0, 0))
    assert found["system"].total == found["unit-a"].total and found["system"].measured == 2
    assert found["empty"].measured == 0 and found["empty"].total == Figures()
    assert [f.path for f in found["unit-b"].findings] == ["a/b/y.c"]


def test_a_parent_loop_ends() -> None:
    evidence = Evidence(coverage={"x.c": coverage("x.c", {1: 1}, {})})
    found = by_item(evidence, {"x.c": "a"}, {"a": "b", "b": "a"})
    assert found["b"].total.lines == (1, 1) and found["a"].total.lines == (1, 1)
