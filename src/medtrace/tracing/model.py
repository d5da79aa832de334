"""The trace: every item joined with the code that implements it, the tests that verify it and
the latest results of those tests."""

from __future__ import annotations

import enum
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from medtrace.model import Item
from medtrace.results import Outcome, TestResult

__all__ = [
    "CodeRef",
    "ItemTrace",
    "Status",
    "TestRef",
    "Trace",
    "code_ref",
    "item_traces",
    "test_ref",
]


class Status(enum.Enum):
    """Verification status of an item, from its tests' latest results and manual test cases.

    Defined once, in :mod:`medtrace.tracing.status` (and the shipped page ``statuses``).
    """

    VERIFIED = "verified"  # every verifying test and test case has a result and all passed
    PARTIAL = "partially-verified"  # what has a result passed, but some tests have none
    FAILING = "failing"  # a test failed or errored, or a manual test case failed
    NOT_RUN = "not-run"  # tests exist but none has a passing result
    STALE = "stale"  # passed, but the code, tests or requirement changed since
    SUSPECT = "suspect"  # passed, but the requirement changed since its tests were reviewed
    UNTESTED = "untested"  # no test and no manual test case verifies it
    NOT_REQUIRED = "not-required"  # verified by inspection, analysis or demonstration


@dataclass(frozen=True, slots=True)
class CodeRef:
    """An ``@implements`` site: a file, the tag's line and the symbol it belongs to."""

    path: str
    line: int
    symbol: str | None
    symbol_line: int | None
    language: str

    @property
    def label(self) -> str:
        where = f"{self.path}:{self.symbol_line or self.line}"
        return f"{where} {self.symbol}" if self.symbol else where


class _CodeDraft:
    """A mutable twin of :class:`CodeRef`: the same slots, in the same order."""

    __slots__ = tuple(CodeRef.__dataclass_fields__)

    path: str
    line: int
    symbol: str | None
    symbol_line: int | None
    language: str


def code_ref(
    path: str, line: int, symbol: str | None, symbol_line: int | None, language: str
) -> CodeRef:
    """``CodeRef(path, line, symbol, symbol_line, language)``, at a third of the cost (one for
    each of 100,000 tags): a frozen dataclass sets each field through ``object.__setattr__``;
    a :class:`_CodeDraft` is filled with plain stores and then becomes a ``CodeRef`` (the same
    slots, so Python allows the class change), as ``medtrace.results.model.make_result`` does."""
    draft = _CodeDraft()
    draft.path, draft.line, draft.symbol = path, line, symbol
    draft.symbol_line, draft.language = symbol_line, language
    object.__setattr__(draft, "__class__", CodeRef)
    return draft  # type: ignore[return-value]  # a CodeRef now


@dataclass(slots=True)
class TestRef:
    """An automated test: where it is (when found in code), what it verifies, its results."""

    __test__ = False

    key: str
    name: str
    path: str
    line: int
    language: str
    verifies: list[str] = field(default_factory=list)
    results: list[TestResult] = field(default_factory=list)
    #: The test level from an ``@level`` tag (unit, integration or system); None: a unit test
    level: str | None = None

    @property
    def outcome(self) -> Outcome | None:
        """Worst outcome over the test's results (all parametrized cases); None without any."""
        results = self.results
        if len(results) == 1:  # the usual case, asked for several times per test
            return results[0].outcome
        if not results:
            return None
        outcomes = {r.outcome for r in results}
        for worst in (Outcome.ERROR, Outcome.FAILED, Outcome.PASSED, Outcome.SKIPPED):
            if worst in outcomes:
                return worst
        return None

    @property
    def label(self) -> str:
        return f"{self.path}:{self.line} {self.name}" if self.path else self.name


_new_test = TestRef.__new__


