"""Which files to scan: the configured globs, minus the excluded ones and what git ignores.

Patterns are in medtrace's one glob dialect (:mod:`medtrace.fs.globs`): relative to the project
root, ``*`` and ``?`` within one path segment, ``**`` across folders, a folder name takes
everything below it (``.`` is the whole project), ``!`` takes back. The ``.gitignore`` files of
the project (in every folder, and in the folders above the root up to the repository's top) and
``.git/info/exclude`` are honoured with git's rules; ``.git`` folders are never entered, nor are
symbolic links to folders (git stores them as links) unless a pattern names the link itself.
The walk is :func:`medtrace.fs.walk`: each file once, regular files only, no link out of the
project unless ``follow_external``.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from medtrace.diagnostics import Diagnostic
from medtrace.fs import Globs, Policy, glob_regex, walk
from medtrace.fs.globs import AnyOf
from medtrace.scanning.codes import unreadable

__all__ = ["Candidate", "Selection", "discover", "glob_regex"]


@dataclass(slots=True)
class Candidate:
    """A file to scan: its path relative to the root (POSIX), the path to open, whether it is a
    test file, and its ``stat`` when the walk took it."""

    rel: str
    path: str
    is_test: bool
    stat: os.stat_result | None = None


@dataclass(slots=True)
class Selection:
    files: list[Candidate] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)


# @implements SRS-19, SRS-50
def discover(
    root: Path,
    sources: Sequence[str],
    tests: Sequence[str],
    exclude: Sequence[str] = (),
    *,
    follow_external: bool = False,
) -> Selection:
    """The files to scan under ``root``, sorted by path, and what could not be walked."""
    test_globs = Globs(tests)
    policy = Policy(
        "sources and tests",
        unreadable,
        gitignore=True,
        follow_dir_links=False,
        follow_external=follow_external,
        stat_files=False,  # the scan takes each file's stat when (and if) it needs it
    )
    walked = walk(root, AnyOf(Globs(sources), test_globs), policy, Globs(exclude))
    files = [Candidate(f.rel, f.path, test_globs.match(f.rel), f.stat) for f in walked.files]
    return Selection(files, walked.diagnostics)
