"""The tag syntax in comment text."""

from __future__ import annotations

import re

import pytest

from medtrace.diagnostics import Severity
from medtrace.scanning.tags import DEFAULT_ID_PATTERN, find_tags, has_needle

pytestmark = pytest.mark.verifies("SRS-19")


def found(
    text: str, pattern: re.Pattern[str] = DEFAULT_ID_PATTERN
) -> list[tuple[str, tuple[str, ...], int]]:
    tags, problems = find_tags(text, 10, "src/x.c", pattern)
    assert problems == []
    return tags


@pytest.mark.parametrize(
    ("text", "ids"),
    [
        ("// @implements SRS-12", ("SRS-12",)),
        ("/* @implements SRS-12, SRS-13 */", ("SRS-12", "SRS-13")),
        ("# @implements SRS-12 RISK-3", ("SRS-12", "RISK-3")),
        ("@implements SRS-12,RISK-3 ,  SYS-1,", ("SRS-12", "RISK-3", "SYS-1")),
        ("/// <summary>@implements SRS-1</summary>", ("SRS-1",)),
        ("<!-- @implements SRS-1 -->", ("SRS-1",)),
        ("// @implements bolus-calculator, SOUP-requests", ("bolus-calculator", "SOUP-requests")),
        ("// @implements SRS-1.2", ("SRS-1.2",)),
        ("// @implements SRS-1\r", ("SRS-1",)),
    ],
)
def test_ids_are_read_to_the_end_of_the_line(text: str, ids: tuple[str, ...]) -> None:
    assert found(text) == [("implements", ids, 10)]


def test_each_tag_has_its_line() -> None:
    text = "/**\n * Dose.\n * @implements SRS-1\n * @verifies RISK-2\n */"
    assert found(text) == [("implements", ("SRS-1",), 12), ("verifies", ("RISK-2",), 13)]


def test_two_tags_on_one_line() -> None:
    assert found("// @implements SRS-1 @verifies SRS-2") == [
        ("implements", ("SRS-1",), 10),
        ("verifies", ("SRS-2",), 10),
    ]


@pytest.mark.parametrize(
    "text",
    [
        "// mail me at ops@implements.com",
        "// see x.@implements",
        "// @implementsX SRS-1",
        "// @Implements SRS-1",
    ],
)
def test_no_tag_inside_words(text: str) -> None:
    assert found(text) == []


@pytest.mark.parametrize(
    ("text", "token"),
    [
        ("// @implements SRS-12.", "SRS-12."),
        ("// @implements SRS-12 (the bolus limit)", "(the"),
        ("// @verifies {@link SRS-1}", "{@link"),
    ],
)
def test_a_malformed_id_is_an_error(text: str, token: str) -> None:
    _tags, problems = find_tags(text, 7, "src/x.c", DEFAULT_ID_PATTERN)
    bad = [p for p in problems if token in p.found]
    assert bad, problems
    problem = bad[0]
    assert (problem.code, problem.rule, problem.severity) == (
        "MT107",
        "tag-malformed",
        Severity.ERROR,
    )
    assert (problem.path, problem.line) == ("src/x.c", 7)
    assert problem.expected and problem.hint


def test_the_well_formed_ids_of_a_tag_are_kept() -> None:
    tags, problems = find_tags("// @implements SRS-1 SRS-2.", 1, "x", DEFAULT_ID_PATTERN)
    assert tags == [("implements", ("SRS-1",), 1)]
    assert len(problems) == 1


@pytest.mark.parametrize("text", ["// @implements", "/* @verifies */", "# @implements ,"])
def test_a_tag_without_id_is_an_error(text: str) -> None:
    tags, problems = find_tags(text, 3, "src/x.c", DEFAULT_ID_PATTERN)
    assert tags == []
    assert [p.code for p in problems] == ["MT107"]
    assert "without any ID" in problems[0].found


def test_a_custom_id_pattern() -> None:
    pattern = re.compile(r"(?:SRS|RISK)-\d+")
    assert found("// @implements SRS-1, RISK-22", pattern) == [
        ("implements", ("SRS-1", "RISK-22"), 10)
    ]
    tags, problems = find_tags("// @implements SRS-1, bolus", 1, "x", pattern)
    assert tags == [("implements", ("SRS-1",), 1)]
    assert "`bolus`" in problems[0].found


def test_the_default_pattern_accepts_the_usual_ids() -> None:
    for identifier in ("SRS-12", "RISK-3", "bolus-calculator", "SOUP-requests", "TC_1", "A"):
        assert DEFAULT_ID_PATTERN.fullmatch(identifier)
    for identifier in ("12-SRS", "SRS-", "SRS-1.", "-x", "a b"):
        assert not DEFAULT_ID_PATTERN.fullmatch(identifier)


def test_the_needle_test_on_bytes() -> None:
    assert has_needle(b"x // @verifies A")
    assert has_needle(b"@implements")
    assert not has_needle(b"implements verifies")


def test_a_verb_in_inline_code_is_an_example_not_a_tag() -> None:
    assert found("// write ``@implements SRS-1`` above the function, or `@verifies X`") == []
