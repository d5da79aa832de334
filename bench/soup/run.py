"""Time ``medtrace soup`` on a lockfile of 2,000 packages and a SOUP list of 2,000 items.

The project is generated (deterministic): a ``package-lock.json`` (lockfileVersion 3) of N
runtime packages, a tree in which package i depends on packages 3i+1..3i+3 (depth 7 for 2,000,
as deep as real lockfiles go), and ``docs/soup.yaml`` with one complete SOUP
item per package, except that 1% of the items carry another version and 1% of the packages have
no item (so the report has real drift to show). Each run is a fresh ``medtrace soup --format
json`` process; the wall time of the median run is reported against the 1 s target.

Usage: ``python bench/soup/run.py [--packages 2000] [--repeat 5] [--out bench/out/soup]``
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

TARGET_SECONDS = 1.0


def _name(i: int) -> str:
    return f"@bench/pkg-{i:05d}" if i % 7 == 0 else f"pkg-{i:05d}"


def _lockfile(n: int) -> str:
    packages: dict[str, object] = {
        "": {"name": "bench-app", "version": "1.0.0", "dependencies": {_name(0): "1.0.0"}}
    }
    for i in range(n):
        deps = {_name(j): "^1.0.0" for j in range(3 * i + 1, min(3 * i + 4, n))}
        packages[f"node_modules/{_name(i)}"] = {"version": f"1.{i % 10}.0", "dependencies": deps}
    return json.dumps({"name": "bench-app", "lockfileVersion": 3, "packages": packages}, indent=2)


def _soup(n: int) -> str:
    lines = ["kind: soup", "items:"]
    for i in range(n):
        if i % 100 == 50:
            continue  # 1% unlisted
        version = f"1.{i % 10}.0" if i % 100 != 25 else "0.9.0"  # 1% another version
        name = _name(i)
        lines += [
            f'  - id: "{name}"',
            f'    title: "{name}"',
            "    manufacturer: Bench Inc.",
            f'    version: "{version}"',
            "    purpose: Generated for the benchmark.",
            f'    package: "{name}"',
            f"    purl: pkg:npm/{name.replace('@', '%40')}@{version}",
        ]
    return "\n".join(lines) + "\n"


def generate(root: Path, n: int) -> Path:
    """Write the benchmark project under ``root`` (replaced if it exists)."""
    if root.exists():
        shutil.rmtree(root)
    (root / "docs").mkdir(parents=True)
    (root / "medtrace.toml").write_text(
        '[project]\nname = "soup-bench"\nclass = "A"\n\n[paths]\nitems = ["docs"]\n'
        'lockfiles = ["package-lock.json"]\n',
        encoding="utf-8",
    )
    (root / "package-lock.json").write_text(_lockfile(n), encoding="utf-8")
    (root / "docs/soup.yaml").write_text(_soup(n), encoding="utf-8")
    return root


def _run(root: Path) -> tuple[float, dict[str, object]]:
    start = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "medtrace", "-C", str(root), "soup", "--format", "json"],
        capture_output=True,
        text=True,
        check=False,
    )
    elapsed = time.perf_counter() - start
    if done.returncode not in (0, 1):
        raise SystemExit(f"medtrace soup failed ({done.returncode}): {done.stderr}")
    return elapsed, json.loads(done.stdout)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--packages", type=int, default=2000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--out", type=Path, default=Path("bench/out/soup"))
    parser.add_argument(
        "--empty-list", action="store_true", help="no SOUP item at all: every package unlisted"
    )
    args = parser.parse_args()
    root = generate(args.out, args.packages)
    if args.empty_list:
        (root / "docs/soup.yaml").write_text("kind: soup\nitems: []\n", encoding="utf-8")
    times, report = [], {}
    for _ in range(args.repeat):
        elapsed, report = _run(root)
        times.append(elapsed)
    median = statistics.median(times)
    print(
        f"medtrace soup: {args.packages} packages, {len(report['matched'])} matched, "  # type: ignore[arg-type]
        f"{len(report['unlisted'])} unlisted, {len(report['mismatched'])} other version; "  # type: ignore[arg-type]
        f"median {median:.3f} s of {args.repeat} runs (min {min(times):.3f} s, "
        f"max {max(times):.3f} s); target < {TARGET_SECONDS:.1f} s: "
        f"{'met' if median < TARGET_SECONDS else 'MISSED'}"
    )
    return 0 if median < TARGET_SECONDS else 1


if __name__ == "__main__":
    sys.exit(main())
