"""Property: the trace a resident server keeps (``keep_trace``), updated for items edited in
place, is the trace ``build_trace`` makes of the same items, code and results, field for field,
after any sequence of edits (texts, verification methods, link fields, kinds, test cases,
software items), additions and removals; and a check takes it once, only for the very model,
tags, tests and results it was made of."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from helpers import DEFAULT_CONFIG
from hypothesis import given, settings
from hypothesis import strategies as st

from medtrace import linking
from medtrace.linking import keep_model, kept_model, link_items, linked
from medtrace.model import Item
from medtrace.results import Outcome, ResultSet
from medtrace.results.model import make_result
from medtrace.scanning import ScanResult, Tag, TestSymbol
from medtrace.tracing import build, build_trace, kept
from medtrace.tracing.build import keep_tests, kept_tests
from medtrace.tracing.freshness import Freshness
from medtrace.tracing.kept import Settings, drop_trace, keep_trace, take_trace
from medtrace.tracing.manual import ManualCheck
from medtrace.tracing.model import Trace

pytestmark = pytest.mark.verifies("SRS-344", "SRS-345")

ROOT = Path("/nonexistent")
IDS = ["SRS-1", "SRS-2", "SRS-3", "SYS-1", "SYS-2", "RISK-1", "RISK-2", "TC-1", "core"]
KINDS = {
    "SRS": "software-requirement",
    "SYS": "system-requirement",
    "RISK": "risk",
    "TC": "test-case",
    "core": "software-item",
}
TRACED = ("software-requirement", "system-requirement", "risk")
SETTINGS = Settings(ROOT, None, TRACED, ("risk",), (), None)
links = st.one_of(
    st.none(),
    st.sampled_from([*IDS, "SYS-9"]),
    st.lists(st.sampled_from([*IDS, "SYS-9"]), max_size=3),
)
fields = st.fixed_dictionaries(
    {"text": st.sampled_from(["a", "b"])},
    optional={
        "parents": links,
        "controls": links,
        "verifies": links,
        "verification": st.sampled_from(["test", "inspection", "analysis"]),
        "result": st.sampled_from(["pass", "fail"]),
        "executed": st.sampled_from(["2020-01-01", "2999-01-01"]),
        "paths": st.sampled_from([["src/**"], ["tests/**"]]),
    },
)
EDITS = ["text", "text", "verification", "result", "paths", "links", "kind", "add", "remove"]
edits = st.lists(st.tuples(st.sampled_from(EDITS), st.integers(0, 20)), min_size=1, max_size=8)
#: Each traced ID's test, with its outcome (``None``: no result).
outcomes = st.fixed_dictionaries(
    {i: st.sampled_from([Outcome.PASSED, Outcome.FAILED, None]) for i in IDS[:7]}
)


def _item(item_id: str, values: dict[str, Any], kind: str | None = None) -> Item:
    return Item(item_id, kind or KINDS[item_id.split("-")[0]], fields=dict(values))


def _edit(items: list[Item], edit: str, n: int, values: dict[str, Any]) -> list[Item]:
    """Another list: one item replaced, added or removed (the others the same objects)."""
    items = list(items)
    at = n % len(items) if items else 0
    if edit == "add" or not items:
        items.insert(at, _item(IDS[n % len(IDS)], values))
        return items
    if edit == "remove":
        del items[at]
        return items
    old = items[at]
    new = dict(old.fields)
    if edit == "text":
        new["text"] = f"{new.get('text')}!"
    elif edit == "verification":
        new["verification"] = "test" if new.get("verification") != "test" else "inspection"
    elif edit == "result":
        new["result"] = "pass" if new.get("result") != "pass" else "fail"
    elif edit == "paths":
        new["paths"] = ["tests/**"] if new.get("paths") != ["tests/**"] else ["src/**"]
    elif edit == "links":
        new.update({k: v for k, v in values.items() if k in ("parents", "controls")})
    kind = "risk" if edit == "kind" and old.kind != "risk" else old.kind
    items[at] = _item(old.id, new, kind)
    return items


def _inputs(ran: dict[str, Outcome | None]) -> tuple[ScanResult, ResultSet]:
    """One code tag and one test for each traced ID, with its result."""
    tags, tests, results = [], [], []
    for n, (item_id, outcome) in enumerate(ran.items()):
        name = f"test_{n}"
        tags.append(Tag("implements", (item_id,), "src/a.py", n + 1, f"f{n}", n + 1, "python"))
        tags.append(Tag("verifies", (item_id,), "tests/test_a.py", n + 1, name, n + 1, "python"))
        tests.append(TestSymbol("tests/test_a.py", name, n + 1, "python"))
        if outcome is not None:
            values = ("pytest", "tests.test_a", name, "tests/test_a.py", None, outcome, "", None)
            results.append(make_result((*values, (), "r.xml", n + 1, None, False)))
    files = ["src/a.py", "tests/test_a.py"]
    return ScanResult(tags=tags, tests=tests, files=files), ResultSet(results=results)


def _plain(items: list[Item], scan: ScanResult, results: ResultSet) -> Trace:
    build._kept = None
    model = link_items(items, DEFAULT_CONFIG)
    return build_trace(model, scan, results, ROOT, TRACED, manual=ManualCheck(ROOT))


def _dump(trace: Trace) -> Any:
    """Everything a trace says, as plain values (items by identity, tests by contents)."""
    entries = [
        (i, id(e.item), e.code, [_test(t) for t in e.tests], [id(c) for c in e.manual], _why(e))
        for i, e in trace.items.items()
    ]
    tests = [_test(t) for t in trace.tests]
    extra = (trace.untraced_ids, trace.level_tags, trace.file_items)
    return entries, tests, trace.unmatched_results, trace.orphan_results, extra


def _why(e: Any) -> Any:
    return (
        e.status,
        e.missing,
        e.manual_stale,
        e.results_stale,
        e.suspect,
        e.approval,
        (e.results_missing),
    )


def _test(ref: Any) -> Any:
    return (ref.key, ref.name, ref.path, ref.line, list(ref.verifies), list(ref.results), ref.level)


def _prepare(items: list[Item], scan: ScanResult, results: ResultSet) -> bool:
    """What ``pipeline.prepare`` does with items read; whether the old trace was updated."""
    old = drop_trace()
    keep_model(items, DEFAULT_CONFIG)
    keep_tests(scan, results, None)
    linked_, side = kept_model(), kept_tests(scan, results, None)
    assert linked_ is not None and side is not None
    keep_trace(old, *linked_, side, scan, results, SETTINGS)
    return kept._kept is old and old is not None


@pytest.fixture(autouse=True)
def _nothing_kept() -> Iterator[None]:
    linking._kept, build._kept, kept._kept = None, None, None
    yield
    linking._kept, build._kept, kept._kept = None, None, None


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(IDS), fields), max_size=8), edits, fields, outcomes)
def test_the_kept_trace_is_the_trace_made_again(
    start: list[tuple[str, dict[str, Any]]],
    steps: list[tuple[str, int]],
    values: dict[str, Any],
    ran: dict[str, Outcome | None],
) -> None:
    scan, results = _inputs(ran)
    items = [_item(item_id, found) for item_id, found in start]
    _prepare(items, scan, results)
    for edit, n in steps:
        items = _edit(items, edit, n, values)
        _prepare(items, scan, results)
        server = kept._kept
        assert server is not None
        assert _dump(server.made.trace) == _dump(_plain(items, scan, results))


def test_a_text_edit_updates_the_trace_and_a_link_edit_makes_it_again() -> None:
    scan, results = _inputs({"SRS-1": Outcome.PASSED, "SYS-1": Outcome.FAILED})
    items = [
        _item("SYS-1", {"text": "a"}),
        _item("SRS-1", {"text": "a", "parents": "SYS-1", "controls": "RISK-1"}),
        _item("RISK-1", {"text": "a"}),
    ]
    assert not _prepare(items, scan, results)  # the first: made whole
    edited = [items[0], _item("SRS-1", {**items[1].fields, "verification": "inspection"})]
    assert _prepare([*edited, items[2]], scan, results)  # updated
    server = kept._kept
    assert server is not None
    assert _dump(server.made.trace) == _dump(_plain([*edited, items[2]], scan, results))
    relinked = [items[0], _item("SRS-1", {"text": "a", "parents": "SYS-2"}), items[2]]
    assert not _prepare(relinked, scan, results)  # another link: made again


def test_a_loop_in_parents_or_an_edited_test_case_makes_the_trace_again() -> None:
    """A loop anywhere in ``parents``, even far from the edited item (the roll-up's cut point
    depends on the order of the visit), an edited test case or software item: made whole."""
    scan, results = _inputs({"SRS-1": Outcome.PASSED})
    items = [
        _item("SRS-1", {"text": "a", "parents": "SRS-2"}),
        _item("SRS-2", {"text": "a", "parents": "SRS-1"}),
        _item("TC-1", {"verifies": "SRS-3", "result": "pass"}),
        _item("SRS-3", {"text": "a"}),
        _item("core", {"paths": ["src/**"]}),
    ]
    _prepare(items, scan, results)
    assert not _prepare([*items[:3], _item("SRS-3", {"text": "b"}), items[4]], scan, results)
    items = [*items[2:]]
    _prepare(items, scan, results)
    assert _prepare([items[0], _item("SRS-3", {"text": "b"}), items[2]], scan, results)
    case = _item("TC-1", {"verifies": "SRS-3", "result": "fail"})
    assert not _prepare([case, *items[1:]], scan, results)
    assert not _prepare([case, items[1], _item("core", {"paths": ["tests/**"]})], scan, results)


def test_the_kept_trace_is_taken_once_for_its_own_inputs() -> None:
    scan, results = _inputs({"SRS-1": Outcome.PASSED})
    items = [_item("SRS-1", {"text": "a"})]
    _prepare(items, scan, results)
    model = linked(items, DEFAULT_CONFIG)
    server = kept._kept
    assert server is not None
    other = ScanResult(tags=list(scan.tags), tests=scan.tests, files=["src/b.py"])
    assert take_trace(model, other, results, SETTINGS) is None  # other files
    kept._kept = server
    other_settings = Settings(ROOT, None, TRACED, (), (), None)
    assert take_trace(model, scan, results, other_settings) is None
    kept._kept = server
    assert take_trace(link_items(items, DEFAULT_CONFIG), scan, results, SETTINGS) is None
    kept._kept = server
    taken = take_trace(model, scan, results, SETTINGS)
    assert taken is not None and taken[0] is server.made.trace
    assert take_trace(model, scan, results, SETTINGS) is None  # handed out once


def test_a_result_that_became_stale_is_not_taken(tmp_path: Path) -> None:
    """The files changed after the trace was made: the check asks again and traces itself."""
    (tmp_path / "src").mkdir()
    (tmp_path / "tests").mkdir()
    (tmp_path / "src/a.py").write_text("a\n")
    (tmp_path / "tests/test_a.py").write_text("t\n")
    (tmp_path / "r.xml").write_text("<testsuite/>\n")
    scan, results = _inputs({"SRS-1": Outcome.PASSED})
    items = [_item("SRS-1", {"text": "a"})]
    here = Settings(tmp_path, tmp_path / ".cache", TRACED, ("risk",), (), None)
    keep_model(items, DEFAULT_CONFIG)
    keep_tests(scan, results, None)
    linked_, side = kept_model(), kept_tests(scan, results, None)
    assert linked_ is not None and side is not None
    keep_trace(None, *linked_, side, scan, results, here)
    server = kept._kept
    assert server is not None and server.made.trace.items["SRS-1"].status.value == "verified"
    fresh = Freshness(tmp_path, tmp_path / ".cache")
    assert server.made.freshness.agrees(fresh)
    (tmp_path / "src/a.py").write_text("b\n")  # after the results: no record says it ran on it
    os.utime(tmp_path / "r.xml", ns=(1, 1))
    model = linked(items, DEFAULT_CONFIG)
    assert take_trace(model, scan, results, here) is None
