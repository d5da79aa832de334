"""The hostile corpus runs once per session, in parallel; each case is then its own test.

``MEDTRACE_HOSTILE=full`` runs the full sizes (slow, on demand), each command as ``python -m
medtrace`` exactly as a user runs it; the default short profile runs every case with smaller
inputs through the fork runner (see :mod:`hostile.runner`). ``MEDTRACE_HOSTILE_WORKERS`` sets
how many cases run at once (default: the number of CPUs); ``MEDTRACE_HOSTILE_KEEP=1`` keeps
the folders of failing cases for a look.
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import pytest

from hostile.harness import CaseRun, Runner, judge, run_case
from hostile.profile import CASES, FULL_PROFILE, KEEP, MODE, SIZES
from hostile.project import remove_tree


@dataclass
class Verdict:
    """What one case's run showed: its problems (none: passed), time and peak memory."""

    problems: list[str]
    seconds: float
    maxrss_mb: int
    folder: Path | None


class Campaign:
    """Runs cases on a pool of runners, each case once."""

    def __init__(self, base: Path, workers: int) -> None:
        self.base = base
        self.workers = workers
        self.verdicts: dict[str, Verdict] = {}
        self.wall = 0.0
        self._runners: list[Runner] = []
        self._free: list[Runner] = []
        self._lock = threading.Lock()

    def run(self, names: list[str]) -> None:
        todo = [n for n in names if n not in self.verdicts]
        if not todo:
            return
        started = time.monotonic()
        with ThreadPoolExecutor(self.workers) as pool:
            for name, verdict in zip(todo, pool.map(self._one, todo), strict=True):
                self.verdicts[name] = verdict
        self.wall += time.monotonic() - started

    def _one(self, name: str) -> Verdict:
        runner = self._take()
        folder = self.base / f"case{list(CASES).index(name)}"
        try:
            done: CaseRun = run_case(CASES[name], folder, SIZES, runner)
            problems = judge(done)
        finally:
            self._give(runner)
        peak = max((c.maxrss_kb for c in done.commands), default=0) // 1024
        keep = KEEP and bool(problems)
        if not keep and folder.exists():
            remove_tree(folder)
        return Verdict(problems, done.seconds, peak, folder if keep else None)

    def _take(self) -> Runner:
        with self._lock:
            if self._free:
                return self._free.pop()
            runner = Runner(MODE)
            self._runners.append(runner)
            return runner

    def _give(self, runner: Runner) -> None:
        with self._lock:
            self._free.append(runner)

    def close(self) -> None:
        for runner in self._runners:
            runner.close()


_CAMPAIGN: list[Campaign] = []


@pytest.fixture(scope="session")
def campaign(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Campaign]:
    """Runs every selected case (all of them at once, in parallel) the first time it is asked."""
    # Two more than the CPUs: a case waiting for its timeout (a hang) uses no CPU.
    workers = int(os.environ.get("MEDTRACE_HOSTILE_WORKERS", (os.cpu_count() or 2) + 2))
    made = Campaign(tmp_path_factory.mktemp("hostile"), max(1, workers))
    selected = [
        item.callspec.params["name"]
        for item in request.session.items
        if item.originalname == "test_hostile_case" and hasattr(item, "callspec")
    ]
    made.run(selected)
    _CAMPAIGN.append(made)
    yield made
    made.close()


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """The figures of the campaign: cases, wall time, failures, the slowest cases."""
    if not _CAMPAIGN:
        return
    made = _CAMPAIGN[0]
    verdicts = made.verdicts
    failed = sorted(n for n, v in verdicts.items() if v.problems)
    write = terminalreporter.write_line
    terminalreporter.section("hostile corpus")
    write(
        f"{len(verdicts)} cases ({'full' if FULL_PROFILE else 'short'} profile, {MODE} runner, "
        f"{made.workers} at once) in {made.wall:.1f} s; {len(failed)} failing"
    )
    groups: dict[str, list[float]] = {}
    for name, v in verdicts.items():
        groups.setdefault(name.split("/")[0], []).append(v.seconds)
    write("  " + ", ".join(f"{g}: {len(t)} cases, {sum(t):.0f} s" for g, t in groups.items()))
    for passing in (False, True):
        chosen = [kv for kv in verdicts.items() if bool(kv[1].problems) is not passing]
        if chosen:
            write(f"  slowest {'passing' if passing else 'failing'} cases:")
        for name, v in sorted(chosen, key=lambda kv: -kv[1].seconds)[:5]:
            write(f"  {v.seconds:6.2f} s  {v.maxrss_mb:5d} MB  {name}")
    for name in failed:
        kept = verdicts[name].folder
        if kept is not None:
            write(f"  kept {kept} ({name})")
