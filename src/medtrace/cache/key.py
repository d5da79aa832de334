"""The per-user secret that authenticates medtrace's caches, kept outside every project.

The key is 32 random bytes in ``$XDG_CACHE_HOME/medtrace/key`` (``~/.cache/medtrace/key`` when
``XDG_CACHE_HOME`` is unset or not absolute), created on first use with mode 0600 in a folder of
mode 0700, atomically: written to a temporary file, then hard-linked into place, so two processes
starting at once agree on one key. A key file that is not a regular file of this user, readable by
nobody else, of the right size, is not used; without a key, medtrace runs without cache.
"""

from __future__ import annotations

import contextlib
import os
import stat
from pathlib import Path

from medtrace.fsutil import sweep_temporaries, temporary_name

__all__ = ["KEY_BYTES", "key_path", "user_key"]

KEY_BYTES = 32
_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
_loaded: dict[str, bytes | None] = {}


def key_path() -> Path | None:
    """Where this user's key lives, or ``None`` when there is no home to keep it in."""
    base = os.environ.get("XDG_CACHE_HOME", "")
    if not Path(base).is_absolute():
        try:
            base = str(Path.home() / ".cache")
        except RuntimeError:  # no home directory
            return None
    return Path(base, "medtrace", "key")


# @implements SRS-102
def user_key() -> bytes | None:
    """This user's cache key, created if needed; ``None`` if it cannot be had."""
    path = key_path()
    if path is None:
        return None
    name = str(path)
    if name not in _loaded:
        _loaded[name] = _read(path) or _create(path)
    return _loaded[name]


def _read(path: Path) -> bytes | None:
    try:
        fd = os.open(path, os.O_RDONLY | _NOFOLLOW | getattr(os, "O_NONBLOCK", 0))
    except OSError:
        return None
    try:
        st = os.fstat(fd)
        if not _private(st):
            return None
        data = os.read(fd, KEY_BYTES + 1)
    except OSError:
        return None
    finally:
        os.close(fd)
    return data if len(data) == KEY_BYTES else None


def _private(st: os.stat_result) -> bool:
    owner = not hasattr(os, "geteuid") or st.st_uid == os.geteuid()
    return stat.S_ISREG(st.st_mode) and owner and not st.st_mode & 0o077


def _create(path: Path) -> bytes | None:
    try:
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    except OSError:
        return None
    key = os.urandom(KEY_BYTES)
    sweep_temporaries(path.parent)  # what a run killed while making a key left
    tmp = path.with_name(temporary_name(path.name))
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | _NOFOLLOW, 0o600)
        try:
            os.write(fd, key)
            os.fsync(fd)
        finally:
            os.close(fd)
        os.link(tmp, path)  # never replaces a key another process made meanwhile
    except FileExistsError:
        return _read(path)
    except OSError:
        return None
    finally:
        with contextlib.suppress(OSError):
            tmp.unlink()
    return key
