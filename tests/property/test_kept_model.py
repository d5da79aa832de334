"""Property: the model a resident server keeps (``keep_model``), updated in place when only the
items' other fields changed, is the model ``link_items`` makes of the same items, after any
sequence of edits (texts, link fields, kinds), additions, removals and duplicate IDs; and a kept
model is handed out once, only for the very items it was made of."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from helpers import DEFAULT_CONFIG
from hypothesis import given, settings
from hypothesis import strategies as st

from medtrace import linking
from medtrace.linking import keep_model, link_items, linked
from medtrace.model import Item, Model

pytestmark = pytest.mark.verifies("SRS-341")

IDS = ["SRS-1", "SRS-2", "SRS-3", "SYS-1", "SYS-2", "RISK-1"]
KINDS = {"SRS": "software-requirement", "SYS": "system-requirement", "RISK": "risk"}
#: One item's fields: a text, and link fields that may name known, unknown or odd values.
links = st.one_of(
    st.none(),
    st.sampled_from([*IDS, "SYS-9"]),
    st.lists(st.sampled_from([*IDS, "SYS-9", 3]), max_size=3),
)
fields = st.fixed_dictionaries(
    {"text": st.sampled_from(["a", "b", "c"])},
    optional={"parents": links, "controls": links, "verifies": links},
)
edits = st.lists(
    st.tuples(
        st.sampled_from(["text", "links", "kind", "add", "remove", "twin"]), st.integers(0, 9)
    ),
    min_size=1,
    max_size=8,
)


def _item(item_id: str, values: dict[str, Any], kind: str | None = None) -> Item:
    return Item(item_id, kind or KINDS[item_id.split("-")[0]], fields=dict(values))


def _edit(items: list[Item], edit: str, n: int, values: dict[str, Any]) -> list[Item]:
    """Another list: one item replaced, added or removed (unchanged items stay the same
    objects, as a resident load gives them)."""
    items = list(items)
    at = n % len(items) if items else 0
    if edit == "add" or not items:
        items.insert(at, _item(IDS[n % len(IDS)], values))
    elif edit == "remove":
        del items[at]
    elif edit == "twin":  # a second item with an ID already taken
        items.insert(at, _item(items[(n + 1) % len(items)].id, values))
    else:
        old = items[at]
        new = dict(old.fields)
        if edit == "text":
            new["text"] = values["text"] + "!"
        elif edit == "links":
            new.update({k: v for k, v in values.items() if k != "text"} or {"parents": "SYS-1"})
        kind = "software-item" if edit == "kind" else old.kind
        items[at] = _item(old.id, new, kind)
    return items


def _shape(model: Model) -> Any:
    """A model as plain values, items by identity."""
    by_kind = {kind: [id(i) for i in same] for kind, same in model.by_kind.items() if same}
    return (
        [(key, id(item)) for key, item in model.items.items()],
        [id(item) for item in model.duplicates],
        {key: list(found) for key, found in model.outgoing.items()},
        {key: list(found) for key, found in model.incoming.items()},
        by_kind,
    )


@pytest.fixture(autouse=True)
def _nothing_kept() -> Iterator[None]:
    linking._kept = None
    yield
    linking._kept = None


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(IDS), fields), max_size=6), edits, fields)
def test_the_kept_model_is_the_model_linked_again(
    start: list[tuple[str, dict[str, Any]]], steps: list[tuple[str, int]], values: dict[str, Any]
) -> None:
    items = [_item(item_id, found) for item_id, found in start]
    keep_model(items, DEFAULT_CONFIG)
    for edit, n in steps:
        items = _edit(items, edit, n, values)
        keep_model(items, DEFAULT_CONFIG)
        kept = linking._kept
        assert kept is not None
        assert _shape(kept.model) == _shape(link_items(items, DEFAULT_CONFIG))
    model = linked(items, DEFAULT_CONFIG)
    assert kept is not None and model is kept.model
    assert linked(items, DEFAULT_CONFIG) is not model  # handed out once


def test_an_edit_of_a_text_keeps_the_links_and_takes_the_new_item() -> None:
    items = [_item("SYS-1", {"text": "a"}), _item("SRS-1", {"text": "a", "parents": ["SYS-1"]})]
    keep_model(items, DEFAULT_CONFIG)
    kept = linking._kept
    assert kept is not None
    first = kept.model
    edited = [items[0], _item("SRS-1", {"text": "b", "parents": ["SYS-1"]})]
    keep_model(edited, DEFAULT_CONFIG)
    assert linking._kept is kept and kept.model is first  # updated in place
    assert first.items["SRS-1"] is edited[1]
    assert first.by_kind["software-requirement"] == [edited[1]]
    assert [link.source for link in first.incoming["SYS-1"]] == ["SRS-1"]
    relinked = [items[0], _item("SRS-1", {"text": "b", "parents": ["SYS-2"]})]
    keep_model(relinked, DEFAULT_CONFIG)
    assert linking._kept is not None and linking._kept.model is not first  # linked again


def test_other_items_or_another_order_are_linked_afresh() -> None:
    items = [_item("SYS-1", {"text": "a"}), _item("SRS-1", {"text": "a", "parents": "SYS-1"})]
    keep_model(items, DEFAULT_CONFIG)
    kept = linking._kept
    assert kept is not None
    assert linked(items[::-1], DEFAULT_CONFIG) is not kept.model
    keep_model(items, DEFAULT_CONFIG)
    equal = [_item("SYS-1", {"text": "a"}), _item("SRS-1", {"text": "a", "parents": "SYS-1"})]
    assert linked(equal, DEFAULT_CONFIG) is not kept.model  # equal values, other objects
