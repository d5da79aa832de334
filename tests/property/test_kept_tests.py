"""Property: the tests side of the trace that a resident server keeps (``keep_tests``) gives the
trace made without it, for any tags, tests, results and items, and nothing changes it.

A server keeps the side made of one scan and one set of results; a check (in a process forked
from the server, with its own copy of it) then builds its trace from whatever model, scan and
results it has: the kept side is taken only when the scan's tags and tests and the results are
the very objects it was made of (else made again), once per process, and the trace must be the
one a process without a kept side makes, field for field.
"""

from __future__ import annotations

import copy
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from helpers import DEFAULT_CONFIG
from hypothesis import given, settings
from hypothesis import strategies as st

from medtrace.linking import link_items
from medtrace.model import Item
from medtrace.results import Outcome, ResultSet
from medtrace.results.model import make_result
from medtrace.scanning import ScanResult, Tag, TestSymbol
from medtrace.tracing import build, build_trace
from medtrace.tracing.build import TestsSide, keep_tests, kept_tests
from medtrace.tracing.model import Trace

pytestmark = pytest.mark.verifies("SRS-339")

IDS = ["SRS-1", "SRS-2", "SYS-1", "RISK-1", "SRS-9", "unit", "system"]
FILES = ["tests/test_a.py", "tests/test_b.py", "src/a.py"]
LEVELS = {"system": ["tests/test_b.py"]}
names = st.sampled_from(["test_x", "test_y", "T.test_x", "T", "T/s"])
tag_rows = st.lists(
    st.tuples(
        st.sampled_from(["verifies", "implements", "level"]),
        st.sampled_from(FILES),
        st.one_of(st.none(), names),
        st.lists(st.sampled_from(IDS), min_size=1, max_size=2),
    ),
    max_size=8,
)
test_rows = st.lists(st.tuples(st.sampled_from(FILES[:2]), names), max_size=6)
result_rows = st.lists(
    st.tuples(
        st.sampled_from(FILES[:2]),
        names,
        st.sampled_from([Outcome.PASSED, Outcome.FAILED]),
        st.lists(st.sampled_from(IDS), max_size=2),
    ),
    max_size=5,
)
item_rows = st.lists(
    st.tuples(
        st.sampled_from(["SRS-1", "SRS-2", "SRS-3", "SYS-1", "RISK-1"]),
        st.sampled_from([None, "test", "inspection"]),
        st.lists(st.sampled_from(["SYS-1", "SRS-1", "RISK-1"]), max_size=2),
    ),
    max_size=6,
    unique_by=lambda row: row[0],
)


def _scan(tags: list[Any], tests: list[Any]) -> ScanResult:
    return ScanResult(
        tags=[
            Tag(verb, tuple(ids), path, n + 1, on, None, "python")
            for n, (verb, path, on, ids) in enumerate(tags)
        ],
        tests=[TestSymbol(path, name, n + 1, "python") for n, (path, name) in enumerate(tests)],
        files=FILES,
    )


def _results(rows: list[Any]) -> ResultSet:
    made = []
    for number, (path, name, outcome, ids) in enumerate(rows):
        classname = path.removesuffix(".py").replace("/", ".")
        properties = (("verifies", ", ".join(ids)),) if ids else ()
        values = ("pytest", classname, name, path, None, outcome, "", None, properties)
        made.append(make_result((*values, "r.xml", number + 1, None, False)))
    return ResultSet(results=made)


def _items(rows: list[Any]) -> list[Item]:
    out = []
    for item_id, verification, links in rows:
        kind = {"SRS": "software-requirement", "SYS": "system-requirement", "RISK": "risk"}
        fields: dict[str, Any] = {"parents": links} if not item_id.startswith("RISK") else {}
        if verification:
            fields["verification"] = verification
        if item_id.startswith("SRS") and "RISK-1" in links:
            fields["controls"] = ["RISK-1"]
        out.append(Item(item_id, kind[item_id.split("-")[0]], fields=fields))
    return out


def _trace(items: list[Item], scan: ScanResult, results: ResultSet) -> Trace:
    model = link_items(items, DEFAULT_CONFIG)
    return build_trace(model, scan, results, Path("/nonexistent"), levels=LEVELS)


def _dump(trace: Trace) -> Any:
    """Everything a trace says, as plain values (tests by their contents, not identity)."""
    entries = [
        (i, e.item.id, e.code, [_test(t) for t in e.tests], e.status, e.missing, _why(e))
        for i, e in trace.items.items()
    ]
    tests = [_test(t) for t in trace.tests]
    extra = (trace.untraced_ids, trace.level_tags, trace.tags_seen)
    return entries, tests, trace.unmatched_results, trace.orphan_results, extra


