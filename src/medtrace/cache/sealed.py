"""Cache files that only this medtrace, for this user, in this folder, could have written.

A sealed file is ``MAGIC``, an HMAC-SHA256 tag and a body. The tag is computed with the user's key
(:mod:`medtrace.cache.key`, kept outside the project) over the magic, a context and the body. The
context is not stored: it names the medtrace version, the cache format, the cache's namespace and
salt and the real path of its folder, so a file from another version, another namespace or
another project, a file damaged by a single bit, truncated or extended, and a file written by
anyone without the key (one committed to a repository, say) all fail the same check and are
ignored. The tag is checked before a single byte of the body is decoded, and the body is decoded
by :mod:`medtrace.cache.codec`, which only reads data.

The cache folder (``.medtrace/cache``) and its parent are opened without following symbolic
links, and every file in them is read and written relative to the opened folder: a symbolic link
(committed, or made later) never makes medtrace read or write anywhere else. A folder that is a
link, or a ``.medtrace/.gitignore`` that is not a regular file, disables the cache: medtrace then
runs without one. Files are written atomically (a temporary file renamed into place, named and
swept like every other medtrace temporary file, so a killed run leaves no litter); they are not
flushed to disk first, since a file cut short by a crash fails its tag and is rebuilt.
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import os
import stat
from collections.abc import Iterable, Iterator
from pathlib import Path

import medtrace
from medtrace.cache.key import user_key
from medtrace.fsutil import lock_temporary, sweep_temporaries, temporary_name

__all__ = ["FORMAT", "MAX_BYTES", "read_sealed", "write_sealed"]

#: The layout of sealed files and of what the caches keep in them; bump to drop every cache.
FORMAT = 2
MAGIC = b"MTCACHE\x02"
#: A cache file larger than this is not read.
MAX_BYTES = 2 << 30
_TAG = 32
_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
_NONBLOCK = getattr(os, "O_NONBLOCK", 0)
_DIR = os.O_RDONLY | getattr(os, "O_DIRECTORY", 0) | _NOFOLLOW
#: Caches are used only where files can be opened relative to a folder without following links
#: (not on Windows, say): elsewhere medtrace runs without cache.
SUPPORTED = bool(_NOFOLLOW) and {os.open, os.mkdir, os.stat, os.rename} <= os.supports_dir_fd
_GITIGNORE = "# medtrace's cache: safe to delete\n*\n"


def _mac(key: bytes, context: str) -> hmac.HMAC:
    mac = hmac.new(key, MAGIC, hashlib.sha256)
    mac.update(f"{medtrace.__version__}\0{FORMAT}\0{context}\0".encode())
    return mac


def _context(folder: Path, name: str, salt: str) -> str:
    return f"{os.path.realpath(folder)}\0{name}\0{salt}"


# @implements SRS-91, SRS-101, SRS-103
def read_sealed(folder: Path, name: str, salt: str) -> memoryview | None:
    """The body of ``folder/name`` if its tag is right, else ``None`` (missing, foreign, damaged).

    The body is a view into the file's bytes: a cache of 100,000 files is tens of megabytes, not
    copied again."""
    key = user_key() if SUPPORTED else None
    if key is None:
        return None
    with _opened(folder, create=False) as fd:
        if fd is None:
            return None
        data = _read(fd, name)
    if data is None or len(data) < len(MAGIC) + _TAG or not data.startswith(MAGIC):
        return None
    start = len(MAGIC) + _TAG
    tag, body = data[len(MAGIC) : start], memoryview(data)[start:]
    mac = _mac(key, _context(folder, name, salt))
    mac.update(body)
    return body if hmac.compare_digest(tag, mac.digest()) else None


# @implements SRS-101, SRS-103
def write_sealed(folder: Path, name: str, salt: str, body: bytes | Iterable[bytes]) -> bool:
    """Seal and write ``body`` (bytes, or its parts in order) atomically; ``False`` if it cannot
    be (the run is only slower). Parts are written as they come, never joined in memory."""
    key = user_key() if SUPPORTED else None
    if key is None:
        return False
    with _opened(folder, create=True) as fd:
        if fd is None:
            return False
        sweep_temporaries(folder, dir_fd=fd)  # what a killed run was writing
        mac = _mac(key, _context(folder, name, salt))
        return _write(fd, name, mac, [body] if isinstance(body, bytes) else body)


def _read(fd: int, name: str) -> bytes | None:
    try:
        file = os.open(name, os.O_RDONLY | _NOFOLLOW | _NONBLOCK, dir_fd=fd)
    except OSError:
        return None
    try:
        st = os.fstat(file)
        if not stat.S_ISREG(st.st_mode) or st.st_size > MAX_BYTES:
            return None
        with os.fdopen(os.dup(file), "rb") as fh:
            return fh.read()
    except OSError:
        return None
    finally:
        os.close(file)


def _write(fd: int, name: str, mac: hmac.HMAC, parts: Iterable[bytes]) -> bool:
    """Write the parts after room for the tag, then the tag, to a temporary file renamed into
    place."""
    tmp = temporary_name(name)
    done = False
    try:
        file = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | _NOFOLLOW, 0o600, dir_fd=fd)
        lock_temporary(file)
        with os.fdopen(file, "wb") as fh:
            fh.write(MAGIC + bytes(_TAG))
            for part in parts:
                mac.update(part)
                fh.write(part)
            fh.seek(len(MAGIC))
            fh.write(mac.digest())
        os.replace(tmp, name, src_dir_fd=fd, dst_dir_fd=fd)
        done = True
    except OSError:
        return False
    finally:
        if not done:  # whatever stopped the writing, no temporary file is left
            with contextlib.suppress(OSError):
                os.unlink(tmp, dir_fd=fd)
    return True


@contextlib.contextmanager
def _opened(folder: Path, *, create: bool) -> Iterator[int | None]:
    """A descriptor of ``folder`` opened without following links in it or its parent."""
    fds: list[int] = []
    try:
        yield _open_chain(folder, create, fds)
    finally:
        for fd in fds:
            os.close(fd)


# @implements SRS-103
def _open_chain(folder: Path, create: bool, fds: list[int]) -> int | None:
    folder = folder.absolute()  # not resolved: a link in the chain is refused below
    parent, top = folder.parent, folder.parent.parent
    try:
        fds.append(os.open(top, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0)))
        for part in (parent.name, folder.name):
            fd = _subfolder(fds[-1], part, create)
            if fd is None:
                return None
            fds.append(fd)
            if part == ".medtrace" and not _gitignore(fd, create):
                return None
    except OSError:
        return None
    return fds[-1]


def _subfolder(fd: int, name: str, create: bool) -> int | None:
    try:
        return os.open(name, _DIR, dir_fd=fd)
    except FileNotFoundError:
        if not create:
            return None
    os.mkdir(name, 0o777, dir_fd=fd)  # a link made meanwhile: the open below refuses it
    return os.open(name, _DIR, dir_fd=fd)


def _gitignore(fd: int, create: bool) -> bool:
    """Keep medtrace's folder out of git; ``False`` if its ``.gitignore`` is not a plain file."""
    try:
        st = os.stat(".gitignore", dir_fd=fd, follow_symlinks=False)
    except FileNotFoundError:
        if create:
            _create_gitignore(fd)
        return True
    return stat.S_ISREG(st.st_mode)


def _create_gitignore(fd: int) -> None:
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | _NOFOLLOW
    try:
        file = os.open(".gitignore", flags, 0o644, dir_fd=fd)
    except OSError:  # made meanwhile, or a read-only folder: the cache still works
        return
    with os.fdopen(file, "w", encoding="utf-8") as fh:
        fh.write(_GITIGNORE)
