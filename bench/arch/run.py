"""Time ``medtrace arch`` on the dense model (40 boxes, 80 flows): the system view as SVG,
and every view in every format, each in a fresh process (median of ``--repeat`` runs).

Usage: ``python bench/arch/run.py [--repeat 5]``; prints a table and writes
``bench/out/arch.json``.
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from generate import write_model

OUT = Path(__file__).resolve().parents[1] / "out"
TARGET_S = 2.0


def medtrace() -> str:
    beside = Path(sys.executable).parent / "medtrace"
    found = str(beside) if beside.exists() else shutil.which("medtrace")
    if not found:
        sys.exit("medtrace is not installed in this environment")
    return found


def timed(command: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(command, check=True, capture_output=True)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    if shutil.which("dot") is None:
        sys.exit("Graphviz is not installed (apt-get install graphviz)")
    results = {}
    with tempfile.TemporaryDirectory() as tmp:
        root = write_model(Path(tmp) / "dense")
        exe = medtrace()
        cases = {
            "system view, svg": [
                exe,
                "-C",
                str(root),
                "arch",
                "--format",
                "svg",
                "-o",
                f"{tmp}/s.svg",
                "--force",
            ],
            "all views, all formats": [
                exe,
                "-C",
                str(root),
                "arch",
                "--view",
                "all",
                "-o",
                f"{tmp}/all/",
                "--force",
            ],
            "dot -Tsvg alone": [
                "sh",
                "-c",
                f"{exe} -C {root} arch --format dot > {tmp}/s.dot && dot -Tsvg {tmp}/s.dot > /dev/null",
            ],
        }
        for name, command in cases.items():
            samples = [timed(command) for _ in range(args.repeat)]
            results[name] = {
                "median_s": round(statistics.median(samples), 3),
                "max_s": round(max(samples), 3),
            }
    OUT.mkdir(exist_ok=True)
    (OUT / "arch.json").write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    for name, r in results.items():
        flag = "" if r["median_s"] < TARGET_S else f"  (over the {TARGET_S} s target)"
        print(f"{name:28} median {r['median_s']:.3f} s   max {r['max_s']:.3f} s{flag}")


if __name__ == "__main__":
    main()
