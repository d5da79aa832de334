"""Rules on coverage and static-analysis evidence (IEC 62304 5.5.4: additional acceptance
criteria for class C units): coverage per software item against the thresholds of its class,
coverage that is missing or older than the code, open analysis findings in high-class items.

Thresholds are ``[evidence.coverage]`` per class (none unless set); which findings count is
``[evidence.analysis]`` (level ``error`` in class C items, by default).
"""

from __future__ import annotations

import base64
import hashlib
import math
from collections.abc import Iterator, Sequence
from pathlib import Path

from medtrace.checks.context import Context
from medtrace.checks.registry import rule
from medtrace.diagnostics import CODES, Diagnostic, Severity
from medtrace.evidence import Evidence, Finding, ItemEvidence, Report, by_item
from medtrace.model import Model
from medtrace.tracing import Trace
from medtrace.tracing.build import map_files

__all__ = ["item_evidence"]

_NEEDS = ("trace",)
_SINGULAR = {"lines": "line", "branches": "branch", "functions": "function"}
_LISTED = 3


def item_evidence(
    model: Model, evidence: Evidence, trace: Trace, test_files: set[str]
) -> dict[str, ItemEvidence]:
    """Each software item with the coverage and findings of the code it owns (test files,
    which a coverage run may measure too, belong to no item here)."""
    owners = dict(trace.file_items)
    extra = {*evidence.coverage, *(f.path for f in evidence.findings)} - set(owners)
    owners.update(map_files(model, sorted(extra)))
    owners.update(dict.fromkeys(test_files & set(owners)))
    parents = {}
    for item in model.of_kind("software-item"):
        parent = item.get("parent")
        parents[item.id] = parent if isinstance(parent, str) else None
    sources = [p for p in trace.file_items if p not in test_files]
    return by_item(evidence, owners, parents, sources)


def _evidence(ctx: Context) -> Evidence | None:
    found = ctx.extras.get("evidence")
    return found if isinstance(found, Evidence) else None


def _per_item(ctx: Context) -> dict[str, ItemEvidence]:
    cached = ctx.extras.get("item_evidence")
    if isinstance(cached, dict):
        return cached
    evidence, trace = _evidence(ctx), ctx.extras.get("trace")
    if evidence is None or not isinstance(trace, Trace):
        return {}
    tests = ctx.extras.get("test_files", set())
    found = item_evidence(ctx.model, evidence, trace, tests if isinstance(tests, set) else set())
    ctx.extras["item_evidence"] = found
    return found


def _least_covered(ctx: Context, entry: ItemEvidence, measure: str) -> str:
    """The item's files with the least coverage of ``measure`` first, with their figure."""
    evidence = _evidence(ctx)
    if evidence is None:
        return ""
    figures = [(evidence.coverage[p].figures, p) for p in entry.files]
    ranked = sorted(
        (value, path) for f, path in figures if (value := f.percent(measure)) is not None
    )
    return _listed([f"{path} ({_pct(value)})" for value, path in ranked if value < 100])


def _reports(ctx: Context, entry: ItemEvidence) -> str:
    evidence = _evidence(ctx)
    if evidence is None:
        return ""
    names = sorted({r for p in entry.files for r in evidence.coverage[p].reports})
    return ", ".join(names)


# @implements SRS-122
@rule(
    "MT143",
    "coverage-below",
    Severity.ERROR,
    "A software item's coverage is below the threshold of its safety class.",
    needs=_NEEDS,
)
def coverage_below(ctx: Context) -> Iterator[Diagnostic]:
    code = CODES["MT143"]
    for item_id, entry in sorted(_per_item(ctx).items()):
        item = ctx.model.items[item_id]
        safety_class = ctx.item_class(item)
        for measure, required in ctx.config.evidence.coverage.of(safety_class).items():
            measured = entry.own.percent(measure)
            if not entry.files or measured is None or measured >= required:
                continue
            covered, total = getattr(entry.own, measure)
            yield code(
                f"software item {item_id} (class {safety_class}) has {_pct(measured)} "
                f"{_SINGULAR[measure]} coverage ({covered} of {total}, in {_reports(ctx, entry)})",
                expected=f"at least {_pct(required)} for class {safety_class} "
                f"(evidence.coverage.{safety_class}.{measure})",
                hint=f"test the uncovered {measure} of {_least_covered(ctx, entry, measure)}, "
                "or justify a lower threshold for the class in [evidence.coverage]",
                **ctx.at(item),
            )


