"""Validation of recommendation requests, and the limit on the answer (unit cloud-api).

A request is checked completely before any calculation: type, finiteness and
clinical range of every field, no unknown field, and an explicit glucose unit.
All problems are reported at once, each with the field it concerns.

The recommendation computed by the calculator (unit bolus-calculator) is then
held to the maximum bolus here, in a unit apart from the formula it guards
(limit_to_maximum, RISK-1).
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, replace
from typing import Any

from bolus_cloud.calculator import Recommendation, Therapy, round_down_to_increment
from bolus_cloud.iob import PastBolus

MGDL_PER_MMOLL = 18.016
"""mg/dL per mmol/L of glucose (molar mass 180.16 g/mol); the app uses the same factor."""

UNITS = ("mg/dL", "mmol/L")

# Accepted ranges. Glucose-valued limits are in mg/dL and apply after
# conversion, so a limit means the same thing whatever unit the value came in.
CARBS_G = (0.0, 300.0)
GLUCOSE_MGDL = (20.0, 600.0)
CARB_RATIO_G_PER_U = (2.0, 150.0)
CORRECTION_FACTOR_MGDL_PER_U = (5.0, 400.0)
TARGET_MGDL = (70.0, 180.0)
MAX_BOLUS_U = (0.05, 25.0)
INSULIN_ACTION_H = (2.0, 8.0)
PAST_BOLUS_U = (0.0, 25.0)
MINUTES_AGO = (0.0, 1440.0)
MAX_PAST_BOLUSES = 50
PATIENT_ID = re.compile(r"^[A-Za-z0-9-]{1,64}$")

# Every field is required. In particular `recent_boluses` must be sent even
# when empty: a missing history must never be read as "no insulin on board".
TOP_FIELDS = {"patient_id", "unit", "carbs_g", "glucose", "therapy", "recent_boluses"}
THERAPY_FIELDS = {
    "carb_ratio_g_per_u",
    "correction_factor",
    "target_glucose",
    "max_bolus_u",
    "insulin_action_h",
}
BOLUS_FIELDS = {"units", "minutes_ago"}


@dataclass(frozen=True)
class BolusRequest:
    patient_id: str
    unit: str
    carbs_g: float
    glucose_mgdl: float
    therapy: Therapy
    recent_boluses: tuple[PastBolus, ...]

    def normalised(self) -> dict[str, Any]:
        """The request in mg/dL, as recorded in the audit trail."""
        return {
            "patient_id": self.patient_id,
            "unit": self.unit,
            "carbs_g": self.carbs_g,
            "glucose_mgdl": round(self.glucose_mgdl, 1),
            "therapy": dict(vars(self.therapy)),
            "recent_boluses": [dict(vars(b)) for b in self.recent_boluses],
        }


def limit_to_maximum(rec: Recommendation, max_bolus_u: float) -> Recommendation:
    """`rec`, reduced to the maximum bolus and flagged, if it is above it.

    The maximum is the clinician's, as validated from the request (0.05 to 25 U);
    the reduced dose is rounded down to a deliverable multiple of 0.05 U.

    @implements SRS-6
    """
    if not rec.bolus_u > max_bolus_u:
        return rec
    return replace(
        rec,
        bolus_u=round_down_to_increment(max_bolus_u),
        limited=True,
        reason="limited to the maximum bolus",
    )


class ValidationError(Exception):
    def __init__(self, errors: list[dict[str, str]]) -> None:
        super().__init__(f"{len(errors)} invalid field(s)")
        self.errors = errors


def to_mgdl(value: float, unit: str) -> float:
    """A glucose value, or a glucose difference such as a correction factor, in mg/dL.

    @implements SRS-10
    """
    return value * MGDL_PER_MMOLL if unit == "mmol/L" else value


class _Checker:
    """Collects every problem of a request instead of stopping at the first."""

    def __init__(self) -> None:
        self.errors: list[dict[str, str]] = []

    def fail(self, field: str, message: str) -> None:
        self.errors.append({"field": field, "message": message})

    def obj(self, value: Any, field: str, allowed: set[str]) -> dict[str, Any]:
        if not isinstance(value, dict):
            self.fail(field or "(body)", "must be a JSON object")
            return {}
        prefix = f"{field}." if field else ""
        for name in sorted(set(value) - allowed):
            self.fail(prefix + name, "unknown field")
        for name in sorted(allowed - set(value)):
            self.fail(prefix + name, "required")
        return value

    def number(
        self, value: Any, field: str, bounds: tuple[float, float], unit: str, factor: float = 1.0
    ) -> float:
        """`value` times `factor` (the conversion into the unit of `bounds`), if in range."""
        if value is None:
            return math.nan  # reported as missing by obj()
        # bool is a subclass of int in Python: refuse it explicitly.
        if isinstance(value, bool) or not isinstance(value, int | float):
            self.fail(field, "must be a number")
            return math.nan
        number = float(value) * factor
        low, high = bounds
        if not (math.isfinite(number) and low <= number <= high):
            self.fail(field, f"must be between {low / factor:.3g} and {high / factor:.3g} {unit}")
            return math.nan
        return number


def parse_request(body: Any) -> BolusRequest:
    """A validated request, or ValidationError listing every problem.

    @implements SRS-9, SRS-10
    """
    c = _Checker()
    top = c.obj(body, "", TOP_FIELDS)

    unit = top.get("unit")
    if "unit" in top and unit not in UNITS:
        # No default unit: a glucose number is never interpreted without one (RISK-2).
        c.fail("unit", "must be 'mg/dL' or 'mmol/L'")
    factor = to_mgdl(1.0, unit) if unit in UNITS else math.nan

    def glucose(value: Any, field: str, bounds_mgdl: tuple[float, float], per: str = "") -> float:
        if math.isnan(factor):
            return math.nan  # the unit is missing or wrong: already reported
        return c.number(value, field, bounds_mgdl, f"{unit}{per}", factor)

    patient_id = top.get("patient_id")
    if "patient_id" in top and not (
        isinstance(patient_id, str) and PATIENT_ID.fullmatch(patient_id)
    ):
        c.fail("patient_id", "must be 1 to 64 letters, digits or '-' (a pseudonym, never a name)")
    carbs = c.number(top.get("carbs_g"), "carbs_g", CARBS_G, "g")
    glucose_mgdl = glucose(top.get("glucose"), "glucose", GLUCOSE_MGDL)

    t = c.obj(top["therapy"], "therapy", THERAPY_FIELDS) if "therapy" in top else {}
    therapy = Therapy(
        carb_ratio_g_per_u=c.number(
            t.get("carb_ratio_g_per_u"), "therapy.carb_ratio_g_per_u", CARB_RATIO_G_PER_U, "g/U"
        ),
        correction_factor_mgdl_per_u=glucose(
            t.get("correction_factor"),
            "therapy.correction_factor",
            CORRECTION_FACTOR_MGDL_PER_U,
            " per U",
        ),
        target_mgdl=glucose(t.get("target_glucose"), "therapy.target_glucose", TARGET_MGDL),
        max_bolus_u=c.number(t.get("max_bolus_u"), "therapy.max_bolus_u", MAX_BOLUS_U, "U"),
        insulin_action_h=c.number(
            t.get("insulin_action_h"), "therapy.insulin_action_h", INSULIN_ACTION_H, "h"
        ),
    )

    boluses: list[PastBolus] = []
    past = top.get("recent_boluses", [])
    if not isinstance(past, list) or len(past) > MAX_PAST_BOLUSES:
        c.fail("recent_boluses", f"must be a list of at most {MAX_PAST_BOLUSES} boluses")
        past = []
    for i, entry in enumerate(past):
        field = f"recent_boluses[{i}]"
        b = c.obj(entry, field, BOLUS_FIELDS)
        units = c.number(b.get("units"), f"{field}.units", PAST_BOLUS_U, "U")
        minutes = c.number(b.get("minutes_ago"), f"{field}.minutes_ago", MINUTES_AGO, "min")
        boluses.append(PastBolus(units=units, minutes_ago=minutes))

    if c.errors:
        raise ValidationError(c.errors)
    return BolusRequest(
        patient_id=str(patient_id),
        unit=str(unit),
        carbs_g=carbs,
        glucose_mgdl=glucose_mgdl,
        therapy=therapy,
        recent_boluses=tuple(boluses),
    )
