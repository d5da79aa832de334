"""Worker processes: results in the order of the batch, one process when asked or when the
batch is small, the same result when the processes cannot start; and ``check --jobs``."""

from __future__ import annotations

import os
import sys
import threading
from pathlib import Path

import pytest
from helpers import run_subprocess, write_project

from medtrace import workers
from medtrace.pipeline import check

pytestmark = pytest.mark.verifies("SRS-267")
LINUX = pytest.mark.skipif(
    not sys.platform.startswith("linux"), reason="worker processes are forked on Linux only"
)


class _State:
    tag = ""


def _start(tag: str) -> None:
    _State.tag = tag


def _work(chunk: list[int]) -> list[tuple[int, int, str]]:
    return [(n, os.getpid(), _State.tag) for n in chunk]


@LINUX
def test_job_count_is_the_request_or_the_usable_cores() -> None:
    assert workers.job_count(3) == 3
    assert workers.job_count(0) == len(os.sched_getaffinity(0))


@pytest.fixture
def alone(monkeypatch: pytest.MonkeyPatch) -> None:
    """No other thread counts (another test's may still be running): forking is allowed."""
    monkeypatch.setattr(workers.threading, "active_count", lambda: 1)


@LINUX
@pytest.mark.usefixtures("alone")
def test_a_large_batch_runs_in_worker_processes_in_order() -> None:
    done = workers.run_chunks(_work, list(range(50)), 2, _start, ("set",), minimum=10)
    assert [n for n, _, _ in done] == list(range(50))
    assert {pid for _, pid, _ in done} - {os.getpid()}  # not here
    assert {tag for _, _, tag in done} == {"set"}  # each process was prepared


@pytest.mark.parametrize(("jobs", "size"), [(1, 50), (2, 5)])
def test_one_job_or_a_small_batch_runs_here(jobs: int, size: int) -> None:
    done = workers.run_chunks(_work, list(range(size)), jobs, _start, ("here",), minimum=10)
    assert done == [(n, os.getpid(), "here") for n in range(size)]


def test_processes_that_cannot_start_leave_the_batch_to_this_one(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    class Refused:
        def __init__(self, *args: object, **kwargs: object) -> None:
            raise OSError("no processes")

    monkeypatch.setattr(workers, "ProcessPoolExecutor", Refused)
    done = workers.run_chunks(_work, list(range(20)), 2, _start, ("fallback",), minimum=2)
    assert done == [(n, os.getpid(), "fallback") for n in range(20)]


@pytest.mark.usefixtures("alone")
def test_check_gives_the_same_result_whatever_the_jobs(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(workers, "MIN_BATCH", 2)
    files = {f"docs/SRS-{n}.md": f"---\ntype: functional\n---\n# Dose {n}\n" for n in range(8)}
    files["docs/SRS-9.md"] = "---\ntype: nonsense\nparents: [SYS-404]\n---\n# Broken\n"
    root = write_project(tmp_path, files, cls="A")
    one = check(root, use_cache=False, jobs=1)
    two = check(root, use_cache=False, jobs=2)
    assert one.diagnostics == two.diagnostics and one.diagnostics
    assert (one.items, one.files) == (two.items, two.files) == (9, 9)


def test_check_takes_jobs_on_the_command_line(tmp_path: Path) -> None:
    root = write_project(
        tmp_path, {"docs/SRS-1.md": "---\ntype: functional\n---\n# Dose\n"}, cls="A"
    )
    done = run_subprocess("-C", str(root), "check", "--jobs", "2", "--format", "json")
    assert done.code == 0, done.err
    refused = run_subprocess("-C", str(root), "check", "--jobs", "-1")
    assert refused.code == 2 and "-1" in refused.err


def test_a_batch_stays_here_while_other_threads_run() -> None:
    release = threading.Event()
    other = threading.Thread(target=release.wait)
    other.start()
    try:
        done = workers.run_chunks(_work, list(range(20)), 2, _start, ("threads",), minimum=2)
    finally:
        release.set()
        other.join()
    assert done == [(n, os.getpid(), "threads") for n in range(20)]
