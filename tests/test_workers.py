"""Worker processes: results in the order of the batch, one process when asked or when the
batch is small, the same result when the processes cannot start; and ``check --jobs``."""

from __future__ import annotations

import functools
import os
import pickle
import subprocess
import sys
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from helpers import AN_HOUR_AGO, run_subprocess, write_project

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


# --- work beside this process --------------------------------------------------------------------


def _where() -> tuple[int, str]:
    return os.getpid(), _State.tag


@LINUX
@pytest.mark.usefixtures("alone")
def test_work_beside_runs_in_a_child_that_sees_this_process_memory() -> None:
    _State.tag = "set before the fork"
    with workers.Beside(_where, 2) as running:
        _State.tag = "changed after the fork"  # the child keeps its own copy
        pid, tag = running.result()
    assert pid != os.getpid() and tag == "set before the fork"


def test_work_beside_runs_here_with_one_job() -> None:
    _State.tag = "one job"
    with workers.Beside(_where, 1) as running:
        assert running.result() == (os.getpid(), "one job")


def test_work_beside_stays_here_while_other_threads_run() -> None:
    release = threading.Event()
    other = threading.Thread(target=release.wait)
    other.start()
    try:
        with workers.Beside(_where, 2) as running:
            pid, _ = running.result()
    finally:
        release.set()
        other.join()
    assert pid == os.getpid()


class _Flaky:
    """Fails in the child (another process), works here: as a child that died would."""

    def __init__(self) -> None:
        self.parent = os.getpid()

    def __call__(self) -> str:
        if os.getpid() != self.parent:
            os._exit(3)  # killed, not even an exception
        return "done here"


@LINUX
@pytest.mark.usefixtures("alone")
def test_a_child_that_dies_leaves_the_work_to_this_process() -> None:
    with workers.Beside(_Flaky(), 2) as running:
        assert running.result() == "done here"


def _fails() -> None:
    raise ValueError("the rule's own error")


@LINUX
@pytest.mark.usefixtures("alone")
def test_an_error_in_the_child_shows_here() -> None:
    with workers.Beside(_fails, 2) as running, pytest.raises(ValueError, match="own error"):
        running.result()


def _sleeps() -> None:
    import time

    time.sleep(60)


@LINUX
@pytest.mark.usefixtures("alone")
def test_a_child_no_longer_wanted_is_ended() -> None:
    with workers.Beside(_sleeps, 2) as running:
        pid = running._pid
        assert pid
    with pytest.raises(ChildProcessError):
        os.waitpid(pid, os.WNOHANG)  # reaped: no such child any more


