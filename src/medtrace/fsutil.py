"""Writing files safely: atomically, with normal permissions, and never over a user's file.

Every file medtrace writes goes through here, and every ``-o PATH`` (``check``, ``matrix``,
``init``) through one rule, :func:`plan_output`:

- ``-``, ``/dev/stdout`` and ``/dev/stderr`` (and ``/dev/fd/1``, ``/dev/fd/2``) are the
  process's own streams: written to, whatever they are connected to.
- A character device (``/dev/null``, a terminal) or a FIFO, named directly or through symbolic
  links, is written *through*: opened and written, never created, truncated, renamed over or
  removed. A block device or a socket is refused.
- A symbolic link to a regular file (or to nothing) is refused: replacing the link would lose
  it, writing through it would write where the link points, somewhere the user may not expect.
  With ``--force`` the file it points to is written (the link is kept).
- A missing file is created (missing parent folders too); a folder is refused.
- An existing regular file is replaced only if medtrace wrote it (the caller tells: a marker in
  the file, or the :class:`OutputLog` of what medtrace wrote with each file's SHA-256), or with
  ``--force``. ``init`` replaces nothing.

A file is written to a temporary file in the same folder, named ``.NAME.medtrace-PID-XXXXXXXX.tmp``
and locked while it is written, then renamed over the target: the target is the old file or the
new one, never a part. Temporary files left by a killed run (its process gone, its lock
released) are removed by the next write to that folder. A new file gets the permissions the
umask gives (``0644`` under umask ``022``); a replaced file keeps its mode.
"""

from __future__ import annotations

import enum
import hashlib
import json
import os
import re
import secrets
import stat
import sys
import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from medtrace.errors import OutputError

__all__ = [
    "STREAMS",
    "Action",
    "OutputLog",
    "Plan",
    "lock_temporary",
    "plan_output",
    "sweep_temporaries",
    "temporary_name",
    "write_atomic",
    "write_outputs",
]

#: Names that mean one of the process's own streams, and which (1: stdout, 2: stderr).
STREAMS = {
    "-": 1,
    "/dev/stdout": 1,
    "/dev/fd/1": 1,
    "/proc/self/fd/1": 1,
    "/dev/stderr": 2,
    "/dev/fd/2": 2,
    "/proc/self/fd/2": 2,
}

_TEMP = re.compile(r"^\..*\.medtrace-(\d+)-[0-9a-f]{8}\.tmp$", re.DOTALL)
#: A temporary file whose process still runs is another run's work in progress, unless it is
#: unlocked and older than this (the process number was reused).
_STALE_AFTER_S = 600.0
_swept: set[str] = set()


class Action(enum.Enum):
    """How an output is written."""

    STREAM = "stream"  # to standard output or standard error
    THROUGH = "through"  # opened and written in place: a character device or a FIFO
    CREATE = "create"  # a new file, atomically
    REPLACE = "replace"  # an existing regular file, atomically, keeping its mode


@dataclass(frozen=True)
class Plan:
    """Where and how one output goes: decided before anything is written."""

    path: Path
    action: Action
    fd: int = 0  # the stream, for STREAM


Ours = Callable[[Path], bool]


def _never(path: Path) -> bool:
    return False


# @implements SRS-70
def plan_output(
    target: str | Path, *, force: bool = False, ours: Ours = _never, replace: bool = True
) -> Plan:
    """The one rule for every output: how ``target`` is written, or :class:`OutputError`.

    ``ours`` tells whether an existing regular file is an earlier medtrace output (which is then
    replaced); ``force`` replaces any regular file (and follows a symbolic link to one);
    ``replace=False`` (``init``) replaces nothing at all.
    """
    name = os.fspath(target)
    if name in STREAMS:
        return Plan(Path(name), Action.STREAM, STREAMS[name])
    path = Path(name)
    try:
        own = path.lstat()
    except FileNotFoundError:
        return Plan(path, Action.CREATE)
    except OSError as exc:
        raise _cannot(path, exc) from None
    if stat.S_ISLNK(own.st_mode):
        return _plan_link(path, force=force, ours=ours, replace=replace)
    return _plan_existing(path, own, force=force, ours=ours, replace=replace)


