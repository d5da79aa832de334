"""The model: items by ID, duplicates kept aside, links forward and backward."""

from __future__ import annotations

import pytest

from medtrace.model import Item, Link, Model

pytestmark = pytest.mark.verifies("SRS-7")


def item(id: str, kind: str = "software-requirement", **fields: object) -> Item:
    return Item(id, kind, title=id, fields=dict(fields), path=f"docs/{id}.md", line=1)


def test_add_and_get() -> None:
    model = Model()
    assert model.add(item("SRS-1"))
    assert model.add(item("SYS-1", "system-requirement"))
    assert len(model) == 2
    assert [i.id for i in model] == ["SRS-1", "SYS-1"]
    assert model.get("SRS-1") is model.items["SRS-1"]
    assert model.get("SRS-9") is None
    assert [i.id for i in model.of_kind("system-requirement")] == ["SYS-1"]
    assert model.of_kind("risk") == []


def test_a_duplicate_id_keeps_the_first_item() -> None:
    model = Model()
    first, second = item("SRS-1"), item("SRS-1")
    assert model.add(first)
    assert not model.add(second)
    assert model.items["SRS-1"] is first
    assert model.duplicates == [second]
    assert len(model) == 1
    assert model.of_kind("software-requirement") == [first]


def test_links_forward_and_backward() -> None:
    model = Model()
    for i in (item("SRS-1"), item("SRS-2"), item("SYS-1", "system-requirement")):
        model.add(i)
    model.link(Link("SRS-1", "parents", "SYS-1", True))
    model.link(Link("SRS-2", "parents", "SYS-1", True))
    model.link(Link("SRS-2", "controls", "RISK-9", False))
    assert [t.id for t in model.targets("SRS-2", "parents")] == ["SYS-1"]
    assert list(model.targets("SRS-2", "controls")) == [], "unresolved links have no target"
    assert [s.id for s in model.sources("SYS-1")] == ["SRS-1", "SRS-2"]
    assert [s.id for s in model.sources("SYS-1", field="item")] == []
    assert [s.id for s in model.sources("SYS-1", kind="system-requirement")] == []
    assert "RISK-9" not in model.incoming, "only resolved links are backlinks"
    assert [k.target for k in model.outgoing["SRS-2"]] == ["SYS-1", "RISK-9"]


def test_item_ids_of_a_link_field() -> None:
    i = item("SRS-1", parents=["SYS-1", 3, "SYS-2", None], item="pump", controls=7)
    assert i.ids("parents") == ["SYS-1", "SYS-2"]
    assert i.ids("item") == ["pump"]
    assert i.ids("controls") == []
    assert i.ids("missing") == []
    assert i.get("item") == "pump"
    assert i.get("missing", "default") == "default"


def test_item_round_trips_through_a_tuple() -> None:
    i = Item(
        "SRS-1",
        "software-requirement",
        title="T",
        text="body",
        fields={"parents": ["SYS-1"]},
        unknown={"x": 1},
        path="docs/a.yaml",
        line=3,
        index=2,
    )
    back = Item.from_tuple(i.to_tuple())
    assert back.to_tuple() == i.to_tuple()
    assert (back.id, back.kind, back.title, back.text, back.index) == (
        "SRS-1",
        "software-requirement",
        "T",
        "body",
        2,
    )
    assert repr(back) == "Item('SRS-1', 'software-requirement', path='docs/a.yaml', line=3)"


def test_item_defaults() -> None:
    i = Item("SYS-1", "system-requirement")
    assert (i.title, i.text, i.fields, i.unknown, i.path, i.line, i.index) == (
        "",
        "",
        {},
        {},
        "",
        0,
        0,
    )
