"""Hints for misspelt IDs."""

from __future__ import annotations

import pytest

from medtrace.ids import POOL_LIMIT, closest_id

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
