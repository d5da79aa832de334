"""GCC coverage as JSON: gcovr's ``--json`` and gcc's own ``gcov --json-format``
(``.gcov.json.gz``, gzip-compressed).

gcovr (``"gcovr/format_version"``): ``files[]`` with ``file`` (relative to gcovr's
``--root``), ``lines[]`` (``line_number``, ``count``, ``branches[].count``, and
``gcovr/md5``, the MD5 of the line's text, which tells a report older than the code) and
``functions[]`` (``name``, ``lineno``, ``execution_count``). Lines gcovr marks
``gcovr/noncode`` or ``gcovr/excluded`` are not code.

gcov (``"format_version"`` and ``"gcc_version"``): ``current_working_directory`` (the root of
relative ``file`` names), ``files[]`` with ``lines[]`` (``line_number``, ``count``,
``branches[].count``) and ``functions[]`` (``name``, ``start_line``, ``execution_count``).
"""

from __future__ import annotations

from typing import Any, TypeGuard

from medtrace.evidence import codes, jsonio
from medtrace.evidence.model import MeasuredFile, ReportData
from medtrace.evidence.registry import reader

__all__ = ["read_gcov", "read_gcovr"]


def _sniff_gcovr(head: bytes) -> bool:
    return head.startswith(b"{") and b'"gcovr/format_version"' in head


def _sniff_gcov(head: bytes) -> bool:
    if head.startswith(jsonio.GZIP_MAGIC):
        return True
    return head.startswith(b"{") and b'"gcc_version"' in head and b'"format_version"' in head


# @implements SRS-120
@reader("gcovr-json", "coverage", _sniff_gcovr)
def read_gcovr(data: bytes, source: str) -> ReportData:
    """The files measured in a gcovr JSON report; never raises on bad input."""
    return _read(data, source, ReportData("gcovr-json", "coverage"), gcovr=True)


# @implements SRS-120
@reader("gcov-json", "coverage", _sniff_gcov)
def read_gcov(data: bytes, source: str) -> ReportData:
    """The files measured in a gcov JSON report (plain or gzip); never raises on bad input."""
    return _read(data, source, ReportData("gcov-json", "coverage"), gcovr=False)


def _read(data: bytes, source: str, report: ReportData, *, gcovr: bool) -> ReportData:
    plain, problem = jsonio.unzip(data, source)
    value, problem = jsonio.load(plain, source) if plain is not None else (None, problem)
    if problem is not None:
        report.diagnostics.append(problem)
        return report
    if not isinstance(value, dict) or not isinstance(value.get("files"), list):
        report.diagnostics.append(codes.malformed(source, "JSON without a `files` list"))
        return report
    files: list[Any] = value["files"]
    cwd = value.get("current_working_directory")
    report.bases = (cwd,) if isinstance(cwd, str) and cwd else ()
    for index, entry in enumerate(files):
        measured = _file(entry, gcovr=gcovr)
        if measured is None:
            found = f"files[{index}] is not a file entry with a `file` name; it is left out"
            report.diagnostics.append(codes.malformed(source, found))
        else:
            report.files.append(measured)
    return report


def _file(entry: Any, *, gcovr: bool) -> MeasuredFile | None:
    if not isinstance(entry, dict) or not isinstance(entry.get("file"), str):
        return None
    measured = MeasuredFile(entry["file"])
    for line in _list(entry.get("lines")):
        _line(line, measured)
    for function in _list(entry.get("functions")):
        _function(function, measured, gcovr=gcovr)
    return measured


def _line(line: Any, measured: MeasuredFile) -> None:
    if not isinstance(line, dict) or line.get("gcovr/noncode") or line.get("gcovr/excluded"):
        return
    number, count = line.get("line_number"), line.get("count")
    if not _count(number) or not _count(count) or number < 1:
        return
    measured.lines[number] = max(measured.lines.get(number, 0), count)
    branches = _list(line.get("branches"))
    counts: list[int] = [
        b["count"] for b in branches if isinstance(b, dict) and _count(b.get("count"))
    ]
    if counts:
        taken, total = measured.branches.get(number, (0, 0))
        measured.branches[number] = (taken + sum(1 for c in counts if c > 0), total + len(counts))
    checksum = line.get("gcovr/md5")
    if isinstance(checksum, str) and checksum:
        measured.checksums[number] = checksum


def _function(function: Any, measured: MeasuredFile, *, gcovr: bool) -> None:
    if not isinstance(function, dict):
        return
    name = function.get("demangled_name") or function.get("name")
    start = function.get("lineno" if gcovr else "start_line")
    count = function.get("execution_count")
    if isinstance(name, str) and _count(start) and _count(count):
        key = f"{name}:{start}" if name in measured.functions else name
        measured.functions[key] = (start, count)


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def _count(value: Any) -> TypeGuard[int]:
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0
