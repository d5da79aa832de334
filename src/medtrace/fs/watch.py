"""Folder listings that inotify proves current, for a process that walks the same tree often.

A resident process (``medtrace serve``) walks the project before every request. Listing and
stating 100,000 files again when nothing changed is most of that walk's cost; a folder whose
entries did not change can be served from memory, provided something *proves* it did not:

- a watch (``inotify``) is added to a folder **before** it is listed, so any change made after
  the listing raises an event; :meth:`Listings.settle` reads the events (without blocking) and
  forgets the listing of each folder with one (any event, even one that changes nothing);
- a watch follows its folder, not its path: a kept listing is served only while its path still
  names that folder (one ``lstat``; a folder above, not watched, may have been moved);
- on an overflowed queue, a changed mount table, an unreadable queue (any doubt): forget all;
- never kept: folders whose watch cannot be added (the watch limit, ``ENOSPC``), folders on a
  file system where inotify is not reliable (network, FUSE: see :data:`TRUSTED`), and, within
  a kept folder, the stat of a symbolic link (its target can change with no event here), of a
  file with more than one name (a write through another name raises no event here) or of a
  special file: the walker looks at those afresh every time;
- a new name given in a watched folder to a file that has several names forgets everything:
  the other names' folders raise no event. The one change not seen: a second name made in a
  folder that is not watched (a hard link from outside the walked folders) and a write through
  it; the kernel tells the file's own folder nothing, so its kept stat stays until the folder
  has another event;
- a forked child inherits the inotify descriptor (the same open file description): reading it
  would steal the server's events, so another process never reads nor adds a watch. It serves
  what is current (only when no event is pending) and lists the rest as without a memo.

The walker (:mod:`medtrace.fs.walker`) uses the listings once :func:`install` was called in this
process; without it, it walks exactly as before. No thread is started (the server forks).
"""

from __future__ import annotations

import fcntl
import os
import re
import stat
import termios
from collections.abc import Hashable, Iterator
from operator import attrgetter
from typing import TYPE_CHECKING, Any, NamedTuple

from medtrace.errors import WatchUnavailable

if TYPE_CHECKING:
    from inotify_simple import INotify

    from medtrace.fs.ignore import Remembered

__all__ = ["TRUSTED", "Entry", "Listing", "Listings", "install", "installed"]

#: File systems whose inotify events are complete for changes made on this machine. Network
#: and FUSE file systems (nfs, cifs, fuse.*, 9p, ...) change behind the kernel's back.
TRUSTED = frozenset({"ext2", "ext3", "ext4", "xfs", "btrfs", "tmpfs", "f2fs", "zfs", "overlay"})
MOUNTS = "/proc/self/mountinfo"
#: More events than this in one settle: forgetting everything is cheaper than sorting them out.
_MANY = 2048
#: Walk signatures kept per folder (the item walk, the code walk, a few more).
_KEPT = 8

# The kinds of an entry, as the listing tells (``d_type``).
FILE, DIR, LINK, OTHER = 1, 2, 3, 4

# inotify's bits (linux/inotify.h), so that this module imports where inotify_simple does not.
_MODIFY, _ATTRIB, _CLOSE_WRITE = 0x2, 0x4, 0x8
_MOVED_FROM, _MOVED_TO, _CREATE, _DELETE = 0x40, 0x80, 0x100, 0x200
_DELETE_SELF, _MOVE_SELF, _UNMOUNT, _OVERFLOW, _IGNORED = 0x400, 0x800, 0x2000, 0x4000, 0x8000
_ONLYDIR, _DONT_FOLLOW, _ISDIR = 0x01000000, 0x02000000, 0x40000000
_MASK = (
    _MODIFY | _ATTRIB | _CLOSE_WRITE | _MOVED_FROM | _MOVED_TO | _CREATE | _DELETE
    | _DELETE_SELF | _MOVE_SELF | _ONLYDIR | _DONT_FOLLOW
)  # fmt: skip
_GONE = _DELETE_SELF | _MOVE_SELF | _IGNORED
_NEW_NAME = _CREATE | _MOVED_TO
_FORMAT = stat.S_IFMT(0o177777)
_OCTAL = re.compile(r"\\([0-7]{3})")
_FOLDER = os.O_RDONLY | getattr(os, "O_DIRECTORY", 0) | getattr(os, "O_CLOEXEC", 0)


class Entry(NamedTuple):
    """One entry of a kept listing, answering what the walker asks of an ``os.DirEntry``
    (always without following links). ``st`` is kept only for a regular file with one name;
    otherwise :meth:`stat` looks again, every time. (A tuple: made in C, one per file.)"""

    folder: str
    name: str
    kind: int
    ino: int
    st: os.stat_result | None

    def is_file(self, *, follow_symlinks: bool = False) -> bool:
        return self.kind == FILE

    def is_dir(self, *, follow_symlinks: bool = False) -> bool:
        return self.kind == DIR

    def is_symlink(self) -> bool:
        return self.kind == LINK

    def inode(self) -> int:
        return self.ino

    def stat(self, *, follow_symlinks: bool = False) -> os.stat_result:
        if self.st is not None:
            return self.st
        return os.lstat(os.path.join(self.folder, self.name))

    @property
    def steady(self) -> bool:
        """Whether the walker may keep what it made of this entry while the listing holds."""
        return self.kind == DIR or self.st is not None


