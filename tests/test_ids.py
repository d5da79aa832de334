"""Hints for misspelt IDs."""

from __future__ import annotations

import pytest

from medtrace.ids import (
    POOL_LIMIT,
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
