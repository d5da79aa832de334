"""Cobertura XML: coverage.py (``coverage xml``), jest/istanbul (``cobertura`` reporter),
gcovr (``--cobertura``) and most Java and .NET tools.

``<sources><source>`` elements name the folders that ``<class filename>`` is relative to.
Each ``<class>`` gives its ``<lines>`` (``hits``; a branch line has ``branch="true"`` and
``condition-coverage="50% (1/2)"``) and its ``<methods>`` (a method is covered when one of its
lines was hit). Several classes of one file (Java inner classes) are merged.
"""

from __future__ import annotations

import re

from lxml import etree

from medtrace.evidence import codes, xmlsafe
from medtrace.evidence.model import MeasuredFile, ReportData
from medtrace.evidence.registry import reader

__all__ = ["read_cobertura"]

_CONDITIONS = re.compile(r"\((\d+)/(\d+)\)")


def _sniff(head: bytes) -> bool:
    return head.startswith(b"<") and b"<coverage" in head


# @implements SRS-120
@reader("cobertura", "coverage", _sniff)
def read_cobertura(data: bytes, source: str) -> ReportData:
    """The files measured in a Cobertura XML report; never raises on bad input."""
    report = ReportData("cobertura", "coverage")
    try:
        root = xmlsafe.parse(data)
    except etree.LxmlError as exc:
        report.diagnostics.append(xmlsafe.unreadable(data, source, exc))
        return report
    if root.tag != "coverage":
        found = f"a root element <{root.tag}>, not <coverage>"
        report.diagnostics.append(codes.malformed(source, found, line=xmlsafe.line_of(root)))
        return report
    report.bases = tuple((s.text or "").strip() for s in root.iter("source") if s.text)
    files: dict[str, MeasuredFile] = {}
    for element in root.iter("class"):
        measured = _class(element, source, report)
        if measured is None:
            continue
        if measured.name in files:
            files[measured.name].add(measured)
        else:
            files[measured.name] = measured
    report.files = list(files.values())
    return report


def _class(element: etree._Element, source: str, report: ReportData) -> MeasuredFile | None:
    name = (element.get("filename") or "").strip()
    line = xmlsafe.line_of(element)
    if not name:
        report.diagnostics.append(
            codes.malformed(source, "a <class> without a filename; it is left out", line=line)
        )
        return None
    measured = MeasuredFile(name, line)
    lines = element.find("lines")
    if lines is not None:
        for entry in lines.iter("line"):
            _line(entry, measured, source, report)
    for method in element.iter("method"):
        _method(method, measured)
    return measured


def _line(entry: etree._Element, measured: MeasuredFile, source: str, report: ReportData) -> None:
    number, hits = _integer(entry.get("number")), _integer(entry.get("hits"))
    if number is None or number < 1 or hits is None or hits < 0:
        found = f"a <line> without a valid number and hits in {measured.name}; it is left out"
        report.diagnostics.append(codes.malformed(source, found, line=xmlsafe.line_of(entry)))
        return
    measured.lines[number] = max(measured.lines.get(number, 0), hits)
    if entry.get("branch") == "true":
        match = _CONDITIONS.search(entry.get("condition-coverage") or "")
        if match:
            measured.branches[number] = (int(match.group(1)), int(match.group(2)))


def _method(method: etree._Element, measured: MeasuredFile) -> None:
    name = method.get("name") or ""
    numbers = [
        (n, _integer(line.get("hits")) or 0)
        for line in method.iter("line")
        if (n := _integer(line.get("number"))) is not None
    ]
    if not name or not numbers:
        return
    first = min(n for n, _ in numbers)
    hits = _integer(method.get("hits"))
    hits = max(h for _, h in numbers) if hits is None else hits
    key = f"{name}:{first}" if name in measured.functions else name
    measured.functions[key] = (first, hits)


def _integer(text: str | None) -> int | None:
    try:
        return int(float(text)) if text is not None else None
    except (ValueError, OverflowError):
        return None