def _why(entry: Any) -> Any:
    return entry.results_stale, entry.results_missing, entry.suspect, entry.manual_stale


def _test(ref: Any) -> Any:
    return (ref.key, ref.name, ref.path, ref.line, list(ref.verifies), list(ref.results), ref.level)


def _side(side: TestsSide) -> Any:
    return (
        [_test(t) for t in side.tests],
        {i: list(code) for i, code in side.code_of.items()},
        {i: [_test(t) for t in tests] for i, tests in side.tests_of.items()},
        side.gathered,
        side.level_tags,
        list(side.unmatched),
        list(side.orphans),
    )


@pytest.fixture(autouse=True)
def _nothing_kept() -> Iterator[None]:
    build._kept = None
    yield
    build._kept = None


def _forked(kept: Any, scan: ScanResult, ran: ResultSet) -> Any:
    """The kept side as a forked process has it: a copy of everything but the frozen tags,
    tests and results (the same objects in both processes)."""
    same = {id(x): x for x in (*scan.tags, *scan.tests, *ran.results)}
    return copy.deepcopy(kept, same)


@settings(max_examples=200, deadline=None)
@given(tag_rows, test_rows, result_rows, st.lists(item_rows, min_size=1, max_size=3))
def test_a_trace_from_the_kept_side_is_the_trace_made_without_it(
    tags: list[Any], tests: list[Any], results: list[Any], models: list[list[Any]]
) -> None:
    """The items change from check to check (edits, additions, removals); the code and results
    stay the very objects the server read: each check, in its own copy of the server's
    memory, takes the kept side and makes the trace made with nothing kept."""
    scan, ran = _scan(tags, tests), _results(results)
    keep_tests(scan, ran, LEVELS)
    server = build._kept
    assert server is not None and kept_tests(scan, ran, LEVELS) is server[-1]
    before = _side(server[-1])
    for rows in models:
        items = _items(rows)
        build._kept = None
        plain = _dump(_trace(items, scan, ran))
        build._kept = _forked(server, scan, ran)
        side = build._kept[-1]
        trace = _trace(items, scan, ran)
        assert _dump(trace) == plain
        assert trace.tests is side.tests  # taken, not made again
        assert build._kept is None  # handed out once
    assert _side(server[-1]) == before  # the server's own is as it was made


@given(tag_rows.filter(bool), test_rows, result_rows)
def test_the_kept_side_is_not_taken_for_other_objects(
    tags: list[Any], tests: list[Any], results: list[Any]
) -> None:
    """Equal tags, tests or results that are other objects, another order, or other levels:
    the side is not taken (and a check makes its own)."""
    scan, ran = _scan(tags, tests), _results(results)
    keep_tests(scan, ran, LEVELS)
    assert kept_tests(ScanResult(tags=list(scan.tags), tests=scan.tests), ran, LEVELS)
    assert kept_tests(_scan(tags, tests), ran, LEVELS) is None  # equal values, other objects
    assert kept_tests(scan, ran, {}) is None
    assert kept_tests(scan, ran, {"system": ["tests/test_a.py"]}) is None
    if len(scan.tags) > 1 and scan.tags[0] is not scan.tags[-1]:
        turned = ScanResult(tags=scan.tags[::-1], tests=scan.tests)
        assert kept_tests(turned, ran, LEVELS) is None
    if results:
        assert kept_tests(scan, _results(results), LEVELS) is None


def test_keeping_the_same_inputs_again_keeps_the_side_made_first() -> None:
    scan = _scan([("implements", "src/a.py", None, ["SRS-1"])], [])
    ran = ResultSet()
    keep_tests(scan, ran, LEVELS)
    first = kept_tests(scan, ran, LEVELS)
    keep_tests(ScanResult(tags=list(scan.tags)), ResultSet(results=[]), dict(LEVELS))
    assert first is not None and kept_tests(scan, ran, LEVELS) is first
    trace = _trace(_items([("SRS-1", None, [])]), scan, ran)
    assert trace.items["SRS-1"].code is first.code_of["SRS-1"]  # taken whole
    assert kept_tests(scan, ran, LEVELS) is None  # and never given again here
    again = _trace(_items([("SRS-1", None, [])]), scan, ran)
    assert again.items["SRS-1"].code == trace.items["SRS-1"].code
    assert again.items["SRS-1"].code is not trace.items["SRS-1"].code
