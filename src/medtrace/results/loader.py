"""Find the results files of a project and read them, with a per-file cache."""

from __future__ import annotations

import dataclasses
import os
import re
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import medtrace
from medtrace.cache import FileCache
from medtrace.diagnostics import Diagnostic, Severity
from medtrace.fs import (
    Globs,
    Policy,
    glob_regex,
    normalize_all,
    read_regular,
    unmatched,
    walk,
)
from medtrace.gcpause import gc_paused
from medtrace.results import codes
from medtrace.results.model import ResultSet, Row, TestResult, from_row, to_row

__all__ = ["expand", "load_results"]

#: Bump when the meaning of parsed results changes, to drop cached ones.
FORMAT = 1
SALT = f"{medtrace.__version__}/{FORMAT}"

_Parsed = tuple[str, list[TestResult], list[Diagnostic]]

#: A results file larger than this is not read (JUnit XML of very large suites stays below).
MAX_RESULTS_BYTES = 256 * 1024 * 1024


def load_results(
    root: Path,
    patterns: Sequence[str],
    *,
    cache_dir: Path | None = None,
    follow_external: bool = False,
) -> ResultSet:
    """Read every JUnit XML file matching ``patterns`` (medtrace's globs, from ``root``).

    A folder matched by a pattern stands for the ``*.xml`` files under it. A pattern that
    matches no file is reported (``MT121``); a file that cannot be used is reported (``MT120``)
    and the others are still read. With ``cache_dir``, files unchanged since the last run are
    not parsed again.
    """
    found = ResultSet()
    files = expand(root, patterns, found.diagnostics, follow_external=follow_external)
    with gc_paused():
        cache = FileCache(cache_dir, "results", SALT) if cache_dir is not None else None
        for relative in files:
            _load(root, relative, cache, found)
    if cache is not None:
        cache.save()
    return found


# @implements SRS-50
def expand(
    root: Path,
    patterns: Sequence[str],
    diagnostics: list[Diagnostic],
    *,
    follow_external: bool = False,
) -> list[str]:
    """The files matching ``patterns``, relative to ``root`` (POSIX), each once, sorted: the
    ``.xml`` files, and any file a pattern names exactly (not as a folder's content)."""
    named = [p for p in normalize_all(patterns)[0] if not p.endswith("**")]
    exact = [re.compile(glob_regex(p, subtree=False)) for p in named]

    def accept(rel: str) -> bool:
        return rel.lower().endswith(".xml") or any(r.fullmatch(rel) for r in exact)

    policy = Policy(
        "paths.results", _unreadable_reason, follow_external=follow_external, stat_files=False
    )
    walked = walk(root, Globs(patterns), policy, accept=accept)
    diagnostics.extend(walked.diagnostics)
    files = [f.rel for f in walked.files]
    reached = [*files, *(d.path for d in walked.diagnostics)]
    diagnostics.extend(codes.missing(p) for p in unmatched(patterns, reached))
    return files


def _load(root: Path, relative: str, cache: FileCache | None, found: ResultSet) -> None:
    path = root / relative
    try:
        st = path.stat()
    except OSError as exc:
        found.diagnostics.append(_unreadable(relative, exc))
        return
    found.files.append(relative)
    found.newest = st.st_mtime if found.newest is None else max(found.newest, st.st_mtime)
    parsed = _parsed(path, relative, st, cache)
    found.results.extend(parsed[1])
    found.diagnostics.extend(parsed[2])
    _provenance(root, relative, found)


# @implements SRS-174
def _provenance(root: Path, relative: str, found: ResultSet) -> None:
    from medtrace.results.provenance import read_provenance

    record = read_provenance(root, relative)
    if isinstance(record, Diagnostic):
        found.diagnostics.append(record)
    elif record is not None:
        found.provenance[relative] = record


# @implements SRS-299
def _parsed(path: Path, relative: str, st: os.stat_result, cache: FileCache | None) -> _Parsed:
    key = str(path.absolute())
    if cache is not None and cache.resident:
        made: _Parsed | None = cache.get_made(key, st, _thawed_shared)
        if made is not None and made[0] == relative:
            return made
    else:
        cached = cache.get(key, st) if cache is not None else None
        if cached is not None and cached[0] == relative:
            return _thawed(cached)
    content = read_regular(str(path), MAX_RESULTS_BYTES, st)
    if not content.ok:
        return relative, [], [_unreadable_reason(relative, content.reason)]
    data = content.data
    from medtrace.results.junit import parse_junit  # lxml: only when a file must be parsed

    parsed = (relative, *parse_junit(data, relative))
    if cache is not None:  # a resident cache keeps the cases made, shared by later runs
        cache.put(key, st, data, _frozen(parsed), parsed)
    return parsed


# The cache keeps plain data (tuples, strings, numbers): it loads several times faster.
_Frozen = tuple[str, list[Row], list[tuple[object, ...]]]
_DIAGNOSTIC_FIELDS = tuple(field.name for field in dataclasses.fields(Diagnostic))


def _frozen(parsed: _Parsed) -> _Frozen:
    relative, results, diagnostics = parsed
    plain = [_plain(d) for d in diagnostics]
    return relative, [to_row(result) for result in results], plain


def _thawed(frozen: _Frozen) -> _Parsed:
    relative, rows, diagnostics = frozen
    return relative, [from_row(row) for row in rows], [_diagnostic(d) for d in diagnostics]


# @implements SRS-360
def _thawed_shared(frozen: _Frozen) -> _Parsed:
    """:func:`_thawed`, for a resident server that keeps the results for its life: the strings
    repeated from case to case (suite, class, file, source, timestamp) are interned, as
    MessagePack makes a new string for each (100,000 results: about 30 MB of copies)."""
    relative, rows, diagnostics = frozen
    cases = [from_row(_shared_row(row)) for row in rows]
    return relative, cases, [_diagnostic(d) for d in diagnostics]


def _shared_row(row: Row) -> Row:
    """``row`` with its repeated strings interned (equal values)."""
    suite, classname, name, file, line, outcome, message, time, props, source = row[:10]
    source_line, timestamp, flaky = row[10:]
    return (
        _interned(suite),
        _interned(classname),
        name,
        _interned(file),
        line,
        outcome,
        message,
        time,
        props,
        _interned(source),
        source_line,
        _interned(timestamp),
        flaky,
    )


def _interned(value: Any) -> Any:
    return sys.intern(value) if type(value) is str else value


def _plain(diagnostic: Diagnostic) -> tuple[object, ...]:
    values = (getattr(diagnostic, name) for name in _DIAGNOSTIC_FIELDS)
    return tuple(value.value if isinstance(value, Severity) else value for value in values)


def _diagnostic(plain: tuple[object, ...]) -> Diagnostic:
    fields = dict(zip(_DIAGNOSTIC_FIELDS, plain, strict=True))
    fields["severity"] = Severity(fields["severity"])
    return Diagnostic(**fields)  # type: ignore[arg-type]


def _unreadable(relative: str, exc: OSError) -> Diagnostic:
    return _unreadable_reason(relative, exc.strerror or type(exc).__name__)


def _unreadable_reason(relative: str, reason: str) -> Diagnostic:
    return codes.malformed(
        relative,
        f"a file that cannot be read ({reason})",
        hint="check that the file exists and can be read",
    )
