"""Time the tag scanner on a synthetic tree, cold and warm, on one CPU core or on all of them.

Generates the tree with ``generate_tree.py`` (unless ``--tree`` names one already generated),
then, each in a fresh process pinned to one core (``--core N``) or free to use every core
(``--core all``: the scan then parses in worker processes, see ``medtrace.workers``):

- a cold scan (empty cache), checked against the tree's manifest (every tag and test found);
- a warm scan (same cache, nothing changed);
- ``rg -c '@(implements|verifies)'`` over the same tree when ripgrep is installed, as the floor
  of what finding the tags costs (it neither parses nor attributes them).

Prints a table and the ratios; ``--json FILE`` also writes the figures.

Usage: ``python bench/scan/run.py [--files 20000] [--tree DIR] [--core 0|all] [--runs 3]``
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import generate_tree  # noqa: E402

_CHILD = """
import json, os, resource, sys, time
if {core} is not None:
    os.sched_setaffinity(0, {{{core}}})
from pathlib import Path
from medtrace.scanning import scan
root = Path(sys.argv[1])
manifest = json.loads((root / "manifest.json").read_text())
wall, cpu = time.perf_counter(), time.process_time()
found = scan(root, manifest["sources"], manifest["tests"], manifest["exclude"],
             cache_dir=Path(sys.argv[2]))
print(json.dumps({{
    "wall": time.perf_counter() - wall,
    "cpu": time.process_time() - cpu + sum(resource.getrusage(resource.RUSAGE_CHILDREN)[:2]),
    "files": len(found.files), "tags": len(found.tags), "tests": len(found.tests),
    "diagnostics": len(found.diagnostics),
}}))
"""


def scan_once(tree: Path, cache: Path, core: int | None) -> dict[str, float]:
    """One scan in a fresh process pinned to ``core`` (``None``: every core)."""
    code = _CHILD.format(core=core)
    done = subprocess.run(
        [sys.executable, "-c", code, str(tree), str(cache)],
        check=True,
        capture_output=True,
        text=True,
    )
    figures: dict[str, float] = json.loads(done.stdout)
    return figures


def ripgrep(tree: Path, core: int | None) -> float | None:
    """Seconds ``rg -c`` takes over the tree on ``core`` (``None`` without ripgrep)."""
    rg = shutil.which("rg")
    if rg is None:
        return None
    command = [rg, "-c", "--no-messages", "@(implements|verifies)", str(tree)]
    if core is not None and shutil.which("taskset"):
        command = ["taskset", "-c", str(core), *command]
    start = time.perf_counter()
    subprocess.run(command, check=False, stdout=subprocess.DEVNULL)
    return time.perf_counter() - start


def best(runs: list[dict[str, float]]) -> dict[str, float]:
    return min(runs, key=lambda r: r["wall"])


def measure(tree: Path, core: int | None, runs: int) -> dict[str, object]:
    cold_runs, warm_runs = [], []
    for _ in range(runs):
        with tempfile.TemporaryDirectory(prefix="medtrace-scan-cache-") as cache:
            cold_runs.append(scan_once(tree, Path(cache), core))
            warm_runs.append(scan_once(tree, Path(cache), core))
    rg_times = [t for t in (ripgrep(tree, core) for _ in range(runs)) if t is not None]
    return {
        "cold": best(cold_runs),
        "warm": best(warm_runs),
        "rg": min(rg_times) if rg_times else None,
    }


def check(found: dict[str, float], expected: dict[str, object]) -> list[str]:
    problems = []
    for key in ("tags", "tests"):
        if found[key] != expected[key]:
            problems.append(f"{key}: found {found[key]:.0f}, expected {expected[key]}")
    if found["diagnostics"]:
        problems.append(f"{found['diagnostics']:.0f} unexpected diagnostics")
    return problems


def report(figures: dict[str, object], manifest: dict[str, object]) -> str:
    expected = manifest["expected"]
    assert isinstance(expected, dict)
    cold, warm, rg = figures["cold"], figures["warm"], figures["rg"]
    assert isinstance(cold, dict) and isinstance(warm, dict)
    lines = [
        f"tree: {expected['files']} files, {expected['lines']} lines, {expected['tags']} tags, "
        f"{expected['tests']} tests",
        f"{'':12s}{'wall s':>10s}{'cpu s':>10s}{'x rg':>8s}",
    ]
    for name, run in (("cold scan", cold), ("warm scan", warm)):
        ratio = f"{run['wall'] / rg:8.1f}" if isinstance(rg, float) and rg else f"{'-':>8s}"
        lines.append(f"{name:12s}{run['wall']:10.2f}{run['cpu']:10.2f}{ratio}")
    if isinstance(rg, float):
        lines.append(f"{'rg -c':12s}{rg:10.2f}")
    else:
        lines.append("rg -c       not installed (apt-get install ripgrep)")
    problems = check(cold, expected) + check(warm, expected)
    lines.append("check: " + ("every tag and test found" if not problems else "; ".join(problems)))
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=20_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--tree", type=Path, help="a tree made by generate_tree.py (kept)")
    parser.add_argument(
        "--core",
        default="0",
        help="the CPU core to run on, or 'all' (every core, worker processes)",
    )
    parser.add_argument("--runs", type=int, default=3, help="best of this many runs")
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    args = parser.parse_args(argv)
    args.core = None if args.core == "all" else int(args.core)
    if args.tree is not None:
        return run(args.tree, args)
    with tempfile.TemporaryDirectory(prefix="medtrace-scan-tree-") as folder:
        tree = Path(folder) / "tree"
        counts = generate_tree.generate(tree, args.files, args.seed)
        generate_tree.write_manifest(tree, args.files, args.seed, counts)
        return run(tree, args)


def run(tree: Path, args: argparse.Namespace) -> int:
    manifest = json.loads((tree / "manifest.json").read_text(encoding="utf-8"))
    figures = measure(tree, args.core, args.runs)
    print(report(figures, manifest))
    if args.json is not None:
        args.json.write_text(json.dumps(figures, indent=2) + "\n", encoding="utf-8")
    expected = manifest["expected"]
    cold = figures["cold"]
    assert isinstance(cold, dict)
    return 0 if not check(cold, expected) else 1


if __name__ == "__main__":
    if not hasattr(os, "sched_setaffinity"):
        sys.exit("this benchmark pins processes to a CPU core: it needs Linux")
    sys.exit(main())
