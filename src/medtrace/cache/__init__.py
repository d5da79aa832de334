"""Caches that never serve stale data and never run code.

:class:`FileCache` keeps a parsed value per file; :class:`ResultCache` a whole result (``check``'s
findings) valid while none of its input files change.

**Never stale.** An entry is keyed by the file's identity (device, inode, size, modification and
change times in nanoseconds) and records a BLAKE2 digest of the content it was made from. A file
whose stat identity is unchanged is trusted without being read, unless it was modified so close to
the time the cache was written that a later edit could have kept the same timestamps (the "racy"
window, as git does for its index): such an entry is verified against the file's content.

**Never code.** Values are stored as MessagePack (:mod:`medtrace.cache.codec`), which reads data
and nothing else, in sealed files (:mod:`medtrace.cache.sealed`): authenticated with an HMAC keyed
by a per-user secret kept outside the project, bound to the medtrace version, the cache format,
the namespace, the salt and the folder. A file that fails any of that (damaged, truncated, from
another version or project, or committed to a repository by someone else) is ignored and rebuilt.
A value is decoded only when its file is asked for.

**Changes apart.** A :class:`FileCache` of many files (100,000 item files make 60 MB) is not
written again whole when a few of its files changed: the entries made or dropped since it was
written go to a second sealed file, ``<namespace>-changes.mtc``, bound to that very cache file
(its seal names the time the cache file was written, so it applies to no other), and read over it.
Once the changes outgrow a sixteenth of the entries, the whole cache is written again and the
changes start anew. Every entry, from either file, is checked against its file as above.

**Resident.** In a long-lived process (:mod:`medtrace.cache.resident`), a cache keeps its decoded
entries, and the objects made from them, from one run to the next, reading its files again only
when another process wrote them (see that module).
"""

from __future__ import annotations

import contextlib
import hashlib
import operator
import os
import struct
import time
from array import array
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from itertools import compress, count, repeat, starmap
from pathlib import Path
from typing import Any

from medtrace.cache import racy
from medtrace.cache import resident as residency
from medtrace.cache.codec import pack, unpack, unpack_any
from medtrace.cache.sealed import read_sealed, write_sealed
from medtrace.fs.read import read_regular

__all__ = [
    "RACY_WINDOW_NS",
    "FileCache",
    "FilesDigest",
    "ResultCache",
    "StatKey",
    "cache_file",
    "digest",
    "files_digest",
    "joined_digest",
    "load_value",
    "note_content",
    "stat_key",
    "store_value",
]

#: Files modified less than this long before the cache was written are re-verified by content.
RACY_WINDOW_NS = 2_000_000_000
#: The suffix of sealed cache files (the older, pickled ``.cache`` and ``.pickle`` are never read).
SUFFIX = ".mtc"
#: The changes since a :class:`FileCache` was written are kept apart (see above) when it has at
#: least this many entries (a smaller one is cheap to write whole) and they are at most
#: ``1 / CHANGES_SHARE`` of its entries.
CHANGES_MIN_ENTRIES = 4096
CHANGES_SHARE = 16

StatKey = tuple[int, int, int, int, int]
#: A digest of files' paths and stat keys, and their newest modification time.
FilesDigest = tuple[bytes, int]


def cache_file(directory: Path, name: str) -> Path:
    """The sealed file of the cache ``name`` in ``directory`` (whether it exists or not)."""
    return directory / f"{name}{SUFFIX}"


def stat_key(st: os.stat_result) -> StatKey:
    return (st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns)


_STAT = struct.Struct("<QQqqq")


def _stat_bytes(st: os.stat_result) -> bytes:
    """The stat key as stored: 40 bytes, cheaper to read back and compare than five numbers."""
    try:
        return _STAT.pack(st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns)
    except struct.error:  # out of the usual ranges
        return _stat_digest(st)


def _stat_digest(st: os.stat_result) -> bytes:
    """Any stat key in 40 bytes too (so that joined keys stay unambiguous)."""
    return hashlib.blake2b(repr(stat_key(st)).encode(), digest_size=_STAT.size).digest()


#: What :func:`files_digest` last digested with ``remember``: the names, the stat objects and
#: its answer; and, to patch it, the digested bytes, where each stat key lies in them and the
#: modification times (arrays: 100,000 files in about 9 MB; ``None`` when a time does not fit).
_remembered: list[Any] = [[], [], (b"", 0), None]


