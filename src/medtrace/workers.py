"""Worker processes: the cold load and the cold scan in chunks, and work done beside the
caller (the rules that read only the model, while the caller traces): the one place medtrace
runs in parallel.

A batch of files that the per-file caches could not answer is cut in two: this process takes
``1 / jobs`` of it, and the rest goes in chunks to ``jobs - 1`` worker processes that share
nothing with the caller but what the chunk names (paths, stat results, settings made at start)
and return compact records (tuples of data), which the caller puts into its cache and turns
into objects, in the order of the files. The result is the one a single process gives: the
same functions read the same files; only where they run differs. The cold scan's files are
dealt instead (:func:`share_chunks`): each process, this one included, takes the next small
chunk when done with one, so that none waits for another at the end.

How many processes: ``limits.jobs`` (``check --jobs``), ``0`` meaning the cores this process may
run on (``os.sched_getaffinity``: ``taskset -c 0`` makes it one). One job, or a batch too small
to be worth starting processes for, runs in this process. If the processes cannot be started or
one dies, the batch runs in this process: slower, never a different result. Workers are
forked (they start with everything already imported), on Linux only; elsewhere, or while other
threads run, the batch runs in this process too.
"""

from __future__ import annotations

import contextlib
import ctypes
import mmap
import multiprocessing
import os
import pickle
import signal
import sys
import threading
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import Any, Generic, TypeVar

__all__ = ["MIN_BATCH", "Ahead", "Beside", "job_count", "run_chunks", "share_chunks"]

T = TypeVar("T")
R = TypeVar("R")

#: Files below which a batch runs in this process: starting a worker (fork, then sending the
#: records back) costs about as much as parsing a few hundred small files.
MIN_BATCH = 400
#: Chunks per worker: a few, so that a worker given slow files does not hold up the others
#: (this process takes its share, ``1 / jobs`` of the batch, in one piece).
CHUNKS_PER_JOB = 4


def job_count(requested: int = 0) -> int:
    """The number of processes to use: ``requested`` if positive, else the usable cores."""
    if requested > 0:
        return requested
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):  # not on Linux
        return max(1, os.cpu_count() or 1)


