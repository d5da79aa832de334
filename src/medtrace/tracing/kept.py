"""The trace a resident server keeps, and updates for an edit of items in place.

A server makes the whole trace when it reads the files (:func:`keep_trace`). When the linked
model it keeps took edited items in the old ones' places (same IDs, order, kinds and link
fields: :func:`medtrace.linking.keep_model`) and nothing else the trace is made of changed, only
those items get new entries; their own statuses and the derived statuses of what lies above
them through ``parents`` (children first), and the statuses of the risks any of those control,
are made again. Anything else is traced again whole: a loop in ``parents`` (the roll-up's cut
point depends on the order of the visit), an edited test case or software item, other tags,
tests, results, files or settings.

A check takes the kept trace once (:func:`take_trace`) for the very model, tags, tests and
results it was made of, after asking again what the files and git say now: the freshness of
every result it judged, the runs' provenance and the manual records; any difference and the
check traces itself.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass
from pathlib import Path

from medtrace.model import Model
from medtrace.results import ResultSet, TestResult
from medtrace.scanning import ScanResult, Tag, TestSymbol
from medtrace.tracing.build import (
    Composed,
    TestsSide,
    _below,
    _own_statuses,
    _same,
    changed_inputs,
    compose,
)
from medtrace.tracing.freshness import Freshness
from medtrace.tracing.manual import ManualCheck
from medtrace.tracing.model import ItemTrace, Status, Trace, item_traces
from medtrace.tracing.status import derived_status, risk_status

__all__ = ["Settings", "drop_trace", "keep_trace", "take_trace"]

#: Kinds whose edit the update does not follow: test cases are attached to the items they
#: verify, software items map the code files.
_NOT_FOLLOWED = frozenset({"test-case", "software-item"})


@dataclass(frozen=True)
class Settings:
    """What of the configuration a trace is made with."""

    root: Path
    cache_dir: Path | None
    kinds: tuple[str, ...]
    risk_kinds: tuple[str, ...]
    levels: tuple[tuple[str, tuple[str, ...]], ...]
    version: str | None


@dataclass
class _Kept:
    made: Composed
    settings: Settings
    side: TestsSide
    tags: list[Tag]
    tests: list[TestSymbol]
    results: list[TestResult]
    files: list[str]


#: How an item's status is made from its own and those below it.
_Status = Callable[[ItemTrace, Sequence[ItemTrace]], tuple[Status, list[str]]]


#: The trace the resident server made last, with what it was made of.
_kept: _Kept | None = None


def drop_trace() -> _Kept | None:
    """Forget the kept trace and give it back: a server calls this before it reads the files,
    so that a failed read keeps nothing that no longer matches the model."""
    global _kept
    kept, _kept = _kept, None
    return kept


# @implements SRS-344
def keep_trace(
    old: _Kept | None,
    model: Model,
    replaced: Sequence[str] | None,
    side: TestsSide,
    scan: ScanResult,
    results: ResultSet,
    settings: Settings,
) -> None:
    """Keep the trace of ``model`` and ``side`` (made of ``scan`` and ``results``): ``old``
    updated when it was made of the same model, side, files and settings and the model since
    only took the items ``replaced`` (:func:`medtrace.linking.kept_model`), else made whole."""
    global _kept
    current = old is not None and _current(old, model, side, scan, settings)
    if old is not None and current and replaced is not None and _update(old.made, replaced):
        _kept = old
        return
    freshness = Freshness(settings.root, settings.cache_dir)
    changed = changed_inputs(settings.root, results)
    made = compose(model, scan, side, settings.kinds, freshness, changed, settings.risk_kinds)
    made.judged(ManualCheck(settings.root, settings.version), None)
    _kept = _Kept(made, settings, side, scan.tags, scan.tests, results.results, list(scan.files))


def _current(
    old: _Kept, model: Model, side: TestsSide, scan: ScanResult, settings: Settings
) -> bool:
    return (
        old.made.model is model
        and old.side is side
        and old.settings == settings
        and old.files == scan.files
        and not old.made.cyclic
    )


# @implements SRS-345
def take_trace(
    model: Model, scan: ScanResult, results: ResultSet, settings: Settings
) -> tuple[Trace, Freshness] | None:
    """The kept trace, if made of this very model, these tags, tests and results, equal files
    and settings, and if the files and git still give every answer it was made with; with the
    freshness judged now (to save). Handed out once: the process that takes it may change it
    (a process forked from the server changes its copy)."""
    kept = drop_trace()
    if kept is None or kept.made.model is not model or kept.settings != settings:
        return None
    same = _same(kept.tags, scan.tags) and _same(kept.tests, scan.tests)
    if not (same and _same(kept.results, results.results) and kept.files == scan.files):
        return None
    made, root = kept.made, settings.root
    freshness = Freshness(root, settings.cache_dir)
    if not made.freshness.agrees(freshness) or changed_inputs(root, results) != made.changed:
        return None
    trace = made.trace
    manual = ManualCheck(root, settings.version).stale_records(trace)
    if manual != {i: e.manual_stale for i, e in trace.items.items() if e.manual_stale}:
        return None
    trace.tags_seen = scan.tags  # what tag-unknown-id (MT104) compares with its scan's
    return trace, freshness


# @implements SRS-344
def _update(made: Composed, replaced: Sequence[str]) -> bool:
    """Give the items ``replaced`` new entries and make again the statuses that depend on
    them; ``False`` (and the trace left to be made whole) when that cannot be done exactly."""
    trace, items = made.trace, made.model.items
    if any(items[i].kind in _NOT_FOLLOWED for i in replaced):
        return False
    touched = [i for i in replaced if i in trace.items]
    risks = made.risks
    order = _children_first(made.model, trace, risks.keys(), [i for i in touched if i not in risks])
    if order is None:
        return False
    for item_id in touched:
        _renew(trace, risks, item_id, made.model)
    risky = _risks_of(made.model, risks, order, touched)
    entries = [trace.items[i] for i in (*order, *risky)]
    for entry in entries:
        entry.status, entry.missing, entry.results_stale = Status.UNTESTED, [], []
        entry.results_missing = False
    _own_statuses(entries, made.freshness, made.changed)
    for item_id in order:
        _derive(made, item_id, "parents", derived_status)
    for item_id in risky:
        _derive(made, item_id, "controls", risk_status)
    return True


def _renew(trace: Trace, risks: dict[str, ItemTrace], item_id: str, model: Model) -> None:
    """A new entry for an edited item: its code, tests and test cases are the old one's (the
    same IDs name it; the test cases did not change)."""
    old = trace.items[item_id]
    made = item_traces([model.items[item_id]], {item_id: old.code}, {item_id: old.tests})
    entry = made[item_id]
    entry.manual, entry.manual_stale = old.manual, old.manual_stale
    trace.items[item_id] = entry
    if item_id in risks:
        risks[item_id] = entry


def _derive(made: Composed, item_id: str, field: str, status: _Status) -> None:
    """An item's status from its own and those of the traced items naming it in ``field``
    (as :func:`medtrace.tracing.build._statuses` makes it)."""
    trace, risks = made.trace, made.risks
    below = _below(trace, made.model, risks.keys(), field, [item_id]).get(item_id)
    if below is None:
        if field == "parents":
            return  # an item nothing names keeps its own status
        below = []
    entry = trace.items[item_id]
    entry.status, entry.missing = status(entry, below)
    entry.results_missing |= any(e.results_missing for e in below)


def _upward(model: Model, trace: Trace, risks: AbstractSet[str], item_id: str) -> list[str]:
    """The traced items, not risks, that ``item_id`` names in ``parents``."""
    links = model.outgoing.get(item_id, ())
    return [
        t for _, f, t, ok in links if f == "parents" and ok and t in trace.items and t not in risks
    ]


def _children_first(
    model: Model, trace: Trace, risks: AbstractSet[str], start: Iterable[str]
) -> list[str] | None:
    """``start`` and every item above them through ``parents``, each after all of its
    children among them; ``None`` if they close a loop."""
    above: dict[str, list[str]] = {}
    todo = list(start)
    while todo:
        item_id = todo.pop()
        if item_id not in above:
            above[item_id] = _upward(model, trace, risks, item_id)
            todo.extend(above[item_id])
    waiting = dict.fromkeys(above, 0)
    for targets in above.values():
        for target in targets:
            waiting[target] += 1
    ready = [i for i, n in waiting.items() if n == 0]
    order: list[str] = []
    while ready:
        item_id = ready.pop()
        order.append(item_id)
        for target in above[item_id]:
            waiting[target] -= 1
            if waiting[target] == 0:
                ready.append(target)
    return order if len(order) == len(above) else None


def _risks_of(
    model: Model, risks: dict[str, ItemTrace], order: list[str], touched: list[str]
) -> list[str]:
    """The risks among ``touched`` and those the items of ``order`` control, in the trace's
    order."""
    named = {i for i in touched if i in risks}
    for item_id in order:
        for _, f, target, ok in model.outgoing.get(item_id, ()):
            if f == "controls" and ok and target in risks:
                named.add(target)
    return [i for i in risks if i in named] if named else []
