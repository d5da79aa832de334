"""Property: ID handling takes any text: the closest-ID hint names a known ID or nothing, an
item's ID and kind are told or reported, and a kind's ID pattern never raises."""

from __future__ import annotations

import pytest
from helpers import DEFAULT_CONFIG
from hypothesis import given
from hypothesis import strategies as st

from medtrace.ids import closest_id
from medtrace.loading.build import Builder
from medtrace.loading.parse import Record
from property.strategies import ids, yaml_values

pytestmark = pytest.mark.verifies("SRS-93")

BUILDER = Builder(DEFAULT_CONFIG)


@given(ids, st.sets(ids, max_size=30))
def test_closest_id_is_known_or_none(wanted: str, known: set[str]) -> None:
    found = closest_id(wanted, known)
    assert found is None or found in known


@given(st.one_of(ids, yaml_values), st.one_of(st.none(), st.text(max_size=20), yaml_values))
def test_any_id_and_kind_build_or_are_reported(raw_id: object, kind: object) -> None:
    data = {"id": raw_id, "title": "t"}
    if kind is not None:
        data["kind"] = kind
    item, diagnostics = BUILDER.build(Record(data, 0, 5), "docs/x.yaml")
    assert (item is None) == bool(diagnostics)
    if item is not None:
        assert item.id == str(raw_id)
        assert item.kind in DEFAULT_CONFIG.kinds
    for d in diagnostics:
        assert (d.path, d.line) == ("docs/x.yaml", 5)


@given(ids)
def test_id_patterns_never_raise(text: str) -> None:
    for kind in DEFAULT_CONFIG.kinds.values():
        kind.id_re.fullmatch(text)


@given(st.text(max_size=30))
def test_ids_from_file_names(name: str) -> None:
    record = Record({"title": "t"}, 0, 1, body="")
    item, diagnostics = BUILDER.build(record, f"docs/{name}.md")
    assert item is not None or diagnostics
