"""Verification statuses, defined once: every command (check, matrix, show, JSON) reads the
status this module gives an item, never its own.

A **requirement** (any requirement-like kind) is

``failing``
    when a test that verifies it failed or errored in the latest results, or a manual test case
    that verifies it records ``result: fail``;
``verified``
    when every test that verifies it has a result in the latest results, every manual test case
    that verifies it records a pass, all passed, and none is stale;
``stale``
    when all passed but the code, the tests, the requirement or the inputs of the run changed
    since (see :mod:`medtrace.tracing.build` and :mod:`medtrace.tracing.manual`);
``suspect``
    when all passed and none is stale, but the requirement's content changed since the link
    from one of its passing tests or test cases was last reviewed (``medtrace review``, see
    :mod:`medtrace.review`): the tests passed against an older revision of the requirement;
``partially-verified``
    when what has a result passed but some tests have no result (or only skipped ones), or some
    test cases were not run: ``ItemTrace.missing`` says which. A manual pass never stands in for
    an automated test without a result;
``not-run``
    when tests or test cases verify it but none has a passing result;
``not-required``
    when nothing verifies it and it says ``verification: inspection``, ``analysis`` or
    ``demonstration`` (the record of that verification is ``verification_record``);
``untested``
    when nothing verifies it.

A requirement that others refine (they name it in ``parents``) **rolls up** its children:
it is ``failing`` when one of them is, ``partially-verified`` when its own evidence passed but a
child is not verified (``stale`` when a child is only stale), and takes its children's status
when nothing verifies it directly. A system requirement verified by a bench test case is thus
not ``verified`` while the software requirements below it have no results.

A **risk** rolls up from its control measures (the requirements whose ``controls`` name it):
its status is the worst of theirs, and of its own when tests verify it directly; a risk without
controls has its own status.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from operator import attrgetter

from medtrace.results import Outcome
from medtrace.tracing.model import ItemTrace, Status, TestRef

__all__ = [
    "NOT_BY_TEST",
    "OUTCOME",
    "PASSED",
    "RANK",
    "derived_status",
    "manual_result",
    "requirement_status",
    "risk_status",
    "worst",
]

#: ``verification`` values that need no test: the item is verified by a record instead.
NOT_BY_TEST = frozenset({"inspection", "analysis", "demonstration"})

#: Worst first: the status a group of items shows is the worst of theirs.
RANK: dict[Status, int] = {
    s: i
    for i, s in enumerate(
        (
            Status.FAILING,
            Status.UNTESTED,
            Status.NOT_RUN,
            Status.PARTIAL,
            Status.SUSPECT,
            Status.STALE,
            Status.VERIFIED,
            Status.NOT_REQUIRED,
        )
    )
}


#: The outcomes the status of every item is judged by, read once: an enum member read through
#: its class costs ten times a global's read, several times for each of 100,000 items.
PASSED, FAILED, ERROR = Outcome.PASSED, Outcome.FAILED, Outcome.ERROR

#: The results of no manual test case (read only).
_NO_CASES: dict[str, str] = {}

#: A test's worst outcome, for ``map``: its property is read without a Python loop around it.
OUTCOME: Callable[[TestRef], Outcome | None] = attrgetter("outcome")


#: Worst first, for :func:`worst`.
_WORST_FIRST = tuple(RANK)


def worst(statuses: Iterable[Status]) -> Status | None:
    """The worst of ``statuses`` (``None`` for none). Each status is looked for in turn, worst
    first, by C's identity test: ranking each one through ``RANK`` hashed an enum member in
    Python (``Enum.__hash__``) for every child of every requirement that has children."""
    present = statuses if isinstance(statuses, (list, tuple)) else list(statuses)
    for status in _WORST_FIRST:
        if status in present:
            return status
    return None


def manual_result(case: object) -> str:
    """The recorded result of a manual test case: pass, fail, blocked or not-run."""
    get = getattr(case, "get", None)
    value = get("result") if get is not None else None
    return str(value) if value else "not-run"


# @implements SRS-170
def requirement_status(
    entry: ItemTrace, outcomes: list[Outcome | None] | None = None
) -> tuple[Status, list[str]]:
    """The status of a requirement, and what keeps it from ``verified``.

    Why its passing automated results are stale is in ``entry.results_stale``; why its manual
    test cases' passes are, in ``entry.manual_stale``. ``outcomes`` are its tests' (``OUTCOME``
    of each), when the caller has them already.
    """
    tests, cases = entry.tests, entry.manual
    if not tests and not cases:
        if entry.item.get("verification") in NOT_BY_TEST:
            return Status.NOT_REQUIRED, []
        return Status.UNTESTED, []
    if outcomes is None:
        outcomes = list(map(OUTCOME, tests))  # a property: asked once per test, in C's loop
    # most requirements have no manual test case: no dict of their results then
    results = {c.id: manual_result(c) for c in cases} if cases else _NO_CASES
    if FAILED in outcomes or ERROR in outcomes or (cases and "fail" in results.values()):
        return Status.FAILING, []
    missing, passed = _unrun(tests, outcomes, results)
    passed += len(cases) - len(results)  # a case ID given twice counts twice
    if not passed:
        return Status.NOT_RUN, missing
    if missing:
        return Status.PARTIAL, missing
    why = list(entry.results_stale)
    if entry.manual_stale:
        why += [f"{i}: {reason}" for i, reason in entry.manual_stale.items()]
    if why:
        return Status.STALE, why
    if entry.suspect:
        return Status.SUSPECT, list(entry.suspect)
    return Status.VERIFIED, []


def _unrun(
    tests: Sequence[TestRef], outcomes: list[Outcome | None], results: dict[str, str]
) -> tuple[list[str], int]:
    """What has not run (tests without a passing result, test cases without a pass), and how
    many of the tests and cases passed. A test has run when its worst outcome over all its
    cases passed: a skipped case of a parametrized test does not hide the others' pass."""
    if not results and outcomes.count(PASSED) == len(outcomes):
        return [], len(outcomes)  # the usual case: every test passed, no test case
    unrun = [t for t, o in zip(tests, outcomes, strict=True) if o is not PASSED]
    unrun_cases = [i for i, r in results.items() if r != "pass"]
    missing = [f"no result for {t.label}" for t in unrun]
    missing += [f"{i} not run ({results[i]})" for i in unrun_cases]
    return missing, len(tests) - len(unrun) + len(results) - len(unrun_cases)