# @implements SRS-267
def run_chunks(
    work: Callable[[list[T]], list[R]],
    batch: Sequence[T],
    jobs: int,
    initializer: Callable[..., None] | None = None,
    initargs: tuple[Any, ...] = (),
    minimum: int | None = None,
) -> list[R]:
    """``work`` over ``batch`` in ``jobs`` processes (this one and ``jobs - 1`` workers) when
    the batch is large enough; results in the order of ``batch``. ``initializer(*initargs)``
    prepares each process, this one included."""
    smallest = MIN_BATCH if minimum is None else minimum
    context = _context()
    if jobs <= 1 or len(batch) < max(2, smallest) or context is None:
        return _here(work, batch, initializer, initargs)
    own = len(batch) // jobs  # this process's share: its records need no copying back
    rest = batch[own:]
    size = -(-len(rest) // ((jobs - 1) * CHUNKS_PER_JOB))
    chunks = [list(rest[i : i + size]) for i in range(0, len(rest), size)]
    try:
        with ProcessPoolExecutor(
            max_workers=min(jobs - 1, len(chunks)),
            mp_context=context,
            initializer=initializer,
            initargs=initargs,
        ) as pool:
            theirs = pool.map(work, chunks)  # submitted now; this process works meanwhile
            mine = _here(work, batch[:own], initializer, initargs)
            return mine + [record for part in theirs for record in part]
    except (BrokenProcessPool, OSError, RuntimeError):  # no processes here: do it in this one
        return _here(work, batch, initializer, initargs)


def _here(
    work: Callable[[list[T]], list[R]],
    batch: Sequence[T],
    initializer: Callable[..., None] | None,
    initargs: tuple[Any, ...],
) -> list[R]:
    if initializer is not None:
        initializer(*initargs)
    return work(list(batch))


# @implements SRS-331
def share_chunks(
    work: Callable[[list[T]], list[R]],
    batch: Sequence[T],
    jobs: int,
    initializer: Callable[..., None] | None = None,
    initargs: tuple[Any, ...] = (),
    minimum: int | None = None,
) -> list[R]:
    """:func:`run_chunks`, the chunks dealt as they are asked for: this process and ``jobs -
    1`` forked workers each take the next small chunk when done with one, so that all end
    together whatever each file costs and whatever else runs on the cores (a fixed share left
    one process idle while the other parsed its slower files). Each worker sends its records
    back once, pickled, at its end; the chunks of a worker that failed are done here."""
    smallest = MIN_BATCH if minimum is None else minimum
    context = _context()
    if jobs <= 1 or len(batch) < max(2, smallest) or context is None:
        return _here(work, batch, initializer, initargs)
    size = max(1, min(SHARED_CHUNK, len(batch) // (jobs * CHUNKS_PER_JOB)))
    chunks = [batch[i : i + size] for i in range(0, len(batch), size)]
    dealer = _Dealer(context, len(chunks))
    done: list[list[R] | None] = [None] * len(chunks)
    takers: list[tuple[int, int]] = []
    try:
        with contextlib.suppress(OSError):  # fewer processes: this one takes more chunks
            for _ in range(jobs - 1):
                takers.append(_fork_taker(work, chunks, dealer, initializer, initargs))
        if initializer is not None:
            initializer(*initargs)
        while (index := dealer.take()) is not None:
            done[index] = work(list(chunks[index]))
        while takers and not dealer.stuck:  # (stuck: the workers may never end: ended below)
            for index, records in _taken(*takers.pop()):
                done[index] = records
    finally:
        for pid, fd in takers:  # the workers left when this process failed or got stuck
            _end(pid, fd, kill=True)
    for index, part in enumerate(done):
        if part is None:  # taken by a worker that failed
            done[index] = work(list(chunks[index]))
    return [record for part in done if part is not None for record in part]


#: Files per chunk dealt by :func:`share_chunks` at most: small, so that the processes end
#: within a chunk of each other; taking one costs a lock and a few microseconds.
SHARED_CHUNK = 16


#: Seconds a process waits for the dealer's lock, held for microseconds, before it stops
#: taking chunks: a process killed while holding it would leave the others waiting forever.
DEALER_PATIENCE = 30.0


class _Dealer:
    """The number of the next chunk, in memory shared with the forked workers (an anonymous
    mapping: no file anywhere), under a lock; :attr:`stuck` once the lock could not be had in
    time (no chunk is taken after that)."""

    def __init__(self, context: Any, count: int) -> None:
        self._memory = mmap.mmap(-1, 8)  # kept: the counter below lives in it
        self._next = ctypes.c_int64.from_buffer(self._memory)
        self._lock = context.Lock()
        self._count = count
        self.stuck = False

    def take(self) -> int | None:
        """The next chunk's number; ``None`` when none is left, or when stuck."""
        if self.stuck or not self._lock.acquire(timeout=DEALER_PATIENCE):
            self.stuck = True
            return None
        try:
            index = self._next.value
            self._next.value = index + 1
        finally:
            self._lock.release()
        return index if index < self._count else None


def _fork_taker(
    work: Callable[[list[T]], list[R]],
    chunks: list[Sequence[T]],
    dealer: _Dealer,
    initializer: Callable[..., None] | None,
    initargs: tuple[Any, ...],
) -> tuple[int, int]:
    """A worker taking chunks until none is left: its pid and the pipe it answers on."""
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: never returns into the caller's code
        os.close(read)
        _child(lambda: _take_all(work, chunks, dealer, initializer, initargs), write)
    os.close(write)
    return pid, read


def _take_all(
    work: Callable[[list[T]], list[R]],
    chunks: list[Sequence[T]],
    dealer: _Dealer,
    initializer: Callable[..., None] | None,
    initargs: tuple[Any, ...],
) -> list[tuple[int, list[R]]]:
    if initializer is not None:
        initializer(*initargs)
    taken = []
    while (index := dealer.take()) is not None:
        taken.append((index, work(list(chunks[index]))))
    return taken


def _taken(pid: int, fd: int) -> list[tuple[int, Any]]:
    """What a worker sent back (nothing if it failed or died), once it has ended."""
    data, code = b"", 1
    try:
        with os.fdopen(os.dup(fd), "rb") as pipe:
            data = pipe.read()
    finally:
        code = _end(pid, fd, kill=not data)
    if code != 0 or not data:
        return []
    try:
        taken: list[tuple[int, Any]] = pickle.loads(data)
    except Exception:  # records that do not read back: the worker's chunks are done here
        return []
    return taken


def _end(pid: int, fd: int, *, kill: bool) -> int:
    """Close a worker's pipe and wait for it to end (killed first with ``kill``): its exit
    code (1 if it was not ours to wait for)."""
    os.close(fd)
    if kill:
        with contextlib.suppress(OSError):
            os.kill(pid, signal.SIGKILL)
    try:
        return os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1])
    except ChildProcessError:
        return 1


def _context() -> Any:
    """``fork``, so that workers start with the modules and settings already loaded; ``None``
    (work in this process) off Linux (macOS's system libraries are not safe across a fork;
    Windows has none), or while other threads run in this process (a fork copies their locks
    in whatever state they are)."""
    if not sys.platform.startswith("linux") or threading.active_count() > 1:
        return None
    return multiprocessing.get_context("fork")


class Beside(Generic[R]):
    """``work()`` running in a forked child while this process goes on; :meth:`result` waits
    for its value. The child shares the caller's memory as it was at the fork (nothing is
    copied or sent to it) and sends back the pickled value through a pipe. When no child could
    be started, or it failed or died, :meth:`result` runs ``work()`` here: slower, never a
    different result. :meth:`close` (or leaving the ``with`` block) ends a child whose result
    is no longer wanted."""

    def __init__(self, work: Callable[[], R], jobs: int) -> None:
        self._work = work
        self._pid, self._fd = 0, -1
        if jobs > 1 and _context() is not None:
            with contextlib.suppress(OSError):
                self._fork()

    def _fork(self) -> None:
        read, write = os.pipe()
        pid = os.fork()
        if pid == 0:  # the child: never returns into the caller's code
            os.close(read)
            _child(self._work, write)
        os.close(write)
        self._pid, self._fd = pid, read

    def result(self) -> R:
        if not self._pid:
            return self._work()
        with os.fdopen(self._fd, "rb") as pipe:
            data = pipe.read()
        self._fd = -1
        _, status = os.waitpid(self._pid, 0)
        self._pid = 0
        if os.waitstatus_to_exitcode(status) == 0 and data:
            with contextlib.suppress(Exception):
                value: R = pickle.loads(data)
                return value
        return self._work()  # the child failed: its error, if any, shows here

    def close(self) -> None:
        if self._pid:
            with contextlib.suppress(OSError):
                os.kill(self._pid, signal.SIGKILL)
                os.waitpid(self._pid, 0)
            self._pid = 0
        if self._fd >= 0:
            os.close(self._fd)
            self._fd = -1

    def __enter__(self) -> Beside[R]:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _child(work: Callable[[], Any], fd: int) -> None:
    """Run ``work``, send its pickled value, and leave without running the parent's exit code
    (``atexit``, buffered output, temporary files): exit 1 on any failure."""
    code = 1  # the parent then runs the work again and sees the error
    try:
        data = pickle.dumps(work(), protocol=pickle.HIGHEST_PROTOCOL)
        with os.fdopen(fd, "wb") as pipe:
            pipe.write(data)
        code = 0
    finally:
        os._exit(code)


# @implements SRS-318
class Ahead:
    """``work()`` started in a forked child for the files it writes (the per-file caches), not
    for a value: :meth:`wait` waits for the child to end, whatever came of it, and the caller
    then does the work itself, finding in the caches what the child stored there (each entry
    checked against its file as ever). So a child that failed, died or wrote nothing costs
    time, never a different result. With one job, other threads running, or off Linux, no
    child is started and nothing is done ahead (:attr:`started` is false)."""

    def __init__(self, work: Callable[[], object], jobs: int) -> None:
        self._pid = 0
        if jobs > 1 and _context() is not None:
            with contextlib.suppress(OSError):
                self._pid = os.fork()
                if self._pid == 0:  # the child: never returns into the caller's code
                    _ahead_child(work)

    @property
    def started(self) -> bool:
        return self._pid != 0

    def wait(self) -> None:
        if self._pid:
            with contextlib.suppress(ChildProcessError):
                os.waitpid(self._pid, 0)
            self._pid = 0

    def close(self) -> None:
        """End the child if it still runs (the caller failed before waiting for it)."""
        if self._pid:
            with contextlib.suppress(OSError):
                os.kill(self._pid, signal.SIGKILL)
            self.wait()

    def __enter__(self) -> Ahead:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _ahead_child(work: Callable[[], object]) -> None:
    """Run ``work`` and leave without running the parent's exit code: exit 1 on failure."""
    code = 1
    try:
        work()
        code = 0
    finally:
        os._exit(code)
