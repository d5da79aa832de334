"""Paths and files: the one glob dialect of every path setting, the one walk, safe reading.

- :mod:`medtrace.fs.globs`: normalise a pattern once; match paths against a list of patterns.
- :mod:`medtrace.fs.walker`: find the regular files a setting selects, each real folder once,
  never out of the project through a link unless allowed.
- :mod:`medtrace.fs.read`: read a regular file, at most a limit, never a pipe or a device.
- :mod:`medtrace.fs.ignore`: ``.gitignore`` files with git's rules (:mod:`pathspec`).

The parts load on first use: the configuration needs only the globs.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from medtrace.lazy import lazy_attributes

if TYPE_CHECKING:
    from medtrace.fs.globs import (
        Globs,
        PatternError,
        glob_regex,
        normalize,
        normalize_all,
        unmatched,
    )
    from medtrace.fs.read import Content, Refusal, read_regular
    from medtrace.fs.walker import Found, Policy, Walked, walk

__all__ = [
    "Content",
    "Found",
    "Globs",
    "PatternError",
    "Policy",
    "Refusal",
    "Walked",
    "glob_regex",
    "normalize",
    "normalize_all",
    "read_regular",
    "unmatched",
    "walk",
]

_GLOBS = "medtrace.fs.globs"
_LAZY = {
    **dict.fromkeys(
        ["Globs", "PatternError", "glob_regex", "normalize", "normalize_all", "unmatched"], _GLOBS
    ),
    **dict.fromkeys(["Content", "Refusal", "read_regular"], "medtrace.fs.read"),
    **dict.fromkeys(["Found", "Policy", "Walked", "walk"], "medtrace.fs.walker"),
}

__getattr__ = lazy_attributes(__name__, _LAZY)
