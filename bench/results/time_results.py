"""Time reading JUnit XML: a parse of a big file, and a warm re-run served by the cache.

    python bench/results/time_results.py [--count 100000] [--repeat 5]
    taskset -c 1 python bench/results/time_results.py   # pinned to one core

Makes the file in a temporary folder (see ``make_big_junit.py``), dated an hour ago as the
output of a finished test run is (a file younger than the cache's racy window, 2 s, is verified
by content on a warm run: that case is timed too). Prints one line per measure, best of
``--repeat`` runs; targets: parse <= 1.5 s, warm re-run <= 0.2 s for 100,000 test cases.
"""

from __future__ import annotations

import argparse
import os
import resource
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from make_big_junit import make_junit

from medtrace.results import load_results, parse_junit

Timing = tuple[float, float]


def best(repeat: int, run: Callable[[], object]) -> Timing:
    """The shortest wall and CPU times of ``repeat`` runs, in seconds.

    CPU time (this process, one core) is the figure to compare with the targets on a shared
    machine, where wall time also counts the waits for a core.
    """
    walls, cpus = [], []
    for _ in range(repeat):
        wall, cpu = time.perf_counter(), time.process_time()
        run()
        cpus.append(time.process_time() - cpu)
        walls.append(time.perf_counter() - wall)
    return min(walls), min(cpus)


def measure(count: int, repeat: int) -> list[tuple[str, Timing]]:
    data = make_junit(count)
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        results = root / "build" / "results.xml"
        results.parent.mkdir()
        results.write_bytes(data)
        hour_ago = time.time() - 3600
        os.utime(results, (hour_ago, hour_ago))
        cache = root / ".medtrace" / "cache"
        patterns = ["build/*.xml"]
        found = load_results(root, patterns, cache_dir=cache)
        assert len(found.results) == count, (len(found.results), found.diagnostics)
        figures = [
            ("parse_junit (bytes in memory)", best(repeat, lambda: parse_junit(data, "r.xml"))),
            ("load_results, no cache", best(repeat, lambda: load_results(root, patterns))),
            (
                "load_results, warm cache",
                best(repeat, lambda: load_results(root, patterns, cache_dir=cache)),
            ),
        ]
        os.utime(results)  # just written: the cache checks the content's digest
        load_results(root, patterns, cache_dir=cache)
        racy = best(repeat, lambda: load_results(root, patterns, cache_dir=cache))
        figures.append(("load_results, warm cache, file within the racy window", racy))
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    size = len(make_junit(args.count)) / 1e6
    print(f"{args.count} test cases, {size:.1f} MB, Python {sys.version.split()[0]}")
    print(f"{'best of ' + str(args.repeat):55} {'wall':>7}   {'cpu':>7}")
    for label, (wall, cpu) in measure(args.count, args.repeat):
        print(f"{label:55} {wall:7.3f} s {cpu:7.3f} s")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak RSS of this process (file, parse and cache included): {peak:.0f} MB")


if __name__ == "__main__":
    main()