def test_ref(key: str, name: str, path: str, line: int, language: str) -> TestRef:
    """``TestRef(key, name, path, line, language)``, with plain stores into its slots: the
    dataclass's ``__init__`` (a Python call that asks each default whether it was given) cost
    twice as much, once for each of 100,000 tests."""
    ref = _new_test(TestRef)
    ref.key, ref.name, ref.path, ref.line, ref.language = key, name, path, line, language
    ref.verifies, ref.results, ref.level = [], [], None
    return ref


test_ref.__test__ = False  # type: ignore[attr-defined]  # not a test, whatever its name


@dataclass(slots=True)
class ItemTrace:
    item: Item
    code: list[CodeRef] = field(default_factory=list)
    tests: list[TestRef] = field(default_factory=list)
    manual: list[Item] = field(default_factory=list)
    status: Status = Status.UNTESTED
    #: What keeps the item from ``verified``: tests without a result, test cases not run,
    #: why results are stale (one short phrase each).
    missing: list[str] = field(default_factory=list)
    #: Manual test cases whose record is stale for this item: case ID → why.
    manual_stale: dict[str, str] = field(default_factory=dict)
    #: Why the passing automated results are stale (empty when current).
    results_stale: list[str] = field(default_factory=list)
    #: Why its passing verification is suspect: the item changed since the link from a test
    #: (or test case) to it was reviewed (``medtrace review``; empty without reviews).
    suspect: list[str] = field(default_factory=list)
    #: Its approval state (approved, changed-since-approval, unapproved) when the project keeps
    #: reviews (:mod:`medtrace.review`); ``None`` otherwise.
    approval: str | None = None
    #: An automated test of the item (or of a requirement below it, or of a control of a risk)
    #: has no passing result.
    results_missing: bool = False


_new_entry = ItemTrace.__new__
_UNTESTED = Status.UNTESTED


def item_traces(
    items: Iterable[Item],
    code_of: Mapping[str, list[CodeRef]] | None = None,
    tests_of: Mapping[str, list[TestRef]] | None = None,
) -> dict[str, ItemTrace]:
    """``{item.id: ItemTrace(item) for item in items}``, with plain stores into the slots (see
    :func:`test_ref`): one for each of 100,000 items. Each takes its list in ``code_of`` and
    ``tests_of`` (by ID) as its code and tests, when given (the lists are then the entries')."""
    code, tests = (code_of or {}).get, (tests_of or {}).get
    out: dict[str, ItemTrace] = {}
    for item in items:
        entry = out[item.id] = _new_entry(ItemTrace)
        entry.item, entry.manual = item, []
        entry.code = code(item.id) or []
        entry.tests = tests(item.id) or []
        entry.status, entry.missing, entry.manual_stale = _UNTESTED, [], {}
        entry.results_stale, entry.suspect, entry.approval = [], [], None
        entry.results_missing = False
    return out


@dataclass
class Trace:
    """The trace of a whole project."""

    items: dict[str, ItemTrace] = field(default_factory=dict)
    tests: list[TestRef] = field(default_factory=list)
    unmatched_results: list[TestResult] = field(default_factory=list)
    #: Results that claim to verify IDs (a ``verifies`` property) for a test not found in the
    #: code: reported, never evidence.
    orphan_results: list[TestResult] = field(default_factory=list)
    file_items: dict[str, str | None] = field(default_factory=dict)
    #: The IDs that tags (``@implements``, ``@verifies``) and the tests' ``verifies`` lists
    #: (tags and result properties) name but no traced item has, gathered by
    #: :func:`~medtrace.tracing.build.build_trace` where it looks them up anyway; ``None``
    #: when not gathered (a trace made otherwise). The rule tag-unknown-id (MT104) has nothing
    #: to look for when they are all IDs of items and no tag is an ``@level`` tag.
    untraced_ids: set[str] | None = None
    #: Whether a tag is an ``@level`` tag (gathered with ``untraced_ids``).
    level_tags: bool = False
    #: The list of tags both were gathered from (the scan's ``tags``).
    tags_seen: object = None

    def of(self, item_id: str) -> ItemTrace | None:
        return self.items.get(item_id)
