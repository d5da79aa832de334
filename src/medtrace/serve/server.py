"""The resident server of one project: ``medtrace serve``.

A check of a large project spends most of its time finding out that almost nothing changed:
listing and ``stat``-ing every file, decoding the caches, making the items again. The server
keeps all that in memory between commands and learns what changed from the kernel (inotify):

- it holds the folder listings (:mod:`medtrace.fs.watch`) and the per-file caches with the
  objects made from them (:mod:`medtrace.cache.resident`);
- when files change, it reads them at once (:func:`medtrace.pipeline.prepare`), before anyone
  asks;
- each command runs in a child process forked from the server (:func:`_run`), with the
  client's arguments, folder, environment and standard streams: the ordinary command-line code,
  on memory that is already current. Nothing the child does changes the server's memory.

What the child sees is what a command started at the same moment would see: every memory is
proved current (stat identity, content digest, inotify with its overflow) or not used.
"""

from __future__ import annotations

import atexit
import contextlib
import errno
import fcntl
import gc
import os
import select
import signal
import socket
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, TextIO, cast

from medtrace.errors import UsageError
from medtrace.serve.protocol import (
    SOCKET_NAME,
    ProtocolError,
    Request,
    code_identity,
    receive_request,
    send_frame,
    socket_address,
)
from medtrace.serve.trim import release_free_memory

if TYPE_CHECKING:
    from medtrace.fs.watch import Listings
    from medtrace.pipeline import CheckResult

__all__ = ["Server", "running", "serve", "stop"]

#: After a change, wait this long for the rest of it (an editor's save, a checkout) before
#: reading the files again.
SETTLE_S = 0.05
#: After this long with neither a change nor a command, the server collects its garbage.
QUIET_S = 20.0
#: A child that outlives its client by this long after SIGTERM is killed.
GRACE_S = 2.0
_LOCK = "serve.lock"