# @implements SRS-328, SRS-342
def files_digest(files: dict[str, os.stat_result], *, remember: bool = False) -> FilesDigest:
    """One digest of every file's path and stat key (40 bytes), in order; and the newest
    modification time. What :class:`ResultCache` is keyed by: made once per run by its caller
    and given to both ``lookup`` and ``store``.

    With ``remember``, the answer is kept and given again when the next such call has the very
    same stat objects under the same names, in order. A stat result never changes, so the same
    objects have the same keys. A resident server's walk hands back the stat objects it kept for
    the folders no event touched (:mod:`medtrace.fs.watch`): a warm request then compares
    100,000 references instead of packing 100,000 stat keys. When some stat objects are others
    (an edit re-lists its folder: a thousand files), only their keys are packed again, into the
    bytes kept (see :func:`_patched`)."""
    if not remember:
        return _files_digest(files)[0]
    names, stats, answer, kept = _remembered
    now = list(files.values())
    if names == list(files):
        changed = list(compress(range(len(now)), map(operator.is_not, stats, now)))  # in C
        if not changed:
            return answer  # type: ignore[no-any-return]
        if kept is not None and len(changed) <= len(now) // 4:
            _remembered[:] = [[], [], (b"", 0), None]  # (nothing kept while it changes)
            with contextlib.suppress(OverflowError):  # a time past 2262: digested afresh
                answer = _patched(kept, changed, now)
                _remembered[:] = [names, now, answer, kept]
                return answer
    answer, kept = _files_digest(files)
    _remembered[:] = [list(files), now, answer, kept]
    return answer


#: The digested bytes, the offset of each file's stat key in them, the modification times.
_Kept = tuple[bytearray, "array[int]", "array[int]"]


def _files_digest(files: dict[str, os.stat_result]) -> tuple[FilesDigest, _Kept | None]:
    """The digest of ``files``, with what :func:`_patched` needs to patch it (``None``: a time
    too large to keep)."""
    parts: list[bytes] = []
    add, pack = parts.append, _STAT.pack  # the warm path: 100,000 files, keep the loop tight
    offsets = array("q")
    at, position, width = offsets.append, 0, _STAT.size + 1
    for rel, st in files.items():  # each part and a NUL byte: the name, then the stat key
        name = rel.encode("utf-8", "surrogateescape")
        add(name)
        try:
            add(pack(st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns))
        except struct.error:
            add(_stat_digest(st))
        position += len(name) + 1
        at(position)
        position += width
    joined = bytearray(b"\0".join(parts))
    times = [st.st_mtime_ns for st in files.values()]
    answer = hashlib.blake2b(joined, digest_size=32).digest(), max(max(times, default=0), 0)
    try:
        return answer, (joined, offsets, array("q", times))
    except OverflowError:  # a time past 2262: nothing to patch, the digest is made each time
        return answer, None


def _patched(kept: _Kept, changed: list[int], stats: list[os.stat_result]) -> FilesDigest:
    """The digest of the same names with the stats of the files at ``changed`` replaced by
    ``stats``' (the bytes and times kept are updated in place; a stat key is 40 bytes
    whatever it holds, so every other part stays where it was)."""
    joined, offsets, mtimes = kept
    width = _STAT.size
    for i in changed:
        st = stats[i]
        at = offsets[i]
        joined[at : at + width] = _stat_bytes(st)
        mtimes[i] = st.st_mtime_ns
    digest = hashlib.blake2b(joined, digest_size=32).digest()
    return digest, max(max(mtimes, default=0), 0)


def note_content(path: str, st: os.stat_result, content_digest: bytes) -> None:
    """Note that this process made values of ``path`` (of stat ``st``) from the content of
    digest ``content_digest`` (:func:`racy.note`), as :class:`FileCache` does for those it is
    given or verifies."""
    racy.note(path, _stat_bytes(st), st.st_mtime_ns, content_digest, RACY_WINDOW_NS)


def joined_digest(*parts: FilesDigest) -> FilesDigest:
    """One :data:`FilesDigest` of several, in order."""
    joined = hashlib.blake2b(b"".join(d for d, _ in parts), digest_size=32).digest()
    return joined, max((newest for _, newest in parts), default=0)