# @implements SRS-123
@rule(
    "MT144",
    "coverage-missing",
    Severity.ERROR,
    "No coverage report measures the code of a software item whose class requires coverage.",
    needs=_NEEDS,
)
def coverage_missing(ctx: Context) -> Iterator[Diagnostic]:
    code = CODES["MT144"]
    for item_id, entry in sorted(_per_item(ctx).items()):
        item = ctx.model.items[item_id]
        safety_class = ctx.item_class(item)
        required = ctx.config.evidence.coverage.of(safety_class)
        if not required or not entry.unmeasured or entry.measured:
            continue
        yield code(
            f"no coverage report measures the code of software item {item_id} (class "
            f"{safety_class}) or of its units: {_listed(entry.unmeasured)}",
            expected=f"coverage of its code for class {safety_class} "
            f"(evidence.coverage.{safety_class}) in the reports of paths.coverage",
            hint="run its tests with coverage (coverage.py, jest --coverage, gcc --coverage with "
            "gcovr) and add the report to paths.coverage",
            **ctx.at(item),
        )


# @implements SRS-124
@rule(
    "MT145",
    "coverage-stale",
    Severity.WARNING,
    "A coverage report is older than the code it measures.",
    needs=_NEEDS,
)
def coverage_stale(ctx: Context) -> Iterator[Diagnostic]:
    code = CODES["MT145"]
    evidence = _evidence(ctx)
    for report in evidence.of_kind("coverage") if evidence else []:
        changed = [
            f"{path} ({why})"
            for path in sorted(report.measured)
            if (why := _staleness(ctx.config.root, report, path))
        ]
        if changed:
            yield code(
                f"the coverage report measures code that changed since: {_listed(changed)}",
                expected="a report written after the last change to the code it measures",
                hint="run the tests with coverage again before checking",
                path=report.source,
            )


def _staleness(root: Path, report: Report, path: str) -> str:
    """Why the report is older than ``path``, or ``""``: by the line checksums it recorded
    when there are some, else by the lines it measures and the file's modification time."""
    try:
        data = (root / path).read_bytes()
        mtime = (root / path).stat().st_mtime
    except OSError:
        return "the file cannot be read"
    lines = data.split(b"\n")
    checksums = report.checksums.get(path)
    if checksums:
        changed = next((n for n, s in sorted(checksums.items()) if not _same(lines, n, s)), None)
        return f"line {changed} differs from the measured text" if changed else ""
    count = len(lines) - (1 if data.endswith(b"\n") else 0)
    if report.measured[path] > count:
        return f"it measures line {report.measured[path]} of a file of {count} lines"
    return "modified after the report was written" if mtime > report.mtime else ""


def _same(lines: list[bytes], number: int, checksum: str) -> bool:
    if number > len(lines):
        return False
    digest = hashlib.md5(lines[number - 1].rstrip(b"\r"), usedforsecurity=False).digest()
    return checksum in (digest.hex(), base64.b64encode(digest).decode().rstrip("="))


# @implements SRS-125
@rule(
    "MT146",
    "analysis-finding",
    Severity.ERROR,
    "An open static-analysis finding in a software item of a class that forbids it.",
    needs=_NEEDS,
)
def analysis_finding(ctx: Context) -> Iterator[Diagnostic]:
    """Findings in a file of no software item are held to the software system's class."""
    settings = ctx.config.evidence.analysis
    per_item = _per_item(ctx)
    owned: set[int] = set()
    for item_id, entry in sorted(per_item.items()):
        owned.update(id(f) for f in entry.findings)
        safety_class = ctx.item_class(ctx.model.items[item_id])
        if safety_class in settings.classes:
            yield from _findings(entry.findings, item_id, safety_class, settings.levels)
    evidence = _evidence(ctx)
    if evidence is not None and ctx.config.safety_class in settings.classes:
        rest = [f for f in evidence.findings if id(f) not in owned]
        yield from _findings(rest, "", ctx.config.safety_class, settings.levels)


def _findings(
    findings: list[Finding], item_id: str, safety_class: str, levels: Sequence[str]
) -> Iterator[Diagnostic]:
    code = CODES["MT146"]
    where = (
        f"{item_id}, class {safety_class}"
        if item_id
        else f"no software item, system class {safety_class}"
    )
    for finding in findings:
        if finding.level not in levels:
            continue
        rule_name = f" {finding.rule}" if finding.rule else ""
        yield code(
            f"{finding.tool}{rule_name} ({finding.level}): {finding.message} "
            f"[in {where}; {finding.source}]",
            expected=f"no open {finding.level} finding in class {safety_class} code",
            hint="fix the code, or suppress the finding in the analyser with a justification "
            "(a SARIF suppression is honoured)",
            path=finding.path,
            line=finding.line,
            column=finding.column,
            item=item_id,
        )


def _pct(value: float) -> str:
    """``89.96`` is ``89.9%``: rounded down, a figure below a threshold never shows it."""
    return f"{math.floor(value * 10) / 10:.1f}%".replace(".0%", "%")


def _listed(names: list[str]) -> str:
    more = f" and {len(names) - _LISTED} more" if len(names) > _LISTED else ""
    return ", ".join(names[:_LISTED]) + more
