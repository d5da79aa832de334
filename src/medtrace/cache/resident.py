"""Resident caches: what a long-lived process keeps of its per-file caches between runs.

A process that checks the same project again and again (``medtrace serve``) calls :func:`enable`
once. From then on (in it, and in the children it forks, which inherit the flag and the tables),
a :class:`medtrace.cache.FileCache` with a folder does not read and decode its file again at the
next run: it takes back the entries it kept here, provided the cache file and its changes file on
disk are still the very ones this process last read or wrote (same stat identity). When another
process wrote the changes file alone (a forked child that parsed an edited file, say), that small
file is read over the entries kept, if it holds every change this process made; otherwise, or when
the cache file itself was written again, the entries are read from disk, as without residency.

Beside the entries, a table keeps the objects a stage made from each entry (a file's items, its
tags, its test cases), with the stat key and content digest of the entry they were made from: the
stage is given the same objects again while the entry it would make them from has the same stat
key and digest (which the cache checks against the file exactly as it does without residency:
stat identity, the racy window, the content digest). Those objects are shared by every run of the
process; they are never changed after they are made.

A table is taken out of this module while a cache uses it and handed back only when that cache
was saved (its state on disk is then known): a run that fails half-way leaves nothing half
updated here, and the next run reads the files again. (A cache serves one run and is saved once,
at its end, as every stage does; the tables are this process's, not shared between threads.)

Without :func:`enable` (every command-line run, every library call) nothing is kept.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

__all__ = ["Identity", "Made", "Table", "enable", "enabled", "identity", "keep", "take"]

_enabled = False

#: What identifies a file on disk (device, inode, size, modification and change times in
#: nanoseconds), ``None`` if there is none.
Identity = tuple[int, int, int, int, int] | None
#: path -> (stat key as cached, content digest, the objects made from the entry of that stat
#: key and digest)
Made = dict[str, tuple[bytes, bytes, Any]]


# @implements SRS-295
def enable() -> None:
    """From now on, in this process and in the children it forks, caches are resident."""
    global _enabled
    _enabled = True


def enabled() -> bool:
    return _enabled


@dataclass
class Table:
    """What a :class:`medtrace.cache.FileCache` keeps between runs of a resident process."""

    #: The objects made from entries (see above): kept even when the entries are read again.
    made: Made = field(default_factory=dict)
    #: The decoded state (entries, when the cache file was written, the changes since and when
    #: they were written), ``None`` when it must be read from disk.
    state: tuple[dict[str, Any], int, dict[str, Any], int] | None = None
    #: The identities of the cache file and its changes file when this state was read or written.
    on_disk: tuple[Identity, Identity] = (None, None)
    #: The last files asked for at once and their records in ``made`` (``None``: none), in
    #: order, so that the next run of the same files takes the records in sequence instead of
    #: looking each one up; ``touched``: the paths whose record changed since.
    batch: tuple[list[str], list[Any]] | None = None
    touched: set[str] = field(default_factory=set)
    #: For that batch: the stat objects its files had, the time before which a file's record
    #: was trusted without reading it, and the indexes of the files whose record was not.
    checked: tuple[list[Any], int, list[int]] | None = None
    #: Whether the entries of ``state`` whose objects ``made`` holds were already stripped of
    #: their packed values (see :meth:`medtrace.cache.FileCache._strip`).
    lean: bool = False

    def record(self, path: str, made: tuple[bytes, bytes, Any]) -> None:
        self.made[path] = made
        if self.batch is not None:
            self.touched.add(path)

    def forget(self, path: str) -> None:
        self.made.pop(path, None)
        if self.batch is not None:
            self.touched.add(path)


_tables: dict[tuple[str, str], Table] = {}


def identity(path: Path) -> Identity:
    """The stat identity of the file at ``path`` (not followed if a link), ``None`` if none."""
    try:
        st = path.lstat()
    except OSError:
        return None
    return (st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns)


# @implements SRS-296
def take(file: Path, salt: str, on_disk: tuple[Identity, Identity]) -> Table:
    """The table kept for the cache ``file`` and ``salt`` (a new one if none), taken out until
    :func:`keep` hands it back; its state only if the cache file on disk (``on_disk[0]``, its
    identity now) is the one it was read or written with (the cache then compares the changes
    file, see :meth:`medtrace.cache.FileCache._take`)."""
    table = _tables.pop((str(file), salt), None) or Table()
    if table.state is not None and table.on_disk[0] != on_disk[0]:
        table.state = None  # another process wrote the cache file: read it again
    return table


def keep(file: Path, salt: str, table: Table) -> None:
    """Hand back the table of a cache whose state on disk is ``table.on_disk``."""
    _tables[(str(file), salt)] = table
