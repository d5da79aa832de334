"""What a test run says: one :class:`TestResult` per ``<testcase>``, gathered in a
:class:`ResultSet`."""

from __future__ import annotations

import enum
from collections import Counter
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from medtrace.diagnostics import Diagnostic

if TYPE_CHECKING:
    from medtrace.results.provenance import Provenance

__all__ = [
    "Outcome",
    "ResultSet",
    "Row",
    "TestResult",
    "Values",
    "from_row",
    "make_result",
    "to_row",
]


class Outcome(enum.Enum):
    """The verdict of one test case.

    An expected failure (pytest ``xfail``) is ``SKIPPED``; a test that failed and then passed on
    a rerun (Surefire ``flakyFailure``) is ``PASSED`` with ``TestResult.flaky`` set.
    """

    PASSED = "passed"
    FAILED = "failed"
    ERROR = "error"
    SKIPPED = "skipped"

    @property
    def rank(self) -> int:
        """Badness, for picking the worst verdict: error > failed > skipped > passed."""
        return _RANK[self]


_RANK = {Outcome.PASSED: 0, Outcome.SKIPPED: 1, Outcome.FAILED: 2, Outcome.ERROR: 3}


@dataclass(frozen=True, slots=True)
class TestResult:
    """One ``<testcase>`` of a JUnit XML file.

    ``file``/``line`` are where the runner says the test is (the ``file`` attribute of the test
    case, else of its suite); ``source``/``source_line`` are where the result was read (the
    results file, relative to the project root, and the line of the ``<testcase>`` start tag;
    for a tag written over several lines, the line of its closing ``>``, as the XML parser
    reports it).
    ``message`` is the failure, error or skip message on one line (at most 300 characters).
    ``properties`` are the test case's own ``<property>`` elements (pytest ``record_property``).
    """

    __test__ = False  # not a test class, whatever pytest thinks of the name

    suite: str
    classname: str
    name: str
    file: str | None
    line: int | None
    outcome: Outcome
    message: str
    time: float | None
    properties: tuple[tuple[str, str], ...]
    source: str
    source_line: int
    timestamp: str | None
    flaky: bool = False

    def __reduce__(self) -> tuple[object, tuple[Values]]:
        return (make_result, (self.values(),))

    def values(self) -> Values:
        """The fields, in order: ``make_result(r.values()) == r``."""
        return (
            self.suite,
            self.classname,
            self.name,
            self.file,
            self.line,
            self.outcome,
            self.message,
            self.time,
            self.properties,
            self.source,
            self.source_line,
            self.timestamp,
            self.flaky,
        )

    def property_values(self, name: str) -> list[str]:
        """The values of the properties called ``name``, in file order."""
        return [value for key, value in self.properties if key == name]


Values = tuple[
    str,
    str,
    str,
    str | None,
    int | None,
    Outcome,
    str,
    float | None,
    tuple[tuple[str, str], ...],
    str,
    int,
    str | None,
    bool,
]


class _Draft:
    """A mutable twin of :class:`TestResult`: the same slots, in the same order."""

    __slots__ = tuple(TestResult.__dataclass_fields__)

    suite: str
    classname: str
    name: str
    file: str | None
    line: int | None
    outcome: Outcome | str  # the outcome's value while filled from a row
    message: str
    time: float | None
    properties: tuple[tuple[str, str], ...]
    source: str
    source_line: int
    timestamp: str | None
    flaky: bool


#: The fields with the outcome as its value: plain data, which the cache stores fastest.
Row = tuple[
    str,
    str,
    str,
    str | None,
    int | None,
    str,
    str,
    float | None,
    tuple[tuple[str, str], ...],
    str,
    int,
    str | None,
    bool,
]
_OUTCOMES = {outcome.value: outcome for outcome in Outcome}


def to_row(result: TestResult) -> Row:
    values = result.values()
    return (*values[:5], result.outcome.value, *values[6:])


def from_row(row: Row) -> TestResult:
    """The result :func:`to_row` made ``row`` of (as fast as :func:`make_result`)."""
    draft = _fill(row)
    draft.outcome = _OUTCOMES[row[5]]
    object.__setattr__(draft, "__class__", TestResult)
    return draft  # type: ignore[return-value]  # a TestResult now


def make_result(values: Values) -> TestResult:
    """A :class:`TestResult` of its field values, in order, five times faster than its
    constructor.

    A frozen dataclass sets each field through ``object.__setattr__``, which dominates the time
    to read (or load from the cache) 100,000 results. A :class:`_Draft` is filled with plain
    attribute stores and then becomes a ``TestResult``: both classes have the same slots, so
    Python allows the ``__class__`` change and the result is an ordinary, frozen ``TestResult``.
    """
    draft = _fill(values)
    object.__setattr__(draft, "__class__", TestResult)
    return draft  # type: ignore[return-value]  # a TestResult now


def _fill(values: Values | Row) -> _Draft:
    draft = _Draft()
    (
        draft.suite,
        draft.classname,
        draft.name,
        draft.file,
        draft.line,
        draft.outcome,
        draft.message,
        draft.time,
        draft.properties,
        draft.source,
        draft.source_line,
        draft.timestamp,
        draft.flaky,
    ) = values
    return draft


@dataclass(slots=True)
class ResultSet:
    """Every result read from the results files, with the problems found on the way.

    ``files`` are the results files found (relative to the project root, POSIX), including
    those that gave only a diagnostic; ``newest`` is the newest modification time among them
    (seconds since the epoch), to tell stale results.
    """

    results: list[TestResult] = field(default_factory=list)
    files: list[str] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)
    newest: float | None = None
    #: results file → what its provenance record (sidecar) says, for the files that have one
    provenance: dict[str, Provenance] = field(default_factory=dict)

    def counts(self) -> dict[Outcome, int]:
        """How many results have each outcome (every outcome present, possibly 0)."""
        found = Counter(result.outcome for result in self.results)
        return {outcome: found[outcome] for outcome in Outcome}
