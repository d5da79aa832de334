"""Worker processes: the cold load and the cold scan in chunks, and work done beside the
caller (the rules that read only the model, while the caller traces) or ahead of it (the cold
scan, with the work it then shares: a :class:`Claim` either process takes once, a
:class:`Split` batch taken from both ends): the one place medtrace runs in parallel.

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
import struct
import sys
import threading
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import Any, Generic, TypeVar

__all__ = [
    "MIN_BATCH",
    "Ahead",
    "Beside",
    "Claim",
    "Flag",
    "Split",
    "job_count",
    "run_chunks",
    "share_chunks",
]

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
    context = _split_context(len(batch), jobs, minimum)
    if context is None:
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


def _split_context(size: int, jobs: int, minimum: int | None) -> Any:
    """The context to start workers with, when a batch of ``size`` is worth splitting over
    ``jobs`` processes (at least ``minimum`` elements, :data:`MIN_BATCH` by default); ``None``:
    run it in this process."""
    smallest = MIN_BATCH if minimum is None else minimum
    if jobs <= 1 or size < max(2, smallest):
        return None
    return _context()


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
    context = _split_context(len(batch), jobs, minimum)
    if context is None:
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


# @implements SRS-353
class Beside(Generic[R]):
    """``work()`` running in a forked child while this process goes on; :meth:`result` waits
    for its value. The child shares the caller's memory as it was at the fork (nothing is
    copied or sent to it) and sends back the pickled value through a pipe. When no child could
    be started, or it failed or died, :meth:`result` runs ``work()`` here: slower, never a
    different result. :meth:`close` (or leaving the ``with`` block) ends a child whose result
    is no longer wanted.

    ``then()``, if given, is work whose effects are files (a cache to save), done by the child
    once it has sent its value, so that :meth:`result` does not wait for it; leaving the
    ``with`` block normally waits for the child to end (it is killed after an error). Without
    a child, or when its value did not come back, ``then()`` runs here after ``work()``."""

    def __init__(
        self, work: Callable[[], R], jobs: int, then: Callable[[], object] | None = None
    ) -> None:
        self._work, self._then = work, then
        self._pid, self._fd = 0, -1
        self._received = False  # the value came back: the child is doing ``then``
        if jobs > 1 and _context() is not None:
            with contextlib.suppress(OSError):
                self._fork()

    def _fork(self) -> None:
        read, write = os.pipe()
        pid = os.fork()
        if pid == 0:  # the child: never returns into the caller's code
            os.close(read)
            _child(self._work, write, self._then)
        os.close(write)
        self._pid, self._fd = pid, read

    def result(self) -> R:
        if not self._pid:
            return self._here()
        with os.fdopen(self._fd, "rb") as pipe:
            data = pipe.read()  # to the end: the child closes the pipe once it has sent
        self._fd = -1
        if data:
            with contextlib.suppress(Exception):
                value: R = pickle.loads(data)
                self._received = True
                return value
        self._reap()
        return self._here()  # the child failed: its error, if any, shows here

    def _here(self) -> R:
        value = self._work()
        if self._then is not None:
            self._then()
        return value

    def _reap(self) -> None:
        if self._pid:
            with contextlib.suppress(ChildProcessError):
                os.waitpid(self._pid, 0)
            self._pid = 0

    def close(self, *, wait: bool = False) -> None:
        """End the child; with ``wait``, a child whose value came back is left to finish
        ``then`` and waited for."""
        if self._pid and not (wait and self._received):
            with contextlib.suppress(OSError):
                os.kill(self._pid, signal.SIGKILL)
        self._reap()
        if self._fd >= 0:
            os.close(self._fd)
            self._fd = -1

    def __enter__(self) -> Beside[R]:
        return self

    def __exit__(self, kind: type[BaseException] | None, *exc: object) -> None:
        self.close(wait=kind is None)


def _child(work: Callable[[], Any], fd: int, then: Callable[[], object] | None = None) -> None:
    """Run ``work``, send its pickled value (closing the pipe), then run ``then``, and leave
    without running the parent's exit code (``atexit``, buffered output, temporary files):
    exit 1 on any failure."""
    code = 1  # the parent then runs the work again and sees the error
    try:
        data = pickle.dumps(work(), protocol=pickle.HIGHEST_PROTOCOL)
        with os.fdopen(fd, "wb") as pipe:
            pipe.write(data)
        if then is not None:
            then()
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


# @implements SRS-336
class Claim:
    """One piece of work that this process or a child forked after this was made does,
    whichever asks first (:meth:`take`): a byte in a pipe whose writing end is closed, so that
    one read gets it and every later one gets the end of the pipe, never waiting. Without a
    pipe, only the process that made the claim takes it."""

    def __init__(self) -> None:
        self._owner, self._fd = os.getpid(), -1
        with contextlib.suppress(OSError):
            read, write = os.pipe()
            try:
                os.write(write, b"1")
            finally:
                os.close(write)
            self._fd = read

    def take(self) -> bool:
        if self._fd < 0:
            return os.getpid() == self._owner
        try:
            return os.read(self._fd, 1) == b"1"
        except OSError:
            return False

    def close(self) -> None:
        if self._fd >= 0:
            os.close(self._fd)
            self._fd = -1


# @implements SRS-354
class Flag:
    """A flag that a child forked after this was made raises (:meth:`raise_`) and the process
    that made it sees without waiting (:meth:`up`): a byte in a pipe, read without blocking.
    Without a pipe it is never up (the caller then does what it would have waited for)."""

    def __init__(self) -> None:
        self._owner, self._up = os.getpid(), False
        self._read = self._write = -1
        with contextlib.suppress(OSError):
            self._read, self._write = os.pipe()
            os.set_blocking(self._read, False)

    def raise_(self) -> None:
        if self._write >= 0:
            with contextlib.suppress(OSError):
                os.write(self._write, b"1")

    def up(self) -> bool:
        if not self._up and self._read >= 0:
            with contextlib.suppress(OSError):  # (BlockingIOError: not raised yet)
                self._up = os.read(self._read, 1) == b"1"
        return self._up

    def close(self) -> None:
        if os.getpid() != self._owner:
            return
        for fd in (self._read, self._write):
            if fd >= 0:
                with contextlib.suppress(OSError):
                    os.close(fd)
        self._read = self._write = -1


#: The counters of a :class:`Split`: chunks offered (0: none yet), the next chunk the maker
#: takes from the front, the last one the child took from the back, and the chunks' size.
_COUNTERS = struct.Struct("<qqqq")
_OFFERED, _FRONT, _BACK, _SIZE = 0, 8, 16, 24


# @implements SRS-336
class Split(Generic[T, R]):
    """One batch that this process works through in chunks from the front (:meth:`take`)
    while a child forked after this was made (see :class:`Ahead`), once its own work is done,
    takes chunks from the back (:meth:`help`) until the two meet.

    Each side writes only its own counter in a shared page, then reads the other's: a chunk
    both took is done twice and this process keeps its own; one that neither took (or that
    the child did not hand back: it failed or died) is done by this process after the child
    ended (:meth:`theirs` gives only what the child handed back, checked). So the split never
    changes a result, only where the work ran. The batch goes to the child, and its records
    come back, as plain data in anonymous memory files (``memfd``): no object crosses."""

    def __init__(self) -> None:
        self._owner = os.getpid()
        self._counters = mmap.mmap(-1, _COUNTERS.size)
        self._batch_fd = os.memfd_create("medtrace-batch", os.MFD_CLOEXEC)
        self._done_fd = os.memfd_create("medtrace-done", os.MFD_CLOEXEC)
        self.chunks = 0
        self._size = self._length = 1

    def _get(self, offset: int) -> int:
        value: int = struct.unpack_from("<q", self._counters, offset)[0]
        return value

    def _set(self, offset: int, value: int) -> None:
        struct.pack_into("<q", self._counters, offset, value)

    def offer(self, data: bytes, length: int, size: int) -> None:
        """Offer a batch of ``length`` elements (``data``: the batch encoded, for the child to
        decode) in chunks of ``size`` (this process only)."""
        self._size, self._length, self.chunks = size, length, -(-length // size)
        os.pwrite(self._batch_fd, data, 0)
        self._set(_SIZE, size)
        self._set(_BACK, self.chunks)
        self._set(_OFFERED, self.chunks)  # last: the child reads the batch only after this

    def offered(self) -> bool:
        """Whether a batch has been offered (either process may ask)."""
        return self._get(_OFFERED) > 0

    def chunk(self, batch: Sequence[Any], index: int) -> list[Any]:
        """Chunk ``index`` of ``batch`` (as offered)."""
        return list(batch[index * self._size : (index + 1) * self._size])

    def take(self) -> int | None:
        """The next chunk from the front, or ``None`` once the child has the rest."""
        index = self._get(_FRONT)
        if index >= self.chunks:
            return None
        self._set(_FRONT, index + 1)  # announced before looking at the child's side
        return index if index < self._get(_BACK) else None

    def help(
        self, decode: Callable[[bytes], Sequence[T]], work: Callable[[list[T]], list[R]]
    ) -> None:
        """In the child: take chunks from the back while this process has not reached them,
        and hand back what ``work`` made of them (nothing if nothing is offered or left; the
        batch is decoded only when there is something to take)."""
        chunks = self._get(_OFFERED)
        if chunks <= 0 or self._get(_FRONT) >= chunks:
            return
        batch = decode(os.pread(self._batch_fd, os.fstat(self._batch_fd).st_size, 0))
        size, done = self._get(_SIZE), []
        index = chunks - 1
        while index >= self._get(_FRONT):
            self._set(_BACK, index)  # announced before looking at this process's side
            if index < self._get(_FRONT):
                break
            done.append((index, work(list(batch[index * size : (index + 1) * size]))))
            index -= 1
        os.pwrite(self._done_fd, pickle.dumps(done, protocol=pickle.HIGHEST_PROTOCOL), 0)

    def theirs(self, wait: Callable[[], None]) -> dict[int, list[R]]:
        """The chunks the child handed back, after waiting for it (``wait``) if it took any;
        each one's records checked for number (the caller checks their form)."""
        if self._get(_BACK) >= self.chunks:
            return {}
        wait()
        try:
            size = os.fstat(self._done_fd).st_size
            done = pickle.loads(os.pread(self._done_fd, size, 0)) if size else []
        except Exception:  # a child killed while it wrote: its chunks are done here
            return {}
        return {
            index: records
            for index, records in (done if isinstance(done, list) else [])
            if isinstance(index, int)
            and 0 <= index < self.chunks
            and isinstance(records, list)
            and len(records) == len(self.chunk(range(self._length), index))
        }

    def close(self) -> None:
        if os.getpid() != self._owner:
            return
        self._counters.close()
        for fd in (self._batch_fd, self._done_fd):
            with contextlib.suppress(OSError):
                os.close(fd)
