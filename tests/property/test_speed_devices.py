"""Property: the trace's speed devices give the answers of the plain algorithms they replace.

- the tests a tag on a symbol covers, looked up in a per-file index of enclosing names, are the
  ones the plain search over the file's tests finds (same tests, same order);
- a test name without parameter marks is split without running the patterns, as the patterns
  would split it;
- a result's first key, made alone, is the first of all its keys, and made for many results
  in one loop, the same;
- the worst status, found by identity, is the one of lowest rank;
- a file is mapped, through the index of the items' pattern bases, to the item the search over
  every item finds;
- the usual item (one test, one passing result, no test case) takes, through the trace loop's
  shortcut, the status the general path gives, after the same questions to the freshness
  record;
- the one pass over the tags gives each test the items and level the plain search over the
  file's tests gives.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from medtrace.fs import Globs
from medtrace.model import Item, Model
from medtrace.results import Outcome, TestResult, keys
from medtrace.results.model import make_result
from medtrace.scanning import ScanResult, Tag, TestSymbol
from medtrace.tracing.build import (
    _depth,
    _enclosing,
    _levels_of_tag_made,
    _own_status,
    _own_statuses,
    _set_level,
    _tags,
    _tests_inside,
    map_files,
)
from medtrace.tracing.freshness import Freshness
from medtrace.tracing.model import CodeRef, ItemTrace, Status, TestRef
from medtrace.tracing.status import RANK, worst

pytestmark = pytest.mark.verifies("SRS-268")

parts = st.text(alphabet="ab./ [(])w", min_size=0, max_size=4)
names = st.lists(parts, min_size=1, max_size=4).map("".join)


@given(st.lists(names, max_size=12), st.one_of(st.none(), names, parts))
def test_enclosing_index_finds_what_the_search_finds(tests: list[str], symbol: str | None) -> None:
    refs = [TestRef(f"f::{n}", n, "f", i, "python") for i, n in enumerate(tests)]
    index = _enclosing({"f": refs})["f"]
    assert _tests_inside(refs, symbol, index) == _tests_inside(refs, symbol)


@given(st.one_of(names, st.text(max_size=30)))
def test_names_split_as_the_patterns_split_them(name: str) -> None:
    plain = next(
        (
            (m["base"], m["param"] or None)
            for m in (p.fullmatch(name) for p in keys._PARAMETRIZED)
            if m
        ),
        (name, None),
    )
    assert keys._split(name) == plain


words = st.text(alphabet="aT_.:/\\[]() >›-", max_size=12)
files = st.one_of(st.none(), words, words.map(lambda w: w + ".py"), words.map(lambda w: w + ".ts"))


@given(st.one_of(st.just("pytest"), words), words, words, files)
def test_the_first_key_is_the_first_of_all_keys(
    suite: str, classname: str, name: str, file: str | None
) -> None:
    values = (suite, classname, name, file, None, Outcome.PASSED, "", None, (), "r.xml", 1, None)
    result = make_result((*values, False))
    every = keys.test_keys(result)
    assert keys.first_key(result) == (every[0] if every else None)


@given(st.lists(st.tuples(st.one_of(st.just("pytest"), words), words, words, files), max_size=8))
def test_first_keys_are_the_first_key_of_each(rows: list[tuple[str, str, str, str | None]]) -> None:
    results = [
        make_result(
            (suite, cls, name, file, None, Outcome.PASSED, "", None, (), "r", 1, None, False)
        )
        for suite, cls, name, file in rows
    ]
    assert list(keys.first_keys(results)) == [keys.first_key(r) for r in results]


@given(st.lists(st.sampled_from(list(Status)), max_size=6))
def test_the_worst_status_is_the_one_of_lowest_rank(statuses: list[Status]) -> None:
    expected = min(statuses, key=RANK.__getitem__, default=None)
    assert worst(statuses) is expected
    assert worst(iter(statuses)) is expected


segments = st.sampled_from(["src", "lib", "a", "b", "x.py", "*.py", "**", "a*", "[ab]", "?", ""])
globs = st.lists(segments, min_size=1, max_size=3).map("/".join)
pattern_lists = st.lists(st.one_of(globs, globs.map(lambda g: "!" + g)), min_size=1, max_size=3)
file_paths = st.lists(st.sampled_from(["src", "lib", "a", "b", "x.py", "ab.py"]), min_size=1)


@given(
    st.lists(st.tuples(pattern_lists, st.integers(0, 5)), max_size=6),
    st.lists(file_paths.map("/".join), max_size=8),
)
def test_files_map_to_the_item_the_search_over_every_item_finds(
    specs: list[tuple[list[str], int]], paths: list[str]
) -> None:
    items = []
    for number, (patterns, parent) in enumerate(specs):
        fields: dict[str, object] = {"paths": patterns, "parent": f"SI-{parent}"}
        items.append(Item(f"SI-{number}", "software-item", fields=fields))
    model = Model()
    model.add_all(items)
    ranked = sorted(
        ((_depth(model, i), i.id, Globs(i.ids("paths"), lenient=True)) for i in items),
        key=lambda s: -s[0],
    )
    plain = {p: next((i for _, i, spec in ranked if spec.match(p)), None) for p in paths}
    assert map_files(model, paths) == plain


class _Answers(Freshness):
    """Results are stale for the files in ``stale``; every question asked is kept."""

    def __init__(self, stale: set[str]) -> None:
        super().__init__(Path())
        self.stale_files = stale
        self.asked: set[tuple[str, tuple[str, ...]]] = set()

    def _stale_for(self, source: str, paths: Iterable[str]) -> bool:
        covered = tuple(paths)
        self.asked.add((source, covered))
        return any(p in self.stale_files for p in covered)


FILES = ["src/a.py", "src/b.py", "tests/test_a.py"]
outcomes = st.sampled_from(list(Outcome))
sources = st.sampled_from(["r1.xml", "r2.xml"])
test_rows = st.tuples(
    st.sampled_from(["", *FILES]), st.lists(st.tuples(outcomes, sources), max_size=2)
)
usual = st.tuples(st.sampled_from(FILES), sources).map(lambda t: [(t[0], [(Outcome.PASSED, t[1])])])
items = st.tuples(
    st.lists(st.sampled_from(FILES), max_size=2),
    st.one_of(usual, usual, st.lists(test_rows, max_size=2)),
    st.one_of(st.just([]), st.lists(st.sampled_from(["pass", "fail", None]), max_size=1)),
    st.one_of(st.just([]), st.just(["reviewed before the change"])),
    st.sampled_from([{}, {"verification": "analysis"}, {"verification": "test"}]),
)
Shape = tuple[
    list[str],
    list[tuple[str, list[tuple[Outcome, str]]]],
    list[str | None],
    list[str],
    dict[str, object],
]


@given(
    st.lists(items, min_size=1, max_size=4),
    st.one_of(st.just({}), st.dictionaries(sources, st.just("its inputs changed"))),
    st.sets(st.sampled_from(FILES)),
)
def test_the_usual_item_takes_the_status_any_item_takes(
    shapes: list[Shape], changed: dict[str, str], stale: set[str]
) -> None:
    """The loop's shortcut for one test with one passing result gives what the general path
    (:func:`requirement_status` and the grouping by results file) gives, and asks the
    freshness record the same questions."""
    made = [_entry(shape) for shape in shapes]
    fast, slow = _Answers(stale), _Answers(stale)
    _own_statuses([entry for entry, _ in made], fast, changed)
    for _, twin in made:
        _own_status(twin, slow, changed)
    assert [entry for entry, _ in made] == [twin for _, twin in made]
    assert fast.asked == slow.asked


def _entry(shape: Shape) -> tuple[ItemTrace, ItemTrace]:
    """Two equal entries of the shape (code files, tests, test cases' results, suspect, the
    item's fields)."""
    code, tests, cases, suspect, fields = shape
    item = Item("SRS-1", "software-requirement", fields=fields)
    made = [Item(f"TC-{i}", "test-case", fields={"result": r}) for i, r in enumerate(cases)]
    twins = []
    for _ in range(2):
        entry = ItemTrace(item, manual=list(made), suspect=list(suspect))
        entry.code = [CodeRef(path, 1, None, None, "python") for path in code]
        for number, (path, rows) in enumerate(tests):
            ref = TestRef(f"{path}::t{number}", f"t{number}", path, number, "python")
            ref.results = [_result(outcome, source) for outcome, source in rows]
            entry.tests.append(ref)
        twins.append(entry)
    return twins[0], twins[1]


def _result(outcome: Outcome, source: str) -> TestResult:
    return make_result(
        ("pytest", "t", "t", None, None, outcome, "", None, (), source, 1, None, False)
    )


test_names = st.lists(st.sampled_from(["A", "b", "c"]), min_size=1, max_size=3).flatmap(
    lambda parts: st.sampled_from([".", "/"]).map(lambda cut: cut.join(parts))
)
tag_rows = st.tuples(
    st.sampled_from(["verifies", "implements", "level"]),
    st.sampled_from(["f.py", "g.py"]),
    st.one_of(st.none(), st.just(""), st.sampled_from(["A", "b", "A.b", "A/b"]), test_names),
    st.lists(st.sampled_from(["SRS-1", "SRS-2", "unit", "system"]), min_size=1, max_size=2),
)


@given(
    st.lists(st.tuples(st.sampled_from(["f.py", "g.py"]), test_names), max_size=8),
    st.lists(tag_rows, max_size=8),
)
def test_tags_reach_the_tests_the_plain_search_reaches(
    found: list[tuple[str, str]], tags: list[tuple[str, str, str | None, list[str]]]
) -> None:
    """The one pass over the tags (the enclosing-name index made only for files with nested
    names; a tag on a test found by its name) gives each test what the plain search gives."""
    rows = enumerate(tags)
    scan = ScanResult(
        tags=[
            Tag(verb, tuple(ids), path, n, on, None, "python") for n, (verb, path, on, ids) in rows
        ],
        tests=[TestSymbol(path, name, n, "python") for n, (path, name) in enumerate(found)],
    )
    fast = _tags(scan)[0]
    plain = _plain_tags(scan)
    assert list(fast) == list(plain)
    assert [(t.verifies, t.level) for t in fast.values()] == [
        (t.verifies, t.level) for t in plain.values()
    ]


def _plain_tags(scan: ScanResult) -> dict[tuple[str, str], TestRef]:
    """What a tag reaches, searched for among all its file's tests (no index, no shortcut)."""
    tests: dict[tuple[str, str], TestRef] = {}
    by_file: dict[str, list[TestRef]] = {}
    for s in scan.tests:
        ref = TestRef(f"{s.path}::{s.name}", s.name, s.path, s.line, s.language)
        tests[(s.path, s.name)] = ref
        by_file.setdefault(s.path, []).append(ref)
    levels = []
    for tag in scan.tags:
        found = by_file.get(tag.path, [])
        if tag.verb == "level":
            levels.append(tag)
            _set_level(found, tag.symbol, tag.ids[0])
        if tag.verb != "verifies":
            continue
        targets = _tests_inside(found, tag.symbol)
        if not targets:
            name, line = tag.symbol or tag.path, tag.symbol_line or tag.line
            made = TestRef(f"{tag.path}::{name}", name, tag.path, line, tag.language)
            targets = [tests.setdefault((tag.path, name), made)]
        for ref in targets:
            ref.verifies.extend(i for i in tag.ids if i not in ref.verifies)
    _levels_of_tag_made(tests, levels)
    return tests
