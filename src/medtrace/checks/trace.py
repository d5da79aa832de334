"""Traceability rules: requirements and risk controls verified by tests that pass, tags that
name known items, tests that trace to something, code that belongs to a software item."""

from __future__ import annotations

import dataclasses
import difflib
from collections.abc import Iterator, Mapping

from medtrace.checks.context import Context
from medtrace.checks.registry import rule
from medtrace.checks.shared import controls, entries_with, trace_index
from medtrace.diagnostics import CODES, Diagnostic, Severity
from medtrace.model import Item
from medtrace.results import Outcome, ResultSet, TestResult
from medtrace.scanning import ScanResult
from medtrace.tracing import ItemTrace, Status, Trace

_NEEDS = ("trace",)


# @implements SRS-172
def graded(ctx: Context, diagnostic: Diagnostic) -> Diagnostic:
    """``diagnostic`` as an error when the item it is about is of a strict class
    (``[strictness] classes``, by default C; ``[rules]`` still sets a rule's severity for the
    whole project)."""
    item = ctx.model.get(diagnostic.item) if diagnostic.item else None
    cls = ctx.item_class(item) if item is not None else ctx.config.safety_class
    if cls in ctx.config.strictness.classes and diagnostic.severity is Severity.WARNING:
        return dataclasses.replace(diagnostic, severity=Severity.ERROR)
    return diagnostic


def _same(ctx: Context, diagnostic: Diagnostic) -> Diagnostic:
    return diagnostic


# @implements SRS-22
@rule(
    "MT101",
    "requirement-untested",
    Severity.ERROR,
    "A software requirement of class B or C has no verifying test.",
    classes="BC",
    needs=_NEEDS,
)
def requirement_untested(ctx: Context) -> Iterator[Diagnostic]:
    code = CODES["MT101"]
    risk_controls = controls(ctx)
    for entry in entries_with(ctx, Status.UNTESTED):
        item = entry.item
        if item.kind != "software-requirement":
            continue
        if item.id in risk_controls or ctx.item_class(item) == "A":
            continue  # risk controls: MT102, in every class
        yield code(
            f"software requirement {item.id} has no verifying test",
            expected="a test tagged '@verifies "
            f"{item.id}' (or @pytest.mark.verifies), or a test case item that verifies it",
            hint="tag the test that verifies it, or set 'verification: inspection' (or analysis) "
            "with a rationale if it is not verified by test",
            **ctx.at(item),
        )


#: Verified by looking rather than running: may be met without code (a label, a document).
_NOT_BY_CODE = {"inspection", "analysis"}


# @implements SRS-106
@rule(
    "MT124",
    "requirement-unimplemented",
    Severity.ERROR,
    "A software requirement of class B or C has no implementing code.",
    classes="BC",
    needs=_NEEDS,
)
def requirement_unimplemented(ctx: Context) -> Iterator[Diagnostic]:
    """Only in a project that says where its code is (``paths.sources``): one that keeps its
    requirements apart from its code has no code to trace them to."""
    if not ctx.config.paths.sources:
        return
    code = CODES["MT124"]
    for entry in trace_index(ctx).uncoded:
        item = entry.item
        if item.kind != "software-requirement":
            continue
        if item.get("verification") in _NOT_BY_CODE or ctx.item_class(item) == "A":
            continue
        declared = item.get("implemented_in")
        if isinstance(declared, list) and declared:
            yield from _missing_artefacts(ctx, item, [str(p) for p in declared])
            continue
        yield code(
            f"software requirement {item.id} has no implementing code",
            expected=f"a function, class or file tagged '@implements {item.id}' (IEC 62304 5.5)",
            hint=f"tag the code that implements it with '@implements {item.id}'; a requirement "
            "met without code is verified by 'inspection' or 'analysis' instead",
            **ctx.at(item),
        )


def _missing_artefacts(ctx: Context, item: Item, declared: list[str]) -> Iterator[Diagnostic]:
    """A requirement met by files no tag can be put in (build configuration, a Makefile, a
    shipped document) names them in ``implemented_in``: each must be a file of the project."""
    root = ctx.config.root
    for rel in declared:
        path = root / rel
        if rel.startswith("/") or ".." in rel.split("/") or not path.is_file():
            yield CODES["MT124"](
                f"'implemented_in' of {item.id} names {rel}, which is not a file of the project",
                expected="the paths, relative to the project root, of the files that implement it",
                hint="Fix the path, or tag the code that implements it with "
                f"'@implements {item.id}'.",
                **ctx.at(item, "implemented_in"),
            )