@LINUX
@pytest.mark.usefixtures("alone")
def test_check_runs_the_model_rules_beside_and_gives_the_one_process_result(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    started: list[int] = []
    real = workers.Beside._fork

    def spy(self: workers.Beside[object]) -> None:
        real(self)
        started.append(self._pid)

    monkeypatch.setattr(workers.Beside, "_fork", spy)
    files = {f"docs/SRS-{n}.md": f"---\ntype: functional\n---\n# Dose {n}\n" for n in range(3)}
    files["docs/SRS-9.md"] = "---\ntype: nonsense\nparents: [SRS-09, SYS-404]\n---\n# Broken\n"
    root = write_project(tmp_path, files, cls="C")
    two = check(root, use_cache=False, jobs=2)
    assert started and all(started)
    one = check(root, use_cache=False, jobs=1)
    assert len(started) == 1  # one job: no child
    assert one.diagnostics == two.diagnostics
    assert {"MT008", "MT010", "MT017"} <= {d.code for d in one.diagnostics}


# --- work ahead of this process (for the files it writes) ----------------------------------------


def _writes(path: Path) -> None:
    path.write_text(str(os.getpid()), encoding="utf-8")


@LINUX
@pytest.mark.usefixtures("alone")
@pytest.mark.verifies("SRS-318")
def test_work_ahead_runs_in_a_child_and_wait_sees_what_it_wrote(tmp_path: Path) -> None:
    out = tmp_path / "written"
    with workers.Ahead(lambda: _writes(out), 2) as ahead:
        assert ahead.started
        ahead.wait()
        assert out.read_text(encoding="utf-8") != str(os.getpid())  # the child wrote it
        ahead.wait()  # waiting again is harmless


@pytest.mark.verifies("SRS-318")
def test_work_ahead_with_one_job_does_nothing(tmp_path: Path) -> None:
    out = tmp_path / "written"
    with workers.Ahead(lambda: _writes(out), 1) as ahead:
        assert not ahead.started
        ahead.wait()
    assert not out.exists()


@LINUX
@pytest.mark.usefixtures("alone")
@pytest.mark.verifies("SRS-318")
def test_work_ahead_that_fails_or_dies_is_only_waited_for() -> None:
    for work in (_fails, _Flaky()):
        with workers.Ahead(work, 2) as ahead:
            assert ahead.started
            ahead.wait()  # no error here, no value: the caller does the work itself
            assert not ahead.started


@LINUX
@pytest.mark.usefixtures("alone")
@pytest.mark.verifies("SRS-318")
def test_work_ahead_no_longer_wanted_is_ended() -> None:
    with workers.Ahead(_sleeps, 2) as ahead:
        pid = ahead._pid
        assert pid
    with pytest.raises(ChildProcessError):
        os.waitpid(pid, os.WNOHANG)


@pytest.fixture
def started(monkeypatch: pytest.MonkeyPatch) -> list[bool]:
    """Whether each work ahead made in the test (a cold scan's) started a child, in order."""
    out: list[bool] = []
    real = workers.Ahead.__init__

    def spy(self: workers.Ahead, work: object, jobs: int) -> None:
        real(self, work, jobs)  # type: ignore[arg-type]
        out.append(self.started)

    monkeypatch.setattr(workers.Ahead, "__init__", spy)
    return out


@LINUX
@pytest.mark.usefixtures("alone")
@pytest.mark.verifies("SRS-318")
def test_a_cold_check_scans_ahead_and_gives_the_one_process_result(
    tmp_path: Path, started: list[bool]
) -> None:
    files = {f"docs/SRS-{n}.md": f"---\ntype: functional\n---\n# Dose {n}\n" for n in range(3)}
    files["docs/SRS-9.md"] = "---\ntype: nonsense\nparents: [SRS-09, SYS-404]\n---\n# Broken\n"
    files["src/dose.py"] = "def dose():  # @implements SRS-1\n    return 1\n"
    files["tests/test_dose.py"] = 'def test_dose():\n    """@verifies SRS-1, SRS-2"""\n'
    files["build/junit.xml"] = (
        '<testsuite name="pytest"><testcase classname="tests.test_dose" name="test_dose"'
        ' file="tests/test_dose.py" time="0.1"><failure message="too high"/></testcase>'
        "</testsuite>\n"
    )
    config = '[project]\nname = "fixture"\nclass = "C"\n\n[paths]\nitems = ["docs"]\n'
    config += 'sources = ["src/**/*.py"]\ntests = ["tests/**/*.py"]\nresults = ["build"]\n'
    root = write_project(tmp_path, files, config=config)
    two = check(root, use_cache=True, jobs=2)
    assert started == [True]
    assert (root / ".medtrace" / "cache" / "tags.mtc").is_file()  # left by the child
    assert (root / ".medtrace" / "cache" / "results.mtc").is_file()
    assert (root / ".medtrace" / "cache" / "items.mtc").is_file()  # saved by the one beside
    one = check(root, use_cache=False, jobs=1)
    assert started == [True]  # one job, no cache: nothing goes ahead
    assert one.diagnostics == two.diagnostics and one.statuses == two.statuses
    assert {"MT008", "MT010", "MT101", "MT103"} <= {d.code for d in one.diagnostics}
    (root / "docs/SRS-0.md").write_text("---\ntype: functional\n---\n# Dose again\n")
    warm = check(root, use_cache=True, jobs=2)
    assert started == [True]  # the scan is cached: nothing to do ahead
    assert warm.diagnostics == two.diagnostics
    (root / ".medtrace" / "cache" / "tags.mtc").unlink()
    alone = check(root, use_cache=True, jobs=1)  # cold scan, one core: no child either
    assert started == [True] and alone.diagnostics == two.diagnostics


@LINUX
@pytest.mark.usefixtures("alone")
@pytest.mark.verifies("SRS-318", "SRS-335")
def test_a_scan_much_shorter_than_the_load_goes_ahead_and_the_load_is_split_too(
    tmp_path: Path, started: list[bool], monkeypatch: pytest.MonkeyPatch
) -> None:
    jobs: list[int] = []
    real = workers.run_chunks

    def spy(work: Any, batch: Any, count: int, *args: Any, **kwargs: Any) -> Any:
        jobs.append(count)
        return real(work, batch, count, *args, **kwargs)

    monkeypatch.setattr("medtrace.loading.load.run_chunks", spy)
    files = {f"docs/SRS-{n}.md": f"---\ntype: functional\n---\n# Dose {n}\n" for n in range(50)}
    files["src/dose.py"] = "def dose():  # @implements SRS-1\n    return 1\n"
    config = '[project]\nname = "fixture"\nclass = "A"\n\n[paths]\nitems = ["docs"]\n'
    config += 'sources = ["src/**/*.py"]\n'
    root = write_project(tmp_path, files, config=config)
    two = check(root, use_cache=True, jobs=2)
    # The scan starts before the item files are walked (their number is not known yet);
    # one code file against 50 items: the load is split as well, not left in one piece.
    assert started == [True] and jobs == [2]
    assert two.diagnostics == check(root, use_cache=False, jobs=1).diagnostics


def _fixture_project(tmp_path: Path) -> Path:
    files = {f"docs/SRS-{n}.md": f"---\ntype: functional\n---\n# Dose {n}\n" for n in range(3)}
    files["src/dose.py"] = "def dose():  # @implements SRS-1\n    return 1\n"
    files["tests/test_dose.py"] = 'def test_dose():\n    """@verifies SRS-1, SRS-2"""\n'
    files["build/junit.xml"] = (
        '<testsuite name="pytest"><testcase classname="tests.test_dose" name="test_dose"'
        ' file="tests/test_dose.py" time="0.1"/></testsuite>\n'
    )
    config = '[project]\nname = "fixture"\nclass = "C"\n\n[paths]\nitems = ["docs"]\n'
    config += 'sources = ["src/**/*.py"]\ntests = ["tests/**/*.py"]\nresults = ["build"]\n'
    root = write_project(tmp_path, files, config=config)
    for path in root.rglob("*"):  # older than the caches' racy window: a result is kept
        os.utime(path, ns=(AN_HOUR_AGO, AN_HOUR_AGO))
    return root


@LINUX
@pytest.mark.usefixtures("alone")
@pytest.mark.verifies("SRS-335")
def test_the_scan_goes_ahead_before_the_item_files_are_walked(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from medtrace.loading import find_item_files

    events: list[str] = []
    real_walk, real_init = find_item_files, workers.Ahead.__init__

    def walk(*args: Any, **kwargs: Any) -> Any:
        events.append("walk")
        return real_walk(*args, **kwargs)

    def ahead(self: workers.Ahead, work: Any, jobs: int) -> None:
        real_init(self, work, jobs)
        events.append(f"ahead started={self.started}")

    monkeypatch.setattr("medtrace.pipeline.find_item_files", walk)
    monkeypatch.setattr(workers.Ahead, "__init__", ahead)
    root = _fixture_project(tmp_path)
    two = check(root, use_cache=True, jobs=2)
    assert events == ["ahead started=True", "walk"]
    # the results were read by this process, the scan by the child: both cached
    assert (root / ".medtrace" / "cache" / "results.mtc").is_file()
    assert (root / ".medtrace" / "cache" / "tags.mtc").is_file()
    one = check(root, use_cache=False, jobs=1)
    assert one.diagnostics == two.diagnostics and one.statuses == two.statuses
    assert two.statuses["SRS-1"] == "verified"


@LINUX
@pytest.mark.usefixtures("alone")
@pytest.mark.verifies("SRS-335")
def test_a_scan_gone_ahead_is_ended_when_the_result_cache_answers(
    tmp_path: Path, started: list[bool]
) -> None:
    root = _fixture_project(tmp_path)
    first = check(root, use_cache=True, jobs=2)
    (root / ".medtrace" / "cache" / "tags.mtc").unlink()  # the scan is cold again
    again = check(root, use_cache=True, jobs=2)
    assert started == [True, True]
    assert again.cached and again.diagnostics == first.diagnostics
    assert again.statuses == first.statuses


# --- work shared with the child ahead: a claim, a batch split from both ends -------------------


def _claims(claim: workers.Claim, out: Path) -> None:
    out.write_text("took" if claim.take() else "missed", encoding="utf-8")


@LINUX
@pytest.mark.usefixtures("alone")
@pytest.mark.verifies("SRS-336")
def test_a_claim_is_taken_once_by_either_process(tmp_path: Path) -> None:
    out = tmp_path / "child"
    claim = workers.Claim()
    with workers.Ahead(lambda: _claims(claim, out), 2) as ahead:
        ahead.wait()
    assert out.read_text(encoding="utf-8") == "took"
    assert not claim.take() and not claim.take()  # the child had it
    claim.close()
    mine = workers.Claim()
    assert mine.take()
    with workers.Ahead(lambda: _claims(mine, out), 2) as ahead:
        ahead.wait()
    assert out.read_text(encoding="utf-8") == "missed"
    mine.close()


def _tagged(chunk: list[int]) -> list[tuple[int, int]]:
    return [(n * n, os.getpid()) for n in chunk]


def _helps_once_offered(split: workers.Split[int, tuple[int, int]], dies: bool = False) -> None:
    import time

    for _ in range(2000):  # (the test offers at once; this bounds a broken one)
        if split._get(0):
            break
        time.sleep(0.005)

    def work(chunk: list[int]) -> list[tuple[int, int]]:
        if dies and chunk[0] < 40:
            os._exit(3)  # killed after some chunks, before handing anything back
        return _tagged(chunk)

    split.help(pickle.loads, work)


def _run_split(
    split: workers.Split[int, tuple[int, int]],
    batch: list[int],
    wait: Callable[[], None] = lambda: None,
) -> list[int]:
    """This process's side of a split: its chunks, then the child's (after ``wait``), and any
    chunk neither did (what the loader does)."""
    mine = {}
    while (index := split.take()) is not None:
        mine[index] = _tagged(split.chunk(batch, index))
    theirs = split.theirs(wait)
    done: list[tuple[int, int]] = []
    for index in range(split.chunks):
        done += mine.get(index) or theirs.get(index) or _tagged(split.chunk(batch, index))
    assert all(pid != os.getpid() for records in theirs.values() for _, pid in records)
    return [n for n, _ in done]


@LINUX
@pytest.mark.usefixtures("alone")
@pytest.mark.verifies("SRS-336")
def test_a_split_batch_taken_by_the_child_gives_the_plain_result() -> None:
    batch = list(range(103))
    split: workers.Split[int, tuple[int, int]] = workers.Split()
    with workers.Ahead(lambda: _helps_once_offered(split), 2) as ahead:
        split.offer(pickle.dumps(batch), len(batch), 10)
        ahead.wait()  # the child took every chunk from the back before this one started
        assert split.take() is None
        theirs = split.theirs(ahead.wait)
        assert sorted(theirs) == list(range(11)) and len(theirs[10]) == 3
        assert _run_split(split, batch) == [n * n for n in batch]
    split.close()


@LINUX
@pytest.mark.usefixtures("alone")
@pytest.mark.verifies("SRS-336")
def test_a_split_whose_child_dies_or_never_helps_is_done_here() -> None:
    batch = list(range(103))
    dying: workers.Split[int, tuple[int, int]] = workers.Split()
    with workers.Ahead(lambda: _helps_once_offered(dying, dies=True), 2) as ahead:
        dying.offer(pickle.dumps(batch), len(batch), 10)
        ahead.wait()
        assert dying.theirs(ahead.wait) == {}  # it handed nothing back
        assert _run_split(dying, batch) == [n * n for n in batch]
    dying.close()
    idle: workers.Split[int, tuple[int, int]] = workers.Split()
    with workers.Ahead(lambda: idle.help(pickle.loads, _tagged), 2) as ahead:
        ahead.wait()  # ended before anything was offered
        idle.offer(pickle.dumps(batch), len(batch), 10)
        assert _run_split(idle, batch) == [n * n for n in batch]
    idle.close()


@LINUX
@pytest.mark.usefixtures("alone")
@pytest.mark.verifies("SRS-336")
def test_a_split_batch_taken_from_both_ends_gives_the_plain_result() -> None:
    for size in (1, 7, 64):
        batch = list(range(997))
        split: workers.Split[int, tuple[int, int]] = workers.Split()
        with workers.Ahead(functools.partial(_helps_once_offered, split), 2) as ahead:
            split.offer(pickle.dumps(batch), len(batch), size)
            assert _run_split(split, batch, ahead.wait) == [n * n for n in batch]
            ahead.wait()
        split.close()


@LINUX
@pytest.mark.usefixtures("alone")
@pytest.mark.verifies("SRS-335", "SRS-336")
def test_a_cold_check_sharing_its_load_with_the_child_gives_the_one_process_result(
    tmp_path: Path, started: list[bool]
) -> None:
    files = {
        f"docs/SRS-{n}.md": f"---\ntype: functional\nparents: [SYS-1]\n---\n# Dose {n}\n"
        for n in range(1, 1101)
    }
    files["docs/system.yaml"] = "- id: SYS-1\n  title: Dosing\n"
    files["docs/SRS-9.md"] = "---\ntype: nonsense\nparents: [SRS-09, SYS-404]\n---\n# Broken\n"
    for module in range(30):
        tags = "".join(
            f"def f{n}():  # @implements SRS-{module * 30 + n + 1}\n    return 1\n"
            for n in range(30)
        )
        files[f"src/m{module}.py"] = tags
        files[f"tests/test_m{module}.py"] = "".join(
            f'def test_{n}():\n    """@verifies SRS-{module * 30 + n + 1}"""\n' for n in range(30)
        )
    config = '[project]\nname = "fixture"\nclass = "C"\n\n[paths]\nitems = ["docs"]\n'
    config += 'sources = ["src/**/*.py"]\ntests = ["tests/**/*.py"]\n'
    root = write_project(tmp_path, files, config=config)
    two = check(root, use_cache=True, jobs=2)
    one = check(root, use_cache=False, jobs=1)
    assert started == [True]
    assert one.diagnostics == two.diagnostics and one.statuses == two.statuses
    assert {"MT008", "MT010", "MT101"} <= {d.code for d in one.diagnostics}


@LINUX
@pytest.mark.usefixtures("alone")
@pytest.mark.verifies("SRS-335", "SRS-336")
def test_a_cold_check_without_memory_files_or_with_a_failing_child_gives_the_same_result(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, started: list[bool]
) -> None:
    import medtrace.pipeline as pipeline

    root = _fixture_project(tmp_path)
    one = check(root, use_cache=False, jobs=1)

    def no_memfd() -> None:
        raise OSError("no memfd here")

    real_split = workers.Split
    monkeypatch.setattr(workers, "Split", no_memfd)
    assert check(root, use_cache=True, jobs=2).statuses == one.statuses
    monkeypatch.setattr(workers, "Split", real_split)
    (root / ".medtrace").joinpath("cache", "tags.mtc").unlink()
    parent, real = os.getpid(), pipeline._scan

    def fails_in_the_child(*args: Any) -> Any:
        if os.getpid() != parent:
            raise RuntimeError("the child's scan failed")
        return real(*args)

    monkeypatch.setattr(pipeline, "_scan", fails_in_the_child)
    monkeypatch.setattr(pipeline, "_cached", lambda inputs: None)  # the check must run
    two = check(root, use_cache=True, jobs=2)
    assert started == [True, True]  # (the one-process check made none)
    assert two.diagnostics == one.diagnostics and two.statuses == one.statuses


@pytest.mark.verifies("SRS-335")
def test_the_scan_cache_named_ahead_is_the_scanners() -> None:
    from medtrace.pipeline import _SCAN_CACHE
    from medtrace.scanning.scanner import CACHE_NAMESPACE

    assert _SCAN_CACHE == CACHE_NAMESPACE


@pytest.mark.verifies("SRS-335")
def test_a_check_answered_by_the_result_cache_imports_no_scanner_nor_workers(
    tmp_path: Path,
) -> None:
    root = _fixture_project(tmp_path)
    assert not check(root, use_cache=True).cached
    code = (
        "import sys, pathlib, medtrace; r = medtrace.check(pathlib.Path(sys.argv[1])); "
        "print(r.cached, sorted(m for m in sys.modules if m.startswith(("
        "'medtrace.scanning.scanner', 'medtrace.workers', 'multiprocessing', 'tree_sitter'))))"
    )
    run = [sys.executable, "-c", code, str(root)]
    out = subprocess.run(run, capture_output=True, text=True, check=True, timeout=60)
    assert out.stdout.strip() == "True []", out.stderr


@pytest.mark.verifies("SRS-336")
@pytest.mark.parametrize("offered", [False, True])
def test_the_child_reads_the_results_only_before_the_item_files_are_offered(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, offered: bool
) -> None:
    import medtrace.pipeline as pipeline
    from medtrace.config import load_config

    done: list[str] = []
    monkeypatch.setattr(pipeline, "_scan", lambda *args: done.append("scan"))
    monkeypatch.setattr(pipeline, "_results", lambda *args: done.append("results"))
    monkeypatch.setattr("medtrace.loading.help_load", lambda *args: done.append("help"))
    root = _fixture_project(tmp_path)
    claim: workers.Claim = workers.Claim()
    split: workers.Split[Any, Any] = workers.Split()
    if offered:
        split.offer(pickle.dumps([1, 2, 3]), 3, 1)
    pipeline._ahead_work(load_config(root), pipeline._selection(load_config(root)), claim, split)
    # (here, in one process: what the child does)
    assert done == (["scan", "help"] if offered else ["scan", "results", "help"])
    assert claim.take() is offered  # this process reads them when the child did not
    claim.close()
    split.close()


# --- a step the child does after sending its value -----------------------------------------------


@LINUX
@pytest.mark.usefixtures("alone")
@pytest.mark.verifies("SRS-353")
def test_then_runs_in_the_child_after_its_value_and_leaving_waits_for_it(tmp_path: Path) -> None:
    out = tmp_path / "then"
    gate_read, gate_write = os.pipe()

    def then() -> None:  # held until this process has the value: result() did not wait for it
        os.read(gate_read, 1)
        out.write_text(str(os.getpid()), encoding="utf-8")

    with workers.Beside(_where, 2, then=then) as running:
        pid, _ = running.result()
        assert not out.exists()
        os.write(gate_write, b"1")
    assert out.read_text(encoding="utf-8") == str(pid) != str(os.getpid())  # done, waited for
    os.close(gate_read)
    os.close(gate_write)


@pytest.mark.verifies("SRS-353")
def test_then_runs_here_after_the_work_with_one_job() -> None:
    order: list[str] = []

    def work() -> str:
        order.append("work")
        return "value"

    with workers.Beside(work, 1, then=lambda: order.append("then")) as running:
        assert running.result() == "value"
    assert order == ["work", "then"]


@LINUX
@pytest.mark.usefixtures("alone")
@pytest.mark.verifies("SRS-353")
def test_a_child_that_dies_leaves_then_to_this_process_too() -> None:
    here: list[int] = []
    with workers.Beside(_Flaky(), 2, then=lambda: here.append(os.getpid())) as running:
        assert running.result() == "done here"
    assert here == [os.getpid()]


@LINUX
@pytest.mark.usefixtures("alone")
@pytest.mark.verifies("SRS-353")
def test_a_child_doing_then_is_ended_when_the_caller_fails() -> None:
    pid = 0
    with (
        pytest.raises(RuntimeError, match="caller"),
        workers.Beside(_where, 2, then=_sleeps) as running,
    ):
        running.result()
        pid = running._pid
        raise RuntimeError("the caller's error")
    assert pid
    with pytest.raises(ChildProcessError):
        os.waitpid(pid, os.WNOHANG)  # killed and reaped, not waited for a minute


class _FakeAhead:
    """A child ahead that is said to run, doing nothing: the results are claimed here."""

    started = True

    def wait(self) -> None:
        pass

    def close(self) -> None:
        pass


@pytest.mark.verifies("SRS-354")
def test_with_a_child_ahead_the_results_are_read_before_the_load(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import medtrace.loading as loading
    import medtrace.pipeline as pipeline

    root = _fixture_project(tmp_path)
    alone = check(root, use_cache=False, jobs=1)
    order: list[str] = []
    real_results, real_load = pipeline._results, loading.load_items

    def results(*args: Any) -> Any:
        order.append("results")
        return real_results(*args)

    def load(*args: Any, **kwargs: Any) -> Any:
        order.append("load")
        return real_load(*args, **kwargs)

    ahead = pipeline._WorkAhead(_FakeAhead(), workers.Claim())  # type: ignore[arg-type]
    monkeypatch.setattr(pipeline, "_scan_ahead", lambda *args: ahead)
    monkeypatch.setattr(pipeline, "_results", results)
    monkeypatch.setattr(loading, "load_items", load)
    shared = check(root, use_cache=True, jobs=2)
    assert order == ["results", "load"]  # read once, here, before the load
    assert shared.diagnostics == alone.diagnostics and shared.statuses == alone.statuses


# --- the flag a child raises, and the scan read back during the load -----------------------------


@LINUX
@pytest.mark.usefixtures("alone")
@pytest.mark.verifies("SRS-354")
def test_a_flag_raised_by_a_child_is_seen_here_without_waiting() -> None:
    flag = workers.Flag()
    assert not flag.up()  # nothing raised: answered at once
    with workers.Ahead(flag.raise_, 2) as ahead:
        ahead.wait()
    assert flag.up() and flag.up()  # stays up
    flag.close()


@pytest.mark.verifies("SRS-354")
def test_the_scan_is_read_during_the_load_only_once_the_child_stored_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import medtrace.pipeline as pipeline
    from medtrace.config import load_config

    root = _fixture_project(tmp_path)
    config = load_config(root)
    selection = pipeline._selection(config)
    reads: list[int] = []
    real = pipeline._scan

    def scan(*args: Any) -> Any:
        reads.append(os.getpid())
        return real(*args)

    monkeypatch.setattr(pipeline, "_scan", scan)
    flag = workers.Flag()
    ahead = pipeline._WorkAhead(stored=flag)
    ahead.read_scan(config, selection)
    assert ahead.scan is None and reads == []  # not stored yet: not read
    flag.raise_()  # (as the child does once its scan is in the caches)
    ahead.read_scan(config, selection)
    ahead.read_scan(config, selection)
    assert reads == [os.getpid()]  # read once
    assert ahead.scan is not None
    assert [t.ids for t in ahead.scan.tags] == [("SRS-1",), ("SRS-1", "SRS-2")]
    flag.close()
