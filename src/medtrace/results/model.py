"""What a test run says: one :class:`TestResult` per ``<testcase>``, gathered in a
:class:`ResultSet`."""

from __future__ import annotations

import enum
from collections import Counter
from dataclasses import dataclass, field

from medtrace.diagnostics import Diagnostic

__all__ = ["Outcome", "ResultSet", "TestResult"]


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
    results file, relative to the project root, and the line of the ``<testcase>`` element).
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

    def __reduce__(self) -> tuple[type[TestResult], tuple[object, ...]]:
        # positional re-construction: about twice as fast to unpickle as the dataclass state
        return (TestResult, tuple(getattr(self, name) for name in _FIELDS))

    def property_values(self, name: str) -> list[str]:
        """The values of the properties called ``name``, in file order."""
        return [value for key, value in self.properties if key == name]


_FIELDS = tuple(TestResult.__dataclass_fields__)


@dataclass(slots=True)
class ResultSet:
    """Every result read from the results files, with the problems found on the way.

    ``files`` are the results files read (relative to the project root, POSIX); ``newest`` is
    the newest modification time among them (seconds since the epoch), to tell stale results.
    """

    results: list[TestResult] = field(default_factory=list)
    files: list[str] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)
    newest: float | None = None

    def counts(self) -> dict[Outcome, int]:
        """How many results have each outcome (every outcome present, possibly 0)."""
        found = Counter(result.outcome for result in self.results)
        return {outcome: found[outcome] for outcome in Outcome}