def _plan_link(path: Path, *, force: bool, ours: Ours, replace: bool) -> Plan:
    try:
        pointed = path.stat()
    except OSError:
        pointed = None
    if pointed is not None and _special(pointed.st_mode):
        return _plan_existing(path, pointed, force=force, ours=ours, replace=replace)
    if not replace or not force:
        raise OutputError(
            f"{path}: is a symbolic link; medtrace does not replace it or write where it points"
            + ("" if not replace else " (give the real path, or use --force to write there)")
        )
    try:
        real = path.resolve()
    except (OSError, RuntimeError):  # a loop of links
        raise OutputError(f"{path}: is a symbolic link that leads nowhere (a loop)") from None
    if pointed is None:
        return Plan(real, Action.CREATE)
    return _plan_existing(real, pointed, force=force, ours=ours, replace=replace)


def _special(mode: int) -> bool:
    return stat.S_ISCHR(mode) or stat.S_ISFIFO(mode)


def _plan_existing(
    path: Path, st: os.stat_result, *, force: bool, ours: Ours, replace: bool
) -> Plan:
    mode = st.st_mode
    if _special(mode):
        return Plan(path, Action.THROUGH)
    if stat.S_ISDIR(mode):
        raise OutputError(f"{path}: is a directory")
    if not stat.S_ISREG(mode):
        raise OutputError(f"{path}: is a block device or a socket; medtrace writes no output there")
    if not replace:
        raise OutputError(f"{path}: exists; medtrace never overwrites it")
    if force or ours(path):
        return Plan(path, Action.REPLACE)
    raise OutputError(
        f"not overwriting {path}: not written by medtrace (use --force to replace it)"
    )


def _cannot(path: Path, exc: OSError) -> OutputError:
    return OutputError(f"cannot write {path}: {exc.strerror or exc}")


# --- writing -----------------------------------------------------------------------------------


# @implements SRS-70, SRS-71
def write_outputs(
    targets: Mapping[Path, str | bytes],
    *,
    force: bool = False,
    ours: Ours = _never,
    log: OutputLog | None = None,
    replace: bool = True,
    keep: bool = True,
    durable: bool = True,
) -> list[Plan]:
    """Write every output, or none: each target is planned (:func:`plan_output`) and encoded
    before the first is written. Files are recorded in ``log`` (when given) before they are
    renamed into place, so that a run killed half way leaves only files a later run still
    recognises; with ``keep=False`` they are forgotten once all are written (``init``: its
    files become the user's)."""
    plans = [(plan_output(t, force=force, ours=ours, replace=replace), t) for t in targets]
    data = {p: _bytes(targets[t]) for p, t in plans}
    files = {p.path: d for p, d in data.items() if p.action in (Action.CREATE, Action.REPLACE)}
    if log is not None and files:
        log.expect(files)
    for plan, content in data.items():
        _write_planned(plan, content, durable)
    if log is not None and files:
        log.settle(files, keep=keep)
    return list(data)


def _bytes(content: str | bytes) -> bytes:
    return _encode(content)


def _write_planned(plan: Plan, data: bytes, durable: bool = True) -> None:
    if plan.action is Action.STREAM:
        _write_stream(plan.fd, data)
    elif plan.action is Action.THROUGH:
        _write_through(plan.path, data)
    else:
        _make_folder(plan.path)
        try:
            write_atomic(plan.path, data, overwrite=plan.action is Action.REPLACE, durable=durable)
        except FileExistsError:
            raise OutputError(f"{plan.path}: appeared while writing; not overwritten") from None
        except OSError as exc:
            raise _cannot(plan.path, exc) from None


def _make_folder(path: Path) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except (FileExistsError, NotADirectoryError):
        raise OutputError(f"cannot write {path}: a part of its folder is a file") from None
    except OSError as exc:
        raise _cannot(path, exc) from None


def _write_stream(fd: int, data: bytes) -> None:
    stream = sys.stdout if fd == 1 else sys.stderr
    stream.flush()
    buffer: BinaryIO | None = getattr(stream, "buffer", None)
    if buffer is None:
        stream.write(data.decode("utf-8", "replace"))
    else:
        buffer.write(data)
    stream.flush()