# @implements SRS-306, SRS-309
@dataclass
class Server:
    """The server of the project whose configuration is ``config_file``."""

    config_file: Path
    idle_s: float
    log: TextIO
    prepare: Callable[[Path], None]
    #: Check the project as soon as files change (see :meth:`_check_ahead`).
    ahead: bool = True
    folder: Path = field(init=False)
    code: str = field(init=False, default="")
    _dir_fd: int = field(init=False, default=-1)
    #: Descriptors of the server (socket, lock, signal pipe) that its children close.
    _private: list[int] = field(init=False, default_factory=list)
    #: Whether garbage may have been left since the last collection (see :meth:`_collect`).
    _litter: bool = field(init=False, default=False)
    #: The child checking the project ahead of any request (0: none), and when it started.
    _ahead_pid: int = field(init=False, default=0)
    _ahead_since: float = field(init=False, default=0.0)
    #: A descriptor that becomes readable when the check ahead ends (-1: none).
    _ahead_fd: int = field(init=False, default=-1)

    def __post_init__(self) -> None:
        self.folder = self.config_file.parent / ".medtrace"

    def run(self) -> int:
        """Serve until idle for ``idle_s`` seconds, SIGTERM or SIGINT; the exit code."""
        from medtrace.cache import resident
        from medtrace.fs import watch

        self.code = code_identity()
        _warm_imports()
        with self._claimed() as listener:
            listings = watch.Listings()
            watch.install(listings)
            resident.enable()
            gc.disable()
            try:
                self._say(f"serving {self.config_file.parent} (pid {os.getpid()})")
                self._prepare(always=True)
                self._start_warm()
                self._say("ready")
                self._loop(listener, listings)
            finally:
                self._stop_ahead()
                watch.install(None)
                listings.close()
        return 0

    # -- the socket and the lock -------------------------------------------------------------

    @contextlib.contextmanager
    def _claimed(self) -> Iterator[socket.socket]:
        """The project's socket, bound and listening, while this process holds the lock (one
        server per project); removed at the end."""
        self.folder.mkdir(parents=True, exist_ok=True)
        self._dir_fd = os.open(self.folder, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)
        lock = os.open(_LOCK, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o600, dir_fd=self._dir_fd)
        try:
            _lock(lock, self.folder)
            self._private += [self._dir_fd, lock]
            os.ftruncate(lock, 0)
            os.write(lock, f"{os.getpid()}\n".encode())  # for --status and --stop
            with contextlib.suppress(FileNotFoundError):
                os.unlink(SOCKET_NAME, dir_fd=self._dir_fd)  # a stopped server's
            listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            listener.set_inheritable(False)
            old = os.umask(0o177)  # only this user may connect
            try:
                listener.bind(socket_address(self._dir_fd))
            finally:
                os.umask(old)
            listener.listen(16)
            self._private.append(listener.fileno())
            try:
                yield listener
            finally:
                listener.close()
                with contextlib.suppress(OSError):
                    os.unlink(SOCKET_NAME, dir_fd=self._dir_fd)
        finally:
            os.close(lock)
            os.close(self._dir_fd)

    # -- the loop ----------------------------------------------------------------------------

    def _loop(self, listener: socket.socket, listings: Listings) -> None:
        changes, clients = listings.fileno(), listener.fileno()
        idle_until = time.monotonic() + self.idle_s
        with _stopped_by_signals() as stop:
            self._private += [stop.wakeup, stop._write]
            while not stop:
                wait = idle_until - time.monotonic()
                if wait <= 0:
                    self._say("idle: stopping")
                    return
                quiet = min(wait, QUIET_S) if self._litter else wait
                waiting = [clients, changes, stop.wakeup, *self._ahead_fds()]
                try:
                    ready, _, _ = select.select(waiting, [], [], quiet)
                except InterruptedError:
                    continue
                self._reap()
                if not ready and self._litter and not self._ahead_pid:
                    self._collect()
                if changes in ready and clients not in ready:
                    time.sleep(SETTLE_S)  # the rest of a save or a checkout
                    if self._prepare() and not _asked(clients):
                        self._check_ahead()  # (a command already waiting checks for itself)
                if clients in ready:
                    self._accept(listener)
                    idle_until = time.monotonic() + self.idle_s

    def _prepare(self, *, always: bool = False) -> bool:
        """Read what changed, through the memos (unchanged files cost nothing); whether
        anything did (or might have: the first time, or without notifications)."""
        from medtrace.fs import watch

        listings = watch.installed()
        changed = listings.settle() if listings is not None else True
        if not (changed or always):
            return False
        self._stop_ahead()  # it reads what is no longer there
        try:
            self.prepare(self.config_file.parent)
        except Exception as exc:  # the child will say it, located, to the user
            self._say(f"reading the project: {type(exc).__name__}: {exc}")
        # What the server holds moves out of the collector's sight: a child's collections
        # would otherwise walk it, and touching each object's header copies its memory page.
        gc.freeze()
        release_free_memory()  # what the objects replaced left in the C heap (serve/trim.py)
        self._litter = True
        return True

    def _start_warm(self) -> None:
        """Find the project's cached result now, so that the first command does not decode it;
        without one (the files changed since the last check), check the project ahead."""
        if self._cached() is None:
            self._check_ahead()

    # @implements SRS-310
    def _check_ahead(self) -> None:
        """Check the project now, in a child that only stores the result in the result cache:
        a check asked for afterwards finds it there, proved current by the digest of its
        inputs like any cached result, and only renders it."""
        if not self.ahead:
            return
        self._stop_ahead()
        sys.stdout.flush()
        sys.stderr.flush()
        pid = os.fork()
        if pid == 0:
            _ahead(self.config_file.parent, self._closing())
        self._ahead_pid, self._ahead_since = pid, time.monotonic()
        self._ahead_fd = os.pidfd_open(pid)

    def _ahead_fds(self) -> list[int]:
        return [self._ahead_fd] if self._ahead_fd >= 0 else []

    def _ahead_gone(self) -> None:
        self._ahead_pid = 0
        if self._ahead_fd >= 0:
            os.close(self._ahead_fd)
            self._ahead_fd = -1

    def _reap(self, block: bool = False) -> None:
        """Note the end of the check ahead (``block``: wait for it)."""
        if not self._ahead_pid:
            return
        done, status = os.waitpid(self._ahead_pid, 0 if block else os.WNOHANG)
        if done:
            took = time.monotonic() - self._ahead_since
            verdict = "checked ahead" if status == 0 else "the check ahead failed"
            self._say(f"{verdict} in {took:.2f} s")
            self._ahead_gone()
            if status == 0:
                self._cached()  # found now, while nothing is asked: the next request has it
                release_free_memory()  # (the result it replaced)

    def _join_ahead(self) -> None:
        """Wait for the check ahead: the request then finds its result."""
        self._reap(block=True)

    def _stop_ahead(self) -> None:
        """End the check ahead (its result would be of files that changed since; its writes
        are atomic, so ending it anywhere leaves no half-written cache)."""
        if self._ahead_pid:
            _kill_group(self._ahead_pid, signal.SIGKILL)
            os.waitpid(self._ahead_pid, 0)
            self._ahead_gone()

    def _collect(self) -> None:
        """Collect what earlier reads left, when nothing happens (the collector is off in the
        server: a collection while a command waits would cost it seconds)."""
        gc.unfreeze()
        gc.collect()
        gc.freeze()
        release_free_memory()
        self._litter = False

    def _accept(self, listener: socket.socket) -> None:
        try:
            conn, _ = listener.accept()
        except OSError:
            return
        with conn:
            conn.set_inheritable(False)
            try:
                self._serve(conn)
            except (ProtocolError, OSError) as exc:
                self._say(f"a request failed: {exc}")

    def _serve(self, conn: socket.socket) -> None:
        refused = _stranger(conn)
        request, streams = receive_request(conn)
        try:
            refused = refused or self._refusal(request)
            if refused:
                self._say(f"refused: {refused}")
                send_frame(conn, {"refused": refused})
                return
            started = time.monotonic()
            code, peak = self._run_answered(conn, request, streams)
            took = time.monotonic() - started
            self._say(
                f"{' '.join(request.argv)}: exit {code} in {took:.2f} s, peak {peak >> 10} MB"
            )
            send_frame(conn, {"exit": code})
        finally:
            for fd in streams:
                os.close(fd)

    # @implements SRS-312
    def _run_answered(
        self, conn: socket.socket, request: Request, streams: list[int]
    ) -> tuple[int, int]:
        """Run the request in a child; on unchanged files (once any check ahead is done), with
        the project's cached result found here first: the child would find it again by
        reading every input's record, copying each memory page it reads."""
        from medtrace import pipeline

        answer = None
        if not self._prepare():  # else the request's own check is the fresh one
            self._join_ahead()
            answer = self._cached()
        pipeline.preset(answer)
        try:
            return _run(conn, request, streams, self._closing())
        finally:
            pipeline.preset(None)

    def _cached(self) -> CheckResult | None:
        from medtrace.pipeline import cached_result

        try:
            return cached_result(self.config_file.parent)
        except Exception as exc:  # the child will find out again, and say it
            self._say(f"finding the cached result: {type(exc).__name__}: {exc}")
            return None

    # @implements SRS-308
    def _refusal(self, request: Request) -> str:
        if request.code != self.code:
            return "the server runs another medtrace (an upgrade or an edit); restart it"
        return ""

    def _closing(self) -> list[int]:
        """Descriptors of the server a child must not keep."""
        return list(self._private)

    def _say(self, line: str) -> None:
        with contextlib.suppress(OSError, ValueError):
            self.log.write(f"medtrace serve: {line}\n")
            self.log.flush()


