"""Time ``history`` and ``impact`` on a large repository (built by ``make_repo.py`` if missing).

Times, each the median of ``--repeat`` runs: ``medtrace history ID`` (a fresh process), the
histories of every item at once (``item_histories``, in this process, the project already
loaded), and ``medtrace impact pr-base..HEAD`` (a typical pull request: the last 5 commits) in
a fresh process, with the project's caches removed first (cold) and kept (warm).

Usage: ``python bench/vcs/run.py [--repo bench/out/vcs-repo] [--repeat 3]``; prints a table
and writes ``bench/out/vcs.json``.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

HERE = Path(__file__).resolve().parent
OUT = HERE.parent / "out"
TARGET_S = 3.0


def medtrace() -> str:
    beside = Path(sys.executable).parent / "medtrace"
    found = str(beside) if beside.exists() else shutil.which("medtrace")
    if not found:
        sys.exit("medtrace is not installed in this environment")
    return found


def _cpu() -> float:
    """CPU seconds (user and system) of this process and of its finished children."""
    own, children = (
        resource.getrusage(resource.RUSAGE_SELF),
        resource.getrusage(resource.RUSAGE_CHILDREN),
    )
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def median(
    repeat: int, run: Callable[[], None], before: Callable[[], None] | None = None
) -> tuple[float, float]:
    """The median wall time and the median CPU time (on a shared machine, the CPU time says
    more: the wall time grows with everyone else's load)."""
    walls, cpus = [], []
    for _ in range(repeat):
        if before is not None:
            before()
        start, cpu = time.perf_counter(), _cpu()
        run()
        walls.append(time.perf_counter() - start)
        cpus.append(_cpu() - cpu)
    return statistics.median(walls), statistics.median(cpus)


def command(repo: Path, *args: str) -> Callable[[], None]:
    def run() -> None:
        subprocess.run([medtrace(), "-C", str(repo), *args], check=True, capture_output=True)

    return run


def all_histories(repo: Path) -> tuple[Callable[[], None], list[int]]:
    from medtrace.pipeline import load_project
    from medtrace.vcs.history import item_histories

    project = load_project(repo)
    counts: list[int] = []

    def run() -> None:
        found = item_histories(repo, project.model, project.config)
        counts[:] = [len(found.changes), sum(len(c) for c in found.changes.values())]

    return run, counts


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repo", type=Path, default=OUT / "vcs-repo")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--commits", type=int, default=10_000)
    parser.add_argument("--items", type=int, default=20_000)
    args = parser.parse_args(argv)
    if not args.repo.exists():
        make = [sys.executable, str(HERE / "make_repo.py"), str(args.repo)]
        subprocess.run(
            [*make, "--commits", str(args.commits), "--items", str(args.items)], check=True
        )
    cache = args.repo / ".medtrace"
    rows: dict[str, tuple[float, float]] = {}
    rows["history RISK-5 (one item)"] = median(args.repeat, command(args.repo, "history", "RISK-5"))
    run, counts = all_histories(args.repo)
    rows["item_histories (every item)"] = median(args.repeat, run)
    impact = command(args.repo, "impact", "pr-base..HEAD")
    rows["impact pr-base..HEAD, cold"] = median(
        args.repeat, impact, lambda: shutil.rmtree(cache, ignore_errors=True)
    )
    rows["impact pr-base..HEAD, warm"] = median(args.repeat, impact)
    width = max(map(len, rows))
    print(f"{args.repo}: {counts[0]} items, {counts[1]} changes; load {os.getloadavg()[0]:.1f}")
    print(f"{'':<{width}}  {'wall':>8}  {'CPU':>8}")
    for name, (wall, cpu) in rows.items():
        print(f"{name:<{width}}  {wall:6.2f} s  {cpu:6.2f} s")
    OUT.mkdir(exist_ok=True)
    (OUT / "vcs.json").write_text(json.dumps({"rows": rows, "counts": counts}, indent=2) + "\n")
    return 0 if rows["impact pr-base..HEAD, warm"][1] < TARGET_S else 1


if __name__ == "__main__":
    sys.exit(main())
