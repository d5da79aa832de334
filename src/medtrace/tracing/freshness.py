"""Are an item's passing results still about its code and tests as they are now?

Modification times alone cannot tell: ``git checkout`` back and forth, ``touch``, a fresh clone
or a build that copies files all change them without changing a byte. So staleness is judged by
content.

**The record.** The first time a results file is seen (by the digest of its content), medtrace
records the content digest of each code and test file its passing tests cover, provided that
file was not modified after the results were written (its modification time is not later than
the results file's): that is the content the tests ran on. Later, the results are stale for a
file exactly when its content differs from the recorded one: an edit makes them stale, undoing
the edit (or checking out the branch again) makes them current again, and ``touch`` changes
nothing. Running the tests again writes a new results file: a new digest, a new record.

**No record.** When a covered file was modified after the results were written and nothing was
recorded for it (the first check after a checkout, on a fresh clone, with ``--no-cache``), git
decides: the file is current if its content is the one committed at ``HEAD`` and ``HEAD`` last
moved (commit, checkout, reset) in an earlier second than the results were written (see
:mod:`medtrace.tracing.gitview`); it is then recorded. Otherwise, and outside a git work tree,
the results are stale: a doubt is reported, never hidden.

The record is kept, with the caches, in a sealed file (:mod:`medtrace.cache`); records of results
files no longer present are dropped.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from medtrace.cache import FileCache, digest, load_value, store_value
from medtrace.tracing.gitview import GitView

__all__ = ["Freshness"]

#: The sealed file of the record, and the format of what it holds.
RECORD_NAME = "provenance"
_RECORD_FORMAT = "provenance 1"

#: results digest → {covered file → content digest}
Records = dict[bytes, dict[str, bytes]]


@dataclass(frozen=True, slots=True)
class _File:
    """What is known of one file in this run: its modification time and content digest."""

    mtime_ns: int
    digest: bytes


# @implements SRS-104, SRS-105
@dataclass
class Freshness:
    """Judges whether results are stale for the files they cover (see the module).

    ``cache_dir`` keeps the record and the files' content digests between runs; ``None`` keeps
    nothing (each run then judges from modification times and git alone).
    """

    root: Path
    cache_dir: Path | None = None
    _records: Records = field(default_factory=dict, init=False)
    _used: set[bytes] = field(default_factory=set, init=False)
    _files: dict[str, _File | None] = field(default_factory=dict, init=False)
    _digests: FileCache | None = field(default=None, init=False)
    _git: GitView | None = field(default=None, init=False)
    _changed: bool = field(default=False, init=False)
    #: (results file, covered files) → the answer: many items share their test and code files
    #: (asking again gives the same answer: a record is only ever added for a current file)
    _answers: dict[tuple[str, tuple[str, ...]], bool] = field(default_factory=dict, init=False)

    def __post_init__(self) -> None:
        self._records = _records(load_value(self.cache_dir, RECORD_NAME, _RECORD_FORMAT))
        if self.cache_dir is not None:
            self._digests = FileCache(self.cache_dir, "digests", _RECORD_FORMAT)

    def stale(self, sources: Iterable[str], paths: Iterable[str]) -> bool:
        """Whether the results files ``sources`` predate the content of any of ``paths``."""
        covered = tuple(sorted(set(paths)))
        return any(self.stale_sorted(source, covered) for source in sorted(set(sources)))

    def stale_one(self, source: str, paths: AbstractSet[str]) -> bool:
        """``stale([source], paths)``: what the trace asks for each of 100,000 items, without
        making a list and a set of the one results file each time."""
        key = (source, tuple(sorted(paths)))
        answer = self._answers.get(key)
        if answer is None:
            answer = self._answers[key] = self._stale_for(source, key[1])
        return answer

    def stale_sorted(self, source: str, covered: tuple[str, ...]) -> bool:
        """``stale_one(source, set(covered))``, for ``covered`` already sorted and without
        duplicates: the trace knows them so for most items, and then makes neither."""
        key = (source, covered)
        answer = self._answers.get(key)
        if answer is None:
            answer = self._answers[key] = self._stale_for(source, covered)
        return answer

    def agrees(self, other: Freshness) -> bool:
        """Whether ``other`` gives every answer this one gave (it is asked each question: a
        trace made with this one is then the trace made with ``other``)."""
        return all(other.stale_sorted(s, c) == a for (s, c), a in self._answers.items())

    def _stale_for(self, source: str, paths: Iterable[str]) -> bool:
        results = self._file(source)
        if results is None:
            return False  # no results file: nothing to be stale (reported where it is read)
        self._used.add(results.digest)
        record = self._records.setdefault(results.digest, {})
        for path in paths:
            current = self._file(path)
            if current is None:
                continue  # an unreadable file is reported by the scan
            known = record.get(path)
            if known is not None:
                if known != current.digest:
                    return True
            elif self._ran_on(path, current, results):
                record[path] = current.digest
                self._changed = True
            else:
                return True
        return False

    def _ran_on(self, path: str, current: _File, results: _File) -> bool:
        """Whether the tests that wrote ``results`` ran on ``path`` as it is now."""
        if current.mtime_ns <= results.mtime_ns:
            return True
        if self._git is None:
            self._git = GitView(self.root)
        data = self._read(path)
        return data is not None and self._git.unchanged_since(path, data, results.mtime_ns)

    def _file(self, path: str) -> _File | None:
        if path not in self._files:
            self._files[path] = self._look(path)
        return self._files[path]

    def _look(self, path: str) -> _File | None:
        try:
            st = os.stat(os.path.join(self.root, path))  # noqa: PTH116  # no Path per file
        except OSError:
            return None
        known = self._digests.get(path, st, root=str(self.root)) if self._digests else None
        if isinstance(known, bytes):
            return _File(st.st_mtime_ns, known)
        data = self._read(path)
        if data is None:
            return None
        found = _File(st.st_mtime_ns, digest(data))
        if self._digests is not None:
            self._digests.put(path, st, data, found.digest)
        return found

    def _read(self, path: str) -> bytes | None:
        try:
            with open(os.path.join(self.root, path), "rb") as fh:
                return fh.read()
        except OSError:
            return None

    def save(self) -> None:
        """Keep the record (of the results files seen in this run) and the digests."""
        if self.cache_dir is None:
            return
        if self._digests is not None:
            self._digests.save()
        unused = self._records.keys() - self._used
        if self._changed or unused:
            kept = {k: v for k, v in self._records.items() if k in self._used}
            store_value(self.cache_dir, RECORD_NAME, _RECORD_FORMAT, kept)


def _records(value: Any) -> Records:
    if not isinstance(value, dict):
        return {}
    return {
        k: v
        for k, v in value.items()
        if isinstance(k, bytes)
        and isinstance(v, dict)
        and all(isinstance(d, bytes) for d in v.values())
    }