def digest(data: bytes) -> bytes:
    return hashlib.blake2b(data, digest_size=16).digest()


#: [stat bytes, content digest, packed value]: the value is unpacked only when asked for. The
#: value of an entry made in this run is kept as it is (``None`` here) and packed when saved.
_Entry = list[Any]


def load_value(directory: Path | None, name: str, salt: str) -> Any:
    """The value of a sealed file ``name`` in ``directory``, or ``None`` if there is none that
    can be trusted (see :func:`store_value`)."""
    if directory is None:
        return None
    body = read_sealed(directory, name + SUFFIX, salt)
    if body is None:
        return None
    try:
        return unpack(body)
    except ValueError:  # sealed by this medtrace, yet not its data: treat as missing
        return None


def store_value(directory: Path | None, name: str, salt: str, value: Any) -> bool:
    """Keep ``value`` (data) sealed in ``directory``; ``False`` if it is not data or cannot be
    written."""
    if directory is None:
        return False
    try:
        body = pack(value)
    except TypeError:
        return False
    return write_sealed(directory, name + SUFFIX, salt, body)


# @implements SRS-6, SRS-100, SRS-101
@dataclass
class FileCache:
    """Parsed values per file path, for one namespace (``items``, ``tags``, ...).

    ``salt`` must change whenever the meaning of cached values changes (the parts of the
    configuration that affect parsing; medtrace's version is always part of it): a cache written
    with another salt is ignored. Values must be data (see :mod:`medtrace.cache.codec`); a value
    that is not is simply not cached.
    """

    directory: Path | None
    namespace: str
    salt: str
    _entries: dict[str, _Entry] = field(default_factory=dict, init=False, repr=False)
    _written_at: int = field(default=0, init=False)
    #: The entries made (or dropped: ``None``) since the cache file was written, and when
    #: they were written apart.
    _changes: dict[str, _Entry | None] = field(default_factory=dict, init=False, repr=False)
    _changes_at: int = field(default=0, init=False)
    _dirty: bool = field(default=False, init=False)
    _seen: set[str] = field(default_factory=set, init=False)
    #: Every entry's file was asked for in this run (see :meth:`get_many_made`).
    _all_seen: bool = field(default=False, init=False)
    _fresh: dict[str, Any] = field(default_factory=dict, init=False, repr=False)
    hits: int = field(default=0, init=False)
    misses: int = field(default=0, init=False)
    #: This process's table when caches are resident (see :mod:`medtrace.cache.resident`).
    _table: residency.Table | None = field(default=None, init=False, repr=False)

    def __post_init__(self) -> None:
        if self.directory is not None and residency.enabled():
            self._take()
            if self._table is not None and self._table.state is not None:
                return
        self._load()
        if self._table is not None:
            self._made_again()

    @property
    def size(self) -> int:
        """How many files have an entry (none: a cold run, nothing to ask for)."""
        return len(self._entries)

    @property
    def resident(self) -> bool:
        """Whether this cache keeps its entries and the objects made from them in this
        process (see :meth:`get_many_made`)."""
        return self._table is not None

    def _on_disk(self) -> tuple[residency.Identity, residency.Identity]:
        """The identities of the cache file and of its changes file on disk now."""
        assert self.directory is not None
        main = cache_file(self.directory, self.namespace)
        changes = cache_file(self.directory, self._changes_name)
        return residency.identity(main), residency.identity(changes)

    # @implements SRS-296
    def _take(self) -> None:
        """This process's table for this cache; its entries if the files on disk are still
        those it read or wrote (stat before reading: a file replaced meanwhile is read again
        next time, never trusted)."""
        assert self.file is not None
        on_disk = self._on_disk()
        table = self._table = residency.take(self.file, self.salt, on_disk)
        if table.state is not None:
            self._entries, self._written_at, self._changes, self._changes_at = table.state
            if table.on_disk[1] != on_disk[1] and not self._changes_over():
                table.state = None
                self._entries, self._written_at, self._changes, self._changes_at = {}, 0, {}, 0
        table.on_disk = on_disk  # what this cache holds, or what _load reads next

    def _changes_over(self) -> bool:
        """Read over the entries kept the changes another process wrote apart (to the very
        cache file this process read or wrote), if they hold every change this process made:
        the entries are then what reading both files gives, and only the small one was read."""
        payload = load_value(self.directory, self._changes_name, self._changes_salt)
        if not (_is_file_payload(payload) and isinstance(payload[0], int)):
            return False
        changes_at, changes = payload
        if not changes.keys() >= self._changes.keys():
            return False
        assert self._table is not None
        made = self._table.made
        for path, entry in changes.items():
            if entry is None:
                self._entries.pop(path, None)
            else:
                self._entries[path] = entry
            record = made.get(path)  # objects only for the entry they were made from
            if record is not None and (entry is None or record[:2] != (entry[0], entry[1])):
                self._table.forget(path)
        self._changes_at, self._changes = changes_at, changes
        return True

    def _made_again(self) -> None:
        """Keep, of the objects made before, those made from the entries just read (the same
        stat key and digest): every object kept is then that of its file's current entry."""
        assert self._table is not None
        entries, kept = self._entries, {}
        for path, record in self._table.made.items():
            entry = entries.get(path)
            if entry is not None and entry[1] == record[1] and entry[0] == record[0]:
                kept[path] = record
        self._table.made, self._table.batch = kept, None

    def _load(self) -> None:
        if self._table is not None:
            self._table.lean = False  # every entry read holds its packed value
        payload = load_value(self.directory, self.namespace, self.salt)
        if not (_is_file_payload(payload) and isinstance(payload[0], int)):
            return
        self._written_at, self._entries = payload
        changes = load_value(self.directory, self._changes_name, self._changes_salt)
        if _is_file_payload(changes) and isinstance(changes[0], int):
            self._changes_at, self._changes = changes
            for path, entry in self._changes.items():
                if entry is None:
                    self._entries.pop(path, None)
                else:
                    self._entries[path] = entry

    @property
    def _changes_name(self) -> str:
        return f"{self.namespace}-changes"

    @property
    def _changes_salt(self) -> str:
        """Binds the changes to the cache file written at ``_written_at`` (and no other)."""
        return f"{self.salt}\0changes to the cache written at {self._written_at}"

    @property
    def file(self) -> Path | None:
        return None if self.directory is None else cache_file(self.directory, self.namespace)

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
        if entry is None or not self._current(entry, path, st, content, root):
            self.misses += 1
            return None
        ok, value = self._unpacked(path, entry)
        if not ok:
            self.misses += 1
            return None
        self.hits += 1
        return value

    def _unpacked(self, path: str, entry: _Entry) -> tuple[bool, Any]:
        """The entry's value (made in this run, or unpacked), or ``(False, None)`` when it
        cannot be unpacked (a value that could not be packed)."""
        if path in self._fresh:
            return True, self._fresh[path]
        try:
            return True, unpack(entry[2])
        except (ValueError, TypeError):
            return False, None

    def get_many(
        self, files: Iterable[tuple[str, os.stat_result]], root: str = ""
    ) -> list[Any | None]:
        """:meth:`get` for each ``(path, stat)`` of ``files``, in order. A run asks for every
        file of the project (100,000 and more) at once, so this loop makes no Python call per
        file: only msgpack's, and the content check of a file in the racy window."""
        out: list[Any | None] = []
        entries, fresh, seen, stat_bytes = self._entries, self._fresh, self._seen, _STAT.pack
        racy, changes = self._written_at - RACY_WINDOW_NS, self._changes
        racy_changes = self._changes_at - RACY_WINDOW_NS
        for path, st in files:
            seen.add(path)
            entry = entries.get(path)
            if entry is None:  # (a cold cache: no stat key to make)
                out.append(None)
                continue
            try:
                key = stat_bytes(st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns)
            except struct.error:
                key = _stat_digest(st)
            if entry[0] != key:
                out.append(None)
                continue
            since = racy_changes if path in changes else racy
            if st.st_mtime_ns >= since and not self._verified(entry, path, st, None, root):
                out.append(None)
            elif path in fresh:
                out.append(fresh[path])
            else:
                try:
                    out.append(unpack_any(entry[2]))
                except Exception:  # an entry whose value could not be packed, or not data
                    out.append(None)
        missed = out.count(None)
        self.hits += len(out) - missed
        self.misses += missed
        return out

    # @implements SRS-297
    def get_made(
        self, path: str, st: os.stat_result, make: Callable[[Any], Any], root: str = ""
    ) -> Any | None:
        """``make(value)`` for the cached value of ``path`` if it is certainly current (as
        :meth:`get`), else ``None``. A resident cache gives the objects it made before from an
        entry of the same stat key and content digest instead of making them again."""
        self._seen.add(path)
        made = self._get_made(path, st, make, root)
        if made is None:
            self.misses += 1
        else:
            self.hits += 1
        return made

    def _get_made(
        self, path: str, st: os.stat_result, make: Callable[[Any], Any], root: str
    ) -> Any | None:
        entry = self._entries.get(path)
        if entry is None or not self._current(entry, path, st, None, root):
            return None
        return self._made_from(path, entry, make)

    # @implements SRS-297
    def get_many_made(
        self,
        paths: list[str],
        stats: list[os.stat_result],
        make: Callable[[Any], Any],
        root: str = "",
    ) -> list[Any | None]:
        """:meth:`get_made` for each file of ``paths`` (distinct, of stat ``stats[i]``), in
        order. The files whose objects a resident cache holds and whose stat key is that of
        their entry, modified before the racy window, are answered in a few C loops over all
        the files (see :meth:`_unchanged`); the others one by one, as :meth:`get_made`."""
        records = self._records(paths)
        known = not any(map(operator.is_, records, repeat(_NO_RECORD)))
        if known and len(paths) == len(self._entries):
            # each file has a record, so an entry: these are the files of every entry, and
            # none is dropped when saved (an entry made later is seen when put)
            self._all_seen = True
        else:
            self._seen.update(paths)
        trusted_before = self._trusted_before()
        checked = self._unchanged_again(paths, records, stats, trusted_before)
        out, others = checked or self._unchanged(records, stats, trusted_before)
        for index in others:
            out[index] = self._get_made(paths[index], stats[index], make, root)
        table = self._table
        if table is not None:  # the records now, for the next run of these files
            for index in others:
                records[index] = table.made.get(paths[index], _NO_RECORD)
            table.batch, table.touched = (list(paths), records), set()
            table.checked = (list(stats), trusted_before, list(others))
        missed = out.count(None)
        self.hits += len(out) - missed
        self.misses += missed
        return out

    def _records(self, paths: list[str]) -> list[Any]:
        """The record ``made`` holds for each path (:data:`_NO_RECORD` if none): those of the
        last batch when it was of these files (the few touched since looked up again), else
        each looked up."""
        table = self._table
        if table is None:
            return [_NO_RECORD] * len(paths)
        made, batch = table.made, table.batch
        if batch is None or len(table.touched) > _FEW or paths != batch[0]:
            return list(map(made.get, paths, repeat(_NO_RECORD)))
        records = list(batch[1])
        for path in table.touched:
            with contextlib.suppress(ValueError):  # a path not in the batch
                records[paths.index(path)] = made.get(path, _NO_RECORD)
        return records

    def _trusted_before(self) -> int:
        """Files modified before this time are trusted by their stat key (the racy window)."""
        trusted_before = self._written_at - RACY_WINDOW_NS
        if self._changes:
            trusted_before = min(trusted_before, self._changes_at - RACY_WINDOW_NS)
        return trusted_before

    # @implements SRS-328
    def _unchanged_again(
        self, paths: list[str], records: list[Any], stats: list[os.stat_result], before: int
    ) -> tuple[list[Any | None], list[int]] | None:
        """:meth:`_unchanged` of the files of the last batch, when they are those files, most
        of them unchanged (``None`` otherwise). A file whose stat and record are the very objects of
        that batch, which found its record current, has the same stat key and the same
        modification time, and ``before`` is no earlier: its record is current again; only the
        others are compared (a resident server's walk gives back the stat objects it kept)."""
        table = self._table
        if table is None or table.batch is None or table.checked is None:
            return None
        last_stats, last_before, last_others = table.checked
        if before < last_before or len(stats) != len(last_stats) or paths != table.batch[0]:
            return None
        same = map(operator.and_, map(operator.is_, stats, last_stats),
                   map(operator.is_, records, table.batch[1]))  # fmt: skip
        again = {*compress(count(), map(operator.not_, same)), *last_others}
        if len(again) * 4 > len(stats):  # one by one costs more than the C loops over all
            return None
        out: list[Any | None] = list(map(_THIRD, records))
        others = [i for i in sorted(again) if not _current_record(records[i], stats[i], before)]
        for index in others:
            out[index] = None
        return out, others

    def _unchanged(
        self, records: list[Any], stats: list[os.stat_result], trusted_before: int
    ) -> tuple[list[Any | None], Iterable[int]]:
        """The objects made before for each file whose stat key is the one they were made from
        and which was modified before ``trusted_before`` (the racy window; ``None`` for the
        others), and the indexes of the others. The objects of ``made`` are always those of the
        current entry (see :meth:`_made_again`): an equal stat key is the check :meth:`get`
        makes."""
        try:
            keys = starmap(_STAT.pack, map(_STAT_FIELDS, stats))
            same = list(map(operator.eq, keys, map(_FIRST, records)))
        except struct.error:  # a stat out of the usual ranges: every file one by one
            return [None] * len(stats), range(len(stats))
        old = map(trusted_before.__gt__, map(_MTIME, stats))
        others = list(compress(count(), map(operator.not_, map(operator.and_, same, old))))
        out: list[Any | None] = list(map(_THIRD, records))
        for index in others:
            out[index] = None
        return out, others

    def _made_from(self, path: str, entry: _Entry, make: Callable[[Any], Any]) -> Any | None:
        """The objects made from a current entry: those made before from the same stat key and
        content digest (resident), else ``make`` of its value (``None`` if it has none)."""
        table = self._table
        key = entry[0]  # the stat key of the file (the entry is current)
        record = table.made.get(path) if table is not None else None
        if record is not None and record[1] == entry[1] and record[0] == key:
            return record[2]
        ok, value = self._unpacked(path, entry)
        if not ok:
            return None
        made = make(value)
        if table is not None and made is not None:
            table.record(path, (key, entry[1], made))
        return made

    def _current(
        self, entry: _Entry, path: str, st: os.stat_result, content: bytes | None, root: str
    ) -> bool:
        if entry[0] != _stat_bytes(st):
            return False
        written_at = self._changes_at if path in self._changes else self._written_at
        if content is None and st.st_mtime_ns < written_at - RACY_WINDOW_NS:
            return True
        return self._verified(entry, path, st, content, root)

    def _verified(
        self, entry: _Entry, path: str, st: os.stat_result, content: bytes | None, root: str
    ) -> bool:
        """Whether the file's content is what the entry was made from (a file of the same stat
        modified in the racy window, or ``content`` given by the caller)."""
        if content is None:  # a regular file of the size just seen, never more
            read = read_regular(os.path.join(root, path), st.st_size, st)
            if not read.ok:
                return False
            content = read.data
        if digest(content) != entry[1]:
            return False
        racy.note(path, entry[0], st.st_mtime_ns, entry[1], RACY_WINDOW_NS)  # see ResultCache
        return True

    def put(
        self, path: str, st: os.stat_result, content: bytes, value: Any, made: Any = None
    ) -> None:
        self.put_digest(path, st, digest(content), value, made)

    def put_digest(
        self,
        path: str,
        st: os.stat_result,
        content_digest: bytes,
        value: Any,
        made: Any = None,
        packed: bytes | None = None,
    ) -> None:
        """:meth:`put` for a file whose content was digested elsewhere (by a worker process,
        with :func:`digest`); ``made``: the objects made from ``value``, kept beside the entry
        by a resident cache (see :meth:`get_made`); ``packed``: ``pack(value)``, when it was
        packed elsewhere too (not packed again when saved)."""
        if not _storable(path):
            return  # a name that is not text (undecodable bytes): that file is read every run
        self._seen.add(path)
        self._dirty = True
        key = _stat_bytes(st)
        self._entries[path] = self._changes[path] = [key, content_digest, packed]
        racy.note(path, key, st.st_mtime_ns, content_digest, RACY_WINDOW_NS)  # see ResultCache
        self._fresh[path] = value
        if self._table is None:
            return
        if made is None:  # none made: those made from the former entry are not this file's
            self._table.forget(path)
        else:
            self._table.record(path, (key, content_digest, made))

    def save(self) -> None:
        """Write the cache atomically (or only its changes, see above), dropping entries for
        files not seen in this run."""
        if self.directory is None:
            return
        # (a subset test first: no set is made in the usual case, every entry seen)
        if self._all_seen or self._entries.keys() <= self._seen:
            stale: set[str] = set()
        else:
            stale = self._entries.keys() - self._seen
        for key in stale:
            del self._entries[key]
            self._changes[key] = None
        if self._table is not None:
            for key in stale:
                self._table.forget(key)
        wrote = self._dirty or bool(stale)
        written = not wrote or self._write()
        if written:
            self._dirty = False
        if self._table is not None:
            self._keep(written, wrote)

    def _write(self) -> bool:
        self._pack_fresh()
        assert self.directory is not None
        now = time.time_ns()
        if self._written_at and _few(len(self._changes), len(self._entries)):
            body = pack([now, self._changes])
            written = write_sealed(
                self.directory, self._changes_name + SUFFIX, self._changes_salt, body
            )
            if written:
                self._changes_at = now  # as a later run reads it (for a resident cache)
        else:
            self._unstrip()
            written = write_sealed(
                self.directory, self.namespace + SUFFIX, self.salt, pack([now, self._entries])
            )
            if written:  # the changes start anew (the former ones apply to no file now)
                self._written_at, self._changes, self._changes_at = now, {}, 0
                if len(self._entries) >= CHANGES_MIN_ENTRIES:  # not to read them for nothing
                    store_value(self.directory, self._changes_name, self._changes_salt, [now, {}])
                    self._changes_at = now
        return written

    def _keep(self, written: bool, wrote: bool) -> None:
        """Hand the resident table back: with this run's entries if they are what the files
        on disk hold (those it read, or those it ``wrote``: their identities now), else
        without (the next run reads the files)."""
        table, self._table = self._table, None
        assert table is not None and self.file is not None
        if written:
            table.state = (self._entries, self._written_at, self._changes, self._changes_at)
            if wrote:
                table.on_disk = self._on_disk()
            if not table.lean and len(self._entries) >= CHANGES_MIN_ENTRIES:
                self._strip(table)
        else:
            table.state = None
        residency.keep(self.file, self.salt, table)

    # @implements SRS-361
    def _strip(self, table: residency.Table) -> None:
        """Drop the packed value of each entry whose objects the table keeps (made from that
        very entry) and that is not among the changes written apart: a resident process holds
        those objects, and the packed values (60 MB of 100,000 item files) are needed again
        only to write the whole cache file (:meth:`_unstrip`). Once per state read or written
        whole; a small cache, always written whole, keeps them. (Only the callers of
        :meth:`get_made` have objects kept; :meth:`get` of a stripped entry is a miss.)"""
        entries, changes = self._entries, self._changes
        for path, record in table.made.items():
            entry = entries.get(path)
            if entry is None or entry[2] is None or path in changes:
                continue  # (no value, or one the changes file is written with)
            if entry[1] == record[1] and entry[0] == record[0]:
                entry[2] = STRIPPED
        table.lean = True

    def _unstrip(self) -> None:
        """Give each stripped entry its packed value back, from the cache file on disk when it
        holds an entry of the same stat key and content digest (written with the same salt);
        an entry it cannot have back is dropped, with its objects (its file is parsed again at
        the next run: a miss, never a stale value)."""
        table = self._table
        if table is None or not table.lean:
            return
        payload = load_value(self.directory, self.namespace, self.salt)
        ok = _is_file_payload(payload) and isinstance(payload[0], int)
        on_disk: dict[str, Any] = payload[1] if ok else {}
        for path, entry in list(self._entries.items()):
            if entry is not None and entry[2] is STRIPPED:
                disk: Any = on_disk.get(path)
                if _same_entry(disk, entry):
                    entry[2] = disk[2]
                else:
                    del self._entries[path]
                    table.forget(path)
        table.lean = False

    def _pack_fresh(self) -> None:
        """Pack the values made in this run (a value that is not data is written empty: a
        miss when read); an entry read from a file keeps its packed bytes, so that the whole
        cache is then packed by msgpack in one C call."""
        entries = self._entries
        for path, value in self._fresh.items():
            entry = entries.get(path)
            if entry is not None and entry[2] is None:
                try:
                    entry[2] = pack(value)
                except TypeError:
                    entry[2] = b""


