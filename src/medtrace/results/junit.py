"""Read JUnit XML, as written by pytest, jest-junit, Maven Surefire, Gradle, go-junit-report,
gotestsum, CTest, GoogleTest, the .NET JUnit logger, mocha-junit-reporter and PHPUnit.

The root is ``<testsuites>`` or a bare ``<testsuite>``; suites may nest. Each ``<testcase>``
becomes a :class:`TestResult`:

- its outcome is the worst of its ``<error>`` (ERROR), ``<failure>`` (FAILED) and ``<skipped>``
  (SKIPPED) children, else PASSED; GoogleTest's ``status="notrun"`` and ``result="skipped"``
  and CTest's ``status="disabled"`` are SKIPPED, CTest's ``status="fail"`` is FAILED;
- pytest's expected failures (``<skipped type="pytest.xfail">``) are SKIPPED with the message
  ``xfail`` (followed by the reason, when given);
- Surefire's ``flakyFailure``/``flakyError`` without a final failure make a PASSED, ``flaky``
  result whose message is the first flaky failure; ``rerunFailure``/``rerunError`` come with a
  ``<failure>``/``<error>`` that decides;
- the suite is the nearest enclosing ``<testsuite>``; the timestamp and ``file`` are inherited
  from the nearest enclosing suite that has them.

The parser is lxml's, streaming (``iterparse``): entities are not expanded in text (a
reference stays as written), no DTD is loaded, nothing is fetched from the network, and libxml2
refuses entity amplification (billion laughs) even in attributes. ``huge_tree`` is used only
for a file that needs it, on a second attempt (libxml2's limits on nesting depth and node
size). A file that is not well-formed gives no results, only a diagnostic: a file cut short
could hide failures.
"""

from __future__ import annotations

import io
import math
import re
from collections.abc import Iterator
from dataclasses import dataclass

from lxml import etree

from medtrace.diagnostics import Diagnostic
from medtrace.gcpause import gc_paused
from medtrace.results import codes
from medtrace.results.messages import summarize
from medtrace.results.model import Outcome, TestResult, Values, make_result

__all__ = ["parse_junit"]

_ROOTS = frozenset({"testsuites", "testsuite"})
_VERDICTS = {"error": Outcome.ERROR, "failure": Outcome.FAILED, "skipped": Outcome.SKIPPED}
_FLAKY = frozenset({"flakyFailure", "flakyError"})
_STATUS = {
    "notrun": (Outcome.SKIPPED, "not run"),
    "disabled": (Outcome.SKIPPED, "disabled"),
    "fail": (Outcome.FAILED, "failed"),
}
_RESULT = {"skipped": (Outcome.SKIPPED, "skipped"), "suppressed": (Outcome.SKIPPED, "suppressed")}
_POSITION = re.compile(r",? line \d+, column \d+$")
_HUGE = ("huge", "xml_parse_huge", "excessive depth")
#: Test cases read between two releases of the ones before (see :func:`_release`).
_RELEASE_EVERY = 256

#: outcome, message, flaky, properties
_Verdict = tuple[Outcome, str, bool, tuple[tuple[str, str], ...]]
_PASSED: _Verdict = (Outcome.PASSED, "", False, ())


class _NotJUnit(Exception):
    def __init__(self, tag: str, line: int) -> None:
        super().__init__(tag)
        self.tag, self.line = tag, line


# @implements SRS-20
#: An entity declaration: no test runner writes one, and its text would end up in test names.
_ENTITY = re.compile(rb"<!ENTITY", re.IGNORECASE)


def parse_junit(data: bytes, source: str) -> tuple[list[TestResult], list[Diagnostic]]:
    """The results in ``data`` (a JUnit XML file read from ``source``), and its problems.

    Never raises on bad input: a file that is empty, not XML, not well-formed or not JUnit gives
    no results and an ``MT120`` diagnostic.
    """
    if not data.removeprefix(b"\xef\xbb\xbf").strip():
        return [], [codes.malformed(source, "empty file")]
    declared = _ENTITY.search(data)
    if declared is not None:  # libxml2 expands internal entities in attribute values regardless
        line = data.count(b"\n", 0, declared.start()) + 1
        return [], [codes.malformed(source, "a DOCTYPE that declares entities", line=line)]
    try:
        return _parse(data, source, huge=False)
    except etree.XMLSyntaxError as exc:
        if not _needs_huge(exc):
            return [], [_unreadable(data, source, exc)]
    except etree.LxmlError as exc:
        return [], [_unreadable(data, source, exc)]
    try:
        return _parse(data, source, huge=True)
    except etree.LxmlError as exc:
        return [], [_unreadable(data, source, exc)]


