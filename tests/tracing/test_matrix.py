"""The matrix as data: views, columns, cells, filters, built from a trace made by hand."""

from __future__ import annotations

from typing import Any

import pytest

from medtrace.config.load import validate
from medtrace.errors import UsageError
from medtrace.linking import link_items
from medtrace.model import Item, Model
from medtrace.results import Outcome, TestResult
from medtrace.tracing import CodeRef, ItemTrace, Status, TestRef, Trace
from medtrace.tracing.matrix import (
    VIEWS,
    Matrix,
    Value,
    View,
    build_matrix,
    cell_parts,
    cell_status,
    cell_text,
    outcome_value,
    view_names,
)

pytestmark = pytest.mark.verifies("SRS-23")

CONFIG = validate({"project": {"name": "Pump", "class": "C"}})


def item(id: str, kind: str, title: str, **fields: Any) -> Item:
    return Item(id, kind, title=title, fields=fields, path="docs/items.yaml")


ITEMS = [
    item("SYS-1", "system-requirement", "Deliver insulin safely"),
    item("SYS-2", "system-requirement", "Keep a log"),
    item(
        "SRS-1",
        "software-requirement",
        "Refuse a bolus above the maximum",
        type="functional",
        parents=["SYS-1"],
        item="calculator",
        controls=["RISK-1"],
        control_type="protective",
    ),
    item(
        "SRS-2",
        "software-requirement",
        "Round doses down",
        type="functional",
        parents=["SRS-1", "SYS-9"],
        item="rounding",
    ),
    item("SRS-3", "software-requirement", "Log every dose", type="data", parents=["SYS-2"]),
    item(
        "SRS-10",
        "software-requirement",
        "Manual review",
        type="usability",
        item="ui",
        verification="inspection",
    ),
    item(
        "RISK-1",
        "risk",
        "Overdose",
        hazard="Too much insulin",
        harm="Hypoglycaemia",
        severity="critical",
        probability="probable",
        residual_severity="critical",
        residual_probability=1,
        item="calculator",
    ),
    item("RISK-2", "risk", "Lost log", hazard="No record", harm="Wrong therapy", item="ui"),
    item("calculator", "software-item", "Calculator", **{"class": "C"}),
    item("rounding", "software-item", "Rounding", parent="calculator", **{"class": "B"}),
    item("ui", "software-item", "User interface"),
    item("TC-1", "test-case", "Check the log", verifies=["SRS-3"], result="pass"),
]


def result(name: str, outcome: Outcome, message: str = "") -> TestResult:
    return TestResult(
        "suite", "", name, None, None, outcome, message, 0.1, (), "build/r.xml", 1, None
    )


def make_test(
    name: str, path: str, line: int, verifies: list[str], *results: TestResult
) -> TestRef:
    return TestRef(f"{path}::{name}", name, path, line, "python", verifies, list(results))


def make_trace(model: Model) -> Trace:
    trace = Trace()
    for kind in ("software-requirement", "system-requirement", "risk"):
        for i in model.of_kind(kind):
            trace.items[i.id] = ItemTrace(i)
    t1 = make_test(
        "test_max", "tests/test_calc.py", 3, ["SRS-1"], result("test_max", Outcome.PASSED)
    )
    t2 = make_test(
        "test_round",
        "tests/test_round.py",
        5,
        ["SRS-2", "RISK-1"],
        result("test_round[1]", Outcome.PASSED),
        result("test_round[2]", Outcome.FAILED, "assert 2 == 1"),
    )
    t3 = make_test("test_never_ran", "tests/test_round.py", 9, ["SRS-2"])
    t4 = make_test("test_untagged", "tests/test_misc.py", 1, [])
    trace.tests = [t1, t2, t3, t4]
    for t in trace.tests:
        for verified in t.verifies:
            trace.items[verified].tests.append(t)
    both = CodeRef("src/calc.py", 10, "clamp", 9, "python")
    trace.items["SRS-1"].code.append(both)
    trace.items["SRS-2"].code.append(both)
    trace.items["SRS-2"].code.append(CodeRef("src/round.py", 4, None, None, "python"))
    trace.items["SRS-3"].manual.append(model.items["TC-1"])
    trace.file_items = {"src/calc.py": "calculator", "src/round.py": "rounding"}
    statuses = {"SRS-1": Status.VERIFIED, "SRS-2": Status.FAILING, "SRS-3": Status.VERIFIED}
    statuses |= {"SRS-10": Status.NOT_REQUIRED, "RISK-1": Status.FAILING}
    for key, status in statuses.items():
        trace.items[key].status = status
    return trace


