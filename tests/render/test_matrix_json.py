"""The JSON matrix: every view and the raw trace, read back with json.loads."""

from __future__ import annotations

import json

import pytest

from medtrace.model import Item
from medtrace.render.matrix import MARKER, render_matrix
from medtrace.render.matrix.jsondoc import LAYOUT
from medtrace.results import Outcome, TestResult
from medtrace.tracing import CodeRef, ItemTrace, Status, TestRef
from medtrace.tracing.matrix import Matrix, View

pytestmark = pytest.mark.verifies("SRS-23")


def sample() -> Matrix:
    failed = TestResult(
        "s", "", "test_a", None, None, Outcome.FAILED, "boom", 0.5, (), "r.xml", 4, None
    )
    test = TestRef("t.py::test_a", "test_a", "t.py", 3, "python", ["SRS-1"], [failed])
    entry = ItemTrace(
        Item("SRS-1", "software-requirement", title="Dosé <max>"), status=Status.FAILING
    )
    entry.code.append(CodeRef("src/a.py", 7, "clamp", 6, "python"))
    entry.tests.append(test)
    entry.manual.append(Item("TC-1", "test-case", title="Manual", fields={"result": "pass"}))
    view = View(
        "requirements",
        "Software requirements (forward)",
        ("ID", "Title", "Status"),
        [
            (
                "SRS-1",
                (((("SRS-1", "SRS-1"),), None), "Dosé <max>", ((("failing", None),), "failing")),
            )
        ],
    )
    return Matrix("Pump", "C", [view], [entry], [test])


def test_document() -> None:
    doc = json.loads(render_matrix("json", sample()))
    assert MARKER in doc["generator"]
    assert (doc["project"], doc["class"]) == ("Pump", "C")
    assert doc["layout"] == LAYOUT


def test_views_rows_and_cells() -> None:
    (view,) = json.loads(render_matrix("json", sample()))["views"]
    assert view["name"] == "requirements" and view["columns"] == ["ID", "Title", "Status"]
    key, cells = view["rows"][0]
    assert key == "SRS-1"
    assert cells[0] == [[["SRS-1", "SRS-1"]], None]
    assert cells[1] == "Dosé <max>"  # not escaped: JSON is data
    assert cells[2] == [[["failing", None]], "failing"]


def test_raw_trace() -> None:
    trace = json.loads(render_matrix("json", sample()))["trace"]
    assert trace["items"] == [
        {
            "id": "SRS-1",
            "kind": "software-requirement",
            "title": "Dosé <max>",
            "status": "failing",
            "missing": [],
            "code": [{"path": "src/a.py", "line": 7, "symbol": "clamp", "symbol_line": 6}],
            "tests": ["t.py::test_a"],
            "manual": [{"id": "TC-1", "result": "pass"}],
        }
    ]
    (test,) = trace["tests"]
    assert test["key"] == "t.py::test_a" and test["outcome"] == "failed"
    assert test["verifies"] == ["SRS-1"]
    assert test["results"] == [
        {
            "outcome": "failed",
            "message": "boom",
            "time": 0.5,
            "source": "r.xml",
            "source_line": 4,
            "flaky": False,
        }
    ]