def _parse(data: bytes, source: str, *, huge: bool) -> tuple[list[TestResult], list[Diagnostic]]:
    reader = _Reader(source, statuses=b"status=" in data or b"result=" in data)
    try:
        with gc_paused():
            for element in _testcases(data, huge=huge):
                reader.read(element)
    except _NotJUnit as exc:
        found = f"a root element <{exc.tag}>, not <testsuites> or <testsuite>"
        return [], [codes.malformed(source, found, line=exc.line)]
    return reader.results, reader.diagnostics


def _testcases(data: bytes, *, huge: bool) -> Iterator[etree._Element]:
    """Every ``<testcase>`` element, once read; checks the root element is JUnit's."""
    context = etree.iterparse(
        io.BytesIO(data),
        events=("end",),
        tag="testcase",
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        remove_comments=True,
        remove_pis=True,
        huge_tree=huge,
    )
    count = 0
    for _event, element in context:
        if not count:
            _check_root(element.getroottree().getroot())
        yield element
        element.clear()
        count += 1
        if count % _RELEASE_EVERY == 0:
            _release(element)
    if not count:
        _check_root(context.root)


def _check_root(root: etree._Element) -> None:
    tag = root.tag
    if not isinstance(tag, str) or tag not in _ROOTS:
        raise _NotJUnit(str(tag), _line(root))


def _line(element: etree._Element) -> int:
    """The line of an element's start tag (lxml's stubs do not type ``sourceline``)."""
    line: int | None = element.sourceline  # type: ignore[assignment]
    return line or 0


def _release(element: etree._Element) -> None:
    """Drop the (cleared) elements before ``element`` from its parent: memory stays flat.

    Only earlier siblings go: the parser may already have built, but not yet reported, later
    ones. ``index`` and slice deletion run in C, so this costs little when done every
    :data:`_RELEASE_EVERY` test cases.
    """
    parent = element.getparent()
    if parent is not None:
        del parent[: parent.index(element)]


def _needs_huge(exc: etree.XMLSyntaxError) -> bool:
    message = str(exc.msg).lower()
    return any(word in message for word in _HUGE) and "amplification" not in message


def _unreadable(data: bytes, source: str, exc: etree.LxmlError) -> Diagnostic:
    if not isinstance(exc, etree.XMLSyntaxError):
        return codes.malformed(source, f"unreadable XML: {exc}")
    message = _POSITION.sub("", str(exc.msg or exc)).strip()
    line, column = exc.position if exc.position else (0, 0)
    lowered = message.lower()
    if "encoding" in lowered or "utf-8" in lowered:
        found, hint = f"text that cannot be decoded: {message}", codes.ENCODING_HINT
    elif _at_end(data, line, column):
        found, hint = f"malformed XML, cut short: {message}", codes.TRUNCATED_HINT
    else:
        found, hint = f"malformed XML: {message}", codes.MALFORMED_HINT
    return codes.malformed(source, found, line=line, column=max(column, 0), hint=hint)


def _at_end(data: bytes, line: int, column: int) -> bool:
    """Whether the parser stopped at the very end of ``data``: the file was cut short."""
    content = data.rstrip()
    last_line = content.count(b"\n") + 1
    last_column = len(content) - content.rfind(b"\n") - 1
    return line > last_line or (line == last_line and column > last_column)


@dataclass(frozen=True, slots=True)
class _Suite:
    """What a test case inherits from the suites around it."""

    name: str
    timestamp: str | None
    file: str | None