def _warm_imports() -> None:
    """Import what a check imports, once: a child would import it again for every command."""
    import medtrace.cli.check
    import medtrace.render.diagnostics  # noqa: F401


def _asked(clients: int) -> bool:
    """Whether a command is already waiting on the socket."""
    return bool(select.select([clients], [], [], 0)[0])


def _lock(fd: int, folder: Path) -> None:
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError as exc:
        if exc.errno not in (errno.EAGAIN, errno.EACCES):
            raise
        raise UsageError(
            f"a server already runs for this project ({folder / _LOCK} is locked); "
            "stop it first (medtrace serve --stop)"
        ) from None


def _stranger(conn: socket.socket) -> str:
    """Why the peer may not use this server: another user (the socket's mode keeps them out;
    this is the second lock)."""
    creds = conn.getsockopt(socket.SOL_SOCKET, socket.SO_PEERCRED, 12)
    uid = int.from_bytes(creds[4:8], sys.byteorder)
    return "" if uid == os.getuid() else f"user {uid} is not the server's user"


class _Stop:
    """Whether SIGTERM, SIGINT or SIGHUP came, and a descriptor that becomes readable when one
    does (so that a ``select`` waiting for clients wakes up)."""

    def __init__(self) -> None:
        self.signals: list[int] = []
        self.wakeup, self._write = os.pipe2(os.O_NONBLOCK | os.O_CLOEXEC)

    def __bool__(self) -> bool:
        return bool(self.signals)

    def close(self) -> None:
        os.close(self.wakeup)
        os.close(self._write)


