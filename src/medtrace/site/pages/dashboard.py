"""The dashboard (``index.html``): coverage per kind and per class, the findings of ``check``
by severity, the test results, the risks before and after control, the SOUP drift, exports."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Any

from medtrace.config.schema import ACCEPTABILITY
from medtrace.diagnostics import Diagnostic, Severity
from medtrace.site.data import SiteData
from medtrace.site.pages.common import Pages, render, site_page
from medtrace.tracing.model import Status

__all__ = ["Coverage", "context", "coverage_by_class", "coverage_by_kind"]

#: findings listed per severity on the dashboard (the counts are always complete)
SHOWN = 200


@dataclass(frozen=True)
class Coverage:
    label: str
    total: int
    verified: int
    statuses: dict[str, int]

    @property
    def percent(self) -> int:
        return round(100 * self.verified / self.total) if self.total else 0

    @property
    def decile(self) -> int:
        return round(self.percent, -1)


def _coverage(label: str, statuses: list[str]) -> Coverage:
    counts = Counter(statuses)
    done = counts[Status.VERIFIED.value] + counts[Status.NOT_REQUIRED.value]
    return Coverage(label, len(statuses), done, dict(sorted(counts.items())))


# @implements SRS-202
def coverage_by_kind(data: SiteData) -> list[Coverage]:
    """Verification coverage of each traced kind."""
    out = []
    for kind in data.config.traced_kinds:
        statuses = [e.status.value for e in data.trace.items.values() if e.item.kind == kind]
        if statuses:
            out.append(_coverage(data.title_of(kind), statuses))
    return out


def coverage_by_class(data: SiteData) -> list[Coverage]:
    """Verification coverage of the software requirements by the class of their item."""
    by_class: dict[str, list[str]] = {}
    for entry in data.trace.items.values():
        if entry.item.kind not in data.config.requirement_kinds or not entry.item.ids("item"):
            continue
        owner = data.model.get(entry.item.ids("item")[0])
        cls = owner.get("class") if owner is not None else None
        label = f"Class {cls}" if isinstance(cls, str) else "Item without class"
        by_class.setdefault(label, []).append(entry.status.value)
    return [_coverage(label, by_class[label]) for label in sorted(by_class)]


def _findings(findings: list[Diagnostic]) -> list[tuple[str, int, list[Diagnostic]]]:
    out = []
    for severity in (Severity.ERROR, Severity.WARNING, Severity.NOTE):
        found = [d for d in findings if d.severity is severity]
        out.append((severity.value, len(found), found[:SHOWN]))
    return out


def _risks(data: SiteData) -> list[tuple[str, int, int]]:
    if data.risks is None:
        return []
    risks = data.risks.analysis.risks
    before: Counter[str] = Counter(r.initial.acceptability or "not estimated" for r in risks)
    after: Counter[str] = Counter(r.residual.acceptability or "not estimated" for r in risks)
    names: list[str] = [*ACCEPTABILITY, "not estimated"]
    return [(n, before[n], after[n]) for n in names if before[n] or after[n]]


def _soup(data: SiteData) -> dict[str, Any] | None:
    if data.soup is None:
        return None
    keys = ("matched", "unlisted", "mismatched", "unused", "advisories")
    return {key: len(data.soup.get(key, [])) for key in keys}


def context(data: SiteData) -> dict[str, Any]:
    results = data.results
    return {
        "by_kind": coverage_by_kind(data),
        "by_class": coverage_by_class(data),
        "findings": _findings(data.findings),
        "outcomes": [(o.value, n) for o, n in results.counts().items()],
        "result_files": len(results.files),
        "tests": len(data.trace.tests),
        "risks": _risks(data),
        "soup": _soup(data),
        "exports": data.exports,
    }


@site_page("dashboard")
def dashboard(data: SiteData) -> Pages:
    page = render(
        "dashboard.html.j2", data, "index.html", "dashboard", "Dashboard", **context(data)
    )
    return {"index.html": page}
