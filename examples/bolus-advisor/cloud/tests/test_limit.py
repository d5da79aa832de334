"""Unit tests of the maximum-bolus limit (unit cloud-api, apart from the formula)."""

from __future__ import annotations

import dataclasses

from bolus_cloud.calculator import Recommendation
from bolus_cloud.validation import limit_to_maximum

RAW = Recommendation(
    status="recommended",
    bolus_u=17.0,
    meal_u=15.0,
    correction_u=2.0,
    iob_u=0.0,
    limited=False,
    reason=None,
)


def test_dose_above_the_maximum_is_reduced_and_flagged():
    """@verifies SRS-6, RISK-1"""
    rec = limit_to_maximum(RAW, 10.0)
    assert (rec.bolus_u, rec.limited, rec.reason) == (10.0, True, "limited to the maximum bolus")
    assert (rec.meal_u, rec.correction_u) == (15.0, 2.0)  # the user sees what was not covered


def test_dose_at_or_below_the_maximum_is_unchanged():
    """@verifies SRS-6"""
    at_max = dataclasses.replace(RAW, bolus_u=10.0)
    assert limit_to_maximum(at_max, 10.0) is at_max
    assert limit_to_maximum(RAW, 25.0) is RAW


def test_reduced_dose_is_deliverable():
    """A maximum that is not a multiple of 0.05 U gives the deliverable dose below it.

    @verifies SRS-6, RISK-1
    """
    assert limit_to_maximum(RAW, 7.33).bolus_u == 7.3


def test_refusal_is_never_raised():
    """@verifies SRS-6"""
    refused = dataclasses.replace(RAW, status="refused", bolus_u=0.0, reason="treat the low")
    assert limit_to_maximum(refused, 0.05) is refused
