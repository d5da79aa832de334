"""Long fuzzing, on demand: each parser's property tests under the ``long`` Hypothesis profile,
run again and again with new seeds until the parser's time budget is spent.

    make fuzz                                    # 10 minutes per parser
    .venv/bin/python bench/fuzz.py --minutes 2 --only junit,tags

A failure stops that parser's runs; its pytest output (with the falsifying example and the
``@reproduce_failure`` blob) is written to ``bench/out/fuzz-PARSER.log``, and the example is
kept in ``.pytest_cache/hypothesis`` so that the next ordinary run of the test replays it.
Exits 1 if any parser failed.
"""

from __future__ import annotations

import argparse
import os
import random
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PARSERS = {
    "items": "tests/property/test_items.py",
    "config": "tests/property/test_config.py",
    "junit": "tests/property/test_junit.py",
    "tags": "tests/property/test_tags.py",
    "scanners": "tests/property/test_scanners.py",
    "ids": "tests/property/test_ids.py",
    "pipeline": "tests/property/test_pipeline.py",
}


def fuzz(name: str, budget: float, out: Path) -> tuple[str, int, float]:
    """Runs of one parser's tests until the budget is spent or one fails."""
    env = {**os.environ, "HYPOTHESIS_PROFILE": "long"}
    started = time.monotonic()
    runs = 0
    while (left := budget - (time.monotonic() - started)) > 5:
        seed = random.randrange(2**32)
        command = [
            sys.executable,
            "-m",
            "pytest",
            PARSERS[name],
            "-q",
            "-x",
            "-p",
            "no:cacheprovider",
            f"--hypothesis-seed={seed}",
            "-W",
            "ignore::Warning",
        ]
        try:
            done = subprocess.run(
                command,
                cwd=ROOT,
                env=env,
                capture_output=True,
                text=True,
                timeout=left,
                check=False,
            )
        except subprocess.TimeoutExpired:
            break  # the budget ran out in the middle of a run: nothing found in it so far
        if done.returncode == 5:  # no test collected: a wrong path, not a pass
            return "FAILED (no tests collected)", runs, time.monotonic() - started
        runs += 1
        if done.returncode != 0:
            log = out / f"fuzz-{name}.log"
            log.write_text(f"$ {' '.join(command)}\n{done.stdout}{done.stderr}", encoding="utf-8")
            return (
                f"FAILED (seed {seed}; see {log.relative_to(ROOT)})",
                runs,
                time.monotonic() - started,
            )
    return "no failure found", runs, time.monotonic() - started


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--minutes", type=float, default=10.0, help="budget per parser")
    parser.add_argument("--only", default="", help=f"comma-separated, from: {', '.join(PARSERS)}")
    args = parser.parse_args(argv)
    chosen = [p for p in args.only.split(",") if p] or list(PARSERS)
    unknown = set(chosen) - set(PARSERS)
    if unknown:
        parser.error(f"unknown parsers: {', '.join(sorted(unknown))}")
    out = ROOT / "bench" / "out"
    out.mkdir(parents=True, exist_ok=True)
    failed = False
    for name in chosen:
        verdict, runs, seconds = fuzz(name, args.minutes * 60, out)
        failed |= verdict.startswith("FAILED")
        print(f"{name:10} {runs:4d} runs in {seconds:6.0f} s: {verdict}", flush=True)
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
