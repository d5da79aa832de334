"""Property: the tag reader takes any comment text; every tag it returns is on a line of that
text and names only well-formed IDs; every problem is located in the text."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from medtrace.scanning.tags import DEFAULT_ID_PATTERN, find_tags
from property.strategies import ids, syntax_text

pytestmark = pytest.mark.verifies("SRS-93")

verbs = st.sampled_from(["@implements", "@verifies", "@implements:", "@Implements", "x@verifies"])
tag_lines = st.lists(
    st.tuples(verbs, st.lists(ids, max_size=4), st.sampled_from([", ", " ", ",", " , ", "\t"])).map(
        lambda t: t[0] + " " + t[2].join(t[1])
    ),
    max_size=4,
)


def _check(text: str, first: int) -> None:
    tags, problems = find_tags(text, first, "src/x.c", DEFAULT_ID_PATTERN)
    last = first + text.count("\n")
    for _verb, found, line in tags:
        assert first <= line <= last
        assert found, "a tag has at least one ID"
        assert all(DEFAULT_ID_PATTERN.fullmatch(i) for i in found), found
    for d in problems:
        assert d.path == "src/x.c" and first <= d.line <= last, d


@given(syntax_text, st.integers(1, 10**6))
def test_any_comment_text(text: str, first: int) -> None:
    _check(text, first)


@given(tag_lines, syntax_text)
def test_tag_lines_among_noise(lines: list[str], noise: str) -> None:
    _check(noise.join(lines) + noise, 1)


@given(st.lists(st.from_regex(r"[A-Z]{2,4}-[0-9]{1,5}", fullmatch=True), min_size=1, max_size=6))
def test_well_formed_tags_are_read_whole(wanted: list[str]) -> None:
    tags, problems = find_tags("@verifies " + ", ".join(wanted), 7, "t.c", DEFAULT_ID_PATTERN)
    assert problems == []
    assert tags == [("verifies", tuple(wanted), 7)]