def _write_through(path: Path, data: bytes) -> None:
    """Write into a device or FIFO in place: no create, no truncate, no rename."""
    try:
        fd = os.open(path, os.O_WRONLY | getattr(os, "O_NOCTTY", 0))
        try:
            view = memoryview(data)
            while view:
                view = view[os.write(fd, view) :]
        finally:
            os.close(fd)
    except OSError as exc:
        raise _cannot(path, exc) from None


# @implements SRS-71, SRS-72
def write_atomic(
    path: Path,
    content: str | bytes,
    *,
    overwrite: bool = True,
    mode: int | None = None,
    durable: bool = True,
) -> None:
    """Write ``content`` to ``path`` through a temporary file renamed into place.

    A new file gets the umask's permissions, a replaced one keeps its mode. With
    ``overwrite=False`` an existing file is left alone and ``FileExistsError`` raised; the
    check and the rename are one atomic step (a hard link), so a file created meanwhile is never
    replaced. Stale temporary files of killed runs in the folder are removed first. ``mode``
    (permission bits), when given, is set on the new file before it takes the path.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    sweep_temporaries(path.parent)
    data = _encode(content)
    with _temporary(path) as (fd, tmp):
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view) :]
        if durable:
            os.fsync(fd)
        if mode is not None:
            os.fchmod(fd, mode)
        if overwrite:
            tmp.replace(path)
        else:
            os.link(tmp, path)  # fails if path exists


@contextmanager
def _temporary(path: Path) -> Iterator[tuple[int, Path]]:
    """A new, locked temporary file beside ``path`` with the mode ``path`` should get; removed
    on the way out unless renamed."""
    fd, tmp = _create_temp(path)
    try:
        _keep_mode(fd, path)
        yield fd, tmp
    finally:
        os.close(fd)
        with suppress(FileNotFoundError):
            tmp.unlink()


def _create_temp(path: Path) -> tuple[int, Path]:
    base = path.name
    for _ in range(100):
        tmp = path.with_name(temporary_name(base))
        try:  # 0o666: the umask gives the usual permissions (mkstemp would give 0o600)
            fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | _CLOEXEC, 0o666)
        except FileExistsError:
            continue
        _lock(fd)
        return fd, tmp
    raise FileExistsError(f"no free temporary name beside {path}")


_CLOEXEC = getattr(os, "O_CLOEXEC", 0)
_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)


def _keep_mode(fd: int, path: Path) -> None:
    """Give the temporary file the mode (and, where allowed, the owner) of the file it replaces."""
    try:
        st = path.stat()
    except OSError:
        return
    if not stat.S_ISREG(st.st_mode) or not hasattr(os, "fchmod"):
        return
    os.fchmod(fd, stat.S_IMODE(st.st_mode))
    if hasattr(os, "fchown"):
        with suppress(OSError):
            os.fchown(fd, st.st_uid, st.st_gid)


def _lock(fd: int) -> None:
    try:
        import fcntl
    except ImportError:  # pragma: no cover (Windows: stale files are judged by age)
        return
    with suppress(OSError):
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)


# @implements SRS-72
def sweep_temporaries(folder: Path, *, dir_fd: int | None = None) -> list[Path]:
    """Remove the temporary files killed runs left in ``folder`` (once per folder and run).

    With ``dir_fd`` (``folder`` opened without following links, as the cache opens its own), the
    folder is listed and its files judged and removed through that descriptor."""
    key = os.fspath(folder.absolute())
    if key in _swept:
        return []
    _swept.add(key)
    removed = []
    try:
        entries = [e.name for e in os.scandir(folder if dir_fd is None else dir_fd)]
    except OSError:
        return []
    for name in entries:
        found = _TEMP.match(name)
        at = name if dir_fd is not None else os.path.join(folder, name)
        if found and _stale(at, int(found.group(1)), dir_fd):
            with suppress(OSError):
                os.unlink(at, dir_fd=dir_fd)
                removed.append(folder / name)
    return removed


def temporary_name(base: str) -> str:
    """The name of a temporary file written on the way to ``base``: one :func:`sweep_temporaries`
    recognises (and removes once the process that made it is gone)."""
    return f".{base[:100]}.medtrace-{os.getpid()}-{secrets.token_hex(4)}.tmp"


def lock_temporary(fd: int) -> None:
    """Mark a temporary file as being written (released when ``fd`` is closed)."""
    _lock(fd)


def _stale(tmp: str, pid: int, dir_fd: int | None) -> bool:
    """Whether a temporary file is litter: its process is gone, or it is unlocked and old."""
    if pid != os.getpid() and not _alive(pid):
        return True
    try:
        age = time.time() - os.stat(tmp, dir_fd=dir_fd, follow_symlinks=False).st_mtime
    except OSError:
        return False
    return age > _STALE_AFTER_S and _unlocked(tmp, dir_fd)


def _alive(pid: int) -> bool:
    if os.name != "posix":  # pragma: no cover (on Windows os.kill would end the process)
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OverflowError, ValueError):
        return True
    return True


def _unlocked(tmp: str, dir_fd: int | None) -> bool:
    try:
        import fcntl
    except ImportError:  # pragma: no cover
        return True
    try:
        fd = os.open(tmp, os.O_RDONLY | _CLOEXEC | _NOFOLLOW, dir_fd=dir_fd)
    except OSError:
        return False
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        return False
    finally:
        os.close(fd)
    return True


# --- what medtrace wrote -----------------------------------------------------------------------


class OutputLog:
    """The record of the files medtrace wrote, with the SHA-256 of their content, in a JSON file
    (``.medtrace/outputs.json``): a file counts as medtrace's while its content is one recorded.

    Before files are renamed into place their new digests are added beside the old ones
    (:meth:`expect`), and only then the old ones dropped (:meth:`settle`): a run killed in
    between leaves files that are each the old or the new one, both recognised. The record is
    a convenience: when it cannot be written the outputs still are.
    """

    def __init__(self, file: Path) -> None:
        self.file = file

    def owns(self, path: Path) -> bool:
        digests = self._read().get(_key(path))
        if not digests:
            return False
        try:
            return _digest(path.read_bytes()) in digests
        except OSError:
            return False

    def expect(self, files: Mapping[Path, bytes]) -> None:
        entries = self._read()
        for path, data in files.items():
            known = entries.get(_key(path), [])
            entries[_key(path)] = [*known[-1:], _digest(data)]
        self._write(entries)

    def settle(self, files: Mapping[Path, bytes], *, keep: bool = True) -> None:
        """Keep each file's one current digest, or with ``keep=False`` forget the files."""
        entries = {k: v for k, v in self._read().items() if Path(k).is_file()}
        for path, data in files.items():
            entries.pop(_key(path), None)
            if keep:
                entries[_key(path)] = [_digest(data)]
        self._write(entries)

    def _read(self) -> dict[str, list[str]]:
        try:
            data = json.loads(self.file.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}
        if not isinstance(data, dict):
            return {}
        return {
            str(k): [v] if isinstance(v, str) else [str(d) for d in v]
            for k, v in data.items()
            if isinstance(v, str | list)
        }

    def _write(self, entries: dict[str, list[str]]) -> None:
        try:
            if not entries:
                with suppress(FileNotFoundError):
                    self.file.unlink()
                return
            _ignored_folder(self.file.parent)
            text = json.dumps(entries, indent=2, sort_keys=True) + "\n"
            write_atomic(self.file, text)
        except OSError:
            return


def _ignored_folder(folder: Path) -> None:
    """Create medtrace's working folder with a ``.gitignore`` that ignores everything in it."""
    folder.mkdir(parents=True, exist_ok=True)
    marker = folder / ".gitignore"
    if folder.name == ".medtrace" and not marker.exists():
        marker.write_text("# medtrace's cache: safe to delete\n*\n", encoding="utf-8")


def _key(path: Path) -> str:
    return os.fspath(path.resolve())


def _digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _encode(content: str | bytes) -> bytes:
    """UTF-8; a lone surrogate (a file name that was not valid UTF-8) is written as its escape
    (``\\udce9``) rather than failing the whole output."""
    if isinstance(content, bytes):
        return content
    return content.encode("utf-8", "backslashreplace")
