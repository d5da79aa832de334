"""Find the results files of a project and read them, with a per-file cache."""

from __future__ import annotations

import glob
import os
from collections.abc import Sequence
from pathlib import Path

import medtrace
from medtrace.cache import FileCache
from medtrace.diagnostics import Diagnostic
from medtrace.results import codes
from medtrace.results.junit import parse_junit
from medtrace.results.model import ResultSet, TestResult, gc_paused

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
    cached: _Parsed | None = cache.get(key, st) if cache is not None else None
    if cached is not None and cached[0] == relative:
        return cached
    try:
        data = path.read_bytes()
    except OSError as exc:
        return relative, [], [_unreadable(relative, exc)]
    parsed = (relative, *parse_junit(data, relative))
    if cache is not None:
        cache.put(key, st, data, parsed)
    return parsed


def _unreadable(relative: str, exc: OSError) -> Diagnostic:
    reason = exc.strerror or type(exc).__name__
    return codes.malformed(
        relative, f"a file that cannot be read ({reason})", hint="check the file's permissions"
    )
