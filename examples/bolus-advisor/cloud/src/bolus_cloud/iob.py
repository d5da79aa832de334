"""Insulin on board (unit iob-model)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class PastBolus:
    units: float
    minutes_ago: float


def remaining_fraction(minutes_ago: float, insulin_action_h: float) -> float:
    """Fraction of a bolus still acting `minutes_ago` after it was given.

    Linear decay over the clinician-set duration of insulin action, as in the
    "active insulin time" of most commercial bolus calculators. A bolus dated
    in the future can only come from a clock error; it counts in full, which
    is the conservative choice (more insulin on board, smaller bolus).

    @implements SRS-4
    """
    duration_min = insulin_action_h * 60.0
    if minutes_ago <= 0.0:
        return 1.0
    if minutes_ago >= duration_min:
        return 0.0
    return 1.0 - minutes_ago / duration_min


def insulin_on_board(boluses: Iterable[PastBolus], insulin_action_h: float) -> float:
    """Units of insulin still acting from earlier boluses.

    @implements SRS-4
    """
    return sum(b.units * remaining_fraction(b.minutes_ago, insulin_action_h) for b in boluses)
