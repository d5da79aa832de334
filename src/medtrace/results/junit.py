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

The parser is lxml's, streaming (``iterparse``), with no entity expansion in text, no DTD, no
network; ``huge_tree`` is used only when a file needs it (a text node over 10 MB). A file that
is not well-formed gives no results, only a diagnostic: a cut-short file could hide failures.
"""

from __future__ import annotations

import io
import math
import re
from collections.abc import Iterator
from dataclasses import dataclass

from lxml import etree

from medtrace.diagnostics import Diagnostic
from medtrace.results import codes
from medtrace.results.messages import summarize
from medtrace.results.model import Outcome, TestResult

__all__ = ["parse_junit"]

_ROOTS = frozenset({"testsuites", "testsuite"})
_VERDICTS = {
    "error": Outcome.ERROR,
    "failure": Outcome.FAILED,
    "skipped": Outcome.SKIPPED,
    "flakyFailure": None,
    "flakyError": None,
}
_STATUS = {
    "notrun": (Outcome.SKIPPED, "not run"),
    "disabled": (Outcome.SKIPPED, "disabled"),
    "fail": (Outcome.FAILED, "failed"),
}
_RESULT = {"skipped": (Outcome.SKIPPED, "skipped"), "suppressed": (Outcome.SKIPPED, "suppressed")}
_POSITION = re.compile(r",? line \d+, column \d+$")
_HUGE = ("huge", "xml_parse_huge", "excessive depth")
_NO_PROPERTIES: tuple[tuple[str, str], ...] = ()


class _NotJUnit(Exception):
    def __init__(self, tag: str, line: int) -> None:
        super().__init__(tag)
        self.tag, self.line = tag, line


def parse_junit(data: bytes, source: str) -> tuple[list[TestResult], list[Diagnostic]]:
    """The results in ``data`` (a JUnit XML file read from ``source``), and its problems.

    Never raises on bad input: a file that is empty, not XML, not well-formed or not JUnit gives
    no results and an ``MT120`` diagnostic.
    """
    if not data.removeprefix(b"\xef\xbb\xbf").strip():
        return [], [codes.malformed(source, "empty file")]
    try:
        return _parse(data, source, huge=False)
    except etree.XMLSyntaxError as exc:
        if not _needs_huge(exc):
            return [], [_syntax_error(source, exc)]
    try:
        return _parse(data, source, huge=True)
    except etree.XMLSyntaxError as exc:
        return [], [_syntax_error(source, exc)]


def _parse(data: bytes, source: str, *, huge: bool) -> tuple[list[TestResult], list[Diagnostic]]:
    reader = _Reader(source)
    try:
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
    checked = False
    for _event, element in context:
        if not checked:
            _check_root(element.getroottree().getroot())
            checked = True
        yield element
        _release(element)
    if not checked:
        _check_root(context.root)


def _check_root(root: etree._Element) -> None:
    tag = root.tag
    if not isinstance(tag, str) or tag not in _ROOTS:
        raise _NotJUnit(str(tag), root.sourceline or 0)


def _release(element: etree._Element) -> None:
    """Free a test case and the ones before it: memory stays flat on big files."""
    element.clear(keep_tail=False)
    parent = element.getparent()
    if parent is not None:
        while element.getprevious() is not None:
            del parent[0]


def _needs_huge(exc: etree.XMLSyntaxError) -> bool:
    message = str(exc.msg).lower()
    return any(word in message for word in _HUGE) and "amplification" not in message


def _syntax_error(source: str, exc: etree.XMLSyntaxError) -> Diagnostic:
    message = _POSITION.sub("", str(exc.msg or exc)).strip()
    line, column = exc.position if exc.position else (0, 0)
    lowered = message.lower()
    if "encoding" in lowered or "utf-8" in lowered:
        found, hint = f"text that cannot be decoded: {message}", codes.ENCODING_HINT
    elif "premature end" in lowered or "no element found" in lowered:
        found, hint = f"malformed XML: {message}", codes.TRUNCATED_HINT
    else:
        found, hint = f"malformed XML: {message}", codes.MALFORMED_HINT
    return codes.malformed(source, found, line=line, column=max(column, 0), hint=hint)


@dataclass(frozen=True, slots=True)
class _Suite:
    """What a test case inherits from the suites around it."""

    name: str
    timestamp: str | None
    file: str | None


@dataclass(slots=True)
class _Verdict:
    outcome: Outcome = Outcome.PASSED
    message: str = ""
    flaky: str | None = None
    properties: tuple[tuple[str, str], ...] = _NO_PROPERTIES


class _Reader:
    """Turns ``<testcase>`` elements into results, remembering the suite of the last one."""

    def __init__(self, source: str) -> None:
        self.source = source
        self.results: list[TestResult] = []
        self.diagnostics: list[Diagnostic] = []
        self._parent: etree._Element | None = None
        self._suite = _Suite("", None, None)
        self._strings: dict[str, str] = {}

    def read(self, element: etree._Element) -> None:
        suite = self._suite_of(element)
        attrib = element.attrib
        verdict = _verdict(element)
        name = attrib.get("name", "").strip()
        if not name:
            self.diagnostics.append(self._nameless(element, verdict.outcome))
            return
        share = self._strings.setdefault
        file = attrib.get("file")
        self.results.append(
            TestResult(
                suite.name,
                share(attrib.get("classname", ""), attrib.get("classname", "")),
                name,
                share(file, file) if file else suite.file,
                _integer(attrib.get("line")),
                verdict.outcome,
                verdict.message,
                _seconds(attrib.get("time")),
                verdict.properties,
                self.source,
                element.sourceline or 0,
                suite.timestamp,
                verdict.flaky is not None,
            )
        )

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
            line=element.sourceline or 0,
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
    verdict = _Verdict()
    for child in element:
        tag = child.tag
        if tag == "properties":
            verdict.properties = _properties(child)
        elif tag in _VERDICTS:
            _judge(verdict, child, tag)
    if verdict.outcome is Outcome.PASSED:
        _judge_status(verdict, element)
    if verdict.outcome is Outcome.PASSED and verdict.flaky is not None:
        verdict.message = f"flaky: {verdict.flaky}" if verdict.flaky else "flaky"
    return verdict


def _judge(verdict: _Verdict, child: etree._Element, tag: str) -> None:
    outcome = _VERDICTS[tag]
    if outcome is None:  # a failed run of a test that passed on a rerun
        if verdict.flaky is None:
            verdict.flaky = _message(child)
        return
    if outcome.rank > verdict.outcome.rank:
        verdict.outcome = outcome
        verdict.message = _message(child)


def _judge_status(verdict: _Verdict, element: etree._Element) -> None:
    status = _STATUS.get(element.get("status", "")) or _RESULT.get(element.get("result", ""))
    if status is not None:
        verdict.outcome, verdict.message = status


def _message(child: etree._Element) -> str:
    if child.get("type") == "pytest.xfail":
        reason = (child.get("message") or "").strip()
        return summarize(f"xfail: {reason}" if reason else "xfail", None)
    return summarize(child.get("message"), _text(child))


def _text(element: etree._Element) -> str | None:
    """The element's own text, else that of its first child with text (``<stackTrace>``)."""
    if element.text and element.text.strip():
        return element.text
    for child in element:
        if isinstance(child.tag, str) and child.text and child.text.strip():
            return child.text
    return None


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
        cleaned = text.replace(",", "") if "." in text else text.replace(",", ".")
        try:
            value = float(cleaned)
        except ValueError:
            return None
    return value if math.isfinite(value) and value >= 0 else None
