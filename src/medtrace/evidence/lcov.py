"""lcov tracefiles (``lcov.info``): jest/istanbul ``lcov``/``lcovonly``, ``coverage lcov``,
``lcov --capture``, ``genhtml`` input.

A small reader of our own: the format is a few line records, and no maintained Python library
reads it (the PyPI packages found are unmaintained one-offs). Records, one a line:

- ``SF:<path>`` starts a file, ``end_of_record`` ends it;
- ``DA:<line>,<hits>[,<checksum>]`` a line (the checksum, from ``lcov --checksum``, is the
  MD5 of the line's text, base64);
- ``BRDA:<line>,<block>,<branch>,<taken>`` a branch (``-``: never reached);
- ``FN:<line>[,<end>],<name>`` and ``FNDA:<hits>,<name>`` a function (lcov 1.x; lcov 2.x also
  writes ``FNL:<index>,<line>[,<end>]`` and ``FNA:<index>,<hits>,<name>``);
- ``TN``, ``LF``, ``LH``, ``BRF``, ``BRH``, ``FNF``, ``FNH``, ``VER`` are totals and names,
  recomputed here and so ignored.

A line that is none of these is reported and skipped; a file record that the end of the file
cuts short is reported and left out (its figures would be partial).
"""

from __future__ import annotations

from collections.abc import Callable

from medtrace.evidence import codes
from medtrace.evidence.model import MeasuredFile, ReportData
from medtrace.evidence.registry import reader

__all__ = ["read_lcov"]

_TOTALS = frozenset({"TN", "LF", "LH", "BRF", "BRH", "FNF", "FNH", "VER"})
_RECORDS = (b"TN:", b"SF:")


def _sniff(head: bytes) -> bool:
    return head.startswith(_RECORDS) or (b"\nSF:" in head and b"\nDA:" in head)


class _State:
    def __init__(self, source: str) -> None:
        self.source = source
        self.report = ReportData("lcov", "coverage")
        self.current: MeasuredFile | None = None
        self.names: dict[str, str] = {}  # lcov 2 function index → name
        self.starts: dict[str, int] = {}  # function name or index → first line

    def problem(self, number: int, found: str) -> None:
        self.report.diagnostics.append(codes.malformed(self.source, found, line=number))


# @implements SRS-120
@reader("lcov", "coverage", _sniff)
def read_lcov(data: bytes, source: str) -> ReportData:
    """The files measured in an lcov tracefile; never raises on bad input."""
    state = _State(source)
    text = data.removeprefix(b"\xef\xbb\xbf").decode("utf-8", errors="replace")
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if line:
            _record(state, number, line)
    if state.current is not None:
        state.problem(
            state.current.line,
            f"the record of {state.current.name} has no end_of_record: the file was cut "
            "short; the record is left out",
        )
    return state.report


def _record(state: _State, number: int, line: str) -> None:
    if line == "end_of_record":
        if state.current is not None:
            state.report.files.append(state.current)
        state.current = None
        return
    key, _, value = line.partition(":")
    if key in _TOTALS:
        return
    if key == "SF":
        _start(state, number, value)
        return
    handler = _HANDLERS.get(key)
    if handler is None:
        state.problem(number, f"an unknown lcov record `{line[:60]}`; it is skipped")
    elif state.current is None:
        state.problem(number, f"a `{key}:` record outside a file record (no SF: before it)")
    elif not handler(state, state.current, value):
        state.problem(number, f"a malformed `{key}:` record `{line[:60]}`; it is skipped")


def _start(state: _State, number: int, value: str) -> None:
    if state.current is not None:
        state.problem(number, f"the record of {state.current.name} has no end_of_record")
        state.report.files.append(state.current)
    state.current = MeasuredFile(value.strip(), number)
    state.names.clear()
    state.starts.clear()


def _da(state: _State, measured: MeasuredFile, value: str) -> bool:
    parts = value.split(",")
    if len(parts) < 2 or not _is_count(parts[0]) or not _is_count(parts[1]):
        return False
    line, hits = int(parts[0]), int(parts[1])
    measured.lines[line] = max(measured.lines.get(line, 0), hits)
    if len(parts) > 2 and parts[2].strip():
        measured.checksums[line] = parts[2].strip()
    return True


def _brda(state: _State, measured: MeasuredFile, value: str) -> bool:
    parts = value.split(",")
    if len(parts) != 4 or not _is_count(parts[0]) or not (parts[3] == "-" or _is_count(parts[3])):
        return False
    line = int(parts[0])
    taken, total = measured.branches.get(line, (0, 0))
    hit = parts[3] != "-" and int(parts[3]) > 0
    measured.branches[line] = (taken + hit, total + 1)
    return True


def _fn(state: _State, measured: MeasuredFile, value: str) -> bool:
    parts = value.split(",")
    if len(parts) < 2 or not _is_count(parts[0]):
        return False
    name = parts[-1].strip()
    state.starts[name] = int(parts[0])
    measured.functions.setdefault(name, (int(parts[0]), 0))
    return True


def _fnda(state: _State, measured: MeasuredFile, value: str) -> bool:
    hits, _, name = value.partition(",")
    if not name or not _is_count(hits):
        return False
    start = state.starts.get(name, measured.functions.get(name, (0, 0))[0])
    known = measured.functions.get(name, (start, 0))[1]
    measured.functions[name] = (start, max(known, int(hits)))
    return True


def _fnl(state: _State, measured: MeasuredFile, value: str) -> bool:
    parts = value.split(",")
    if len(parts) < 2 or not _is_count(parts[1]):
        return False
    state.starts[parts[0]] = int(parts[1])
    return True


def _fna(state: _State, measured: MeasuredFile, value: str) -> bool:
    parts = value.split(",", 2)
    if len(parts) != 3 or not _is_count(parts[1]):
        return False
    index, hits, name = parts[0], int(parts[1]), parts[2].strip()
    start = state.starts.get(index, 0)
    known = measured.functions.get(name, (start, 0))[1]
    measured.functions[name] = (start, max(known, hits))
    return True


def _is_count(text: str) -> bool:
    return text.strip().isdigit()


_HANDLERS: dict[str, Callable[[_State, MeasuredFile, str], bool]] = {
    "DA": _da,
    "BRDA": _brda,
    "FN": _fn,
    "FNDA": _fnda,
    "FNL": _fnl,
    "FNA": _fna,
}
