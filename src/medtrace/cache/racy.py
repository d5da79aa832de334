"""The content behind a whole result stored within the racy window of its inputs.

A :class:`~medtrace.cache.ResultCache` result whose newest input file was modified less than
:data:`~medtrace.cache.RACY_WINDOW_NS` before the result was stored cannot be trusted by the
stat keys of its inputs alone: on a filesystem with coarse timestamps, a later edit may keep
them. It is kept with the content digest of each of those few files, as this process read them
to make it, and a lookup reads those files again and compares (git verifies its "racily clean"
index entries the same way). A check run right after a save, as a resident server's check
ahead is, stores its result within that window whenever it takes less than the window: without
this, no command could use that result.

While a file is that recent, this process notes the digest of each content it made or took
values from, per path and stat key (:class:`~medtrace.cache.FileCache` notes each content it
verifies or is given). A result takes a file's digest only when this process saw exactly one
content under the file's stat key; else it is stored without them and never found within the
window, as before.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterable, Mapping
from itertools import compress
from operator import attrgetter
from typing import Any

from medtrace.fs.read import read_regular

#: (path, stat key) → (modification time, the digests of the contents seen under that key).
_seen: dict[tuple[str, bytes], tuple[int, set[bytes]]] = {}
#: At most this many files are noted (a checkout makes every file recent: none is noted past
#: this, and a result of them is stored without digests).
MAX_NOTES = 4096
#: A result is stored with the digests of at most this many files (each is read at lookup).
MAX_FILES = 64
_MTIME = attrgetter("st_mtime_ns")
#: A time no later than now less the window: a file modified before it is not recent, which
#: is known without asking the clock (a cold run gives 100,000 files).
_floor = 0
#: No new file is noted before this time (the notes are full of files still recent).
_full_until = 0


def note(path: str, key: bytes, mtime_ns: int, content_digest: bytes, window_ns: int) -> None:
    """Note that this process made or took values of ``path`` (of stat key ``key``) from the
    content of digest ``content_digest``, if the file was modified within ``window_ns``."""
    global _floor
    if mtime_ns < _floor:
        return
    now = time.time_ns()
    _floor = now - window_ns
    if mtime_ns < _floor:
        return  # (every result stored from now on trusts this file by its stat key)
    record = _seen.get((path, key))
    if record is not None:  # always: a second content makes the file's digest unknown
        record[1].add(content_digest)
    elif len(_seen) < MAX_NOTES or _room(now, window_ns):
        _seen[(path, key)] = (mtime_ns, {content_digest})


def _room(now: int, window_ns: int) -> bool:
    """Whether the notes have room once those of files no longer recent are dropped (looked
    for again only once one of them may have left the window)."""
    global _full_until
    if now < _full_until:
        return False
    for old in [k for k, (mtime, _) in _seen.items() if mtime < now - window_ns]:
        del _seen[old]
    if len(_seen) < MAX_NOTES:
        return True
    _full_until = min(mtime for mtime, _ in _seen.values()) + window_ns
    return False


def contents(
    groups: Iterable[Mapping[str, os.stat_result]],
    since_ns: int,
    key_of: Callable[[os.stat_result], bytes],
    root: str = "",
) -> list[list[Any]] | None:
    """``[path, digest]`` of each file of ``groups`` (path → stat, relative to ``root``)
    modified at ``since_ns`` or later, as this process read it (noted by that path or by the
    absolute one, as the results cache names its files); ``None`` if one has no note, or notes
    of two contents, or there are more than :data:`MAX_FILES` of them."""
    out: list[list[Any]] = []
    for files in groups:  # the times compared in C: 100,000 files and more
        for path, st in compress(files.items(), map(since_ns.__le__, map(_MTIME, files.values()))):
            key = key_of(st)
            seen = [_seen.get((path, key)), _seen.get((os.path.join(root, path), key))]
            digests = set().union(*(record[1] for record in seen if record is not None))
            if len(digests) != 1 or len(out) == MAX_FILES:
                return None
            out.append([path, digests.pop()])
    return out


def same(root: str, files: Any, digest: Callable[[bytes], bytes]) -> bool:
    """Whether each ``[path, digest]`` of ``files`` (paths relative to ``root``) is the digest
    of that file's content now (``False`` for anything else than such a list)."""
    if not isinstance(files, list) or not files:
        return False
    for record in files:
        if not (isinstance(record, list) and len(record) == 2 and isinstance(record[0], str)):
            return False
        path = os.path.join(root, record[0])
        try:
            st = os.stat(path)  # noqa: PTH116 (a str path, as the walk's)
        except (OSError, ValueError):
            return False
        read = read_regular(path, st.st_size, st)
        if not read.ok or digest(read.data) != record[1]:
            return False
    return True


def forget() -> None:
    """Drop every note (tests)."""
    global _floor, _full_until
    _seen.clear()
    _floor = _full_until = 0
