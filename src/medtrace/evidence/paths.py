"""Map the file names inside reports to files of the project, or say why not.

Reports name files in many ways: absolute paths of the machine that ran the tool (lcov ``SF:``,
gcc with ``-fprofile-abs-path``), paths relative to one of the report's own roots (coverage.py
and jest Cobertura ``<source>`` elements, gcov's ``current_working_directory``), relative to
the folder the tool ran in (gcovr ``--root``, ruff's SARIF), ``file://`` URIs (SARIF), or
Windows paths. Each name is tried, in order:

1. against each root the report gives, the report's folder and the project root: every
   candidate that is a file inside the project counts;
2. when none is, against the project's files by their trailing segments (at least two): a
   path of another machine or checkout (a CI runner's) ``/home/runner/work/x/firmware/src/a.c``
   finds ``firmware/src/a.c``, and a name relative to a package folder (jest's lcov
   ``SF:src/alarms.ts``) finds ``app/src/alarms.ts``. Hidden folders, ``node_modules`` and
   ``__pycache__`` are not searched.

Exactly one project file must come out. Two different files (two roots that both hold a
``calculator.py``, two trailing-segment matches) is ambiguous, and an ambiguous, outside or
unknown name maps to nothing: the loader reports it (``MT142``) rather than guess, because
coverage attributed to the wrong file is worse than none.
"""

from __future__ import annotations

import os
import posixpath
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

__all__ = ["Mapped", "PathMapper", "uri_path"]

_DRIVE = re.compile(r"^[A-Za-z]:[\\/]")
#: the fewest trailing segments a match by suffix needs (a bare file name is too weak)
_MIN_SUFFIX = 2
#: folders never searched for a file by its trailing segments
_SKIPPED = frozenset({"node_modules", "__pycache__"})


@dataclass(frozen=True, slots=True)
class Mapped:
    """The project file a name maps to (``path``), else why not (``reason``)."""

    path: str | None
    reason: str = ""


def uri_path(uri: str) -> str:
    """The path of a SARIF artifact URI: ``file:///a/b%20c.c`` is ``/a/b c.c``; a relative
    reference stays relative."""
    try:
        parts = urlsplit(uri)
    except ValueError:  # e.g. an unbalanced IPv6 host "file://[x/a.c": left as is, unmapped
        return uri
    if parts.scheme == "file":
        path = unquote(parts.path)
        return path[1:] if _DRIVE.match(path[1:]) else path
    if parts.scheme and len(parts.scheme) > 1:
        return uri  # another scheme: left as is, it will not map
    return unquote(uri)


# @implements SRS-128
class PathMapper:
    """Maps names found in the reports under ``root`` to project-relative POSIX paths."""

    def __init__(self, root: Path) -> None:
        self.root = os.path.realpath(root)
        self._cache: dict[tuple[str, tuple[str, ...], str], Mapped] = {}
        self._files: dict[str, list[str]] | None = None

    def map(self, name: str, bases: Sequence[str] = (), report: str = "") -> Mapped:
        """The project file ``name`` stands for, in a report at ``report`` (project-relative)
        whose roots are ``bases``."""
        key = (name, tuple(bases), posixpath.dirname(report))
        found = self._cache.get(key)
        if found is None:
            found = self._cache[key] = self._map(name, tuple(bases), key[2])
        return found

    def _map(self, name: str, bases: tuple[str, ...], folder: str) -> Mapped:
        clean = _clean(name)
        if not clean:
            return Mapped(None, "an empty file name")
        candidates = self._candidates(clean, bases, folder)
        inside = sorted({rel for rel in map(self._inside, candidates) if rel is not None})
        if len(inside) == 1:
            return Mapped(inside[0])
        if inside:
            return Mapped(None, f"ambiguous: it could be {' or '.join(inside[:3])}")
        found = self._by_suffix(clean)
        if found.path is None and any(_is_file(c) for c in candidates):
            return Mapped(None, "a file outside the project")
        return found

    def _candidates(self, name: str, bases: tuple[str, ...], folder: str) -> list[str]:
        if _is_absolute(name):
            return [_native(name)]
        report_dir = os.path.join(self.root, folder)
        roots = [r for b in bases if _clean(b) for r in _rooted(b, report_dir, self.root)]
        roots += [report_dir, self.root]
        return [os.path.normpath(os.path.join(r, name)) for r in dict.fromkeys(roots)]

    def _inside(self, candidate: str) -> str | None:
        if not _is_file(candidate):
            return None
        real = os.path.realpath(candidate)
        if real != self.root and not real.startswith(self.root + os.sep):
            return None
        return Path(os.path.relpath(real, self.root)).as_posix()

    def _by_suffix(self, name: str) -> Mapped:
        parts = [p for p in name.replace("\\", "/").split("/") if p not in ("", ".", "..")]
        if _DRIVE.match(name):
            parts = parts[1:]
        if len(parts) < _MIN_SUFFIX:
            return Mapped(None, "no such file in the project")
        wanted = "/".join(parts)
        found = [rel for rel in self._index().get(parts[-1], []) if _shares_ending(rel, wanted)]
        if len(found) == 1:
            return Mapped(found[0])
        if found:
            return Mapped(None, f"ambiguous: it could be {' or '.join(sorted(found)[:3])}")
        return Mapped(None, "no such file in the project")

    def _index(self) -> dict[str, list[str]]:
        """The project's files by name (built once, on the first name not found directly)."""
        if self._files is None:
            self._files = {}
            for folder, dirs, files in os.walk(self.root):
                dirs[:] = sorted(d for d in dirs if not _skipped(d))
                rel = Path(os.path.relpath(folder, self.root)).as_posix()
                for file in files:
                    path = file if rel == "." else f"{rel}/{file}"
                    self._files.setdefault(file, []).append(path)
        return self._files


def _shares_ending(rel: str, wanted: str) -> bool:
    """Whether the project file ``rel`` and the name ``wanted`` end alike, over at least
    two segments: one is the other with folders added in front."""
    return (
        rel == wanted or (wanted.endswith("/" + rel) and "/" in rel) or rel.endswith("/" + wanted)
    )


def _skipped(folder: str) -> bool:
    return folder.startswith(".") or folder in _SKIPPED


def _clean(name: str) -> str:
    return name.strip()


def _is_absolute(name: str) -> bool:
    return name.startswith(("/", "\\")) or bool(_DRIVE.match(name))


def _native(name: str) -> str:
    """A name from a report as a path of this machine (a Windows path stays foreign)."""
    return name if name.startswith("/") else name.replace("\\", "/")


def _rooted(base: str, report_dir: str, root: str) -> list[str]:
    """The folders a root named in a report may be: a relative one (gcovr's, coverage.py's
    ``relative_files``) is relative to where the tool ran, the project root or the report's
    folder."""
    base = _clean(base)
    if _is_absolute(base):
        return [_native(base)]
    return [os.path.join(root, base), os.path.join(report_dir, base)]


def _is_file(path: str) -> bool:
    try:
        return Path(path).is_file()
    except (OSError, ValueError):
        return False
