"""Find the results files of a project and read them, with a per-file cache."""

from __future__ import annotations

import dataclasses
import glob
import os
from collections.abc import Sequence
from pathlib import Path

import medtrace
from medtrace.cache import FileCache
from medtrace.diagnostics import Diagnostic, Severity
from medtrace.gcpause import gc_paused
from medtrace.results import codes
from medtrace.results.model import ResultSet, Row, TestResult, from_row, to_row

__all__ = ["expand", "load_results"]

#: Bump when the meaning of parsed results changes, to drop cached ones.
FORMAT = 1
SALT = f"{medtrace.__version__}/{FORMAT}"

_Parsed = tuple[str, list[TestResult], list[Diagnostic]]


def load_results(
    root: Path, patterns: Sequence[str], *, cache_dir: Path | None = None
) -> ResultSet:
    """Read every JUnit XML file matching ``patterns`` (globs relative to ``root``).

    A directory matched by a pattern stands for the ``*.xml`` files under it. A pattern that
    matches no file is reported (``MT121``); a file that cannot be used is reported (``MT120``)
    and the others are still read. With ``cache_dir``, files unchanged since the last run are
    not parsed again.
    """
    found = ResultSet()
    files = expand(root, patterns, found.diagnostics)
    with gc_paused():
        cache = FileCache(cache_dir, "results", SALT) if cache_dir is not None else None
        for relative in files:
            _load(root, relative, cache, found)
    if cache is not None:
        cache.save()
    return found


def expand(root: Path, patterns: Sequence[str], diagnostics: list[Diagnostic]) -> list[str]:
    """The files matching ``patterns``, relative to ``root`` (POSIX), each once, in order."""
    files: dict[str, None] = {}
    for pattern in patterns:
        matches = _matches(root, pattern)
        if not matches:
            diagnostics.append(codes.missing(pattern))
        files.update(dict.fromkeys(matches))
    return list(files)


def _matches(root: Path, pattern: str) -> list[str]:
    found: list[str] = []
    for match in sorted(glob.glob(pattern, root_dir=root, recursive=True)):
        path = root / match
        if path.is_dir():
            found.extend(_relative(root, xml) for xml in sorted(path.rglob("*.xml")))
        elif path.is_file():
            found.append(_relative(root, path))
    return found


def _relative(root: Path, path: Path) -> str:
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return path.as_posix()


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


def _parsed(path: Path, relative: str, st: os.stat_result, cache: FileCache | None) -> _Parsed:
    key = str(path.absolute())
    cached = cache.get(key, st) if cache is not None else None
    if cached is not None and cached[0] == relative:
        return _thawed(cached)
    try:
        data = path.read_bytes()
    except OSError as exc:
        return relative, [], [_unreadable(relative, exc)]
    from medtrace.results.junit import parse_junit  # lxml: only when a file must be parsed

    parsed = (relative, *parse_junit(data, relative))
    if cache is not None:
        cache.put(key, st, data, _frozen(parsed))
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


def _plain(diagnostic: Diagnostic) -> tuple[object, ...]:
    values = (getattr(diagnostic, name) for name in _DIAGNOSTIC_FIELDS)
    return tuple(value.value if isinstance(value, Severity) else value for value in values)


def _diagnostic(plain: tuple[object, ...]) -> Diagnostic:
    fields = dict(zip(_DIAGNOSTIC_FIELDS, plain, strict=True))
    fields["severity"] = Severity(fields["severity"])
    return Diagnostic(**fields)  # type: ignore[arg-type]


def _unreadable(relative: str, exc: OSError) -> Diagnostic:
    reason = exc.strerror or type(exc).__name__
    return codes.malformed(
        relative,
        f"a file that cannot be read ({reason})",
        hint="check that the file exists and can be read",
    )
