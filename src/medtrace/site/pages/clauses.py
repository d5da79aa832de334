"""The IEC 62304 clause map: each clause that applies to the project's class, where its
evidence is in this site, or that it is missing."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from medtrace.site.clauses import Clause, applicable
from medtrace.site.data import SiteData
from medtrace.site.pages.common import Pages, render, site_page

__all__ = ["PROBES", "clause_map", "context"]


def _kinds(data: SiteData, kinds: list[str]) -> bool:
    return any(data.model.of_kind(k) for k in kinds)


def _controls(data: SiteData) -> bool:
    return any(
        i.ids("controls") for k in data.config.requirement_kinds for i in data.model.of_kind(k)
    )


def _verified_controls(data: SiteData) -> bool | str:
    """Every control verified: present; some: incomplete (the evidence exists but does not
    cover every control yet); none: missing."""
    report = data.risks
    if report is None:
        return False
    controls = [c for r in report.analysis.risks for c in r.controls]
    verified = sum(1 for c in controls if c.implemented)
    if controls and verified == len(controls):
        return True
    return INCOMPLETE if verified else False


def _level(data: SiteData, level: str) -> bool:
    return any((t.level or "unit") == level and t.results for t in data.trace.tests)


def _system(data: SiteData) -> bool:
    manual = [i for i in data.model.of_kind("test-case") if i.get("result")]
    return _level(data, "system") or bool(manual)


def _segregation(data: SiteData) -> bool:
    return any(i.get("segregation") for i in data.model.of_kind("software-item"))


PRESENT, INCOMPLETE, MISSING = "present", "incomplete", "missing"

#: probe name → whether the project holds the clause's evidence (:mod:`medtrace.site.clauses`):
#: true, false, or ``INCOMPLETE`` where it holds some of it
PROBES: dict[str, Callable[[SiteData], bool | str]] = {
    "config": lambda d: d.config.source is not None,
    "requirements": lambda d: _kinds(d, d.config.requirement_kinds),
    "controls": _controls,
    "architecture": lambda d: _kinds(d, ["software-item"]),
    "segregation": _segregation,
    "interfaces": lambda d: any(i.get("interfaces") for i in d.model.of_kind("software-item")),
    "units": lambda d: any(e.code for e in d.trace.items.values()) and _level(d, "unit"),
    "integration": lambda d: _level(d, "integration"),
    "system": _system,
    "release": lambda d: bool(d.stamp.version),
    "anomalies": lambda d: _kinds(d, ["anomaly"]),
    "risks": lambda d: _kinds(d, d.config.risk_kinds),
    "verified_controls": _verified_controls,
    "history": lambda d: d.history.note is None and bool(d.history.changes),
    "soup": lambda d: _kinds(d, ["soup"]),
}


# @implements SRS-208
def clause_map(data: SiteData) -> list[tuple[Clause, str]]:
    """Each applicable clause with its evidence's state: present, incomplete or missing."""
    return [(c, _state(PROBES[c.probe](data))) for c in applicable(data.stamp.safety_class)]


def _state(found: bool | str) -> str:
    if isinstance(found, str):
        return found
    return PRESENT if found else MISSING


def context(data: SiteData) -> dict[str, Any]:
    return {"rows": clause_map(data)}


@site_page("clauses")
def clauses(data: SiteData) -> Pages:
    title = "IEC 62304 clause map"
    page = render("clauses.html.j2", data, "clauses.html", "clauses", title, **context(data))
    return {"clauses.html": page}
