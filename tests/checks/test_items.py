"""MT013 item-class-missing, MT014 item-class-rationale and MT015 requirement-unallocated."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers import findings, run_check, write_project

from medtrace.diagnostics import Severity

pytestmark = pytest.mark.verifies("SRS-11", "SRS-12")

# --- MT013 item-class-missing ------------------------------------------------------------------


def test_a_software_item_without_a_class(tmp_path: Path) -> None:
    write_project(
        tmp_path,
        {
            "docs/items.yaml": """
                kind: software-item
                items:
                  - {id: app, title: App, class: B}
                  - id: sync
                    title: Sync
                """
        },
        cls="B",
    )
    (d,) = findings(tmp_path, "MT013")
    assert (d.rule, d.path, d.line, d.item) == ("item-class-missing", "docs/items.yaml", 4, "sync")
    assert d.found == "software item sync has no safety class"
    assert d.expected == "'class: A', 'B' or 'C' (IEC 62304 4.3)"
    assert (
        d.hint == "Add 'class:' with the class and a 'rationale:'; the software system is class B."
    )


@pytest.mark.parametrize("cls", ["A", "B", "C"])
def test_item_class_is_required_in_every_class(tmp_path: Path, cls: str) -> None:
    write_project(
        tmp_path, {"docs/i.yaml": "- {id: app, kind: software-item, title: App}\n"}, cls=cls
    )
    assert len(findings(tmp_path, "MT013")) == 1


def test_the_class_field_under_its_renamed_name(tmp_path: Path) -> None:
    config = '[project]\nclass = "A"\n[kinds.software-item.fields.class]\nname = "safety_class"\n'
    write_project(
        tmp_path,
        {
            "docs/i.yaml": "- {id: a, kind: software-item, title: A, safety_class: A}\n- {id: b, kind: software-item, title: B}\n"
        },
        config=config,
    )
    (d,) = findings(tmp_path, "MT013")
    assert d.item == "b"
    assert d.expected == "'safety_class: A', 'B' or 'C' (IEC 62304 4.3)"


# --- MT014 item-class-rationale -----------------------------------------------------------------


def rationale(tmp_path: Path, items: str, cls: str = "C") -> list[str]:
    write_project(tmp_path, {"docs/items.yaml": "kind: software-item\nitems:\n" + items}, cls=cls)
    return [d.found for d in findings(tmp_path, "MT014")]


def test_an_item_below_the_system_class_needs_segregation(tmp_path: Path) -> None:
    found = rationale(tmp_path, "  - {id: logs, title: Logs, class: A}\n")
    assert found == [
        "software item logs is class A, below the software system (class C), "
        "with no segregation rationale"
    ]
    (d,) = findings(tmp_path, "MT014")
    assert (d.rule, d.line, d.item) == ("item-class-rationale", 3, "logs")
    assert d.expected.startswith("a 'segregation' field saying how it is segregated")
    assert "IEC 62304 4.3 d, 5.3.5" in d.expected
    assert "raise the class" in d.hint


def test_segregation_described(tmp_path: Path) -> None:
    items = "  - {id: logs, title: Logs, class: A, segregation: separate process without write access}\n"
    assert rationale(tmp_path, items) == []


@pytest.mark.parametrize("own", ["C", "B"])
def test_same_or_higher_class_needs_nothing(tmp_path: Path, own: str) -> None:
    assert rationale(tmp_path, f"  - {{id: core, title: Core, class: {own}}}\n", cls="B") == []


def test_below_the_parent_item(tmp_path: Path) -> None:
    items = (
        "  - {id: pump, title: Pump, class: C}\n"
        "  - {id: display, title: Display, class: B, parent: pump}\n"
    )
    assert rationale(tmp_path, items, cls="C") == [
        "software item display is class B, below its parent pump (class C), "
        "with no segregation rationale"
    ]


def test_relative_to_the_parent_not_the_system(tmp_path: Path) -> None:
    items = (
        "  - {id: ui, title: UI, class: B, segregation: runs on a separate processor}\n"
        "  - {id: widgets, title: Widgets, class: B, parent: ui}\n"
    )
    assert rationale(tmp_path, items, cls="C") == [], "widgets is not below its parent"


def test_the_parent_class_may_be_inherited(tmp_path: Path) -> None:
    items = (
        "  - {id: top, title: Top, class: C}\n"
        "  - {id: mid, title: Mid, parent: top}\n"
        "  - {id: leaf, title: Leaf, class: A, parent: mid}\n"
    )
    assert rationale(tmp_path, items, cls="B") == [
        "software item leaf is class A, below its parent mid (class C), "
        "with no segregation rationale"
    ]


def test_an_invalid_class_is_left_to_field_invalid(tmp_path: Path) -> None:
    assert rationale(tmp_path, "  - {id: x, title: X, class: D}\n") == []
    assert len(findings(tmp_path, "MT008")) == 1


# --- MT015 requirement-unallocated --------------------------------------------------------------

REQS = {
    "docs/items.yaml": "- {id: app, kind: software-item, title: App, class: B}\n",
    "docs/reqs.yaml": """
        - {id: SRS-1, title: allocated, type: functional, item: app}
        - {id: SRS-2, title: not allocated, type: functional}
        """,
}


@pytest.mark.parametrize(("cls", "fires"), [("A", False), ("B", True), ("C", True)])
def test_unallocated_requirements_in_class_b_and_c_only(
    tmp_path: Path, cls: str, fires: bool
) -> None:
    write_project(tmp_path, REQS, cls=cls)
    found = findings(tmp_path, "MT015")
    assert [d.item for d in found] == (["SRS-2"] if fires else [])


def test_unallocated_message(tmp_path: Path) -> None:
    write_project(tmp_path, REQS, cls="C")
    (d,) = findings(tmp_path, "MT015")
    assert (d.rule, d.severity, d.path, d.line) == (
        "requirement-unallocated",
        Severity.ERROR,
        "docs/reqs.yaml",
        2,
    )
    assert d.found == "software requirement SRS-2 is not allocated to a software item"
    assert d.expected == "'item:' naming the software item that implements it (IEC 62304 5.3.1)"
    assert d.hint == "Add 'item: <software item>'."


def test_unallocated_under_a_renamed_field(tmp_path: Path) -> None:
    config = (
        '[project]\nclass = "B"\n[kinds.software-requirement.fields.item]\nname = "component"\n'
    )
    write_project(tmp_path, {"docs/SRS-1.md": "---\ntitle: t\ntype: data\n---\n"}, config=config)
    (d,) = findings(tmp_path, "MT015")
    assert d.hint == "Add 'component: <software item>'."


def test_an_override_turns_it_on_in_class_a(tmp_path: Path) -> None:
    write_project(tmp_path, REQS, cls="A", rules={"requirement-unallocated": "warning"})
    (d,) = findings(tmp_path, "MT015")
    assert d.severity is Severity.WARNING


def test_an_override_turns_it_off(tmp_path: Path) -> None:
    write_project(tmp_path, REQS, cls="B", rules={"MT015": "off"})
    assert findings(tmp_path, "MT015") == []


@pytest.mark.verifies("SRS-67")
def test_a_class_of_the_wrong_shape_is_one_finding_not_two(tmp_path: Path) -> None:
    items = (
        "- {id: system, kind: software-item, title: S, class: C}\n"
        "- {id: pump, kind: software-item, title: P, class: [], parent: system}\n"
    )
    write_project(tmp_path, {"docs/i.yaml": items}, cls="C")
    result = run_check(tmp_path)
    about_pump = [(d.code, d.found) for d in result.diagnostics if d.item == "pump"]
    assert about_pump == [("MT008", "'class' of pump is an empty list")]