_FIRST, _THIRD = operator.itemgetter(0), operator.itemgetter(2)
_STAT_FIELDS = operator.attrgetter("st_dev", "st_ino", "st_size", "st_mtime_ns", "st_ctime_ns")
_MTIME = operator.attrgetter("st_mtime_ns")
#: How many records may change after a batch for the next one to take them from it.
_FEW = 64
#: What :meth:`FileCache._unchanged` finds for a file of which nothing was made.
_NO_RECORD: tuple[None, bytes, None] = (None, b"", None)


#: The packed value of an entry a resident process stripped (see :meth:`FileCache._strip`):
#: not MessagePack (0xc1 is never used), so that read as a value it is a miss, never data.
STRIPPED = b"\xc1"


def _same_entry(disk: Any, entry: _Entry) -> bool:
    """Whether ``disk`` (an entry read from the cache file) is ``entry`` with its packed value."""
    return (
        type(disk) is list
        and len(disk) == 3
        and disk[0] == entry[0]
        and disk[1] == entry[1]
        and type(disk[2]) is bytes
        and disk[2] != STRIPPED
    )


def _current_record(record: Any, st: os.stat_result, trusted_before: int) -> bool:
    """:meth:`FileCache._unchanged` for one file."""
    try:
        key = _STAT.pack(*_STAT_FIELDS(st))
    except struct.error:
        return False
    return bool(key == record[0] and st.st_mtime_ns < trusted_before)


