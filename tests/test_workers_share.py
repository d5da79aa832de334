"""Chunks dealt as they are asked for (``workers.share_chunks``): every record once, in the order
of the batch, whichever process took its chunk; a worker that fails, dies or sends what does not
read back leaves its chunks to this process; a failure here ends the workers."""

from __future__ import annotations

import multiprocessing
import os
import sys
import threading
from collections.abc import Iterator

import pytest

from medtrace import workers

pytestmark = pytest.mark.verifies("SRS-331")
LINUX = pytest.mark.skipif(
    not sys.platform.startswith("linux"), reason="worker processes are forked on Linux only"
)


class _State:
    tag = ""
    parent = 0


def _start(tag: str) -> None:
    _State.tag = tag


def _work(chunk: list[int]) -> list[tuple[int, int, str]]:
    return [(n, os.getpid(), _State.tag) for n in chunk]


@pytest.fixture
def alone(monkeypatch: pytest.MonkeyPatch) -> None:
    """No other thread counts (another test's may still be running): forking is allowed."""
    monkeypatch.setattr(workers.threading, "active_count", lambda: 1)


@pytest.fixture
def no_children_left(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Every worker a test started has been waited for when it ends."""
    started: list[int] = []
    real = workers._fork_taker

    def fork_taker(*args: object) -> tuple[int, int]:
        pid, fd = real(*args)  # type: ignore[arg-type]
        started.append(pid)
        return pid, fd

    monkeypatch.setattr(workers, "_fork_taker", fork_taker)
    yield
    for pid in started:
        with pytest.raises(ChildProcessError):
            os.waitpid(pid, os.WNOHANG)  # reaped: no such child any more


@LINUX
@pytest.mark.usefixtures("alone", "no_children_left")
@pytest.mark.parametrize("jobs", [2, 3])
def test_every_record_once_in_order_from_several_processes(jobs: int) -> None:
    done = workers.share_chunks(_work, list(range(500)), jobs, _start, ("set",), minimum=10)
    assert [n for n, _, _ in done] == list(range(500))
    assert {tag for _, _, tag in done} == {"set"}  # each process was prepared


@pytest.mark.parametrize(("jobs", "size"), [(1, 50), (2, 5)])
def test_one_job_or_a_small_batch_runs_here(jobs: int, size: int) -> None:
    done = workers.share_chunks(_work, list(range(size)), jobs, _start, ("here",), minimum=10)
    assert done == [(n, os.getpid(), "here") for n in range(size)]


def test_a_batch_stays_here_while_other_threads_run() -> None:
    release = threading.Event()
    other = threading.Thread(target=release.wait)
    other.start()
    try:
        done = workers.share_chunks(_work, list(range(40)), 2, _start, ("threads",), minimum=2)
    finally:
        release.set()
        other.join()
    assert done == [(n, os.getpid(), "threads") for n in range(40)]


class _Slow:
    """This process's first chunk waits until a worker has done the batch's last record: the
    worker must have taken every other chunk meanwhile (a fixed share would have left half of
    them to this process)."""

    def __init__(self, last: int) -> None:
        self.parent, self.last = os.getpid(), last
        self.done = multiprocessing.get_context("fork").Event()

    def __call__(self, chunk: list[int]) -> list[tuple[int, int]]:
        if os.getpid() == self.parent:
            assert self.done.wait(60), "the worker never reached the last record"
        elif self.last in chunk:
            self.done.set()
        return [(n, os.getpid()) for n in chunk]


@LINUX
@pytest.mark.usefixtures("alone", "no_children_left")
def test_a_process_takes_the_next_chunk_when_done_with_one() -> None:
    batch = list(range(400))
    done = workers.share_chunks(_Slow(batch[-1]), batch, 2, minimum=10)
    assert [n for n, _ in done] == batch
    here = [n for n, pid in done if pid == os.getpid()]  # one chunk, whichever came first
    assert 0 < len(here) <= workers.SHARED_CHUNK and here == list(range(here[0], here[-1] + 1))
    assert {pid for _, pid in done[len(here) :]} - {os.getpid()}  # the rest: the worker's


class _Dies:
    """A worker that ends without a word after taking a chunk, or raises, or sends what does
    not pickle: its chunks are done here (this process waits until it has taken one)."""

    def __init__(self, how: str) -> None:
        self.parent, self.how = os.getpid(), how
        self.taken = multiprocessing.get_context("fork").Event()

    def __call__(self, chunk: list[int]) -> list[object]:
        if os.getpid() == self.parent:
            assert self.taken.wait(60), "the worker never took a chunk"
            return [(n, "here") for n in chunk]
        self.taken.set()
        if self.how == "exit":
            os._exit(3)
        if self.how == "raise":
            raise ValueError("a worker's own error")
        return [threading.Lock() for _ in chunk]  # locks do not pickle


@LINUX
@pytest.mark.usefixtures("alone", "no_children_left")
@pytest.mark.parametrize("how", ["exit", "raise", "unpicklable"])
def test_the_chunks_of_a_failed_worker_are_done_here(how: str) -> None:
    done = workers.share_chunks(_Dies(how), list(range(300)), 2, minimum=10)
    assert done == [(n, "here") for n in range(300)]


def test_processes_that_cannot_start_leave_the_batch_to_this_one(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def refused() -> int:
        raise OSError("no processes")

    monkeypatch.setattr(workers.threading, "active_count", lambda: 1)
    monkeypatch.setattr(workers.os, "fork", refused)
    done = workers.share_chunks(_work, list(range(60)), 2, _start, ("alone",), minimum=2)
    assert done == [(n, os.getpid(), "alone") for n in range(60)]


class _FailsHere:
    """Prepares the workers, fails in this process (after they started)."""

    def __init__(self) -> None:
        self.parent = os.getpid()

    def __call__(self) -> None:
        if os.getpid() == self.parent:
            raise RuntimeError("this process's own error")


@LINUX
@pytest.mark.usefixtures("alone", "no_children_left")
def test_a_failure_here_ends_the_workers_and_shows() -> None:
    with pytest.raises(RuntimeError, match="own error"):
        workers.share_chunks(_work, list(range(300)), 3, _FailsHere(), minimum=10)


class _DiesHoldingTheLock:
    """A worker killed while it holds the dealer's lock (as by the kernel's OOM killer): no
    process can take another chunk (this one waits until it has happened)."""

    dealer: workers._Dealer | None = None

    def __init__(self) -> None:
        self.parent = os.getpid()
        self.held = multiprocessing.get_context("fork").Event()

    def __call__(self, chunk: list[int]) -> list[tuple[int, str]]:
        if os.getpid() == self.parent:
            assert self.held.wait(60), "the worker never took the lock"
            return [(n, "here") for n in chunk]
        assert self.dealer is not None
        self.dealer._lock.acquire()
        self.held.set()
        os._exit(9)


@LINUX
@pytest.mark.usefixtures("alone", "no_children_left")
def test_a_worker_killed_holding_the_lock_leaves_its_chunks_here_and_nothing_waits(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    real = workers._Dealer.__init__

    def kept(self: workers._Dealer, *args: object) -> None:
        real(self, *args)
        _DiesHoldingTheLock.dealer = self

    monkeypatch.setattr(workers._Dealer, "__init__", kept)
    monkeypatch.setattr(workers, "DEALER_PATIENCE", 0.5)
    work = _DiesHoldingTheLock()
    done = workers.share_chunks(work, list(range(40_000)), 2, minimum=10)
    assert done == [(n, "here") for n in range(40_000)]