# @implements SRS-22
@rule(
    "MT102",
    "control-unverified",
    Severity.ERROR,
    "A risk control measure has no verifying test.",
    needs=_NEEDS,
)
def control_unverified(ctx: Context) -> Iterator[Diagnostic]:
    code = CODES["MT102"]
    for entry in controls(ctx).values():
        item = entry.item
        if item.kind != "software-requirement" or entry.status is not Status.UNTESTED:
            continue
        risks = ", ".join(item.ids("controls"))
        yield code(
            f"risk control {item.id} (controls {risks}) has no verifying test",
            expected=f"a test or test case that verifies {item.id} (ISO 14971 7.2)",
            hint=f"tag the test that verifies it with '@verifies {item.id}'",
            **ctx.at(item),
        )


# @implements SRS-22
@rule(
    "MT103",
    "test-failing",
    Severity.ERROR,
    "A requirement or risk has a failing test in the latest results.",
    needs=_NEEDS,
)
def test_failing(ctx: Context) -> Iterator[Diagnostic]:
    code = CODES["MT103"]
    for entry in entries_with(ctx, Status.FAILING):
        failing = [t for t in entry.tests if t.outcome in (Outcome.FAILED, Outcome.ERROR)]
        cases = [c.id for c in entry.manual if c.get("result") == "fail"]
        if not failing and not cases:
            continue  # failing through a child requirement, which is reported itself
        names = [t.label for t in failing[:3]] + cases
        more = f" and {len(failing) - 3} more" if len(failing) > 3 else ""
        first = failing[0].results[0] if failing and failing[0].results else None
        detail = f": {first.message}" if first and first.message else ""
        yield code(
            f"{entry.item.kind} {entry.item.id} has failing tests: {'; '.join(names)}{more}{detail}",
            expected="every test of the requirement passing in the latest results",
            hint="fix the code or the test, run the tests again, then check",
            **ctx.at(entry.item),
        )


# @implements SRS-22
@rule(
    "MT104",
    "tag-unknown-id",
    Severity.ERROR,
    "A tag in code or tests, or a result property, names an ID that no item has.",
    needs=_NEEDS,
)
def tag_unknown_id(ctx: Context) -> Iterator[Diagnostic]:
    code = CODES["MT104"]
    scan = ctx.extras["scan"]
    assert isinstance(scan, ScanResult)
    known = ctx.model.items  # looked up once: a project has a tag or two per test
    if _all_known(ctx.trace, scan, known):
        return  # (the trace looked every ID up already)
    for tag in scan.tags:
        if tag.verb == "level":
            yield from _unknown_level(ctx, tag.ids[0], tag.path, tag.line)
            continue
        for item_id in tag.ids:
            if item_id in known:
                continue
            close = ctx.closest_id(item_id)
            yield code(
                f"@{tag.verb} names {item_id}, which is not an item",
                expected="the ID of an existing requirement, risk or other item",
                hint=f"did you mean {close}?" if close else "fix the tag or create the item",
                path=tag.path,
                line=tag.line,
                item=item_id,
            )
    yield from _unknown_in_results(ctx)


# @implements SRS-323
def _all_known(trace: Trace, scan: ScanResult, known: Mapping[str, Item]) -> bool:
    """Whether the loops of :func:`tag_unknown_id` would find nothing, as the trace made of
    ``scan`` tells without a pass over 200,000 tags and 100,000 tests: no tag is an
    ``@level`` tag, and every ID that a tag or a test's ``verifies`` names is a traced item's
    (the trace's items are the model's) or, gathered in ``trace.untraced_ids``, another known
    item's."""
    untraced = trace.untraced_ids
    if untraced is None or trace.tags_seen is not scan.tags or trace.level_tags:
        return False
    return known.keys() >= untraced


def _unknown_level(ctx: Context, level: str, path: str, line: int) -> Iterator[Diagnostic]:
    from medtrace.tracing.build import LEVELS

    if level in LEVELS:
        return
    close = difflib.get_close_matches(level, LEVELS, n=1)
    yield CODES["MT104"](
        f"@level names {level}, which is not a test level",
        expected="unit, integration or system (IEC 62304 5.5, 5.6, 5.7)",
        hint=f"did you mean {close[0]}?" if close else "write one of unit, integration, system",
        path=path,
        line=line,
    )


