"""What counts as a mention of an ID in comment text, and the choice of kinds."""

from __future__ import annotations

import pytest
from helpers import DEFAULT_CONFIG

from medtrace.adopt.mentions import DEFAULT_KINDS, id_forms, select_kinds
from medtrace.config import validate
from medtrace.errors import UsageError

pytestmark = pytest.mark.verifies("SRS-82")

FORMS = id_forms(DEFAULT_CONFIG, DEFAULT_KINDS)


def found(text: str) -> list[tuple[str, bool]]:
    return [(found, quoted) for _, found, quoted in FORMS.mentions(text)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("// SRS-12: limit pressure", ["SRS-12"]),
        ("# see SRS-12", ["SRS-12"]),
        ("/* Implements requirement SRS-4 */", ["SRS-4"]),
        ("(SRS-3), SRS-4; SRS-5. RISK-1!", ["SRS-3", "SRS-4", "SRS-5", "RISK-1"]),
        ("SRS-1, SRS-2 and again SRS-1", ["SRS-1", "SRS-2", "SRS-1"]),
        ("SYS-7's limit", ["SYS-7"]),
        ("#SRS-3 without a space", ["SRS-3"]),
    ],
)
def test_mentions(text: str, expected: list[str]) -> None:
    assert found(text) == [(i, False) for i in expected]


@pytest.mark.parametrize(
    "text",
    [
        "SRS-12a is another thing",
        "MYSRS-1 is not ours",
        "RW-SRS-1 belongs to another prefix",
        "SRS-12.3 is a subsection",
        "SRS-12-b is another ID",
        "see https://tracker.example.com/browse/SRS-12 for details",
        "see www.example.com/SRS-12",
        "path/to/SRS-12 file",
        "srs-12 in lower case",
        "SRS-1..3 is a range",
        "TC-2 and SOUP-1 and ANOM-3 are not traced kinds",
        "@implements SRS-1",
        "text @verifies SRS-1, RISK-2",
    ],
)
def test_not_mentions(text: str) -> None:
    assert found(text) == []


def test_a_mention_before_a_tag_on_its_line_still_counts() -> None:
    assert found("SRS-2 here @implements SRS-1\nand SRS-3") == [("SRS-2", False), ("SRS-3", False)]


@pytest.mark.parametrize(
    "text",
    [
        "the syntax is `@implements SRS-12`",
        "write ``SRS-12`` in the item",
        'the hint says "did you mean SRS-1?"',
        ">>> plan(known={'SRS-1': 'x'})",
        "    ... SRS-1",
    ],
)
def test_quoted_ids_are_examples(text: str) -> None:
    assert [q for _, q in found(text)] == [True]


def test_default_kinds_are_the_traced_ones() -> None:
    assert select_kinds(DEFAULT_CONFIG, (), ()) == list(DEFAULT_KINDS)
    assert FORMS.kinds == DEFAULT_KINDS


@pytest.mark.verifies("SRS-84")
def test_kind_and_prefix_select() -> None:
    assert select_kinds(DEFAULT_CONFIG, ["risk"], ["SRS", "RISK"]) == [
        "risk",
        "software-requirement",
    ]
    forms = id_forms(DEFAULT_CONFIG, select_kinds(DEFAULT_CONFIG, (), ["TC"]))
    assert [m[1] for m in forms.mentions("SRS-1 and TC-2")] == ["TC-2"]


@pytest.mark.verifies("SRS-84")
@pytest.mark.parametrize(
    ("kinds", "prefixes", "message"),
    [
        (["requirement"], [], "no kind 'requirement' in this project"),
        ([], ["SWR"], "no ID prefix 'SWR' in this project"),
    ],
)
def test_unknown_kind_or_prefix_is_a_usage_error(
    kinds: list[str], prefixes: list[str], message: str
) -> None:
    with pytest.raises(UsageError, match=message):
        select_kinds(DEFAULT_CONFIG, kinds, prefixes)


def test_software_items_are_never_looked_for() -> None:
    forms = id_forms(DEFAULT_CONFIG, ["software-item", "soup"])
    assert forms.kinds == ("soup",)  # SOUP by its prefix only, never by package name
    assert [m[1] for m in forms.mentions("bolus-calculator uses requests, SOUP-2")] == ["SOUP-2"]


def test_a_distinctive_custom_pattern_is_a_form() -> None:
    config = validate(
        {
            "project": {"class": "B"},
            "kinds": {"software-requirement": {"prefix": None, "pattern": r"RW-SYS-\d+"}},
        }
    )
    forms = id_forms(config, ["software-requirement"])
    assert [m[1] for m in forms.mentions("// RW-SYS-3: limit pressure")] == ["RW-SYS-3"]


def test_the_byte_pattern_finds_what_the_text_pattern_finds() -> None:
    assert FORMS.data.search(b"x = 1  # SRS-4") is not None
    assert FORMS.data.search(b"nothing here, MYSRS-4") is None