@pytest.fixture
def model() -> Model:
    return link_items(ITEMS, CONFIG)


@pytest.fixture
def trace(model: Model) -> Trace:
    return make_trace(model)


def matrix(model: Model, trace: Trace, **options: Any) -> Matrix:
    return build_matrix(CONFIG, model, trace, **options)


def by_key(view: View | None) -> dict[str | None, dict[str, Value]]:
    assert view is not None
    return {key: dict(zip(view.columns, cells, strict=True)) for key, cells in view.rows}


def texts(value: Value) -> list[str]:
    return [text for text, _ in cell_parts(value)]


def links(value: Value) -> list[str | None]:
    return [link for _, link in cell_parts(value)]


def test_every_view_in_order(model: Model, trace: Trace) -> None:
    m = matrix(model, trace)
    assert [v.name for v in m.views] == list(VIEWS)
    assert (m.project, m.safety_class) == ("Pump", "C")
    requirements = m.view("requirements")
    assert requirements is not None
    assert requirements.columns == (
        "ID",
        "Title",
        "Type",
        "Parents",
        "Children",
        "Risks controlled",
        "Software item",
        "Code",
        "Tests",
        "Results",
        "Manual tests",
        "Status",
    )
    assert [key for key, _ in requirements.rows] == ["SRS-1", "SRS-2", "SRS-3", "SRS-10"]


def test_requirement_row_forward(model: Model, trace: Trace) -> None:
    row = by_key(matrix(model, trace).view("requirements"))["SRS-1"]
    assert texts(row["ID"]) == ["SRS-1"] and links(row["ID"]) == ["SRS-1"]
    assert row["Title"] == "Refuse a bolus above the maximum"
    assert row["Type"] == "functional"
    assert texts(row["Parents"]) == ["SYS-1 Deliver insulin safely"]
    assert links(row["Parents"]) == ["SYS-1"]
    assert texts(row["Children"]) == ["SRS-2 Round doses down"]
    assert texts(row["Risks controlled"]) == ["RISK-1 Overdose (protective)"]
    assert texts(row["Software item"]) == ["calculator (class C)"]
    assert texts(row["Code"]) == ["src/calc.py:9 clamp"]
    assert links(row["Code"]) == ["src/calc.py:10"]
    assert texts(row["Tests"]) == ["tests/test_calc.py:3 test_max"]
    assert links(row["Tests"]) == ["tests/test_calc.py::test_max"]
    assert texts(row["Results"]) == ["1 passed", "test_max: passed"]
    assert cell_status(row["Results"]) == "passed"
    assert row["Manual tests"] == ""
    assert (cell_text(row["Status"]), cell_status(row["Status"])) == ("verified", "verified")


def test_requirement_results_counts_and_missing_parent(model: Model, trace: Trace) -> None:
    row = by_key(matrix(model, trace).view("requirements"))["SRS-2"]
    assert texts(row["Parents"]) == ["SRS-1 Refuse a bolus above the maximum", "SYS-9 (missing)"]
    assert links(row["Parents"]) == ["SRS-1", None]
    assert texts(row["Results"]) == [
        "1 failed, 1 no result",
        "test_round: failed",
        "test_never_ran: no result",
    ]
    assert links(row["Results"]) == [None, None, None]  # the tests column links the tests
    assert cell_status(row["Results"]) == "failed"
    assert texts(row["Code"]) == ["src/calc.py:9 clamp", "src/round.py:4"]
    assert cell_status(row["Status"]) == "failing"


def test_manual_tests_and_not_required(model: Model, trace: Trace) -> None:
    rows = by_key(matrix(model, trace).view("requirements"))
    assert texts(rows["SRS-3"]["Manual tests"]) == ["TC-1 Check the log: pass"]
    assert cell_status(rows["SRS-3"]["Manual tests"]) == "passed"
    assert cell_text(rows["SRS-10"]["Status"]) == "not-required"
    assert rows["SRS-10"]["Software item"] != ""  # "ui" has no class: its name alone
    assert texts(rows["SRS-10"]["Software item"]) == ["ui"]