class Listing:
    """One folder as listed while watched: its identity, its entries sorted by name, and what
    the walker made of them (``derived``, by walk signature; it goes with the listing)."""

    __slots__ = ("derived", "entries", "identity", "wd")

    def __init__(self, wd: int, identity: tuple[int, int], entries: list[Entry]) -> None:
        self.wd, self.identity, self.entries = wd, identity, entries
        self.derived: dict[Hashable, Any] = {}

    def keep(self, key: Hashable, value: Any) -> None:
        if len(self.derived) >= _KEPT:
            del self.derived[next(iter(self.derived))]
        self.derived[key] = value


# @implements SRS-290
class Listings:
    """Folder listings (names, kinds, stats) that inotify proves current."""

    def __init__(self) -> None:
        try:
            from inotify_simple import INotify
        except ImportError as error:  # not Linux: the dependency is not installed there
            raise WatchUnavailable(f"inotify is not available here ({error})") from None
        try:
            self._inotify: INotify | None = INotify(inheritable=False, nonblocking=True)
        except (OSError, AttributeError) as error:  # AttributeError: a libc without inotify
            raise WatchUnavailable(f"inotify cannot be used: {error}") from None
        self._pid = os.getpid()
        self._listed: dict[str, Listing] = {}
        self._paths: dict[int, set[str]] = {}
        self._mount_text = _mount_table()
        self._mounts = _mounts(self._mount_text)
        #: The walker's ``.gitignore`` files by path and content (:func:`ignore.load_ignore`).
        self.ignores: Remembered = {}
        #: How many folders were listed (and kept) since this was made: the walk's work.
        self.listed_count = 0

    # -- the owner process: events ----------------------------------------------------------

    # @implements SRS-292
    def settle(self) -> bool:
        """Read every pending event without blocking; forget what they concern. Whether
        anything may have changed (an event came, or everything was forgotten)."""
        if self._inotify is None or os.getpid() != self._pid:
            return False  # another process never reads: the events are the owner's
        text = _mount_table()
        moved = text != self._mount_text
        if moved:  # a mount over a watched folder raises no event
            self._mount_text, self._mounts = text, _mounts(text)
            self.forget_all()
        try:
            events = self._inotify.read(timeout=0)
        except OSError:
            self.forget_all()
            return True
        if len(events) > _MANY:
            self.forget_all()
            return True
        for event in events:
            self._apply(event.wd, event.mask, event.name)
        return moved or bool(events)

    def _apply(self, wd: int, mask: int, name: str) -> None:
        if wd < 0 or mask & (_OVERFLOW | _UNMOUNT):
            self.forget_all()
            return
        paths = self._paths.get(wd, set())
        for path in list(paths):
            if mask & _GONE or not name:
                self._forget_below(path)  # moved, gone, or its mode changed: all below too
            elif name and mask & _ISDIR:
                self._forget_below(os.path.join(path, name))  # a sub-folder came or went
            listing = self._listed.get(path)
            if listing is not None and listing.wd == wd:
                del self._listed[path]
            if name and mask & _NEW_NAME and not mask & _ISDIR:
                self._check_new_name(os.path.join(path, name))
        if mask & _IGNORED:
            self._paths.pop(wd, None)

    def _check_new_name(self, path: str) -> None:
        """A new name may be a second name of a file another kept folder holds with one (a
        hard link raises no event in the other folder): then forget all."""
        try:
            st = os.lstat(path)
        except OSError:
            return  # gone again: its removal is an event of its own folder
        if not stat.S_ISDIR(st.st_mode) and st.st_nlink > 1:
            self.forget_all()

    def _forget_below(self, folder: str) -> None:
        inside = folder.rstrip("/") + "/"
        for path in [p for p in self._listed if p == folder or p.startswith(inside)]:
            del self._listed[path]

    def forget_all(self) -> None:
        if os.getpid() == self._pid:
            self._listed.clear()

    def fileno(self) -> int:
        """The inotify descriptor, readable while events wait: the owner ``select``s on it to
        read changes as they come."""
        if self._inotify is None:
            raise ValueError("the listings are closed")
        return int(self._inotify.fileno())

    def close(self) -> None:
        if self._inotify is not None:
            self._inotify.close()
            self._inotify = None
        self._listed.clear()

    # -- what the walker asks ---------------------------------------------------------------

    # @implements SRS-294
    def begin(self) -> bool:
        """Called as a walk begins: whether the kept listings may be served in this walk (in
        the owner, after settling; in another process, only if no event is pending and the
        mount table is the one the owner saw)."""
        if self._inotify is None:
            return False
        if os.getpid() == self._pid:
            self.settle()
            return True
        return self._pending() == 0 and _mount_table() == self._mount_text

    def _pending(self) -> int:
        """The bytes of events waiting (read by nobody here)."""
        if self._inotify is None:
            return 1
        from ctypes import c_int  # only a forked child asks: no import cost for others

        waiting = c_int()
        try:
            fcntl.ioctl(self._inotify.fileno(), termios.FIONREAD, waiting)
        except OSError:
            return 1
        return waiting.value

    # @implements SRS-293
    def listing(self, path: str) -> Listing | None:
        """The folder at ``path`` (a real path: no link on the way), kept or listed now under
        a new watch; ``None`` when it cannot be kept (the caller lists it as without a memo)."""
        kept = self._listed.get(path)
        if kept is not None and _identity(path) == kept.identity:
            return kept
        if os.getpid() != self._pid or self._inotify is None:
            return None
        if _fs_type(self._mounts, path) not in TRUSTED:
            return None
        try:
            wd = self._inotify.add_watch(path, _MASK)
        except OSError:  # ENOSPC (the watch limit), gone, not a folder, no permission
            return None
        self._paths.setdefault(wd, set()).add(path)
        listing = _list(path, wd)
        if listing is not None:
            self._listed[path] = listing
            self.listed_count += 1
        return listing

    def __len__(self) -> int:
        return len(self._listed)


