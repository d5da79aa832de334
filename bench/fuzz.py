"""Long fuzzing, on demand: each parser's property tests under the ``long`` Hypothesis profile,
run again and again with new seeds until the parser's time budget is spent.

    make fuzz                                    # 10 minutes per parser
    .venv/bin/python bench/fuzz.py --minutes 2 --only junit,tags

A failing test is left out of that parser's later runs (the others go on); its pytest output
(with the falsifying example) is written to ``bench/out/fuzz-PARSER-N.log``, and the example is
kept in ``.pytest_cache/hypothesis`` so that the next ordinary run of the test replays it.
Exits 1 if any parser failed.
"""

from __future__ import annotations

import argparse
import os
import random
import re
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


def fuzz(name: str, budget: float, out: Path) -> tuple[list[str], int, float]:
    """Runs of one parser's tests until the budget is spent; a test that fails is left out of
    the next runs (its log is kept), the others go on. Returns the failed tests."""
    env = {**os.environ, "HYPOTHESIS_PROFILE": "long"}
    started = time.monotonic()
    runs = 0
    failed: list[str] = []
    while (left := budget - (time.monotonic() - started)) > 5:
        seed = random.randrange(2**32)
        command = [
            sys.executable,
            "-m",
            "pytest",
            PARSERS[name],
            "-q",
            "-rf",
            "-p",
            "no:cacheprovider",
            f"--hypothesis-seed={seed}",
            "-W",
            "ignore::Warning",
        ]
        command += [f"--deselect={test}" for test in failed]
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
        runs += 1
        if done.returncode == 5:  # every test left out, or none collected
            break
        new = re.findall(r"^FAILED (\S+)", done.stdout, re.M)
        if done.returncode != 0 and not new:
            new = [f"{PARSERS[name]} (exit {done.returncode})"]
        for test in new:
            log = out / f"fuzz-{name}-{len(failed)}.log"
            log.write_text(f"$ {' '.join(command)}\n{done.stdout}{done.stderr}", encoding="utf-8")
            failed.append(test)
        if new and not new[0].startswith("tests/"):
            break
    return failed, runs, time.monotonic() - started


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
    any_failed = False
    for name in chosen:
        failed, runs, seconds = fuzz(name, args.minutes * 60, out)
        any_failed |= bool(failed)
        verdict = f"{len(failed)} failed: " + ", ".join(failed) if failed else "no failure found"
        print(f"{name:10} {runs:4d} runs in {seconds:6.0f} s: {verdict}", flush=True)
    return 1 if any_failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