def test_system_requirements_view(model: Model, trace: Trace) -> None:
    view = matrix(model, trace).view("system-requirements")
    assert view is not None and "Type" not in view.columns
    rows = by_key(view)
    assert texts(rows["SYS-1"]["Children"]) == ["SRS-1 Refuse a bolus above the maximum"]
    assert cell_text(rows["SYS-2"]["Status"]) == "untested"


def test_risk_row(model: Model, trace: Trace) -> None:
    row = by_key(matrix(model, trace).view("risks"))["RISK-1"]
    assert row["Hazard"] == "Too much insulin" and row["Harm"] == "Hypoglycaemia"
    assert row["Initial risk"] == "critical × probable"
    assert cell_status(row["Initial acceptability"]) == "unacceptable"
    assert texts(row["Control requirements"]) == [
        "SRS-1 Refuse a bolus above the maximum (protective)"
    ]
    # the control's tests, then the risk's own
    assert links(row["Tests"]) == [
        "tests/test_calc.py::test_max",
        "tests/test_round.py::test_round",
    ]
    assert texts(row["Results"])[0] == "1 passed, 1 failed"
    assert cell_text(row["Status"]) == "failing"  # the risk's own test failed
    assert row["Residual risk"] == "critical × improbable"  # 1 is the first level
    assert cell_text(row["Residual acceptability"]) == "acceptable"


def test_risk_without_assessment_or_controls(model: Model, trace: Trace) -> None:
    row = by_key(matrix(model, trace).view("risks"))["RISK-2"]
    assert row["Initial risk"] == "" and row["Initial acceptability"] == ""
    assert row["Control requirements"] == "" and row["Tests"] == ""
    assert cell_text(row["Status"]) == "untested"


def test_acceptability_comes_from_the_configured_matrix(model: Model, trace: Trace) -> None:
    scales = {"severity": ["low", "high"], "probability": ["rare", "often"]}
    config = validate(
        {
            "project": {"class": "C"},
            "risk": {**scales, "matrix": [["review", "review"], ["review", "acceptable"]]},
        }
    )
    risk = item("RISK-1", "risk", "Odd", hazard="h", harm="x", severity=2, probability="often")
    other = item("RISK-2", "risk", "Bad", hazard="h", harm="x", severity="huge", probability=1)
    split = item("RISK-3", "risk", "Split", hazard="h", harm="x", severity=1, p1="rare", p2="often")
    own = link_items([risk, other, split], config)
    rows = by_key(build_matrix(config, own, Trace(), kinds=["risks"]).views[0])
    assert rows["RISK-1"]["Initial risk"] == "high × often"
    assert cell_text(rows["RISK-1"]["Initial acceptability"]) == "acceptable"
    assert rows["RISK-2"]["Initial risk"] == "huge × rare"
    assert rows["RISK-2"]["Initial acceptability"] == ""  # not a level: no verdict
    assert rows["RISK-3"]["Initial risk"] == "low × P1 rare × P2 often"
    assert rows["RISK-3"]["Initial acceptability"] == ""


def test_tests_view_backward(model: Model, trace: Trace) -> None:
    view = matrix(model, trace).view("tests")
    assert view is not None
    assert view.columns == (
        "Test",
        "Location",
        "Level",
        "Verifies",
        "Parents",
        "Results",
        "Message",
    )
    rows = by_key(view)
    row = rows["tests/test_round.py::test_round"]
    assert row["Location"] == "tests/test_round.py:5"
    assert row["Level"] == "unit"  # no `@level` tag
    assert texts(row["Verifies"]) == ["SRS-2 Round doses down", "RISK-1 Overdose"]
    assert texts(row["Parents"]) == ["SRS-1", "SYS-9 (missing)"]  # IDs: the row stays narrow
    assert links(row["Parents"]) == ["SRS-1", None]
    assert (cell_text(row["Results"]), cell_status(row["Results"])) == (
        "1 passed, 1 failed",
        "failed",
    )
    assert row["Message"] == "assert 2 == 1"
    assert rows["tests/test_round.py::test_never_ran"]["Results"] == "no result"
    untagged = rows["tests/test_misc.py::test_untagged"]
    assert untagged["Verifies"] == "" and untagged["Parents"] == ""


