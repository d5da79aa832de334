"""Reading an input file safely: regular files only, never more than a limit.

A path may name a FIFO (opening it for reading would wait for a writer forever), a device
(``/dev/zero`` never ends, and its ``st_size`` is 0, so a size check made before reading lets
it through) or a file swapped after it was found. So the file is opened without blocking,
checked with ``fstat`` on the open descriptor (what is read is what was checked), refused
unless it is a regular file, and read up to ``limit + 1`` bytes at most.
"""

from __future__ import annotations

import enum
import errno
import os
import stat
from dataclasses import dataclass

__all__ = ["Content", "Refusal", "kind_of", "read_regular", "reason_of"]

_FLAGS = (
    os.O_RDONLY
    | getattr(os, "O_NONBLOCK", 0)
    | getattr(os, "O_NOCTTY", 0)
    | getattr(os, "O_BINARY", 0)
    | getattr(os, "O_CLOEXEC", 0)
)
_CHUNK = 1 << 20


class Refusal(enum.Enum):
    """Why a file was not read."""

    NONE = ""
    MISSING = "missing"
    UNREADABLE = "unreadable"
    SPECIAL = "special"
    TOO_LARGE = "too-large"
    CHANGED = "changed"


@dataclass(frozen=True, slots=True)
class Content:
    """A file's bytes, or why it was not read (``reason`` in words)."""

    data: bytes = b""
    stat: os.stat_result | None = None
    refusal: Refusal = Refusal.NONE
    reason: str = ""

    @property
    def ok(self) -> bool:
        return self.refusal is Refusal.NONE


def kind_of(mode: int) -> str:
    """The kind of a file that is not a regular file, in words."""
    if stat.S_ISFIFO(mode):
        return "a named pipe (FIFO)"
    if stat.S_ISCHR(mode):
        return "a character device"
    if stat.S_ISBLK(mode):
        return "a block device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISDIR(mode):
        return "a folder"
    return "not a regular file"


# @implements SRS-53, SRS-350
def read_regular(path: str, limit: int, expect: os.stat_result | None = None) -> Content:
    """The bytes of the regular file at ``path``, at most ``limit`` of them.

    With ``expect`` (the ``stat`` of the file when it was found), a file replaced since then
    by another one is refused (``Refusal.CHANGED``).
    """
    try:
        fd = os.open(path, _FLAGS)
    except (FileNotFoundError, NotADirectoryError) as error:
        return Content(refusal=Refusal.MISSING, reason=reason_of(error))
    except OSError as error:
        return Content(refusal=Refusal.UNREADABLE, reason=reason_of(error))
    try:
        return _read_open(fd, limit, expect)
    except OSError as error:
        return Content(refusal=Refusal.UNREADABLE, reason=reason_of(error))
    finally:
        os.close(fd)


def _read_open(fd: int, limit: int, expect: os.stat_result | None) -> Content:
    st = os.fstat(fd)
    if not stat.S_ISREG(st.st_mode):
        return Content(stat=st, refusal=Refusal.SPECIAL, reason=kind_of(st.st_mode))
    if expect is not None and (st.st_dev, st.st_ino) != (expect.st_dev, expect.st_ino):
        return Content(stat=st, refusal=Refusal.CHANGED, reason="the file was replaced")
    if st.st_size > limit:
        return _too_large(st, st.st_size, limit)
    chunks: list[bytes] = []
    size, expected = 0, st.st_size
    while size <= limit:
        want = min(_CHUNK, limit + 1 - size)
        if size < expected:  # what fstat said is left, and a byte more: no larger buffer
            want = min(want, expected + 1 - size)
        chunk = os.read(fd, want)
        if not chunk:
            break
        chunks.append(chunk)
        size += len(chunk)
        if size == expected and len(chunk) < want:
            break  # a short read of a regular file is its end (here, where fstat said it was)
    if size > limit:
        return _too_large(st, size, limit)
    return Content(b"".join(chunks), st)


def _too_large(st: os.stat_result, size: int, limit: int) -> Content:
    """``reason``: the size in words (a file that grew while read: more than the limit)."""
    said = f"{size:,} bytes" if size == st.st_size else f"more than {limit:,} bytes"
    return Content(stat=st, refusal=Refusal.TOO_LARGE, reason=said)


def reason_of(error: OSError) -> str:
    """Why a file or folder could not be opened, in words."""
    if isinstance(error, FileNotFoundError):
        return "broken symbolic link or missing file"
    if isinstance(error, NotADirectoryError):
        return "a part of the path is not a folder"
    if error.errno == errno.ELOOP:
        return "symbolic link loop"
    return error.strerror or type(error).__name__
