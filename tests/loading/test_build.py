"""Building items from records: the ID, the kind, the title, and field names mapped to roles."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from medtrace.config import Config, validate
from medtrace.loading.build import _HEADING, Builder, heading
from medtrace.loading.parse import Record
from medtrace.model import Item

pytestmark = pytest.mark.verifies("SRS-3")

DEFAULT = validate({"project": {"class": "B"}})


def build(
    data: dict[str, Any],
    path: str = "docs/items.yaml",
    *,
    body: str | None = None,
    file_kind: str | None = None,
    config: Config = DEFAULT,
    line: int = 0,
    index: int = 0,
) -> tuple[Item | None, list[Any]]:
    record = Record(data, index, line=line, body=body, file_kind=file_kind)
    return Builder(config).build(record, path)


def one(data: dict[str, Any], path: str = "docs/items.yaml", **kw: Any) -> Item:
    item, diags = build(data, path, **kw)
    assert diags == []
    assert item is not None
    return item


# --- the ID ---------------------------------------------------------------------------------


def test_id_and_kind_from_the_fields() -> None:
    item = one({"id": "SRS-1", "kind": "software-requirement", "title": "T"}, index=3)
    assert (item.id, item.kind, item.title, item.path, item.index) == (
        "SRS-1",
        "software-requirement",
        "T",
        "docs/items.yaml",
        3,
    )
    assert "id" not in item.fields and "kind" not in item.fields


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("docs/SRS-12.md", "SRS-12"),
        ("docs/SRS-12-max-bolus.md", "SRS-12"),
        ("docs/sub/RISK-3_overdose.md", "RISK-3"),
        ("TC-7.md", "TC-7"),
    ],
)
def test_id_from_the_file_name(name: str, expected: str) -> None:
    item = one({}, name, body="# T\n", line=1)
    assert item.id == expected
    assert item.line == 1


@pytest.mark.verifies("SRS-61")
def test_the_id_field_wins_over_the_file_name_which_is_reported() -> None:
    item, (d,) = build({"id": "SRS-2"}, "docs/SRS-1-max.md", body="", line=1)
    assert item is not None and item.id == "SRS-2"
    assert (d.code, d.rule, d.severity.value) == ("MT018", "id-file-name", "warning")
    assert (d.path, d.line, d.item) == ("docs/SRS-1-max.md", 1, "SRS-2")
    assert d.found == "the 'id' field says SRS-2 but the file name SRS-1-max.md gives SRS-1"
    assert d.expected == "a file named after its ID (SRS-2-max.md)"
    assert one({"id": "SRS-1"}, "docs/SRS-1-max.md", body="").id == "SRS-1"
    assert one({"id": "SRS-2"}, "docs/notes-on-SRS-1.md", body="").id == "SRS-2"


@pytest.mark.parametrize("name", ["docs/notes.md", "docs/XYZ-1.md", "docs/SRS-x.md", "SRS12.md"])
def test_markdown_without_an_id_and_no_id_in_the_name(name: str) -> None:
    item, (d,) = build({"title": "x"}, name, body="", line=1)
    assert item is None
    assert (d.code, d.rule, d.path, d.line) == ("MT003", "item-invalid", name, 1)
    assert d.found == "item without an ID"
    assert d.expected == "an 'id' field or a file named after the ID"
    assert d.hint == "Add 'id: SRS-1' (or the ID of the right kind)."


def test_yaml_entry_without_an_id() -> None:
    item, (d,) = build({"title": "x"})
    assert item is None
    assert d.expected == "an 'id' field"


def test_a_number_as_id_is_read_as_text() -> None:
    item = one({"id": 12, "kind": "system-requirement"})
    assert item.id == "12"


@pytest.mark.parametrize(
    ("value", "type_name"),
    [(1.5, "float"), (True, "bool"), (["SRS-1"], "list"), ({"a": 1}, "dict")],
)
def test_an_id_that_is_not_text(value: Any, type_name: str) -> None:
    item, (d,) = build({"id": value, "kind": "system-requirement"})
    assert item is None
    assert (d.code, d.found) == ("MT003", f"the ID is a {type_name}")
    assert d.expected == "an ID written as text, such as SRS-1"


# --- the kind -------------------------------------------------------------------------------


def test_kind_from_the_prefix() -> None:
    assert one({"id": "RISK-4"}).kind == "risk"
    assert one({"id": "SOUP-2"}).kind == "soup"
    assert one({"id": "ANOM-1"}).kind == "anomaly"


def test_kind_of_the_file() -> None:
    assert one({"id": "pump-driver"}, file_kind="software-item").kind == "software-item"


def test_kind_of_the_item_wins_over_the_file_and_the_prefix() -> None:
    assert one({"id": "SRS-1", "kind": "risk"}, file_kind="soup").kind == "risk"


def test_an_unknown_kind_with_a_close_name() -> None:
    item, (d,) = build({"id": "SYS-7", "kind": "system-requirment"}, line=4)
    assert item is None
    assert (d.code, d.rule, d.item, d.line) == ("MT006", "kind-unknown", "SYS-7", 4)
    assert d.found == "unknown kind 'system-requirment' for SYS-7"
    assert d.expected.startswith("one of system-requirement, software-requirement, risk")
    assert d.hint == "Did you mean 'system-requirement'?"


def test_an_unknown_kind_without_a_close_name() -> None:
    _, (d,) = build({"id": "x", "kind": "zebra"})
    assert d.hint == "Declare the kind in [kinds]."


def test_a_kind_that_is_not_text() -> None:
    _, (d,) = build({"id": "x", "kind": ["risk"]})
    assert d.found == "unknown kind ['risk'] for x"


def test_no_kind_and_no_known_prefix() -> None:
    item, (d,) = build({"id": "bolus-calculator"})
    assert item is None
    assert d.code == "MT006"
    assert d.found == "cannot tell the kind of bolus-calculator"
    assert "SYS-1, SRS-1, RISK-1, SOUP-1, TC-1, ANOM-1" in d.expected
    assert d.hint == "Add 'kind: software-item' (or the right kind) to the item or the file."


# --- renamed prefixes and fields ---------------------------------------------------------------

RENAMED = validate(
    {
        "project": {"class": "B"},
        "kinds": {
            "software-requirement": {
                "prefix": "SWR",
                "fields": {"parents": {"name": "derived_from"}},
            }
        },
    }
)


def test_a_renamed_prefix() -> None:
    assert one({"id": "SWR-1"}, config=RENAMED).kind == "software-requirement"
    assert one({}, "docs/SWR-9-dose.md", body="", config=RENAMED).id == "SWR-9"
    _, (d,) = build({"id": "SRS-1"}, config=RENAMED)
    assert d.found == "cannot tell the kind of SRS-1"


def test_a_renamed_field_is_stored_under_its_role() -> None:
    item = one({"id": "SWR-1", "derived_from": ["SYS-1"], "parents": ["SYS-2"]}, config=RENAMED)
    assert item.fields["parents"] == ["SYS-1"]
    assert item.unknown == {"parents": ["SYS-2"]}, "the old name is now an unknown field"


def test_unknown_fields_are_kept_by_their_written_name() -> None:
    item = one({"id": "SYS-1", "titel": "x", "rationale": "r"})
    assert item.unknown == {"titel": "x"}
    assert item.fields == {"rationale": "r"}


def test_fields_of_the_items_kind_only() -> None:
    item = one({"id": "SYS-1", "hazard": "h"})
    assert item.unknown == {"hazard": "h"}, "'hazard' is a field of risks, not requirements"


# --- title and text ------------------------------------------------------------------------------


def test_title_from_the_first_heading() -> None:
    body = "Intro line\n\n## Not level one\n\n# Refuse a bolus above the maximum ##\n\n# Second\n"
    item = one({}, "docs/SRS-1.md", body=body)
    assert item.title == "Refuse a bolus above the maximum"
    assert item.fields["title"] == item.title
    assert item.text == body.strip()


def test_title_field_wins_over_the_heading() -> None:
    item = one({"title": "From the field"}, "docs/SRS-1.md", body="# From the heading\n")
    assert item.title == "From the field"


def test_text_field_wins_over_the_body() -> None:
    item = one({"text": "From the field"}, "docs/SRS-1.md", body="# T\n\nBody\n")
    assert item.text == "From the field"


def test_no_heading_no_title() -> None:
    item = one({}, "docs/SRS-1.md", body="no heading here\n")
    assert item.title == ""
    assert "title" not in item.fields


def test_a_title_that_is_not_text_is_kept_as_a_field() -> None:
    item = one({"id": "SYS-1", "title": 42})
    assert item.title == ""
    assert item.fields["title"] == 42, "kept for the field-invalid rule"


# --- legacy ID schemes (SRS-61) and values of the wrong shape (SRS-67) -------------------------

LEGACY = validate(
    {
        "project": {"class": "B"},
        "kinds": {
            "system-requirement": {"prefix": "RW"},
            "software-requirement": {"prefix": "RW-SW"},
            "risk": {"prefix": "HAZ", "pattern": "HAZ_[0-9]{3}"},
        },
    }
)


@pytest.mark.verifies("SRS-61")
@pytest.mark.parametrize(
    ("name", "expected", "kind"),
    [
        ("docs/RW-SW-12-title.md", "RW-SW-12", "software-requirement"),
        ("docs/RW-SW-12.md", "RW-SW-12", "software-requirement"),
        ("docs/RW-SW-0012_the title.md", "RW-SW-0012", "software-requirement"),
        ("docs/RW-7-title.md", "RW-7", "system-requirement"),
        ("docs/HAZ_001-overdose.md", "HAZ_001", "risk"),
        ("docs/HAZ_001.md", "HAZ_001", "risk"),
    ],
)
def test_id_from_a_dashed_file_name(name: str, expected: str, kind: str) -> None:
    item = one({"title": "t"}, name, body="", config=LEGACY)
    assert (item.id, item.kind) == (expected, kind)


@pytest.mark.verifies("SRS-61")
@pytest.mark.parametrize("name", ["docs/RW-SW-title.md", "docs/HAZ_1x.md", "docs/RWX-1.md"])
def test_no_id_in_a_dashed_file_name(name: str) -> None:
    item, (d,) = build({"title": "t"}, name, body="", config=LEGACY)
    assert item is None
    assert d.code == "MT003"
    assert d.hint == "Add 'id: RW-SW-1' (or the ID of the right kind)."


@pytest.mark.verifies("SRS-67")
def test_a_list_or_a_mapping_where_one_value_is_expected_is_kept_apart() -> None:
    data = {
        "id": "SRS-1",
        "verification": [],
        "item": {"a": 1},
        "parents": ["SYS-1"],
        "type": "functional",
    }
    item = one(data)
    assert item.invalid == {"verification": [], "item": {"a": 1}}
    assert item.fields == {"parents": ["SYS-1"], "type": "functional"}
    assert item.get("verification") is None  # later stages never see the list
    assert Item.from_tuple(item.to_tuple()).invalid == item.invalid


# --- the heading as title, without the regular expression for the usual body -----------------

_HEADING_TEXT = st.text(alphabet=["#", " ", "\t", "a", "é", "\n", "\r", "\x0b", "-"], max_size=14)


@pytest.mark.verifies("SRS-320")
@given(body=_HEADING_TEXT, hashed=st.booleans())
def test_the_heading_is_the_regular_expression_s(body: str, hashed: bool) -> None:
    body = "#" + body if hashed else body
    m = _HEADING.search(body)
    assert heading(body) == (m.group(1) if m else None)


@pytest.mark.verifies("SRS-320")
@pytest.mark.parametrize(
    ("body", "title"),
    [
        ("# Dose limit\n\nText.", "Dose limit"),
        ("# Dose limit ##  \n", "Dose limit"),
        ("#\t #\n", "#"),
        ("#  \nx", " "),
        ("# \n# Second\n", "Second"),
        ("#No blank\n# Real\n", "Real"),
        ("Text first\n# Later\n", "Later"),
        ("no heading", None),
    ],
)
def test_the_heading_of_usual_and_unusual_bodies(body: str, title: str | None) -> None:
    assert heading(body) == title


# --- the kind of an ID told by the file name (SRS-351) -------------------------------------------

_PREFIXED = validate(
    {
        "project": {"class": "B"},
        "kinds": {
            "system-requirement": {"prefix": "RW"},
            "software-requirement": {"prefix": "RW-SW"},
            "risk": {"prefix": "HAZ", "pattern": "HAZ_[0-9]{3}"},
            "anomaly": {"prefix": "RW-SWA"},
        },
    }
)
_NAME_PARTS = st.sampled_from(["RW", "RW-SW", "RW-SWA", "HAZ", "-", "_", " ", ".", "1", "07", "x"])


@pytest.mark.verifies("SRS-351")
@given(st.lists(_NAME_PARTS, min_size=1, max_size=7), st.sampled_from([DEFAULT, LEGACY, _PREFIXED]))
def test_the_kind_a_file_name_gives_is_the_kind_of_its_id(parts: list[str], config: Config) -> None:
    """The one look-up the builder makes for a Markdown item named after its ID gives what
    ``kind_of_id`` gives for the ID itself."""
    named, kind = Builder(config)._named(f"docs/{''.join(parts)}.md")
    assert (named is None) is (kind is None)
    if named is not None:
        assert kind == config.kind_of_id(named)


@pytest.mark.verifies("SRS-351")
@pytest.mark.parametrize(
    ("name", "data", "kind"),
    [
        ("docs/RW-SW-12-x.md", {}, "software-requirement"),
        ("docs/RW-SW-12-x.md", {"id": "RW-SW-12"}, "software-requirement"),
        ("docs/RW-SW-12-x.md", {"id": "RW-3"}, "system-requirement"),  # the field's own prefix
        ("docs/RW-SW-12-x.md", {"kind": "risk"}, "risk"),  # a written kind wins
        ("docs/RW-SWA-1.md", {}, "anomaly"),
    ],
)
def test_the_kind_of_a_markdown_item(name: str, data: dict[str, Any], kind: str) -> None:
    item, _ = build(data, name, body="# T\n", config=_PREFIXED)
    assert item is not None and item.kind == kind
