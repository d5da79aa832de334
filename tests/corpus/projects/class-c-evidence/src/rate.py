"""Infusion rate limits of the syringe driver."""

import math

MAX_RATE_ML_H = 50.0


# @implements SRS-1
def limited_rate(requested: float, occlusion: bool) -> float:
    """The rate to run at: the request within the limit, zero on occlusion."""
    if occlusion:
        return 0.0
    if requested > MAX_RATE_ML_H:
        return MAX_RATE_ML_H
    if requested < 0:
        raise ValueError("a rate cannot be negative")
    return requested


def bolus_time_s(volume_ml: float, rate_ml_h: float) -> float:
    """How long a bolus takes at a rate."""
    if rate_ml_h <= 0:
        raise ValueError("the rate must be positive")
    return volume_ml / rate_ml_h * 3600
