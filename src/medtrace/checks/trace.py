"""Traceability rules: requirements and risk controls verified by tests that pass, tags that
name known items, tests that trace to something, code that belongs to a software item."""

from __future__ import annotations

from collections.abc import Iterator

from medtrace.checks.context import Context
from medtrace.checks.registry import rule
from medtrace.diagnostics import CODES, Diagnostic, Severity
from medtrace.model import Item
from medtrace.results import Outcome, TestResult
from medtrace.scanning import ScanResult
from medtrace.tracing import ItemTrace, Status, Trace

_NEEDS = ("trace",)


def _trace(ctx: Context) -> Trace:
    trace = ctx.extras["trace"]
    assert isinstance(trace, Trace)
    return trace


#: Letters typed for the digit they look like: ``SRS-l`` for ``SRS-1``, ``SRS-1O`` for ``SRS-10``.
def _is_control(entry: ItemTrace) -> bool:
    return entry.item.kind == "software-requirement" and bool(entry.item.ids("controls"))


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
    for entry in _trace(ctx).items.values():
        item = entry.item
        if item.kind != "software-requirement" or entry.status is not Status.UNTESTED:
            continue
        if _is_control(entry) or ctx.item_class(item) == "A":
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
    for entry in _trace(ctx).items.values():
        item = entry.item
        if item.kind != "software-requirement" or entry.code:
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
    for entry in _trace(ctx).items.values():
        if not _is_control(entry) or entry.status is not Status.UNTESTED:
            continue
        item = entry.item
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
    for entry in _trace(ctx).items.values():
        if entry.status is not Status.FAILING:
            continue
        failing = [t for t in entry.tests if t.outcome in (Outcome.FAILED, Outcome.ERROR)]
        cases = [c.id for c in entry.manual if c.get("result") == "fail"]
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
    for tag in scan.tags:
        for item_id in tag.ids:
            if item_id in ctx.model.items:
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


def _unknown_in_results(ctx: Context) -> Iterator[Diagnostic]:
    code = CODES["MT104"]
    seen: set[tuple[str, str]] = set()
    for test in _trace(ctx).tests:
        for item_id in test.verifies:
            if item_id in ctx.model.items or not test.results or (test.key, item_id) in seen:
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
    for test in _trace(ctx).tests:
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
    for path, item_id in sorted(_trace(ctx).file_items.items()):
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
    for entry in _trace(ctx).items.values():
        if entry.status is not Status.STALE:
            continue
        yield code(
            f"the results for {entry.item.id} are older than its code or tests",
            expected="results produced after the last change to the content of the code and tests",
            hint="run the tests again before checking (a file only touched, or switched to "
            "another branch and back, does not count as changed once medtrace has seen the "
            "results)",
            **ctx.at(entry.item),
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
    for entry in _trace(ctx).items.values():
        if entry.status is not Status.NOT_RUN or entry.item.kind != "software-requirement":
            continue
        names = ", ".join(t.name for t in entry.tests[:3]) or ", ".join(c.id for c in entry.manual)
        yield code(
            f"the tests of {entry.item.id} have no passing result ({names})",
            expected="a result for each test in the files of paths.results",
            hint="run the tests with JUnit XML output into paths.results, or record the manual "
            "test case's result",
            **ctx.at(entry.item),
        )
