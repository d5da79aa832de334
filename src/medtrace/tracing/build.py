"""Join items, tags, tests and results into a :class:`Trace`.

Tests found in code are matched with results by keys (see :mod:`medtrace.results.keys`): a test's
own keys are tried from the most specific (file and qualified name) to the least (its bare
name); a less specific key is used only when no other test in the code shares it, so two tests
called ``test_ok`` in different files never take each other's results.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass
from operator import attrgetter, is_, itemgetter
from pathlib import Path

from medtrace.fs import Globs
from medtrace.model import Item, Link, Model
from medtrace.results import Outcome, ResultSet, TestResult, test_keys
from medtrace.results.keys import first_keys
from medtrace.scanning import ScanResult, Tag, TestSymbol
from medtrace.tracing.freshness import Freshness
from medtrace.tracing.manual import ManualCheck
from medtrace.tracing.model import (
    CodeRef,
    ItemTrace,
    Status,
    TestRef,
    Trace,
    code_ref,
    item_traces,
    test_ref,
)
from medtrace.tracing.status import (
    NOT_BY_TEST,
    OUTCOME,
    PASSED,
    derived_status,
    requirement_status,
    risk_status,
)

__all__ = [
    "TRACED_KINDS",
    "TestsSide",
    "build_trace",
    "keep_tests",
    "kept_tests",
    "take_tests",
    "test_ref_keys",
    "tests_side",
]

#: Kinds whose items are traced to code and tests, by default.
TRACED_KINDS = ("software-requirement", "system-requirement", "risk")
_SEPARATORS = re.compile(r"\s+(?:›|>)\s+|\s+")
STALE, SUSPECT, VERIFIED = Status.STALE, Status.SUSPECT, Status.VERIFIED
NOT_REQUIRED, UNTESTED = Status.NOT_REQUIRED, Status.UNTESTED


# @implements SRS-22
def build_trace(
    model: Model,
    scan: ScanResult,
    results: ResultSet,
    root: Path,
    kinds: Iterable[str] = TRACED_KINDS,
    freshness: Freshness | None = None,
    *,
    risk_kinds: Iterable[str] = ("risk",),
    manual: ManualCheck | None = None,
    levels: Mapping[str, Sequence[str]] | None = None,
    suspect: Callable[[str, str], str | None] | None = None,
) -> Trace:
    """``kinds``: the kinds traced to code and tests (a project's own requirement-like and
    risk-like kinds too: ``Config.traced_kinds``); ``freshness`` judges stale results (by default
    without a kept record); ``risk_kinds``: the kinds whose status rolls up from their controls;
    ``manual`` judges manual test records (by default: none is stale); ``levels``: test level →
    globs of the test files at that level (``[levels]``; an ``@level`` tag wins); ``suspect``
    says why the link from a test (its key) or test case (its ID) to an item is suspect, or
    ``None`` (see :mod:`medtrace.review`)."""
    side = take_tests(scan, results, levels) or tests_side(scan, results, levels)
    changed = changed_inputs(root, results)
    made = compose(model, scan, side, kinds, freshness or Freshness(root), changed, risk_kinds)
    return made.judged(manual, suspect)


@dataclass(slots=True)
class Composed:
    """A trace as :func:`compose` made it, with what its statuses were made of."""

    trace: Trace
    model: Model
    freshness: Freshness
    #: Results file → why its run is out of date (:func:`changed_inputs`).
    changed: dict[str, str]
    #: The traced items of the risk kinds, in the trace's order.
    risks: dict[str, ItemTrace]
    #: Whether the roll-up met a loop in ``parents`` (its cut point depends on the order).
    cyclic: bool = False

    def judged(
        self, manual: ManualCheck | None, suspect: Callable[[str, str], str | None] | None
    ) -> Trace:
        """The trace with manual records judged and suspect links told, statuses again."""
        trace = self.trace
        if manual is not None:
            manual.judge(trace)
        if suspect is not None:
            _suspect(trace, suspect)
        self.cyclic = _statuses(trace, self.model, self.freshness, self.risks, self.changed)
        return trace


def compose(
    model: Model,
    scan: ScanResult,
    side: TestsSide,
    kinds: Iterable[str],
    freshness: Freshness,
    changed: dict[str, str],
    risk_kinds: Iterable[str],
) -> Composed:
    """The trace of ``model`` joined with ``side``, its statuses not yet made (see
    :meth:`Composed.judged`)."""
    trace = Trace()
    risks: dict[str, ItemTrace] = {}  # the traced items of the risk kinds, in order
    risky = set(risk_kinds)
    for kind in kinds:
        entries = item_traces(model.of_kind(kind), side.code_of, side.tests_of)
        trace.items.update(entries)
        if kind in risky:
            risks.update(entries)
    _join(trace, side, scan)
    _attach_manual(trace, model)
    trace.file_items = map_files(model, scan.files)
    return Composed(trace, model, freshness, changed, risks)


@dataclass(frozen=True, slots=True)
class TestsSide:
    """The half of a trace that the code, tests and results make without any item: the tests
    found (what each verifies, its level and results), the code each ID's ``@implements`` tags
    name, and the results no test took. An item is joined to it by its ID (:func:`_join`).
    One trace takes it, lists and all (a kept one is handed out once: :func:`take_tests`)."""

    __test__ = False  # not a test class, whatever its name

    #: Every test, sorted by path, line and name (the trace's ``tests``).
    tests: list[TestRef]
    #: ID → the ``@implements`` sites naming it, in the tags' order.
    code_of: dict[str, list[CodeRef]]
    #: ID → the tests whose ``verifies`` name it, in the order of :attr:`tests`.
    tests_of: dict[str, list[TestRef]]
    #: Whether the IDs no item has are gathered for MT104 (see :func:`_tags`).
    gathered: bool
    level_tags: bool
    unmatched: list[TestResult]
    orphans: list[TestResult]


# @implements SRS-339
def tests_side(
    scan: ScanResult, results: ResultSet, levels: Mapping[str, Sequence[str]] | None = None
) -> TestsSide:
    """The tests side of the trace of ``scan`` and ``results`` (``levels``: as for
    :func:`build_trace`)."""
    tests, code_of, gathered, level_tags = _tags(scan)
    if levels:
        _levels_by_path(tests.values(), levels)
    unmatched, orphans = _match_results(tests, results.results)
    ordered = sorted(tests.values(), key=attrgetter("path", "line", "name"))
    tests_of: dict[str, list[TestRef]] = {}
    for ref in ordered:
        for item_id in ref.verifies:
            tests_of.setdefault(item_id, []).append(ref)
    return TestsSide(ordered, code_of, tests_of, gathered, level_tags, unmatched, orphans)


def _join(trace: Trace, side: TestsSide, scan: ScanResult) -> None:
    """The rest of the trace from ``side`` (each traced item took its code and tests from it
    when made): its tests and unmatched results; the IDs that name no traced item, for MT104
    (when the side gathers them: set differences, in C)."""
    items = trace.items.keys()
    if side.gathered:
        trace.untraced_ids = (side.code_of.keys() - items) | (side.tests_of.keys() - items)
    trace.level_tags, trace.tags_seen = side.level_tags, scan.tags
    trace.tests = side.tests
    trace.unmatched_results, trace.orphan_results = side.unmatched, side.orphans


#: The tests side a resident server made last (:func:`keep_tests`), with the tags, tests,
#: results and levels it was made of.
_kept: tuple[list[Tag], list[TestSymbol], list[TestResult], dict[str, list[str]], TestsSide] | None
_kept = None


# @implements SRS-339
def keep_tests(
    scan: ScanResult, results: ResultSet, levels: Mapping[str, Sequence[str]] | None
) -> None:
    """Make the tests side of ``scan`` and ``results`` now, and keep it for the next trace of
    this process or of each process it forks (:func:`take_tests`), unless the one kept is of the
    same inputs. A resident server calls this when it has read the files: an edit of item files
    alone then leaves the tests side as it was, and a check does not make it again."""
    global _kept
    if kept_tests(scan, results, levels) is None:
        side = tests_side(scan, results, levels)
        wanted = _levels_key(levels)
        _kept = (list(scan.tags), list(scan.tests), list(results.results), wanted, side)


def kept_tests(
    scan: ScanResult, results: ResultSet, levels: Mapping[str, Sequence[str]] | None
) -> TestsSide | None:
    """The kept tests side (:func:`keep_tests`) if it was made of these very tags, tests and
    results (the same objects, in the same order: they are frozen, so the same values) and
    equal levels; else ``None``."""
    kept = _kept
    if kept is None:
        return None
    tags, tests, made_of, wanted, side = kept
    same = _same(tags, scan.tags) and _same(tests, scan.tests) and _same(made_of, results.results)
    return side if same and wanted == _levels_key(levels) else None


def take_tests(
    scan: ScanResult, results: ResultSet, levels: Mapping[str, Sequence[str]] | None
) -> TestsSide | None:
    """:func:`kept_tests`, handed out once: the trace that takes it takes its lists as its own
    (a process forked from the server takes its copy; the server keeps its own), so it is
    never given again in this process."""
    global _kept
    side, _kept = kept_tests(scan, results, levels), None
    return side


def _same(kept: Sequence[object], now: Sequence[object]) -> bool:
    """Whether two lists hold the same objects in the same order (a loop in C)."""
    return len(kept) == len(now) and all(map(is_, kept, now))


def _levels_key(levels: Mapping[str, Sequence[str]] | None) -> dict[str, list[str]]:
    return {level: list(globs) for level, globs in (levels or {}).items()}


# @implements SRS-249
def _suspect(trace: Trace, judge: Callable[[str, str], str | None]) -> None:
    """Why each item's passing verification is suspect (its tests and test cases that passed
    against an older revision of it)."""
    for item_id, entry in trace.items.items():
        passed = [t.key for t in entry.tests if t.outcome is Outcome.PASSED]
        passed += [c.id for c in entry.manual if c.get("result") == "pass"]
        entry.suspect = [why for source in passed if (why := judge(source, item_id))]


def _tags(
    scan: ScanResult,
) -> tuple[dict[tuple[str, str], TestRef], dict[str, list[CodeRef]], bool, bool]:
    """One pass over the tags: ``@implements`` → the code of each ID, ``@verifies`` → what the
    tests verify (see :func:`_tests`), ``@level`` → the tests' levels. The tests, by file and
    name; the code by ID; whether the IDs no item has may be gathered; whether a tag is an
    ``@level`` tag."""
    tests, by_file, enclosing = _tests(scan)
    # the IDs that no traced item has are gathered for MT104 (from ``code_of`` and the tests'
    # verifies, in _join). Two tests of the code with the same file and name leave one out of
    # ``tests`` (a tag reaches both, by name: it reaches the other too); then, to be safe,
    # nothing is gathered
    gathered = len(tests) == len(scan.tests)
    code_of: dict[str, list[CodeRef]] = {}
    level_tags = []  # kept for _levels_of_tag_made: no second pass over every tag
    for tag in scan.tags:
        verb = tag.verb
        if verb == "implements":
            ref = code_ref(tag.path, tag.line, tag.symbol, tag.symbol_line, tag.language)
            for item_id in tag.ids:
                code = code_of.get(item_id)
                if code is None:
                    code_of[item_id] = [ref]
                else:
                    code.append(ref)
        elif verb == "verifies":
            on, index = tag.symbol, enclosing.get(tag.path) if enclosing else None
            if on and (index is None or on not in index):  # the usual tag: on a test
                targets: Sequence[TestRef] = (tests.get((tag.path, on)) or _own_test(tests, tag),)
            else:  # a tag on a file or a test class covers every test in it
                found = by_file.get(tag.path, [])
                targets = _tests_inside(found, on, index) or (_own_test(tests, tag),)
            for test in targets:
                verifies = test.verifies
                for item_id in tag.ids:
                    if item_id not in verifies:
                        verifies.append(item_id)
        elif verb == "level":
            level_tags.append(tag)
            found = by_file.get(tag.path, [])
            _set_level(found, tag.symbol, tag.ids[0], enclosing.get(tag.path))
    _levels_of_tag_made(tests, level_tags)
    return tests, code_of, gathered, bool(level_tags)


def _tests(
    scan: ScanResult,
) -> tuple[dict[tuple[str, str], TestRef], dict[str, list[TestRef]], dict[str, _Enclosing]]:
    """The tests found in the code: by file and name, by file, and the enclosing names of the
    files that have any (:func:`_enclosing`; a file without needs no index)."""
    tests: dict[tuple[str, str], TestRef] = {}
    by_file: dict[str, list[TestRef]] = defaultdict(list)
    nested: set[str] = set()
    for symbol in scan.tests:
        path, name = symbol.path, symbol.name
        ref = test_ref(f"{path}::{name}", name, path, symbol.line, symbol.language)
        tests[(path, name)] = ref
        by_file[path].append(ref)
        if "." in name or "/" in name:
            nested.add(path)
    return tests, by_file, _enclosing({path: by_file[path] for path in nested})


def _own_test(tests: dict[tuple[str, str], TestRef], tag: Tag) -> TestRef:
    """The test a tag belongs to, made from the tag when none was found in the code."""
    path = tag.path
    name = tag.symbol or path
    ref = tests.get((path, name))
    if ref is None:
        line = tag.symbol_line or tag.line
        ref = tests[(path, name)] = test_ref(f"{path}::{name}", name, path, line, tag.language)
    return ref


#: Test levels (IEC 62304 5.5 unit, 5.6 integration, 5.7 system).
LEVELS = ("unit", "integration", "system")


# @implements SRS-180
def _set_level(
    tests: list[TestRef], symbol: str | None, level: str, enclosing: _Enclosing | None = None
) -> None:
    """An ``@level`` tag gives its level to the tests it belongs to (a file's or a class's
    tag: every test in it)."""
    if level not in LEVELS:
        return  # reported by tag-unknown-id (MT104)
    for ref in _tests_inside(tests, symbol, enclosing) or [t for t in tests if t.name == symbol]:
        ref.level = level


# @implements SRS-180
def _levels_by_path(tests: Iterable[TestRef], levels: Mapping[str, Sequence[str]]) -> None:
    specs = [(level, Globs(list(globs), lenient=True)) for level, globs in levels.items()]
    for ref in tests:
        if ref.level is None and ref.path:
            ref.level = next((lv for lv, spec in specs if spec.match(ref.path)), None)


def _levels_of_tag_made(tests: dict[tuple[str, str], TestRef], level_tags: list[Tag]) -> None:
    """Tests made from a ``@verifies`` tag (no test symbol found) take the level of an
    ``@level`` tag on the same symbol."""
    for tag in level_tags:
        if tag.ids[0] in LEVELS:
            ref = tests.get((tag.path, tag.symbol or tag.path))
            if ref is not None and ref.level is None:
                ref.level = tag.ids[0]


#: Per file: each name that encloses tests (``Class`` of ``Class.test``, ``case`` of
#: ``case/section``) → those tests, in the file's order.
_Enclosing = dict[str, list[TestRef]]


def _enclosing(by_file: Mapping[str, list[TestRef]]) -> dict[str, _Enclosing]:
    """The enclosing names of every file's tests: what a tag on a symbol covers is then looked
    up, not searched for among all the file's tests for every tag (50 tests and 50 tags a file
    made 100,000 × 50 comparisons)."""
    out: dict[str, _Enclosing] = {}
    for path, tests in by_file.items():
        index: _Enclosing = {}
        for ref in tests:
            name = ref.name
            if "." in name or "/" in name:
                for cut in _CUTS.finditer(name):
                    index.setdefault(name[: cut.start()], []).append(ref)
        out[path] = index
    return out


_CUTS = re.compile(r"[./]")


def _tests_inside(
    tests: list[TestRef], symbol: str | None, enclosing: _Enclosing | None = None
) -> list[TestRef]:
    """The tests a tag on ``symbol`` covers: those inside it (``Class.test``; a Catch2 test
    case's sections ``title/section``), and the symbol itself when it is a test with some.
    ``enclosing`` is the file's index (:func:`_enclosing`), when made."""
    if symbol is None:
        return tests
    if enclosing is not None:
        inside = enclosing.get(symbol, [])
    else:
        inside = [t for t in tests if t.name.startswith((symbol + ".", symbol + "/"))]
    return inside + [t for t in tests if t.name == symbol] if inside else []


def test_ref_keys(path: str, name: str, language: str) -> list[str]:
    """Keys of a test found in code, most specific first (the forms of ``test_keys``)."""
    keys: list[str] = []
    if language == "python" or path.endswith(".py"):
        parts = path.split("/")
        qualified = "::".join(name.split("."))
        keys.extend(f"{'/'.join(parts[i:])}::{qualified}" for i in range(len(parts)))
        stem = parts[-1].removesuffix(".py")
        keys.append(f"{stem}.{name}")
    flat = _SEPARATORS.sub(" ", name.strip())
    keys.append(flat)
    segments = name.split(".")
    keys.extend(".".join(segments[i:]) for i in range(1, len(segments)))
    if " > " in name:
        keys.append(name.rsplit(" > ", 1)[1])
    seen: set[str] = set()
    return [k for k in keys if not (k in seen or seen.add(k))]  # type: ignore[func-returns-value]


def _match_results(
    tests: dict[tuple[str, str], TestRef], results: Iterable[TestResult]
) -> tuple[list[TestResult], list[TestResult]]:
    """Each result to the test it is of; those of no test found in code, apart (see
    :func:`_property_tests`)."""
    # every key of a result is made only for those its first key does not match
    rest = [(result, test_keys(result)) for result in _match_exact(tests, results)]
    matched: set[int] = set()
    if rest and any(not ref.results for ref in tests.values()):
        matched = _match_by_keys(tests, rest)
    return _property_tests([result for result, _ in rest if id(result) not in matched])


def _match_exact(
    tests: dict[tuple[str, str], TestRef], results: Iterable[TestResult]
) -> list[TestResult]:
    """The common case first: results that name a test by its file and name, as found (their
    first key). The others are returned, in order. (A test that takes a result takes the IDs
    its ``verifies`` properties name, here and in :func:`_match_by_keys`.)"""
    by_key = {
        ref.key if "." not in ref.name or not ref.path.endswith(".py") else _node_id(ref): ref
        for ref in tests.values()
    }
    results = results if isinstance(results, list) else list(results)
    rest = []
    for result, key in zip(results, first_keys(results), strict=True):
        ref = by_key.get(key)  # type: ignore[arg-type]  # None is no key: not found
        if ref is None:
            rest.append(result)
        else:
            ref.results.append(result)
            if result.properties:
                _add_property_ids(ref, result)
    return rest


def _node_id(ref: TestRef) -> str:
    """pytest's node ID of a test method (``path::Class::test``), its first key."""
    return f"{ref.path}::{ref.name.replace('.', '::')}"


def _match_by_keys(
    tests: dict[tuple[str, str], TestRef], keyed: list[tuple[TestResult, tuple[str, ...]]]
) -> set[int]:
    """Less specific keys, each used only when no other test found in code shares it."""
    index: dict[str, list[TestResult]] = defaultdict(list)
    for result, keys in keyed:
        for key in keys:
            index[key].append(result)
    candidates = {
        ref.key: test_ref_keys(ref.path, ref.name, ref.language) for ref in tests.values()
    }
    sharing: dict[str, int] = defaultdict(int)
    for own in candidates.values():
        for key in own:
            sharing[key] += 1
    matched: set[int] = set()
    for ref in tests.values():
        if ref.results:
            continue
        for key in candidates[ref.key]:
            hits = index.get(key)
            if hits and sharing[key] == 1:
                ref.results.extend(hits)
                matched.update(id(r) for r in hits)
                for result in hits:
                    _add_property_ids(ref, result)
                break
    return matched


def _add_property_ids(ref: TestRef, result: TestResult) -> None:
    for name, value in result.properties:
        if name == "verifies":
            ids = [v.strip() for v in value.split(",") if v.strip()]
            ref.verifies.extend(i for i in ids if i not in ref.verifies)


# @implements SRS-173
def _property_tests(unmatched: list[TestResult]) -> tuple[list[TestResult], list[TestResult]]:
    """Results that match no test found in code: those that claim to verify IDs
    (``verifies`` properties) apart from the others (the second list): a result for a test
    that does not exist is a finding (MT200), never evidence."""
    plain: list[TestResult] = []
    orphans: list[TestResult] = []
    for result in unmatched:
        claims = any(name == "verifies" for name, _ in result.properties)
        (orphans if claims else plain).append(result)
    return plain, orphans


def _attach_manual(trace: Trace, model: Model) -> None:
    for case in model.of_kind("test-case"):
        for target in model.targets(case.id, "verifies"):
            entry = trace.items.get(target.id)
            if entry is not None:
                entry.manual.append(case)


def map_files(model: Model, files: Iterable[str]) -> dict[str, str | None]:
    """Each code file → the most specific software item whose ``paths`` match it, or None.

    A list of patterns selects only paths at or below one of its bases (the folders a walk of
    it starts from, :meth:`Globs.bases`), so each file is matched only against the items with
    a base above it, in the same order, instead of against every item."""
    specs = []
    for item in model.of_kind("software-item"):
        patterns = item.ids("paths")
        if patterns:  # invalid patterns are reported by the rule paths-invalid (MT133)
            spec = Globs(patterns, lenient=True)
            specs.append((_depth(model, item), item.id, spec))
    specs.sort(key=lambda s: -s[0])
    by_base: dict[str, list[int]] = defaultdict(list)
    for rank, (_, _, spec) in enumerate(specs):
        for base in spec.bases():
            by_base[base].append(rank)
    out: dict[str, str | None] = {}
    for path in files:
        ranks = sorted(r for folder in _folders(path) for r in by_base.get(folder, ()))
        out[path] = next((specs[r][1] for r in ranks if specs[r][2].match(path)), None)
    return out


def _folders(path: str) -> list[str]:
    """``path`` and the folders above it, the root (``""``) first."""
    parts = path.split("/")
    return ["", *("/".join(parts[: i + 1]) for i in range(len(parts)))]


def _depth(model: Model, item: Item) -> int:
    depth, seen = 0, {item.id}
    parent = item.get("parent")
    while isinstance(parent, str) and parent not in seen and parent in model.items:
        depth += 1
        seen.add(parent)
        parent = model.items[parent].get("parent")
    return depth


def _statuses(
    trace: Trace,
    model: Model,
    freshness: Freshness,
    risks: dict[str, ItemTrace],
    changed: dict[str, str],
) -> bool:
    """Requirements first, from their tests; then risks, from their controls (see
    :mod:`medtrace.tracing.status`). Whether the roll-up met a loop in ``parents``."""
    _own_statuses(trace.items.values(), freshness, changed)
    ids: dict[str, list[str]] = {}
    plain = (i for i in filter(model.incoming.__contains__, trace.items) if i not in risks)
    cyclic = _roll_up(trace, _below(trace, model, risks.keys(), "parents", plain, ids), ids)
    controls = _below(trace, model, risks.keys(), "controls", risks)
    for item_id, entry in risks.items():
        below = controls.get(item_id, [])
        entry.status, entry.missing = risk_status(entry, below)
        entry.results_missing |= any(map(_RESULTS_MISSING, below))
    return cyclic


def _own_statuses(
    entries: Iterable[ItemTrace], freshness: Freshness, changed: dict[str, str]
) -> None:
    """Each item's status from its own tests and test cases (``entries`` as
    :func:`item_traces` made them: nothing is missing yet). The usual item (one test, with one
    result, which passed, and no test case) and the item that nothing verifies are judged here,
    without the lists and checks of :func:`requirement_status`. The usual item's freshness is
    asked once per results file, code file and test file (the items of a file share them),
    without making the sorted tuple of files each time."""
    answers: dict[tuple[str, str, str], bool] = {}
    for entry in entries:
        tests = entry.tests
        if len(tests) != 1 or entry.manual:
            if tests or entry.manual:
                _own_status(entry, freshness, changed)
            else:  # nothing verifies it; nothing is missing: its list stays the empty one
                by_test = entry.item.get("verification") not in NOT_BY_TEST
                entry.status = UNTESTED if by_test else NOT_REQUIRED
            continue
        results, path = tests[0].results, tests[0].path
        if len(results) != 1 or results[0].outcome is not PASSED:
            _own_status(entry, freshness, changed)
            continue
        code, source = entry.code, results[0].source
        if len(code) == 1 and path:
            key = (source, code[0].path, path)
            stale = answers.get(key)
            if stale is None:
                stale = answers[key] = freshness.stale_sorted(source, _covered(code, path))
        else:
            stale = freshness.stale_sorted(source, _covered(code, path))
        if stale or changed or entry.suspect:
            _one_pass(entry, stale, changed)
        else:
            entry.status = VERIFIED  # and its list of what is missing stays the empty one


def _covered(code: list[CodeRef], path: str) -> tuple[str, ...]:
    """The files an item's one result covers, sorted: its code's and its test's (``path``)."""
    if len(code) == 1 and path:  # the usual case: no set and no sort
        first = code[0].path
        return (first,) if first == path else (first, path) if first < path else (path, first)
    return tuple(sorted({*map(_PATH, code), path} if path else set(map(_PATH, code))))


def _own_status(entry: ItemTrace, freshness: Freshness, changed: dict[str, str]) -> None:
    """An item's status from its own tests and test cases (any number of each)."""
    outcomes = list(map(OUTCOME, entry.tests))  # read once: a property, asked thrice
    if outcomes:  # without tests nothing is stale or missing (the defaults)
        if PASSED in outcomes:
            stale = _stale(entry, freshness)
            if stale or changed:  # most items' results are current: no list for them
                entry.results_stale = _stale_reasons(entry, outcomes, stale, changed)
        entry.results_missing = outcomes.count(PASSED) != len(outcomes)
    entry.status, entry.missing = requirement_status(entry, outcomes)


def _one_pass(entry: ItemTrace, stale: bool, changed: dict[str, str]) -> None:
    """:func:`requirement_status` of an item with one test, with one passing result, and no
    test case, whose result is ``stale`` (or may be: ``changed``) or link suspect."""
    if stale or changed:
        why = _stale_reasons(entry, [PASSED], stale, changed)
        entry.results_stale = why
        if why:
            entry.status, entry.missing = STALE, list(why)
            return
    if entry.suspect:
        entry.status, entry.missing = SUSPECT, list(entry.suspect)
    else:
        entry.status, entry.missing = VERIFIED, []


def _below(
    trace: Trace,
    model: Model,
    risks: AbstractSet[str],
    field: str,
    of: Iterable[str],
    ids: dict[str, list[str]] | None = None,
) -> dict[str, list[ItemTrace]]:
    """Each traced item of ``of`` → the traced items, not ``risks``, that name it in ``field``,
    in the model's order of links; items that none names are left out (``ids``, when given,
    gets their IDs). One pass over the links, by ID: the items that nothing names (most of
    them) are passed over by C's loop (``filter``)."""
    items, incoming = trace.items, model.incoming
    out: dict[str, list[ItemTrace]] = {}
    for item_id in filter(incoming.__contains__, of):
        sources = _sources(incoming[item_id], field, items, risks)
        if sources:
            out[item_id] = list(map(items.__getitem__, sources))
            if ids is not None:
                ids[item_id] = sources
    return out


# @implements SRS-323
def _sources(
    links: list[Link], field: str, items: Mapping[str, ItemTrace], risks: AbstractSet[str]
) -> list[str]:
    """The sources of ``links`` in ``field`` that are traced (in ``items``) and not risks, in
    order. The usual list (a system requirement's 20 children: every link in ``field``, from
    a traced requirement) is told so by loops that run in C and taken whole; any other is
    filtered link by link, each read by unpacking it."""
    if list(map(_FIELD, links)).count(field) == len(links):
        sources = list(map(_SOURCE, links))
        if risks.isdisjoint(sources) and all(map(items.__contains__, sources)):
            return sources
    return [s for s, f, _, _ in links if f == field and s not in risks and s in items]


_SOURCE: Callable[[Link], str] = itemgetter(0)
_FIELD: Callable[[Link], str] = itemgetter(1)


def _roll_up(trace: Trace, children: dict[str, list[ItemTrace]], ids: dict[str, list[str]]) -> bool:
    """Requirements take their children's statuses into theirs, children first (a loop in
    ``parents``, reported by MT012, is cut where it closes). Iterative: derivation chains may
    be long. Only items with children change (an item without keeps its own status), so the
    walk goes through those alone, in the same order as through every item. (``ids``: the
    IDs of ``children``'s.) Whether it met a loop."""
    inner: dict[str, Sequence[str]] = {
        i: () if children.keys().isdisjoint(below) else [s for s in below if s in children]
        for i, below in ids.items()
    }  # most have no child with children of its own: C's loop tells
    done: set[str] = set()
    cyclic = False
    for root in children:
        if root in done:
            continue
        stack: list[tuple[str, int]] = [(root, 0)]
        open_ = {root}
        while stack:
            item_id, index = stack.pop()
            next_ = inner[item_id]
            if index < len(next_):
                stack.append((item_id, index + 1))
                child = next_[index]
                if child in open_:
                    cyclic = True
                elif child not in done:
                    open_.add(child)
                    stack.append((child, 0))
                continue
            entry, below = trace.items[item_id], children[item_id]
            entry.status, entry.missing = derived_status(entry, below)
            entry.results_missing |= any(map(_RESULTS_MISSING, below))
            done.add(item_id)
            open_.discard(item_id)
    return cyclic


def _stale_reasons(
    entry: ItemTrace, outcomes: list[Outcome | None], stale: bool, changed: dict[str, str]
) -> list[str]:
    """Why the item's passing results are stale (``outcomes``: its tests'): its code or tests
    changed after them (``stale``: see :func:`_stale`), or the inputs their provenance record
    names changed since the run (``changed``)."""
    reasons = ["the code or tests changed after the results were written"] if stale else []
    if changed:
        passed = (t for t, o in zip(entry.tests, outcomes, strict=True) if o is Outcome.PASSED)
        sources = sorted({r.source for t in passed for r in t.results})
        reasons += [changed[s] for s in sources if s in changed]
    return reasons


# @implements SRS-174
def changed_inputs(root: Path, results: ResultSet) -> dict[str, str]:
    """Results file → why its run is out of date: the files its provenance record names
    (code, tests, headers, fixtures, specs) are not the ones the suite ran on."""
    from medtrace.results.provenance import inputs_digest

    digests: dict[tuple[str, ...], str] = {}
    out: dict[str, str] = {}
    for source, record in results.provenance.items():
        if record.inputs not in digests:
            digests[record.inputs] = inputs_digest(root, record.inputs)[0]
        if digests[record.inputs] != record.inputs_digest:
            where = ", ".join(record.inputs)
            out[source] = f"the files of {source}'s run ({where}) changed since it ran"
    return out


# @implements SRS-104
def _stale(entry: ItemTrace, freshness: Freshness) -> bool:
    """Results made before the current content of the tests or code they cover."""
    code = set(map(_PATH, entry.code))
    tests = entry.tests
    if len(tests) == 1 and len(tests[0].results) == 1:  # the usual case: no grouping needed
        if tests[0].path:
            code.add(tests[0].path)
        return freshness.stale_one(tests[0].results[0].source, code)
    # each results file against the tests it holds results of (and the code), not every test
    # of the item: a changed unit test does not make the system suite's results stale
    by_source: dict[str, set[str]] = {}
    for test in entry.tests:
        for result in test.results:
            paths = by_source.get(result.source)
            if paths is None:
                paths = by_source[result.source] = set(code)
            if test.path:
                paths.add(test.path)
    return any(map(freshness.stale_one, by_source, by_source.values()))  # in order, lazily


_PATH: Callable[[CodeRef], str] = attrgetter("path")
_RESULTS_MISSING: Callable[[ItemTrace], bool] = attrgetter("results_missing")
