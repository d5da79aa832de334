"""Hints for misspelt IDs."""

from __future__ import annotations

import difflib

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from medtrace.ids import (
    _PREFILTER_FROM,
    POOL_LIMIT,
    CloseIds,
    closest_id,
    natural_key,
    padding_variant,
    split_number,
    split_numbers,
)

pytestmark = pytest.mark.verifies("SRS-9", "SRS-22")

KNOWN = {"SRS-1", "SRS-2", "SRS-12", "RISK-3", "bolus-calculator"}


@pytest.mark.parametrize(
    ("wanted", "expected"),
    [
        ("srs-2", "SRS-2"),  # case
        ("SRS-l", "SRS-1"),  # look-alike digit, not the equally close SRS-2
        ("SRS-1O", "SRS-1"),  # no SRS-10: look-alikes never invent an ID; fuzzy match then
        ("RSIK-3", "RISK-3"),
        ("bolus-calculater", "bolus-calculator"),
        ("zzzzzz", None),
    ],
)
def test_closest_id(wanted: str, expected: str | None) -> None:
    assert closest_id(wanted, KNOWN) == expected


def test_a_pool_limits_the_candidates() -> None:
    assert closest_id("SRS-13", KNOWN) in {"SRS-1", "SRS-12"}
    assert closest_id("SRS-13", KNOWN, pool=["bolus-calculator"]) is None
    assert closest_id("SRS-13", KNOWN, pool=["SRS-12"]) == "SRS-12"


def test_huge_pools_give_no_fuzzy_hint() -> None:
    known = {f"SRS-{n}" for n in range(POOL_LIMIT + 1)}
    assert closest_id("srs-7", known) == "SRS-7"  # exact forms still answer
    assert closest_id("SRS-x7", known) is None


# --- numbers, natural order and padding ------------------------------------------------------


@pytest.mark.verifies("SRS-60")
@pytest.mark.parametrize(
    ("item_id", "split"),
    [
        ("RW-SW-012", ("RW-SW-", "012")),
        ("REQ_0042", ("REQ_", "0042")),
        ("SYS-3", ("SYS-", "3")),
        ("SYS-²", None),  # Unicode digits are not a number here
        ("SYS-①", None),
        ("42", None),  # no head: not an ID with a number
        ("bolus-calculator", None),
    ],
)
def test_split_number(item_id: str, split: tuple[str, str] | None) -> None:
    assert split_number(item_id) == split


@pytest.mark.verifies("SRS-60", "SRS-67")
def test_natural_order_never_converts_to_int() -> None:
    huge = "SRS-" + "9" * 100_000  # above Python's int conversion limit
    ids = ["SRS-10", huge, "SRS-①", "SRS-2", "SYS-003", "SYS-3", "SRS-²", "SRS-0010"]
    ordered = sorted(ids, key=natural_key)
    assert ordered[:4] == ["SRS-2", "SRS-0010", "SRS-10", huge]
    assert ordered.index("SYS-003") + 1 == ordered.index("SYS-3")  # one number, side by side
    assert set(ordered[4:6]) == {"SRS-①", "SRS-²"}


@pytest.mark.verifies("SRS-60")
def test_padding_variant() -> None:
    known = {"SYS-003", "SYS-10", "RW-SW-12"}
    assert padding_variant("SYS-3", known) == "SYS-003"
    assert padding_variant("SYS-03", known) == "SYS-003"
    assert padding_variant("SYS-010", known) == "SYS-10"
    assert padding_variant("RW-SW-0012", known) == "RW-SW-12"
    assert padding_variant("SYS-003", known) is None  # itself is not a variant
    assert padding_variant("SYS-4", known) is None
    assert padding_variant("SYS-" + "1" * 100_000, known) is None


@pytest.mark.verifies("SRS-60")
def test_closest_id_prefers_the_same_number_padded_otherwise() -> None:
    known = {"SYS-003", "SYS-004", "SYS-013"}
    assert closest_id("SYS-3", known) == "SYS-003"  # not the fuzzily closer SYS-013
    assert closest_id("sys-3", known) == "SYS-003"


