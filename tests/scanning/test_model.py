"""The scanner's result types."""

from __future__ import annotations

import dataclasses

import pytest

from medtrace.scanning.model import Tag, TestSymbol, make_tags, make_tests

pytestmark = pytest.mark.verifies("SRS-19")


def test_tags_made_in_bulk_equal_tags_made_one_by_one() -> None:
    rows = [("implements", ("SRS-1",), 3, "f", 2), ("verifies", ("A", "B"), 9, None, None)]
    made = make_tags(rows, "src/a.py", "python")
    assert made == [Tag(v, ids, "src/a.py", n, s, sl, "python") for v, ids, n, s, sl in rows]
    assert hash(made[0]) == hash(Tag("implements", ("SRS-1",), "src/a.py", 3, "f", 2, "python"))
    with pytest.raises(dataclasses.FrozenInstanceError):
        made[0].line = 4  # type: ignore[misc]


def test_tests_made_in_bulk_equal_tests_made_one_by_one() -> None:
    made = make_tests([("TestA.test_b", 7)], "tests/test_a.py", "python")
    assert made == [TestSymbol("tests/test_a.py", "TestA.test_b", 7, "python")]
    assert dataclasses.asdict(made[0])["name"] == "TestA.test_b"
