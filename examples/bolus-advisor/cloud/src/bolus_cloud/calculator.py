"""Bolus formula (unit bolus-calculator).

All glucose values are in mg/dL here; conversion from mmol/L happens once, at
the API boundary (validation.py). Doses are in insulin units (U, U-100).

    meal       = carbs / carb ratio
    correction = (glucose - target) / correction factor     (negative below target)
    bolus      = meal + correction - insulin on board, floored at 0,
                 rounded DOWN to 0.05 U

No bolus is recommended below the hypoglycaemia threshold, whatever the meal.
The maximum bolus is NOT applied here: it is a risk control of this formula
(RISK-1), so it lives in another unit, cloud-api (validation.limit_to_maximum),
where a defect of the formula cannot disable it.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

HYPO_THRESHOLD_MGDL = 70.0
"""Level 1 hypoglycaemia (International Hypoglycaemia Study Group): below it no bolus."""

DELIVERY_INCREMENT_U = 0.05
"""Smallest dose the pump delivers (one stroke); recommendations are multiples of it."""


@dataclass(frozen=True)
class Therapy:
    """Therapy settings prescribed by the clinician, in mg/dL and units."""

    carb_ratio_g_per_u: float
    correction_factor_mgdl_per_u: float
    target_mgdl: float
    max_bolus_u: float
    insulin_action_h: float


@dataclass(frozen=True)
class Recommendation:
    status: str  # "recommended" or "refused"
    bolus_u: float
    meal_u: float
    correction_u: float
    iob_u: float
    limited: bool
    reason: str | None


def meal_bolus(carbs_g: float, carb_ratio_g_per_u: float) -> float:
    """Insulin to cover the carbohydrates of the meal.

    @implements SRS-1
    """
    return carbs_g / carb_ratio_g_per_u


def correction_bolus(glucose_mgdl: float, target_mgdl: float, factor_mgdl_per_u: float) -> float:
    """Insulin to bring glucose back to target.

    Below target the correction is negative and reduces the meal bolus, so a
    meal eaten with low-normal glucose gets less insulin.

    @implements SRS-2
    """
    return (glucose_mgdl - target_mgdl) / factor_mgdl_per_u


def round_down_to_increment(units: float) -> float:
    """Largest multiple of the delivery increment that is not above `units`.

    Rounding is always down: a rounding error can only give less insulin. The
    small epsilon absorbs binary floating-point error (0.15 / 0.05 is
    2.9999999999999996 in IEEE 754), which used to turn 0.15 U into 0.10 U
    (ANOM-1).

    @implements SRS-7
    """
    if units <= 0.0:
        return 0.0
    steps = math.floor(units / DELIVERY_INCREMENT_U + 1e-9)
    return round(steps * DELIVERY_INCREMENT_U, 2)


def recommend(
    carbs_g: float, glucose_mgdl: float, therapy: Therapy, iob_u: float
) -> Recommendation:
    """The bolus recommendation for validated inputs, before the maximum bolus.

    @implements SRS-3, SRS-5
    """
    if glucose_mgdl < HYPO_THRESHOLD_MGDL:
        # Hypoglycaemia: insulin would make it worse. Refuse outright rather
        # than compute a reduced dose; the app tells the user to treat the low.
        return Recommendation(
            status="refused",
            bolus_u=0.0,
            meal_u=0.0,
            correction_u=0.0,
            iob_u=round(iob_u, 2),
            limited=False,
            reason=f"glucose below {HYPO_THRESHOLD_MGDL:.0f} mg/dL: treat hypoglycaemia first",
        )

    meal = meal_bolus(carbs_g, therapy.carb_ratio_g_per_u)
    correction = correction_bolus(
        glucose_mgdl, therapy.target_mgdl, therapy.correction_factor_mgdl_per_u
    )
    # Insulin still acting from earlier boluses is subtracted from the whole
    # bolus, not only from the correction: this is the conservative choice
    # against insulin stacking (RISK-4). The result is never negative.
    total = max(0.0, meal + correction - iob_u)
    return Recommendation(
        status="recommended",
        bolus_u=round_down_to_increment(total),
        meal_u=round(meal, 2),
        correction_u=round(correction, 2),
        iob_u=round(iob_u, 2),
        limited=False,
        reason=None,
    )