def test_split_numbers_is_split_number_of_each_id() -> None:
    ids = ["SRS-1", "RW-SW-012", "pump", "42", "SYS-", "A1B2", "SRS-²", "x-0", "", "SRS-1"]
    assert split_numbers(ids) == {i: s for i in ids if (s := split_number(i)) is not None}
    assert list(split_numbers(["SRS-2", "SRS-10", "SRS-1"])) == ["SRS-2", "SRS-10", "SRS-1"]


# --- many lookups over one set of IDs --------------------------------------------------------


MANY = {f"SRS-{n}" for n in range(1, 300)} | {f"SYS-{n:03d}" for n in range(1, 40)} | KNOWN


@pytest.mark.parametrize(
    "wanted",
    ["SRS-1000", "srs-7", "SYS-3", "SRS-l2", "RSIK-3", "bolus-calculater", "zzzzzz", "SYS-0401"],
)
@pytest.mark.verifies("SRS-352")
def test_close_ids_answers_as_closest_id(wanted: str) -> None:
    finder = CloseIds(MANY)
    assert finder.closest(wanted) == closest_id(wanted, MANY)
    pool = sorted(i for i in MANY if i.startswith("SYS"))
    assert finder.closest(wanted, "sys", lambda: pool) == closest_id(wanted, MANY, pool)


@pytest.mark.verifies("SRS-352")
def test_close_ids_looks_for_each_id_once_and_makes_each_pool_once() -> None:
    made: list[str] = []

    def pool() -> list[str]:
        made.append("pool")
        return ["SRS-12", "SRS-2"]

    finder = CloseIds(KNOWN)
    answers = {finder.closest("SRS-13", "kind", pool) for _ in range(50)}
    assert answers == {"SRS-12"}
    assert made == ["pool"]  # one pool made, one fuzzy match for fifty links
    assert finder.closest("SRS-1x3", "kind", pool) in {"SRS-12", "SRS-2"}
    assert made == ["pool", "pool"]  # another ID is looked for, with its pool


@pytest.mark.verifies("SRS-352")
def test_close_ids_keeps_answers_apart_by_pool() -> None:
    finder = CloseIds(KNOWN)
    assert finder.closest("SRS-13", "none", list) is None
    assert finder.closest("SRS-13", "twelve", lambda: ["SRS-12"]) == "SRS-12"
    assert finder.closest("SRS-13") in {"SRS-1", "SRS-12"}


# --- large pools: rapidfuzz picks, difflib rates ---------------------------------------------

_ID_TEXT = st.text(alphabet="SRYI-0123456789lO", min_size=1, max_size=10)


@pytest.mark.verifies("SRS-352")
@settings(max_examples=300, deadline=None)
@given(
    wanted=_ID_TEXT,
    pool=st.lists(_ID_TEXT, min_size=_PREFILTER_FROM + 1, max_size=_PREFILTER_FROM + 60),
)
def test_a_large_pool_gives_difflib_s_answer(wanted: str, pool: list[str]) -> None:
    expected = difflib.get_close_matches(wanted, pool, n=1, cutoff=0.6)
    assert closest_id(wanted, set(), pool) == (expected[0] if expected else None)


@pytest.mark.verifies("SRS-352")
def test_a_large_pool_of_near_ids_gives_difflib_s_answer() -> None:
    pool = [f"SYS-{n}" for n in range(1, 3001)] + [f"SRS-{n:04d}" for n in range(1, 300)]
    for wanted in ("SYS-1009", "SYS-30001", "SRS-12345", "SYS-", "SY-77", "SRS-0O12", "x"):
        expected = difflib.get_close_matches(wanted, pool, n=1, cutoff=0.6)
        assert closest_id(wanted, set(), pool) == (expected[0] if expected else None)
