"""The estimate of a risk, before or after control: severity × probability (one P, or P1 × P2
combined by the project's table) and its acceptability from the project's matrix."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from medtrace.config.schema import Acceptability, RiskSpec
from medtrace.model import Item

__all__ = ["Estimate", "estimate", "level_of"]


def level_of(value: Any, names: list[str], index: dict[str, int] | None = None) -> int | None:
    """0-based level of a scale value: a level's name (any case), or its 1-based number;
    ``index`` is the scale's names by case-folded name, when the caller has it."""
    if isinstance(value, str):
        folded = value.strip().casefold()
        found = (index or {n.casefold(): i for i, n in enumerate(names)}).get(folded)
        if found is not None:
            return found
        # an ASCII number of a few digits only: "²" is a digit to isdigit, and a 5,000-digit one
        # is past int()'s limit
        if folded.isascii() and folded.isdigit() and len(folded) <= 6:
            return level_of(int(folded), names)
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        return None
    return value - 1 if 1 <= value <= len(names) else None


@dataclass(slots=True)  # not frozen: made 20,000 times for 10,000 risks, a plain init is faster
class Estimate:
    """One estimate. ``severity``/``probability`` are 0-based levels (None when missing or not
    on the scale); ``written`` is the overall probability as written, when P1 × P2 is given too;
    ``split`` tells the probability came from P1 × P2."""

    severity: int | None
    probability: int | None
    p1: int | None = None
    p2: int | None = None
    written: int | None = None
    split: bool = False
    acceptability: Acceptability | None = None

    @property
    def complete(self) -> bool:
        return self.acceptability is not None


# @implements SRS-161
def estimate(item: Item, spec: RiskSpec, *, residual: bool = False) -> Estimate:
    """The initial (or residual) estimate of ``item`` from its fields."""
    prefix = "residual_" if residual else ""
    fields, index = item.fields, spec.index
    severity = level_of(fields.get(prefix + "severity"), spec.severity, index["severity"])
    written = level_of(fields.get(prefix + "probability"), spec.probability, index["probability"])
    p1 = level_of(fields.get(prefix + "p1"), spec.p1, index["p1"])
    p2 = level_of(fields.get(prefix + "p2"), spec.p2, index["p2"])
    split = p1 is not None and p2 is not None
    probability = spec.combined(p1, p2) if p1 is not None and p2 is not None else written
    verdict = None
    if severity is not None and probability is not None:
        verdict = spec.acceptability(severity, probability)
    return Estimate(severity, probability, p1, p2, written if split else None, split, verdict)