# @implements SRS-171
def risk_status(entry: ItemTrace, controls: Sequence[ItemTrace]) -> tuple[Status, list[str]]:
    """The worst status of the risk's controls (and its own, when it is verified directly).
    The statuses are read once, in C's loop; what is missing is gathered only when needed."""
    judged = [*controls, entry] if entry.tests or entry.manual or not controls else controls
    statuses = list(map(_STATUS, judged))
    status = worst(statuses) or entry.status
    if status in (Status.VERIFIED, Status.NOT_REQUIRED):
        return status, []
    missing: list[str] = []
    for s, e in zip(statuses, judged, strict=True):
        if s is not status:
            continue
        if e is entry:
            missing += e.missing
        else:
            missing += [f"{e.item.id}: {m}" for m in e.missing] or [f"{e.item.id} is {s.value}"]
    return status, missing


_DONE = (Status.VERIFIED, Status.NOT_REQUIRED)
#: What a child may be without keeping a verified or stale parent open.
_SETTLED = (Status.VERIFIED, Status.NOT_REQUIRED, Status.STALE)
_STATUS: Callable[[ItemTrace], Status] = attrgetter("status")


# @implements SRS-170
def derived_status(entry: ItemTrace, children: Sequence[ItemTrace]) -> tuple[Status, list[str]]:
    """A requirement's own status (already set) combined with its children's (see the module).
    The children's statuses are read once, in C's loop (``map``)."""
    own, missing = entry.status, list(entry.missing)
    if not children:
        return own, missing
    statuses = list(map(_STATUS, children))
    if own is Status.FAILING or Status.FAILING in statuses:
        return Status.FAILING, missing
    if own in (Status.UNTESTED, Status.NOT_REQUIRED) and not entry.tests and not entry.manual:
        return _from_children(children, statuses)
    if own in (Status.VERIFIED, Status.STALE):
        open_ = [(c, s) for c, s in zip(children, statuses, strict=True) if s not in _SETTLED]
        if open_:
            return Status.PARTIAL, missing + [f"{c.item.id} is {s.value}" for c, s in open_]
    if own is Status.VERIFIED and Status.STALE in statuses:
        stale = [c for c, s in zip(children, statuses, strict=True) if s is Status.STALE]
        return Status.STALE, [f"{c.item.id} is stale" for c in stale]
    return own, missing


def _from_children(
    children: Sequence[ItemTrace], statuses: list[Status]
) -> tuple[Status, list[str]]:
    status = worst(statuses) or Status.UNTESTED
    if status in _DONE:
        return status, []
    if status in (Status.UNTESTED, Status.NOT_RUN) and any(map(_SETTLED.__contains__, statuses)):
        status = Status.PARTIAL
    pairs = zip(children, statuses, strict=True)
    return status, [f"{c.item.id} is {s.value}" for c, s in pairs if s not in _DONE]
