"""Items made from cache records with their repeated strings shared (a resident process)."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest
from helpers import write_project
from hypothesis import given
from hypothesis import strategies as st

from medtrace.cache.codec import pack, unpack
from medtrace.config import load_config
from medtrace.loading import load_items
from medtrace.loading.shared import SHORT, shared_item
from medtrace.model import Item

pytestmark = pytest.mark.verifies("SRS-360")

_text = st.text(max_size=SHORT + 8)
_value = st.one_of(
    _text,
    st.none(),
    st.integers(-(2**63), 2**63 - 1),  # (what the cache can hold)
    st.booleans(),
    st.lists(st.one_of(_text, st.integers(0, 9), st.none()), max_size=4),
    st.dictionaries(_text, _text, max_size=2),
)
_rows = st.tuples(
    _text,
    _text,
    _text,
    _text,
    st.dictionaries(st.sampled_from(["title", "parents", "item", "type", "x"]), _value),
    st.dictionaries(_text, _value, max_size=2),
    st.dictionaries(_text, _value, max_size=2),
    _text,
    st.integers(0, 10**6),
    st.integers(0, 10**6),
)


def _decoded(row: tuple[Any, ...]) -> list[Any]:
    """``row`` as the items cache gives it back: a list of fresh objects."""
    decoded: list[Any] = unpack(pack(list(row)))
    return decoded


@given(_rows, st.booleans())
def test_a_shared_item_equals_the_item_made_from_the_same_row(
    row: tuple[Any, ...], title_in_fields: bool
) -> None:
    if title_in_fields:
        row = (*row[:4], {**row[4], "title": row[2]}, *row[5:])
    plain = Item.from_tuple(tuple(copy.deepcopy(_decoded(row))))
    shared = shared_item(_decoded(row))
    assert shared.to_tuple() == plain.to_tuple()
    assert [type(v) for v in shared.fields.values()] == [type(v) for v in plain.fields.values()]


def test_repeated_strings_are_one_object_and_long_ones_are_left_alone() -> None:
    long = "a sentence longer than the interned field values, " * 3
    rows = [
        [f"SRS-{n}", "software-requirement", f"Dose {n}", "", fields, {}, {}, f"d/SRS-{n}.md", 0, 0]
        for n, fields in enumerate(
            {"title": f"Dose {n}", "item": "pump", "parents": ["SYS-1", 7], "note": long}
            for n in range(2)
        )
    ]
    one, two = (shared_item(row) for row in _decoded(tuple(rows)))
    assert one.kind is two.kind
    assert one.fields["item"] is two.fields["item"]
    assert one.fields["parents"][0] is two.fields["parents"][0]
    assert one.fields["parents"] == two.fields["parents"] == ["SYS-1", 7]
    assert one.fields["title"] is one.title and one.title == "Dose 0"
    assert one.fields["note"] == two.fields["note"] == long
    assert one.fields["note"] is not two.fields["note"]  # (not interned: too long)


def test_a_title_that_differs_from_its_field_is_kept_as_it_is() -> None:
    row = _decoded(("SRS-1", "k", "Shown", "", {"title": "Written"}, {}, {}, "p", 0, 0))
    item = shared_item(row)
    assert (item.title, item.fields["title"]) == ("Shown", "Written")


@pytest.mark.usefixtures("resident_caches")
def test_a_resident_load_from_the_cache_shares_strings_and_equals_a_cold_load(
    tmp_path: Path,
) -> None:
    files: dict[str, str | bytes] = {
        f"docs/SRS-{n}.md": f"---\nitem: pump\nparents: [SYS-1]\n---\n# Dose {n}\n"
        for n in range(1, 4)
    }
    files["docs/sys.yaml"] = "- id: SYS-1\n  title: System\n"
    write_project(tmp_path, files)
    config = load_config(tmp_path)
    from medtrace.cache import resident

    resident._enabled = False  # a command writes the cache; the server then reads it
    load_items(config)
    resident._enabled = True
    served = load_items(config)
    cold = load_items(config, use_cache=False)
    assert [i.to_tuple() for i in served.items] == [i.to_tuple() for i in cold.items]
    requirements = [i for i in served.items if i.id.startswith("SRS-")]
    assert len({id(i.kind) for i in requirements}) == 1
    assert len({id(i.fields["item"]) for i in requirements}) == 1
    assert len({id(i.fields["parents"][0]) for i in requirements}) == 1
    assert all(i.fields["title"] is i.title for i in requirements)
