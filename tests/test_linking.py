"""The linking stage: every link field of every item resolved against the model."""

from __future__ import annotations

import pytest
from helpers import DEFAULT_CONFIG

from medtrace.config import validate
from medtrace.linking import link_items
from medtrace.model import Item, Link

pytestmark = pytest.mark.verifies("SRS-7")


def item(id: str, kind: str, **fields: object) -> Item:
    return Item(id, kind, title=id, fields=dict(fields))


def test_links_are_resolved_in_both_directions() -> None:
    items = [
        item("SYS-1", "system-requirement"),
        item("pump", "software-item", **{"class": "C"}),
        item("RISK-1", "risk", item="pump"),
        item("SRS-1", "software-requirement", parents=["SYS-1"], item="pump", controls="RISK-1"),
    ]
    model = link_items(items, DEFAULT_CONFIG)
    assert model.outgoing["SRS-1"] == [
        Link("SRS-1", "parents", "SYS-1", True),
        Link("SRS-1", "item", "pump", True),
        Link("SRS-1", "controls", "RISK-1", True),
    ]
    assert [k.source for k in model.incoming["pump"]] == ["RISK-1", "SRS-1"]
    assert [i.id for i in model.targets("SRS-1", "controls")] == ["RISK-1"]
    assert [i.id for i in model.sources("SYS-1", "parents")] == ["SRS-1"]


def test_unresolved_links_are_kept() -> None:
    model = link_items([item("SRS-1", "software-requirement", parents=["SYS-404"])], DEFAULT_CONFIG)
    assert model.outgoing["SRS-1"] == [Link("SRS-1", "parents", "SYS-404", False)]
    assert "SYS-404" not in model.incoming


def test_values_that_are_not_ids_are_skipped() -> None:
    items = [
        item("SYS-1", "system-requirement"),
        item("SRS-1", "software-requirement", parents=["SYS-1", 42, None, ["x"]], item={"a": 1}),
    ]
    model = link_items(items, DEFAULT_CONFIG)
    assert model.outgoing["SRS-1"] == [Link("SRS-1", "parents", "SYS-1", True)]


def test_only_link_fields_make_links() -> None:
    items = [item("SYS-1", "system-requirement", rationale="SYS-1")]
    assert dict(link_items(items, DEFAULT_CONFIG).outgoing) == {}


def test_an_item_without_links_has_no_outgoing_entry() -> None:
    model = link_items([item("SYS-1", "system-requirement")], DEFAULT_CONFIG)
    assert "SYS-1" not in model.outgoing


def test_links_of_a_duplicate_are_not_linked() -> None:
    items = [
        item("SYS-1", "system-requirement"),
        item("SRS-1", "software-requirement"),
        item("SRS-1", "software-requirement", parents=["SYS-1"]),
    ]
    model = link_items(items, DEFAULT_CONFIG)
    assert [i.id for i in model.duplicates] == ["SRS-1"]
    assert "SRS-1" not in model.outgoing


def test_links_to_a_duplicated_id_resolve_to_the_first() -> None:
    first = item("SYS-1", "system-requirement")
    items = [
        first,
        item("SYS-1", "system-requirement"),
        item("SRS-1", "software-requirement", parents="SYS-1"),
    ]
    model = link_items(items, DEFAULT_CONFIG)
    assert list(model.targets("SRS-1", "parents")) == [first]


def test_a_renamed_field_links_by_its_role() -> None:
    config = validate(
        {
            "project": {"class": "B"},
            "kinds": {"software-requirement": {"fields": {"parents": {"name": "derived_from"}}}},
        }
    )
    items = [
        item("SYS-1", "system-requirement"),
        item("SRS-1", "software-requirement", parents=["SYS-1"]),
    ]
    model = link_items(items, config)
    assert model.outgoing["SRS-1"] == [Link("SRS-1", "parents", "SYS-1", True)]


def test_a_link_field_of_any_kind() -> None:
    items = [item("SYS-1", "system-requirement"), item("ANOM-1", "anomaly", related=["SYS-1"])]
    model = link_items(items, DEFAULT_CONFIG)
    assert model.outgoing["ANOM-1"] == [Link("ANOM-1", "related", "SYS-1", True)]
