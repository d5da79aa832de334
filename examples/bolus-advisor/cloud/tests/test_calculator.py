"""Unit tests of the bolus formula (unit bolus-calculator)."""

from __future__ import annotations

import itertools

import pytest

from bolus_cloud.calculator import (
    Therapy,
    correction_bolus,
    meal_bolus,
    recommend,
    round_down_to_increment,
)
from bolus_cloud.validation import limit_to_maximum

THERAPY = Therapy(
    carb_ratio_g_per_u=10.0,
    correction_factor_mgdl_per_u=40.0,
    target_mgdl=100.0,
    max_bolus_u=10.0,
    insulin_action_h=4.0,
)


def test_meal_bolus_from_carb_ratio():
    """@verifies SRS-1, RISK-1"""
    assert meal_bolus(60, 10) == 6.0
    assert meal_bolus(0, 10) == 0.0
    rec = recommend(carbs_g=60, glucose_mgdl=100, therapy=THERAPY, iob_u=0.0)
    assert rec.status == "recommended"
    assert rec.meal_u == 6.0
    assert rec.correction_u == 0.0
    assert rec.bolus_u == 6.0


def test_correction_above_and_below_target():
    """@verifies SRS-2"""
    assert correction_bolus(180, 100, 40) == 2.0
    assert correction_bolus(80, 100, 40) == -0.5
    # Below target the negative correction reduces the meal bolus.
    assert recommend(60, 80, THERAPY, 0.0).bolus_u == 5.5
    assert recommend(60, 180, THERAPY, 0.0).bolus_u == 8.0


def test_insulin_on_board_is_subtracted_and_never_negative():
    """@verifies SRS-3, RISK-4"""
    rec = recommend(60, 180, THERAPY, iob_u=3.0)
    assert rec.iob_u == 3.0
    assert rec.bolus_u == 5.0  # 6 meal + 2 correction - 3 on board
    assert recommend(0, 100, THERAPY, iob_u=2.0).bolus_u == 0.0
    assert recommend(20, 90, THERAPY, iob_u=5.0).bolus_u == 0.0


def test_refuses_bolus_below_hypoglycaemia_threshold():
    """@verifies SRS-5, RISK-3"""
    rec = recommend(carbs_g=80, glucose_mgdl=69.9, therapy=THERAPY, iob_u=0.0)
    assert rec.status == "refused"
    assert rec.bolus_u == 0.0
    assert rec.reason is not None and "hypoglycaemia" in rec.reason
    assert recommend(80, 70.0, THERAPY, 0.0).status == "recommended"


def test_formula_does_not_apply_the_maximum():
    """The maximum bolus is applied by another unit (cloud-api, test_limit.py), not
    inside the formula it guards.

    @verifies SRS-6
    """
    rec = recommend(carbs_g=150, glucose_mgdl=180, therapy=THERAPY, iob_u=0.0)
    assert (rec.meal_u, rec.correction_u, rec.bolus_u) == (15.0, 2.0, 17.0)
    assert (rec.limited, rec.reason) == (False, None)


@pytest.mark.parametrize(
    ("units", "expected"),
    [
        (0.15, 0.15),  # ANOM-1: was 0.10 because 0.15 / 0.05 == 2.9999999999999996
        (0.149, 0.10),
        (4.35, 4.35),
        (3.1333, 3.10),
        (0.04, 0.0),
        (0.0, 0.0),
        (-1.0, 0.0),
    ],
)
def test_rounds_down_to_delivery_increment(units, expected):
    """@verifies SRS-7"""
    assert round_down_to_increment(units) == expected


def test_recommendation_always_within_limits():
    """Sweeps the input space: never negative, never above the maximum once limited,
    always deliverable.

    @verifies SRS-6, SRS-7, RISK-1
    """
    for carbs, glucose, iob, cr, cf, max_bolus in itertools.product(
        (0, 7, 45, 300),
        (70, 99, 250, 600),
        (0.0, 1.3, 12.0),
        (2, 12, 150),
        (5, 45, 400),
        (0.05, 7.33, 25),
    ):
        therapy = Therapy(cr, cf, 110.0, max_bolus, 4.0)
        raw = recommend(carbs, glucose, therapy, iob)
        assert raw.bolus_u >= 0.0
        assert abs(raw.bolus_u * 20 - round(raw.bolus_u * 20)) < 1e-9
        bolus = limit_to_maximum(raw, max_bolus).bolus_u
        assert 0.0 <= bolus <= max_bolus
        assert abs(bolus * 20 - round(bolus * 20)) < 1e-9
