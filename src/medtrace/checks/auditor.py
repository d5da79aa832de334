"""What an auditor checks first: manual test records complete and dated, requirements that
derive from something and lead to something, anomalies evaluated and closed with proof, and a
record for every requirement verified without a test."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from medtrace.checks.context import Context
from medtrace.checks.registry import rule
from medtrace.checks.shared import names_any
from medtrace.checks.trace import graded
from medtrace.diagnostics import CODES, Diagnostic, Severity
from medtrace.model import Item
from medtrace.results import Outcome
from medtrace.tracing import Trace
from medtrace.tracing.manual import parse_date
from medtrace.tracing.status import NOT_BY_TEST, manual_result

#: What a manual test record of each class holds once it was executed (field roles).
RECORD_FIELDS: dict[str, tuple[str, ...]] = {
    "C": ("version", "configuration", "tools", "tester", "executed", "actual", "deviations"),
    "B": ("version", "tester", "executed"),
    "A": (),
}
_RECORD_TEXT = {
    "C": "the software version, configuration, tools, tester, date, the actual result of each "
    "step and the deviations",
    "B": "the software version, tester and date",
    "A": "",
}
_SEVERE = {"high", "critical"}


# @implements SRS-175
@rule(
    "MT202",
    "manual-record-incomplete",
    Severity.WARNING,
    "An executed manual test case lacks a field its class requires of the record.",
    classes="BC",
)
def manual_record_incomplete(ctx: Context) -> Iterator[Diagnostic]:
    code = CODES["MT202"]
    for case in ctx.model.of_kind("test-case"):
        if manual_result(case) == "not-run":
            continue
        cls = ctx.item_class(case)
        missing = [f for f in RECORD_FIELDS.get(cls, ()) if _empty(case.get(f))]
        missing += _step_results(case) if "actual" in RECORD_FIELDS.get(cls, ()) else []
        if not missing:
            continue
        names = ", ".join(ctx.field_name(case, f) if " " not in f else f for f in missing)
        yield graded(
            ctx,
            code(
                f"test case {case.id} records result '{manual_result(case)}' without {names}",
                expected=f"a class {cls} test record: {_RECORD_TEXT[cls]}",
                hint="complete the record from the execution (write 'deviations: none' when "
                "there were none)",
                **ctx.at(case),
            ),
        )


def _empty(value: object) -> bool:
    return value is None or value == "" or value == []


def _step_results(case: Item) -> list[str]:
    """``an actual result for each step`` when ``actual`` has fewer entries than ``steps``."""
    steps, actual = case.get("steps"), case.get("actual")
    if isinstance(steps, list) and isinstance(actual, list) and len(actual) < len(steps):
        return [f"an actual result for each of its {len(steps)} steps (it has {len(actual)})"]
    return []


# @implements SRS-175
@rule(
    "MT203",
    "manual-record-future",
    Severity.ERROR,
    "A manual test case is dated in the future.",
)
def manual_record_future(ctx: Context) -> Iterator[Diagnostic]:
    code = CODES["MT203"]
    today = _today(ctx)
    for case in ctx.model.of_kind("test-case"):
        executed = parse_date(case.get("executed"))
        if executed is None or executed <= today:
            continue
        yield code(
            f"test case {case.id} is recorded as executed on {executed}, after today ({today})",
            expected="the date the test case was executed, not a future one",
            hint="correct the date of the record",
            **ctx.at(case, "executed"),
        )


def _today(ctx: Context) -> dt.date:
    from medtrace.clock import today as clock_today

    today = ctx.extras.get("today")
    return today if isinstance(today, dt.date) else clock_today()


# @implements SRS-177
@rule(
    "MT205",
    "requirement-without-parent",
    Severity.WARNING,
    "A software requirement derives from no requirement (in a project with system ones).",
    classes="BC",
)
def requirement_without_parent(ctx: Context) -> Iterator[Diagnostic]:
    code = CODES["MT205"]
    if not any(True for _ in ctx.model.of_kind("system-requirement")):
        return  # no system requirements to derive from: nothing to point at
    for item in ctx.model.of_kind("software-requirement"):
        if names_any(item, "parents"):
            continue
        yield code(
            f"software requirement {item.id} has no parent",
            expected="'parents' naming the system (or software) requirement it derives from "
            "(IEC 62304 5.2.1)",
            hint="add the requirement it refines to its 'parents'",
            **ctx.at(item),
        )


# @implements SRS-177
@rule(
    "MT206",
    "system-requirement-childless",
    Severity.WARNING,
    "A system requirement is refined by no requirement.",
    classes="BC",
)
def system_requirement_childless(ctx: Context) -> Iterator[Diagnostic]:
    code = CODES["MT206"]
    for item in ctx.model.of_kind("system-requirement"):
        if any(True for _ in ctx.model.sources(item.id, "parents")):
            continue
        yield code(
            f"system requirement {item.id} has no child requirement",
            expected="a software (or system) requirement that names it in 'parents'",
            hint="write the software requirements that implement it, or state in it why the "
            "software has none",
            **ctx.at(item),
        )


# @implements SRS-178
@rule(
    "MT207",
    "anomaly-open-severe",
    Severity.ERROR,
    "An open anomaly is of high or critical severity.",
)
def anomaly_open_severe(ctx: Context) -> Iterator[Diagnostic]:
    code = CODES["MT207"]
    for item in ctx.model.of_kind("anomaly"):
        severity = str(item.get("severity") or "")
        if item.get("status") != "open" or severity not in _SEVERE:
            continue
        yield code(
            f"anomaly {item.id} of {severity} severity is open",
            expected="no open anomaly of high or critical severity (IEC 62304 9.2, 5.8.2)",
            hint="fix it and close it with the fixing version and the test that shows the fix, "
            "or lower its severity with the evaluation that justifies it",
            **ctx.at(item, "status"),
        )


# @implements SRS-178
@rule(
    "MT208",
    "anomaly-closed-unverified",
    Severity.WARNING,
    "A closed anomaly names no fixing version or no passing test of the fix.",
    needs=("trace",),
)
def anomaly_closed_unverified(ctx: Context) -> Iterator[Diagnostic]:
    code = CODES["MT208"]
    trace = ctx.trace
    for item in ctx.model.of_kind("anomaly"):
        if item.get("status") != "closed":
            continue
        problems = [] if item.get("fixed_in") else ["no fixing version ('fixed_in')"]
        problems += _proof(ctx, trace, item)
        if not problems:
            continue
        yield graded(
            ctx,
            code(
                f"closed anomaly {item.id}: {'; '.join(problems)}",
                expected="a closed anomaly with the version that fixes it and a passing test or "
                "test case that shows the fix (in 'verified_by')",
                hint="add 'fixed_in' and 'verified_by' (a test case ID, or a test as "
                "path::name) to the anomaly",
                **ctx.at(item),
            ),
        )


def _proof(ctx: Context, trace: Trace, item: Item) -> list[str]:
    """What is wrong with the tests named in ``verified_by`` (empty: one of them passes)."""
    names = [str(v) for v in item.ids("verified_by")]
    if not names:
        return ["no test that shows the fix ('verified_by')"]
    passing = [n for n in names if _passes(ctx, trace, n)]
    if passing:
        return []
    return [f"no passing result for {', '.join(names)}"]


def _passes(ctx: Context, trace: Trace, name: str) -> bool:
    case = ctx.model.get(name)
    if case is not None and case.kind == "test-case":
        return manual_result(case) == "pass"
    tests = [t for t in trace.tests if name in (t.key, t.name)]
    return (
        bool(tests)
        and all(t.results for t in tests)
        and all(t.outcome is Outcome.PASSED for t in tests)
    )


# @implements SRS-179
@rule(
    "MT209",
    "verification-record-missing",
    Severity.WARNING,
    "A requirement verified by inspection, analysis or demonstration names no record of it.",
)
def verification_record_missing(ctx: Context) -> Iterator[Diagnostic]:
    code = CODES["MT209"]
    for kind in ctx.config.requirement_kinds:
        for item in ctx.model.of_kind(kind):
            method = item.fields.get("verification")  # Item.get without the call, per item
            if method not in NOT_BY_TEST or item.get("verification_record"):
                continue
            yield graded(
                ctx,
                code(
                    f"{item.id} is verified by {method}, but names no record of it",
                    expected=f"'verification_record': the document or file of the {method}",
                    hint="add 'verification_record' with the path or reference of the record",
                    **ctx.at(item, "verification"),
                ),
            )