def test_code_view_backward(model: Model, trace: Trace) -> None:
    view = matrix(model, trace).view("code")
    assert view is not None and view.columns == ("Location", "Implements", "Software item")
    assert [key for key, _ in view.rows] == ["src/calc.py:10", "src/round.py:4"]
    rows = by_key(view)
    assert texts(rows["src/calc.py:10"]["Implements"]) == ["SRS-1", "SRS-2"]
    assert links(rows["src/calc.py:10"]["Implements"]) == ["SRS-1", "SRS-2"]
    assert texts(rows["src/round.py:4"]["Software item"]) == ["rounding (class B)"]


def test_kinds_choose_views(model: Model, trace: Trace) -> None:
    m = matrix(model, trace, kinds=["tests", "software-requirement"])
    assert [v.name for v in m.views] == ["requirements", "tests"]
    assert view_names(["RISK"]) == ["risks"]
    with pytest.raises(UsageError, match="unknown view 'nope'"):
        matrix(model, trace, kinds=["nope"])


def test_item_keeps_the_item_and_its_children(model: Model, trace: Trace) -> None:
    m = matrix(model, trace, item="calculator")
    assert [k for k, _ in m.views[0].rows] == ["SRS-1", "SRS-2"]  # rounding is a child
    assert [k for k, _ in m.views[1].rows] == ["SYS-1"]  # what they derive from
    assert [k for k, _ in m.views[2].rows] == ["RISK-1"]
    assert [k for k, _ in m.views[3].rows] == [
        "tests/test_calc.py::test_max",
        "tests/test_round.py::test_round",
        "tests/test_round.py::test_never_ran",
    ]
    assert [k for k, _ in m.views[4].rows] == ["src/calc.py:10", "src/round.py:4"]
    assert {e.item.id for e in m.items} == {"SRS-1", "SRS-2", "SYS-1", "RISK-1"}
    assert len(m.tests) == 3


def test_item_of_a_leaf(model: Model, trace: Trace) -> None:
    m = matrix(model, trace, item="ui")
    assert [k for k, _ in m.views[0].rows] == ["SRS-10"]
    assert [k for k, _ in m.views[2].rows] == ["RISK-2"]
    assert m.views[3].rows == [] and m.views[4].rows == []


def test_unknown_item_is_a_usage_error_with_a_hint(model: Model, trace: Trace) -> None:
    with pytest.raises(UsageError, match="did you mean calculator"):
        matrix(model, trace, item="calculater")
    with pytest.raises(UsageError, match="no software item"):
        matrix(model, trace, item="SRS-1")


def test_only_one_view_and_anchors(model: Model, trace: Trace) -> None:
    m = matrix(model, trace)
    anchors = m.anchors()
    assert anchors["SRS-1"] == "requirements" and anchors["src/calc.py:10"] == "code"
    assert [v.name for v in m.only("tests").views] == ["tests"]
    with pytest.raises(UsageError, match="no view 'risks'"):
        matrix(model, trace, kinds=["tests"]).only("risks")


def test_outcome_matches_the_trace_model() -> None:
    cases = [
        [],
        [Outcome.PASSED],
        [Outcome.SKIPPED, Outcome.PASSED],
        [Outcome.PASSED, Outcome.FAILED],
        [Outcome.FAILED, Outcome.ERROR],
        [Outcome.SKIPPED],
    ]
    for outcomes in cases:
        ref = make_test("t", "t.py", 1, [], *(result("t", o) for o in outcomes))
        expected = ref.outcome.value if ref.outcome else None
        assert outcome_value(ref) == expected


def test_empty_project() -> None:
    m = build_matrix(CONFIG, Model(), Trace())
    assert all(v.rows == [] for v in m.views)