class _Reader:
    """Turns ``<testcase>`` elements into results, remembering the suite of the last one."""

    def __init__(self, source: str, *, statuses: bool = True) -> None:
        self.source = source
        #: whether test cases may have GoogleTest/CTest ``status``/``result`` attributes
        self.statuses = statuses
        self.results: list[TestResult] = []
        self.diagnostics: list[Diagnostic] = []
        self._parent: etree._Element | None = None
        self._suite = _Suite("", None, None)
        self._strings: dict[str, str] = {}

    def read(self, element: etree._Element) -> None:
        # the hot path: one call per test case, so lookups are local and calls few
        get = element.get
        if len(element):
            verdict = _verdict(element)
        elif self.statuses and (get("status") or get("result")):
            verdict = (*_status(element, None), False, ())
        else:
            verdict = _PASSED
        name = (get("name") or "").strip()
        if not name:
            self.diagnostics.append(self._nameless(element, verdict[0]))
            return
        suite = self._suite_of(element)
        share = self._strings.setdefault
        classname, file, line = get("classname") or "", get("file"), get("line")
        values: Values = (
            suite.name,
            share(classname, classname),
            name,
            share(file, file) if file else suite.file,
            _integer(line) if line else None,
            verdict[0],
            verdict[1],
            _seconds(get("time")),
            verdict[3],
            self.source,
            _line(element),
            suite.timestamp,
            verdict[2],
        )
        self.results.append(make_result(values))

    def _suite_of(self, element: etree._Element) -> _Suite:
        parent = element.getparent()
        if parent is not self._parent:
            self._parent = parent
            self._suite = _suite(parent)
        return self._suite

    def _nameless(self, element: etree._Element, outcome: Outcome) -> Diagnostic:
        return codes.malformed(
            self.source,
            f"a <testcase> without a name ({outcome.value}); it is left out",
            line=_line(element),
            hint="give every test case a `name` attribute (check the runner's JUnit options)",
        )


def _suite(parent: etree._Element | None) -> _Suite:
    name, timestamp, file = None, None, None
    while parent is not None:
        if parent.tag == "testsuite" and name is None:
            name = parent.get("name", "")
        timestamp = timestamp or parent.get("timestamp")
        file = file or parent.get("file")
        parent = parent.getparent()
    return _Suite(name or "", timestamp, file)


def _verdict(element: etree._Element) -> _Verdict:
    """The worst of the failure/error/skipped children, flaky runs, and the properties."""
    outcome, message = Outcome.PASSED, ""
    flaky: str | None = None
    properties: tuple[tuple[str, str], ...] = ()
    for child in element:
        tag = child.tag
        if tag == "properties":
            properties = _properties(child)
        elif tag in _FLAKY:
            flaky = _message(child) if flaky is None else flaky
        elif tag in _VERDICTS and _VERDICTS[tag].rank > outcome.rank:
            outcome, message = _VERDICTS[tag], _message(child)
    if outcome is Outcome.PASSED:
        outcome, message = _status(element, flaky)
    return outcome, message, flaky is not None, properties


def _status(element: etree._Element, flaky: str | None) -> tuple[Outcome, str]:
    """The verdict of a test case with no failure/error/skipped child."""
    found = _STATUS.get(element.get("status", "")) or _RESULT.get(element.get("result", ""))
    if found is not None:
        return found
    if flaky is not None:
        return Outcome.PASSED, f"flaky: {flaky}" if flaky else "flaky"
    return Outcome.PASSED, ""


def _message(child: etree._Element) -> str:
    if child.get("type") == "pytest.xfail":
        reason = (child.get("message") or "").strip()
        return summarize(f"xfail: {reason}" if reason else "xfail", None)
    return summarize(child.get("message"), _text(child))


def _text(element: etree._Element) -> str:
    """All the text in the element, its children's (Surefire's ``<stackTrace>``) included.

    An entity reference stays as written (``&name;``): nothing is expanded.
    """
    return "".join(map(str, element.itertext()))


def _properties(element: etree._Element) -> tuple[tuple[str, str], ...]:
    found = []
    for prop in element:
        name = prop.get("name") if prop.tag == "property" else None
        if name:
            found.append((name, prop.get("value", prop.text or "")))
    return tuple(found)


def _integer(text: str | None) -> int | None:
    try:
        return int(text) if text else None
    except ValueError:
        return None


def _seconds(text: str | None) -> float | None:
    """A duration: ``1.5``, ``0.`` (GoogleTest), ``1,5`` or ``1,234.5`` (locales)."""
    if not text:
        return None
    try:
        value = float(text)
    except ValueError:
        value = _localized(text)
    return value if 0 <= value < math.inf else None  # NaN fails the test too


def _localized(text: str) -> float:
    cleaned = text.replace(",", "") if "." in text else text.replace(",", ".")
    try:
        return float(cleaned)
    except ValueError:
        return math.nan
