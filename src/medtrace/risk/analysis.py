"""Every risk of a project with its estimates, its controls and their verification."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from medtrace.config import Config
from medtrace.config.schema import RiskSpec
from medtrace.model import Item, Model
from medtrace.risk.estimate import Estimate, estimate

__all__ = ["Analysis", "ControlInfo", "RiskInfo", "Verification", "analyse"]

#: Statuses of a control that count as its implementation verified.
VERIFIED = frozenset({"verified", "not-required"})


@dataclass(frozen=True, slots=True)
class Verification:
    """What the trace says of one control requirement: its status (``verified``, ``failing``,
    ``not-run``, ``stale``, ``untested``, ``not-required``) and the software items holding the
    code that implements it."""

    status: str
    items: frozenset[str] = frozenset()


@dataclass(frozen=True, slots=True)
class ControlInfo:
    """One risk control measure: the requirement that names the risk in ``controls``."""

    item: Item
    status: str
    code_items: frozenset[str]

    @property
    def id(self) -> str:
        return self.item.id

    @property
    def control_type(self) -> str | None:
        value = self.item.get("control_type")
        return value if isinstance(value, str) else None

    @property
    def effectiveness(self) -> str | None:
        value = self.item.get("effectiveness")
        return value if isinstance(value, str) and value.strip() else None

    @property
    def evidence(self) -> list[str]:
        return self.item.ids("effectiveness_evidence")

    @property
    def implemented(self) -> bool:
        """Its implementation is verified (a passing test, or inspection/analysis)."""
        return self.status in VERIFIED


@dataclass(slots=True)
class RiskInfo:
    item: Item
    initial: Estimate
    residual: Estimate
    controls: list[ControlInfo] = field(default_factory=list)

    @property
    def id(self) -> str:
        return self.item.id

    def text(self, role: str) -> str | None:
        value = self.item.get(role)
        return value.strip() if isinstance(value, str) and value.strip() else None


@dataclass
class Analysis:
    spec: RiskSpec
    risks: list[RiskInfo]

    def by_id(self) -> dict[str, RiskInfo]:
        return {r.id: r for r in self.risks}


# @implements SRS-161
def analyse(config: Config, model: Model, verification: Mapping[str, Verification]) -> Analysis:
    """The risks of every risk-like kind, in file order, with their controls."""
    spec = config.risk
    risks = []
    unknown = Verification("untested")
    made: dict[str, ControlInfo] = {}  # a control of several risks is made once
    estimated: dict[tuple[Any, ...], tuple[Estimate, Estimate, bool]] = {}
    for kind in config.risk_kinds:
        for item in model.of_kind(kind):
            controls = []
            for link in model.incoming.get(item.id, ()):
                if link.field != "controls":
                    continue
                control = made.get(link.source)
                if control is None:
                    v = verification.get(link.source, unknown)
                    control = ControlInfo(model.items[link.source], v.status, v.items)
                    made[link.source] = control
                controls.append(control)
            initial, residual, unwritten = _estimates_kept(item, spec, estimated)
            if not controls and unwritten:
                residual = initial  # nothing changes the risk: it stays as estimated
            risks.append(RiskInfo(item, initial, residual, controls))
    return Analysis(spec, risks)


_RESIDUAL = ("residual_severity", "residual_probability", "residual_p1", "residual_p2")
#: The fields an estimate is made of (:func:`estimate`, initial and residual).
_ESTIMATED = ("severity", "probability", "p1", "p2", *_RESIDUAL)


# @implements SRS-323
def _estimates_kept(
    item: Item, spec: RiskSpec, kept: dict[tuple[Any, ...], tuple[Estimate, Estimate, bool]]
) -> tuple[Estimate, Estimate, bool]:
    """:func:`_estimates` and :func:`_unwritten_residual` of ``item``, made once for each way
    the fields they read are written (10,000 risks are written a few dozen ways) and shared
    by the risks written alike (an estimate is a value: nothing changes one once made). The
    values' types are part of the key: ``1``, ``1.0`` and ``True`` are equal keys to Python
    but not the same level to :func:`level_of`; a value that cannot be a key (a list) is
    estimated alone."""
    values = tuple(map(item.fields.get, _ESTIMATED))
    key = (*values, *map(type, values))
    try:
        found = kept.get(key)
    except TypeError:  # unhashable: estimated alone (MT008 reports it)
        return (*_estimates(item, spec), _unwritten_residual(item))
    if found is None:
        found = kept[key] = (*_estimates(item, spec), _unwritten_residual(item))
    return found


def _unwritten_residual(item: Item) -> bool:
    return all(item.get(role) is None for role in _RESIDUAL)


def _estimates(item: Item, spec: RiskSpec) -> tuple[Estimate, Estimate]:
    """Initial and residual; an unwritten residual severity is the initial one (controls
    usually lower the probability only)."""
    initial = estimate(item, spec)
    residual = estimate(item, spec, residual=True)
    if residual.severity is None and item.get("residual_severity") is None:
        verdict = None
        if initial.severity is not None and residual.probability is not None:
            verdict = spec.acceptability(initial.severity, residual.probability)
        residual = dataclasses.replace(residual, severity=initial.severity, acceptability=verdict)
    return initial, residual