@contextlib.contextmanager
def _stopped_by_signals() -> Iterator[_Stop]:
    """A :class:`_Stop` that the signals set; the handlers are restored after."""
    stop = _Stop()
    previous = {}
    for sig in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
        previous[sig] = signal.signal(sig, lambda number, _frame: stop.signals.append(number))
    old_fd = signal.set_wakeup_fd(stop._write)
    try:
        yield stop
    finally:
        signal.set_wakeup_fd(old_fd)
        for sig, handler in previous.items():
            signal.signal(sig, handler)
        stop.close()


# -- one command, in a child ---------------------------------------------------------------


# @implements SRS-307
def _run(
    conn: socket.socket, request: Request, streams: list[int], closing: list[int]
) -> tuple[int, int]:
    """Run the request in a child process; its exit code and peak memory. A client that
    hangs up (Ctrl-C) ends the child and everything it started."""
    sys.stdout.flush()
    sys.stderr.flush()
    pid = os.fork()
    if pid == 0:
        _child(request, streams, [conn.fileno(), *closing])
    return _wait(pid, conn)


def _wait(pid: int, conn: socket.socket) -> tuple[int, int]:
    """The child's exit code and peak resident memory (KiB; 0 when it had to be ended)."""
    pidfd = os.pidfd_open(pid)
    try:
        while True:
            ready, _, _ = select.select([pidfd, conn.fileno()], [], [])
            if pidfd in ready or _hung_up(conn):
                break
    finally:
        os.close(pidfd)
    if pidfd in ready:
        _, status, usage = os.wait4(pid, 0)
        peak = usage.ru_maxrss
    else:
        status, peak = _ended(pid), 0
    code = os.waitstatus_to_exitcode(status) if os.WIFEXITED(status) else 128 + _signal(status)
    return code, peak


def _hung_up(conn: socket.socket) -> bool:
    try:
        return conn.recv(1, socket.MSG_PEEK | socket.MSG_DONTWAIT) == b""
    except BlockingIOError:
        return False
    except OSError:
        return True


def _signal(status: int) -> int:
    return os.WTERMSIG(status) if os.WIFSIGNALED(status) else 1


def _ended(pid: int) -> int:
    """SIGTERM to the child's process group, SIGKILL after a grace period; its wait status."""
    _kill_group(pid, signal.SIGTERM)
    deadline = time.monotonic() + GRACE_S
    while time.monotonic() < deadline:
        done, status = os.waitpid(pid, os.WNOHANG)
        if done:
            return status
        time.sleep(0.02)
    _kill_group(pid, signal.SIGKILL)
    return os.waitpid(pid, 0)[1]


def _kill_group(pid: int, sig: int) -> None:
    """``sig`` to a child's process group, and to the child itself: one just forked may not
    have made its group yet (:func:`_detach`)."""
    for kill in (os.killpg, os.kill):
        with contextlib.suppress(ProcessLookupError):
            kill(pid, sig)


def _child(request: Request, streams: list[int], closing: list[int]) -> None:
    """The forked child: become the client's command, run it, leave. Never returns."""
    code = 2
    try:
        _detach(closing)
        _become(request, streams)
        gc.enable()  # as in any command (the server's own objects are frozen)
        from medtrace.cli import _flushed, main
        from medtrace.gcpause import exit_soon

        exit_soon()
        code = _flushed(main(request.argv))
        atexit._run_exitfuncs()
    except BaseException as exc:  # nothing may return into the server's loop
        with contextlib.suppress(Exception):
            os.write(2, f"medtrace: error: the server could not run the command: {exc}\n".encode())
    finally:
        os._exit(code)