def test_big_trace_is_shared_not_copied() -> None:
    """Equal tests share their verifies and parents cells (the matrix stays linear in memory)."""
    items = [item("SYS-1", "system-requirement", "S")] + [
        item(f"SRS-{i}", "software-requirement", f"R{i}", parents=["SYS-1"]) for i in range(50)
    ]
    model = link_items(items, CONFIG)
    trace = Trace(items={i.id: ItemTrace(i) for i in items})
    trace.tests = [make_test(f"t{n}", "t.py", n, [f"SRS-{n % 50}"]) for n in range(5000)]
    rows = build_matrix(CONFIG, model, trace, kinds=["tests"]).views[0].rows
    assert len(rows) == 5000
    assert rows[0][1][2] is rows[50][1][2] and rows[0][1][3] is rows[50][1][3]


# --- a project's own kinds (SRS-62) --------------------------------------------------------------

OWN_KINDS = validate(
    {
        "project": {"name": "Pump", "class": "C"},
        "kinds": {
            "hardware-requirement": {
                "title": "Hardware requirement",
                "prefix": "HW",
                "fields": {
                    "parents": {"type": "links", "targets": ["system-requirement"]},
                    "controls": {"type": "links", "targets": ["hazard"]},
                    "item": {"type": "link", "targets": ["software-item"]},
                },
            },
            "hazard": {
                "prefix": "HZ",
                "fields": {
                    "severity": {"type": "scale", "scale": "severity"},
                    "probability": {"type": "scale", "scale": "probability"},
                    "item": {"type": "link", "targets": ["software-item"]},
                },
            },
        },
    }
)


@pytest.mark.verifies("SRS-62")
def test_a_projects_own_kinds_have_their_views() -> None:
    own = [
        item("SYS-1", "system-requirement", "Deliver"),
        item("HW-2", "hardware-requirement", "Watchdog", parents=["SYS-1"], controls=["HZ-1"]),
        item("HW-10", "hardware-requirement", "Brown-out", item="board"),
        item("HZ-1", "hazard", "Runaway", severity="serious", probability="remote"),
        item("board", "software-item", "Board"),
    ]
    model = link_items(own, OWN_KINDS)
    m = build_matrix(OWN_KINDS, model, Trace())
    assert [v.name for v in m.views] == [
        "requirements",
        "system-requirements",
        "hardware-requirements",
        "risks",
        "hazards",
        "tests",
        "code",
    ]
    hardware = m.view("hardware-requirements")
    assert hardware is not None
    assert hardware.title == "Hardware requirements (forward)"
    assert "Type" not in hardware.columns and "Software item" in hardware.columns
    rows = by_key(hardware)
    assert list(rows) == ["HW-2", "HW-10"]  # natural order
    assert texts(rows["HW-2"]["Risks controlled"]) == ["HZ-1 Runaway"]
    hazards = by_key(m.view("hazards"))
    assert texts(hazards["HZ-1"]["Control requirements"]) == ["HW-2 Watchdog"]
    assert cell_text(hazards["HZ-1"]["Initial acceptability"]) == "acceptable"
    assert texts(by_key(m.view("system-requirements"))["SYS-1"]["Children"]) == ["HW-2 Watchdog"]
    only = build_matrix(OWN_KINDS, model, Trace(), kinds=["hardware-requirement", "HAZARD"])
    assert [v.name for v in only.views] == ["hardware-requirements", "hazards"]
    scoped = build_matrix(OWN_KINDS, model, Trace(), item="board")
    assert list(by_key(scoped.view("hardware-requirements"))) == ["HW-10"]
    with pytest.raises(UsageError, match="hardware-requirements"):
        view_names(["hardware"], OWN_KINDS)


@pytest.mark.verifies("SRS-67")
def test_odd_ids_sort_without_an_error(model: Model) -> None:
    huge = "SRS-" + "7" * 100_000
    odd = [item(i, "software-requirement", "odd") for i in ("SRS-²", "SRS-①", huge, "SRS-0003")]
    m = build_matrix(CONFIG, link_items([*ITEMS, *odd], CONFIG), Trace(), kinds=["requirements"])
    keys = [key for key, _ in m.views[0].rows]
    assert keys.index("SRS-2") < keys.index("SRS-0003") < keys.index("SRS-10") < keys.index(huge)
    assert {"SRS-²", "SRS-①"} <= set(keys)
