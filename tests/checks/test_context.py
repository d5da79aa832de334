"""What rules see: the class that applies to an item, the closest ID, field names, locations."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers import load, write_project

from medtrace.checks import Context
from medtrace.loading import Locator

pytestmark = pytest.mark.verifies("SRS-10", "SRS-11")


def ctx(
    tmp_path: Path, files: dict[str, str], cls: str = "B", config: str | None = None
) -> Context:
    write_project(tmp_path, files, cls=cls, config=config)
    project = load(tmp_path)
    return Context(project.config, project.model, Locator(tmp_path))


ITEMS = {
    "docs/items.yaml": """
        kind: software-item
        items:
          - {id: system, title: S, class: C}
          - {id: child, title: C, parent: system}
          - {id: grandchild, title: G, parent: child}
          - {id: low, title: L, class: A, parent: system}
          - {id: orphan, title: O}
          - {id: bad, title: B, class: D}
          - {id: loop-a, title: A, parent: loop-b}
          - {id: loop-b, title: B, parent: loop-a}
        """,
    "docs/reqs.yaml": """
        - {id: SRS-1, title: t, item: low}
        - {id: SRS-2, title: t, item: grandchild}
        - {id: SRS-3, title: t}
        - {id: SRS-4, title: t, item: missing}
        - {id: SRS-5, title: t, item: SRS-1}
        """,
}


def test_the_class_of_software_items(tmp_path: Path) -> None:
    c = ctx(tmp_path, ITEMS, cls="B")
    classes = {
        i: c.item_class(c.model.items[i])
        for i in ("system", "child", "grandchild", "low", "orphan", "bad")
    }
    assert classes == {
        "system": "C",
        "child": "C",
        "grandchild": "C",
        "low": "A",
        "orphan": "B",
        "bad": "B",
    }


def test_a_parent_loop_ends_at_the_system_class(tmp_path: Path) -> None:
    c = ctx(tmp_path, ITEMS, cls="A")
    assert c.item_class(c.model.items["loop-a"]) == "A"


def test_the_class_of_a_requirement_is_its_items(tmp_path: Path) -> None:
    c = ctx(tmp_path, ITEMS, cls="B")
    classes = {
        i: c.item_class(c.model.items[i]) for i in ("SRS-1", "SRS-2", "SRS-3", "SRS-4", "SRS-5")
    }
    assert classes == {"SRS-1": "A", "SRS-2": "C", "SRS-3": "B", "SRS-4": "B", "SRS-5": "B"}


def test_the_classes_kept_are_those_of_the_contexts_model_and_configuration(
    tmp_path: Path,
) -> None:
    c = ctx(tmp_path / "b", ITEMS, cls="B")
    ids = ("SRS-1", "SRS-2", "SRS-3", "SRS-4", "SRS-5")
    first = [c.item_class(c.model.items[i]) for i in ids]
    assert [c.item_class(c.model.items[i]) for i in ids] == first  # asked again: kept
    other = ctx(tmp_path / "a", ITEMS, cls="A")
    c.config = other.config  # another configuration: the system's class is A
    assert [c.item_class(c.model.items[i]) for i in ids] == ["A", "C", "A", "A", "A"]
    changed = {**ITEMS, "docs/items.yaml": ITEMS["docs/items.yaml"].replace("class: A, ", "")}
    c.model = ctx(tmp_path / "c", changed, cls="A").model  # another model: "low" is of class C
    assert [c.item_class(c.model.items[i]) for i in ids] == ["C", "C", "A", "A", "A"]


def test_closest_id(tmp_path: Path) -> None:
    c = ctx(tmp_path, ITEMS)
    assert c.closest_id("srs-2") == "SRS-2"
    assert c.closest_id("SRS-22", ["software-requirement"]) == "SRS-2"
    assert c.closest_id("grandchlid", ["software-item"]) == "grandchild"
    assert c.closest_id("grandchlid", ["software-requirement"]) is None
    assert c.closest_id("zzzzzz") is None


def test_field_name_and_location(tmp_path: Path) -> None:
    config = (
        '[project]\nclass = "B"\n[kinds.software-requirement.fields.item]\nname = "component"\n'
    )
    c = ctx(tmp_path, {"docs/a.yaml": "- id: SRS-1\n  title: t\n  component: x\n"}, config=config)
    item = c.model.items["SRS-1"]
    assert c.field_name(item, "item") == "component"
    assert c.field_name(item, "not-a-field") == "not-a-field"
    assert c.at(item) == {"path": "docs/a.yaml", "line": 1, "item": "SRS-1"}
    assert c.at(item, "item") == {"path": "docs/a.yaml", "line": 3, "item": "SRS-1"}