def _identity(path: str) -> tuple[int, int] | None:
    """The folder the path names now. A watch follows its folder, not the path: the path may
    name another folder since (a folder above it moved or replaced, unwatched, or a mount)."""
    try:
        st = os.lstat(path)
    except OSError:
        return None
    return st.st_dev, st.st_ino


def _list(path: str, wd: int) -> Listing | None:
    """List the folder (its watch is in place); ``None`` if it cannot be listed."""
    try:
        fd = os.open(path, _FOLDER | getattr(os, "O_NOFOLLOW", 0))
    except OSError:
        return None
    try:
        st = os.stat(fd)  # noqa: PTH116  # a descriptor
        entries = _entries(path, os.scandir(fd))
    except OSError:
        return None
    finally:
        os.close(fd)
    entries.sort(key=_name)
    return Listing(wd, (st.st_dev, st.st_ino), entries)


_name = attrgetter("name")
_new = tuple.__new__


# @implements SRS-293
def _entries(folder: str, listed: Iterator[os.DirEntry[str]]) -> list[Entry]:
    """The entries as the listing tells them; a regular file's stat is kept if it has one
    name (a stat that fails is not kept either: the walker asks again, and reports). One
    loop, no call of ours per entry: it runs once per file of the project."""
    entries: list[Entry] = []
    add = entries.append
    for entry in listed:
        try:
            if entry.is_file(follow_symlinks=False):
                kind = FILE
            elif entry.is_dir(follow_symlinks=False):
                kind = DIR
            else:
                kind = LINK if entry.is_symlink() else OTHER
        except OSError:  # the listing did not tell, and a stat failed: the walker asks again
            kind = OTHER
        st = None
        if kind == FILE:
            try:
                st = entry.stat(follow_symlinks=False)
            except OSError:
                pass
            else:
                if st.st_nlink != 1 or st.st_mode & _FORMAT != stat.S_IFREG:
                    st = None
        add(_new(Entry, (folder, entry.name, kind, entry.inode(), st)))
    return entries


def _mount_table() -> bytes:
    """The mount table as read (empty when it cannot be read: then no folder is trusted)."""
    try:
        with open(MOUNTS, "rb") as fh:
            return fh.read()
    except OSError:
        return b""


def _mounts(text: bytes) -> list[tuple[str, str]]:
    """The (mount point, type) pairs of the mount table, the longest point first."""
    mounts: list[tuple[str, str]] = []
    for line in text.decode("utf-8", "surrogateescape").splitlines():
        fields = line.split()
        if "-" not in fields[:-1] or len(fields) < 5:
            continue
        mounts.append((_unescape(fields[4]), fields[fields.index("-") + 1]))
    mounts.sort(key=lambda m: len(m[0]), reverse=True)
    return mounts


def _unescape(point: str) -> str:
    r"""A mount point as the kernel writes it: ``\040`` for a space, ``\134`` for ``\``..."""
    return _OCTAL.sub(lambda m: chr(int(m[1], 8)), point)


def _fs_type(mounts: list[tuple[str, str]], path: str) -> str:
    """The type of the file system ``path`` is on: the deepest mount point above it."""
    for point, kind in mounts:
        if path == point or path.startswith(point.rstrip("/") + "/"):
            return kind
    return ""


_installed: Listings | None = None


# @implements SRS-290
def install(listings: Listings | None) -> None:
    """The walker uses ``listings`` from now on, in this process (``None``: no more)."""
    global _installed
    _installed = listings


def installed() -> Listings | None:
    return _installed