def _few(changes: int, entries: int) -> bool:
    """Whether ``changes`` since the cache file was written are kept apart from it."""
    return entries >= CHANGES_MIN_ENTRIES and changes * CHANGES_SHARE <= entries


def _storable(path: str) -> bool:
    try:
        path.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _is_file_payload(payload: Any) -> bool:
    return bool(isinstance(payload, list) and len(payload) == 2 and isinstance(payload[1], dict))


# @implements SRS-6, SRS-100, SRS-101, SRS-346
@dataclass
class ResultCache:
    """A whole result (``check``'s findings, say) valid while none of its input files change.

    ``lookup`` answers only if the configuration key is the same, the set of input files is the
    same, every file has the same stat identity, and those modified within the racy window
    before the result was stored (such a file might have changed without its timestamps
    showing it) still hold the content the result was made from (:mod:`medtrace.cache.racy`);
    else the caller recomputes, reading changed files through :class:`FileCache`.
    The value must be data (see :mod:`medtrace.cache.codec`).
    """

    directory: Path | None
    name: str
    #: ``[path, digest]`` of the files the last lookup found by their content (the racy ones).
    verified: list[list[Any]] = field(default_factory=list, init=False)

    @property
    def file(self) -> Path | None:
        return None if self.directory is None else cache_file(self.directory, self.name)

    def lookup(self, key: str, files: FilesDigest, root: str | None = None) -> Any | None:
        """The value stored for ``key`` and the input files of digest ``files``, if any
        (``root``: the folder of the input files, for those to be read; without it, a result
        stored within their racy window is never given)."""
        self.verified = []
        payload = load_value(self.directory, self.name, key)
        if not (isinstance(payload, list) and len(payload) in (3, 4)):
            return None
        written_at, stored, value = payload[:3]
        if not isinstance(written_at, int):
            return None
        current, newest = files
        if current != stored:
            return None
        if newest >= written_at - RACY_WINDOW_NS:  # the same stats: the files noted at store
            recent = payload[3] if len(payload) == 4 else None
            if root is None or recent is None or not racy.same(root, recent, digest):
                return None
            self.verified = recent
        try:
            return unpack(value)
        except (ValueError, TypeError):
            return None

    def store(
        self,
        key: str,
        files: FilesDigest,
        value: Any,
        inputs: Iterable[dict[str, os.stat_result]] = (),
        root: str = "",
    ) -> None:
        """Keep ``value`` for the input files of digest ``files`` (:func:`files_digest`): only
        the digest is stored, so that looking the result up reads a few bytes whatever the
        number of files; and, if some were modified within the racy window, their content
        digests as this process read them (``inputs``: the files digested, path → stat,
        relative to ``root``)."""
        if self.directory is None:
            return
        written_at = time.time_ns()
        recent = None
        if files[1] >= written_at - RACY_WINDOW_NS:
            recent = racy.contents(inputs, written_at - RACY_WINDOW_NS, _stat_bytes, root)
        try:
            body = pack([written_at, files[0], pack(value), *([recent] if recent else [])])
        except TypeError:
            return
        write_sealed(self.directory, self.name + SUFFIX, key, body)
