"""Time finding files: a wide tree, and a diamond of folder links.

- **tree**: ``--files`` code files (20 per folder) and one item file per 20 code files; the
  scan's and the items' file finding (``medtrace.scanning.files.discover``,
  ``medtrace.loading.discover.discover``), CPU time, best of ``--runs``.
- **diamond**: ``--layers`` folders, each with two links to the next one (2**layers paths to
  the last folder, whose one file must be found once); the items', results' and scan's file
  finding on it. A walk that follows paths rather than folders never ends here.

Each figure is the CPU time (``time.process_time``) of this process: no disk cache is dropped,
so these are warm-cache figures of the walk itself.

Usage: ``python bench/walk/run.py [--files 20000] [--layers 22] [--runs 5]``
"""

from __future__ import annotations

import argparse
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from medtrace.loading.discover import discover as find_items
from medtrace.results.loader import expand
from medtrace.scanning.files import discover as find_code


def tree(root: Path, files: int) -> None:
    for index in range(files):
        folder = root / "src" / f"m{index // 400}" / f"p{index // 20}"
        if index % 20 == 0:
            folder.mkdir(parents=True)
            docs = root / "docs" / f"m{index // 400}"
            docs.mkdir(parents=True, exist_ok=True)
            (docs / f"r{index // 20}.md").write_text("x\n")
        (folder / f"f{index % 20}.py").write_text("x = 1\n")


def diamond(root: Path, layers: int) -> None:
    base = root / "docs"
    for layer in range(layers + 1):
        (base / f"l{layer}").mkdir(parents=True)
    (base / f"l{layers}" / "end.md").write_text("x\n")
    for layer in range(layers):
        for name in "ab":
            (base / f"l{layer}" / name).symlink_to(f"../l{layer + 1}")


def best(runs: int, work: Callable[[], int]) -> tuple[float, int]:
    times, found = [], 0
    for _ in range(runs):
        started = time.process_time()
        found = work()
        times.append(time.process_time() - started)
    return min(times), found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=20_000)
    parser.add_argument("--layers", type=int, default=22)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="medtrace-walk-") as folder:
        wide, maze = Path(folder) / "wide", Path(folder) / "maze"
        tree(wide, args.files)
        diamond(maze, args.layers)
        cases: list[tuple[str, Callable[[], int]]] = [
            ("tree: scan", lambda: len(find_code(wide, ["src/**/*.py"], []).files)),
            ("tree: items", lambda: len(find_items(wide, ["docs"]).files)),
            ("diamond: items", lambda: len(find_items(maze, ["docs/**"]).files)),
            ("diamond: results", lambda: len(expand(maze, ["docs/**/*.md"], []))),
            ("diamond: scan", lambda: len(find_code(maze, ["docs/**"], []).files)),
        ]
        print(f"{'case':<18} {'files':>7} {'CPU s':>8}")
        for name, work in cases:
            seconds, found = best(args.runs, work)
            print(f"{name:<18} {found:>7} {seconds:>8.3f}")


if __name__ == "__main__":
    main()
