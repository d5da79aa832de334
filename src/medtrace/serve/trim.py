"""Give the C allocator's free pages back to the system, after the server read the project.

The server keeps hundreds of megabytes of small objects; each read of the project (the first,
and every one after an edit) makes new objects and frees the ones they replace. Python's own
allocator returns an arena once it is empty, but blocks of more than 512 bytes (the cache
entries' packed values, lists of 100,000 items, dictionary tables) come from the C library's
``malloc``, which keeps freed memory in its heap for later use: that memory stays resident,
raises the peak of the next read, and a forked command counts the server's pages as its own.
glibc's ``malloc_trim(0)`` hands every free page of its heaps back (``madvise``), in a few
milliseconds; without glibc (musl, another system) nothing is done.
"""

from __future__ import annotations

import ctypes
from collections.abc import Callable

__all__ = ["release_free_memory"]

_trim: Callable[[int], int] | None = None
_looked_up = False


def _malloc_trim() -> Callable[[int], int] | None:
    """glibc's ``malloc_trim``, looked up once (``None`` without glibc)."""
    global _trim, _looked_up
    if not _looked_up:
        _looked_up = True
        try:  # the symbols the interpreter was linked with (the C library's among them)
            _trim = ctypes.CDLL(None).malloc_trim
        except (OSError, AttributeError):  # not glibc (or no dynamic linking)
            _trim = None
    return _trim


# @implements SRS-362
def release_free_memory() -> bool:
    """Give the free pages of the C allocator's heaps back to the system; whether it could
    (glibc present). Objects are neither moved nor freed: only memory nothing uses."""
    trim = _malloc_trim()
    if trim is None:
        return False
    trim(0)
    return True
