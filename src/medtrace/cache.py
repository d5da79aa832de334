"""A per-file cache of parsed results that never serves stale data.

An entry is keyed by the file's identity (device, inode, size, modification and change times in
nanoseconds) and records a BLAKE2 digest of the content it was made from. A file whose stat
identity is unchanged is trusted without being read, unless it was modified so close to the time
the cache was written that a later edit could have kept the same timestamps (the "racy" window,
as git does for its index): such an entry is verified against the file's content.

The cache is one file per namespace, written atomically. Values made of plain data (tuples,
lists, dicts, strings, numbers) are stored with ``marshal``, several times faster than
``pickle``, which is used for anything else. A cache that cannot be read (corrupt, from another
medtrace version, another salt) is ignored and rebuilt.
"""

from __future__ import annotations

import hashlib
import marshal
import os
import pickle
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from medtrace.fs.read import read_regular
from medtrace.fsutil import write_atomic

__all__ = ["FileCache", "ResultCache", "StatKey", "digest", "stat_key"]

#: Files modified less than this long before the cache was written are re-verified by content.
RACY_WINDOW_NS = 2_000_000_000
_FORMAT = 1

StatKey = tuple[int, int, int, int, int]


def stat_key(st: os.stat_result) -> StatKey:
    return (st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns)


def digest(data: bytes) -> bytes:
    return hashlib.blake2b(data, digest_size=16).digest()


#: (stat key, content digest, value): a plain tuple, so the cache pickles in C alone.
_Entry = tuple[StatKey, bytes, Any]


# @implements SRS-6
@dataclass
class FileCache:
    """Parsed values per file path, for one namespace (``items``, ``tags``, ...).

    ``salt`` must change whenever the meaning of cached values changes (medtrace version, the
    parts of the configuration that affect parsing): a cache written with another salt is
    ignored.
    """

    directory: Path | None
    namespace: str
    salt: str
    _entries: dict[str, _Entry] = field(default_factory=dict, init=False, repr=False)
    _written_at: int = field(default=0, init=False)
    _dirty: bool = field(default=False, init=False)
    _seen: set[str] = field(default_factory=set, init=False)
    hits: int = field(default=0, init=False)
    misses: int = field(default=0, init=False)

    def __post_init__(self) -> None:
        self._load()

    @property
    def file(self) -> Path | None:
        return None if self.directory is None else self.directory / f"{self.namespace}.cache"

    def _load(self) -> None:
        path = self.file
        if path is None:
            return
        try:
            with path.open("rb") as fh:
                header = pickle.load(fh)
                if header[:2] != (_FORMAT, self.salt):
                    return
                body = fh.read()
            loads = marshal.loads if header[2] == "marshal" else pickle.loads
            self._written_at, self._entries = loads(body)
        except Exception:  # a damaged or foreign cache is only a missed speed-up
            self._entries, self._written_at = {}, 0

    def get(
        self, path: str, st: os.stat_result, content: bytes | None = None, root: str = ""
    ) -> Any | None:
        """The cached value for ``path`` if it is certainly current, else ``None``.

        ``content`` may be given when the caller has already read the file; it is then used
        for verification instead of reading the file again. ``path`` may be relative to
        ``root``.
        """
        self._seen.add(path)
        entry = self._entries.get(path)
        key = stat_key(st)
        if entry is None or entry[0] != key:
            self.misses += 1
            return None
        if content is not None or st.st_mtime_ns >= self._written_at - RACY_WINDOW_NS:
            if content is None:  # a regular file of the size just seen, never more
                read = read_regular(os.path.join(root, path), st.st_size, st)
                if not read.ok:
                    self.misses += 1
                    return None
            data = content if content is not None else read.data
            if digest(data) != entry[1]:
                self.misses += 1
                return None
        self.hits += 1
        return entry[2]

    def put(self, path: str, st: os.stat_result, content: bytes, value: Any) -> None:
        self._seen.add(path)
        self._entries[path] = (stat_key(st), digest(content), value)
        self._dirty = True

    def save(self) -> None:
        """Write the cache atomically, dropping entries for files not seen in this run."""
        path = self.file
        if path is None:
            return
        stale = self._entries.keys() - self._seen
        for key in stale:
            del self._entries[key]
        if not (self._dirty or stale):
            return
        payload = (time.time_ns(), self._entries)
        try:
            kind, body = "marshal", marshal.dumps(payload)
        except ValueError:  # not plain data
            kind, body = "pickle", _pickled(payload)
        if _write(path, _pickled((_FORMAT, self.salt, kind)) + body):
            self._dirty = False


def _pickled(value: Any) -> bytes:
    return pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)


def _write(path: Path, data: bytes) -> bool:
    """Write a cache file atomically; ``False`` if it cannot be written (a read-only checkout
    still checks, only slower)."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        _ensure_gitignore(path.parent)
        write_atomic(path, data)
    except OSError:
        return False
    return True


def _ensure_gitignore(directory: Path) -> None:
    """Keep medtrace's working folder out of git: ``.medtrace/.gitignore`` ignores everything."""
    top = directory if directory.name == ".medtrace" else directory.parent
    marker = top / ".gitignore"
    if top.name == ".medtrace" and not marker.exists():
        marker.write_text("# medtrace's cache: safe to delete\n*\n", encoding="utf-8")


# @implements SRS-6
@dataclass
class ResultCache:
    """A whole result (``check``'s findings, say) valid while none of its input files change.

    ``lookup`` answers only if the configuration key is the same, the set of input files is the
    same, every file has the same stat identity, and none was modified within the racy window
    before the result was stored (such a file might have changed without its timestamps
    showing it; the caller then recomputes, reading changed files through :class:`FileCache`).
    """

    directory: Path | None
    name: str

    @property
    def file(self) -> Path | None:
        return None if self.directory is None else self.directory / f"{self.name}.pickle"

    def lookup(self, key: str, files: dict[str, os.stat_result]) -> Any | None:
        path = self.file
        if path is None:
            return None
        try:
            with path.open("rb") as fh:
                header = pickle.load(fh)
                if header != (_FORMAT, key):
                    return None
                written_at, stats, value = pickle.load(fh)
        except Exception:  # damaged or foreign: recompute
            return None
        if len(stats) != len(files):
            return None
        limit = written_at - RACY_WINDOW_NS
        for rel, st in files.items():
            if stats.get(rel) != stat_key(st) or st.st_mtime_ns >= limit:
                return None
        return value

    def store(self, key: str, files: dict[str, os.stat_result], value: Any) -> None:
        path = self.file
        if path is None:
            return
        stats = {rel: stat_key(st) for rel, st in files.items()}
        _write(path, _pickled((_FORMAT, key)) + _pickled((time.time_ns(), stats, value)))