def _ahead(root: Path, closing: list[int]) -> None:
    """The forked child that checks the project ahead of any request. Never returns."""
    code = 1
    try:
        _detach(closing)
        null = os.open(os.devnull, os.O_RDWR)
        for target in range(3):
            os.dup2(null, target)
        gc.enable()
        from medtrace.pipeline import check

        _render_kept(check(root))
        code = 0
    except BaseException:  # nobody to tell: the request checks again
        pass
    finally:
        os._exit(code)


def _render_kept(result: CheckResult) -> None:
    """Render again, for the new result, each report a check kept (its format and options):
    the check asked for next then only reads it back."""
    from medtrace.cli.check import report, summary_of
    from medtrace.render.reports import kept_reports

    for fmt, strict in kept_reports(result.config.cache_dir):
        report(fmt, result, summary_of(result, strict), use_cache=True)


def _detach(closing: list[int]) -> None:
    """A forked child's first steps: its own process group (ended whole), default signals,
    none of the server's exit handlers or descriptors."""
    os.setpgid(0, 0)
    signal.set_wakeup_fd(-1)
    for sig in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
        signal.signal(sig, signal.SIG_DFL)
    atexit._clear()
    for fd in closing:
        with contextlib.suppress(OSError):
            os.close(fd)


def _become(request: Request, streams: list[int]) -> None:
    """Take the client's standard streams, folder, environment and file-creation mask."""
    for target, fd in enumerate(streams):
        os.dup2(fd, target)
        os.close(fd)
    os.chdir(request.cwd)
    os.environ.clear()
    os.environ.update(request.env)
    os.umask(request.umask)
    sys.stdin = _stream(0, "r", request.encoding)
    sys.stdout = _stream(1, "w", request.encoding)
    sys.stderr = _stream(2, "w", request.encoding, errors="backslashreplace")


def _stream(fd: int, mode: str, encoding: str, errors: str = "strict") -> TextIO:
    buffering = 1 if os.isatty(fd) else -1  # line by line on a terminal, as Python does
    stream = open(  # the child's standard stream, for its whole life  # noqa: SIM115
        fd, mode, buffering, encoding=encoding, errors=errors, closefd=False
    )
    return cast(TextIO, stream)


def serve(start: Path, idle_s: float, log: TextIO, *, ahead: bool = True) -> int:
    """Serve the project at or above ``start`` until idle for ``idle_s`` seconds or stopped;
    with ``ahead``, check it as soon as files change."""
    from medtrace.config import find_config
    from medtrace.pipeline import prepare

    return Server(find_config(start), idle_s, log, prepare, ahead).run()


def running(start: Path) -> int | None:
    """The process ID of the server of the project at or above ``start``, or ``None``."""
    from medtrace.config import find_config

    folder = find_config(start).parent / ".medtrace"
    try:
        fd = os.open(folder / _LOCK, os.O_RDONLY | os.O_CLOEXEC | os.O_NOFOLLOW)
    except OSError:
        return None
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
        except OSError:
            text = os.read(fd, 32).decode("ascii", "replace").strip()
            return int(text) if text.isdigit() else -1
        fcntl.flock(fd, fcntl.LOCK_UN)
        return None  # nobody holds it: no server
    finally:
        os.close(fd)


def stop(start: Path, wait_s: float = 10.0) -> int | None:
    """Stop the project's server (SIGTERM) and wait for it to go; its process ID, or ``None``
    when none ran."""
    pid = running(start)
    if pid is None or pid <= 0:
        return pid
    with contextlib.suppress(ProcessLookupError):
        os.kill(pid, signal.SIGTERM)
    deadline = time.monotonic() + wait_s
    while running(start) is not None:
        if time.monotonic() > deadline:
            raise UsageError(f"the server (pid {pid}) did not stop within {wait_s:.0f} s")
        time.sleep(0.05)
    return pid