def _unknown_in_results(ctx: Context) -> Iterator[Diagnostic]:
    code = CODES["MT104"]
    seen: set[tuple[str, str]] = set()
    known = ctx.model.items
    for test in ctx.trace.tests:
        for item_id in test.verifies:
            if item_id in known or not test.results or (test.key, item_id) in seen:
                continue
            seen.add((test.key, item_id))
            result = test.results[0]
            if item_id in _property_ids(result):
                close = ctx.closest_id(item_id)
                yield code(
                    f"test {test.name} is recorded as verifying {item_id}, which is not an item",
                    expected="the ID of an existing requirement, risk or other item",
                    hint=f"did you mean {close}?" if close else "fix the marker or create the item",
                    path=result.source,
                    line=result.source_line,
                    item=item_id,
                )


def _property_ids(result: TestResult) -> set[str]:
    """The IDs of a result's ``verifies`` properties (each a comma-separated list)."""
    values = result.property_values("verifies")
    return {part.strip() for value in values for part in value.split(",") if part.strip()}


@rule(
    "MT105",
    "test-untraced",
    Severity.WARNING,
    "An automated test traces to no requirement or risk.",
    needs=_NEEDS,
)
def test_untraced(ctx: Context) -> Iterator[Diagnostic]:
    code = CODES["MT105"]
    for test in ctx.trace.tests:
        if test.verifies or not test.path:
            continue
        yield code(
            f"test {test.name} verifies nothing",
            expected="a '@verifies ID' tag (or @pytest.mark.verifies) naming what it verifies",
            hint='tag it, or set test-untraced = "off" in [rules] if untagged tests are fine',
            path=test.path,
            line=test.line,
        )


@rule(
    "MT106",
    "code-unmapped",
    Severity.WARNING,
    "A code file belongs to no software item.",
    needs=_NEEDS,
)
def code_unmapped(ctx: Context) -> Iterator[Diagnostic]:
    code = CODES["MT106"]
    tests = _test_files(ctx)
    for path, item_id in sorted(ctx.trace.file_items.items()):
        if item_id is not None or path in tests:
            continue
        yield code(
            f"code file {path} belongs to no software item",
            expected="a software item whose 'paths' match the file (IEC 62304 5.3)",
            hint="add a glob that matches it to the 'paths' of its software item",
            path=path,
        )


def _test_files(ctx: Context) -> set[str]:
    tests = ctx.extras.get("test_files", set())
    assert isinstance(tests, set)
    return tests


# @implements SRS-104
@rule(
    "MT122",
    "results-stale",
    Severity.WARNING,
    "Test results were made before the current content of the code or tests they cover.",
    needs=_NEEDS,
)
def results_stale(ctx: Context) -> Iterator[Diagnostic]:
    code = CODES["MT122"]
    for entry in entries_with(ctx, Status.STALE):
        if not entry.results_stale:
            continue
        yield graded(
            ctx,
            code(
                f"the results for {entry.item.id} are older than its code or tests: "
                + "; ".join(entry.results_stale),
                expected="results produced after the last change to the content of the code "
                "and tests",
                hint="run the tests again before checking (a file only touched, or switched to "
                "another branch and back, does not count as changed once medtrace has seen the "
                "results)",
                **ctx.at(entry.item),
            ),
        )


@rule(
    "MT123",
    "test-not-run",
    Severity.WARNING,
    "A requirement's tests have no result in the latest test results.",
    classes="BC",
    needs=_NEEDS,
)
def test_not_run(ctx: Context) -> Iterator[Diagnostic]:
    code = CODES["MT123"]
    risks = set(ctx.config.risk_kinds)
    for entry in entries_with(ctx, Status.NOT_RUN):
        if entry.item.kind in risks:
            continue
        if not entry.tests and not entry.manual:
            continue  # not run through its child requirements, which are reported themselves
        names = ", ".join(t.name for t in entry.tests[:3]) or ", ".join(c.id for c in entry.manual)
        # automated tests without results are errors in class C; planned manual cases not yet
        # run stay warnings (a release shows them with --strict)
        yield (graded if entry.tests else _same)(
            ctx,
            code(
                f"the tests of {entry.item.id} have no passing result ({names})",
                expected="a result for each test in the files of paths.results",
                hint="run the tests with JUnit XML output into paths.results, or record the "
                "manual test case's result",
                **ctx.at(entry.item),
            ),
        )


# @implements SRS-170, SRS-172
@rule(
    "MT204",
    "requirement-partially-verified",
    Severity.WARNING,
    "Some of a requirement's tests or test cases have no result in the latest results.",
    classes="BC",
    needs=_NEEDS,
)
def requirement_partial(ctx: Context) -> Iterator[Diagnostic]:
    code = CODES["MT204"]
    risks = set(ctx.config.risk_kinds)
    for entry in entries_with(ctx, Status.PARTIAL):
        if entry.item.kind in risks:
            continue
        shown = "; ".join(entry.missing[:3])
        more = f" and {len(entry.missing) - 3} more" if len(entry.missing) > 3 else ""
        # missing automated results are errors in class C; test cases planned and not yet run
        # (here or below) stay warnings, as for MT123
        yield (graded if entry.results_missing else _same)(
            ctx,
            code(
                f"{entry.item.kind} {entry.item.id} is only partially verified: {shown}{more}",
                expected="a passing result for every test and test case that verifies it "
                "(a manual pass does not stand in for a missing automated result)",
                hint="run every suite that holds its tests, with JUnit XML output into "
                "paths.results, before checking",
                **ctx.at(entry.item),
            ),
        )


# @implements SRS-173
@rule(
    "MT200",
    "result-without-test",
    Severity.ERROR,
    "A test result claims to verify an item, but no such test is found in the code.",
    needs=_NEEDS,
)
def result_without_test(ctx: Context) -> Iterator[Diagnostic]:
    code = CODES["MT200"]
    for result in ctx.trace.orphan_results:
        ids = ", ".join(sorted(_property_ids(result)))
        name = f"{result.classname}.{result.name}" if result.classname else result.name
        yield code(
            f"result of test {name} claims to verify {ids}, but no such test is found in the "
            "code; it is not counted as evidence",
            expected="results only for tests found in paths.tests (or tagged in paths.sources)",
            hint="add the test file to paths.tests, or remove the results of tests that do not "
            "exist",
            path=result.source,
            line=result.source_line,
        )


# @implements SRS-176
@rule(
    "MT201",
    "manual-record-stale",
    Severity.WARNING,
    "A manual test case's pass predates a change to what it verifies, or names another version.",
    needs=_NEEDS,
)
def manual_record_stale(ctx: Context) -> Iterator[Diagnostic]:
    """One finding per test case: the items its pass no longer stands for, and why."""
    code = CODES["MT201"]
    stale: dict[str, list[tuple[ItemTrace, str]]] = {}
    for entry in trace_index(ctx).manual_stale:
        for case_id, why in entry.manual_stale.items():
            stale.setdefault(case_id, []).append((entry, why))
    for case_id, pairs in sorted(stale.items()):
        case = ctx.model.items[case_id]
        ids = ", ".join(e.item.id for e, _ in pairs)
        found = list(dict.fromkeys(why for _, why in pairs))
        more = f" and {len(found) - 2} more" if len(found) > 2 else ""
        reasons = "; ".join(found[:2]) + more
        worst = min((graded(ctx, code("", item=e.item.id)).severity for e, _ in pairs), key=_rank)
        yield dataclasses.replace(
            code(
                f"the pass of test case {case_id} no longer stands for {ids}: {reasons}",
                expected="a test case executed on the project's version, after the last change "
                "to what it verifies and to their code",
                hint=f"run {case_id} again on the current version and record the execution",
                **ctx.at(case),
            ),
            severity=worst,
        )


def _rank(severity: Severity) -> int:
    return severity.rank


# @implements SRS-174
@rule(
    "MT212",
    "results-unrecorded",
    Severity.WARNING,
    "A results file of a class C project has no provenance record.",
    classes="C",
    needs=_NEEDS,
)
def results_unrecorded(ctx: Context) -> Iterator[Diagnostic]:
    """Without ``FILE.medtrace.json`` nothing tells which files the run was made from: a
    changed header or fixture cannot make its results stale."""
    code = CODES["MT212"]
    results = ctx.extras.get("results")
    if not isinstance(results, ResultSet):
        return
    for source in results.files:
        if source in results.provenance:
            continue
        yield code(
            f"results file {source} has no provenance record ({source}.medtrace.json)",
            expected="a record of the commit and of the files the suite ran on, written after "
            "the run",
            hint=f"run 'medtrace results record {source} --runner NAME --inputs GLOB' right "
            "after the suite (in make or CI)",
            path=source,
        )
