"""Compare everything the scanner finds, in full, between a git revision and the working tree.

For each tree given, runs ``dump.py`` (cold and warm scans, every tag, test, file and
diagnostic with all their fields) once with the scanner of ``--base`` (exported from git into a
temporary folder) and once with the working tree's, and compares the two outputs byte for
byte. A tree is a bench tree (``manifest.json``), a project (its configuration), or
``FOLDER:GLOB[,GLOB...]`` (source globs; ``FOLDER:GLOBS:TEST_GLOBS`` adds test files).

Usage: ``python bench/scan/compare.py [--base main] TREE [TREE...]``
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPOSITORY = HERE.parents[1]


def export(revision: str, folder: Path) -> Path:
    """The ``src`` folder of ``revision``, written under ``folder``."""
    archive = subprocess.run(
        ["git", "-C", str(REPOSITORY), "archive", revision, "src"],
        check=True,
        capture_output=True,
    ).stdout
    subprocess.run(["tar", "-x", "-C", str(folder)], input=archive, check=True)
    return folder / "src"


def dump(source: Path, tree: str, out: Path) -> str:
    """``dump.py`` of ``tree`` with the scanner in ``source``; what it printed."""
    folder, _, globs = tree.partition(":")
    command = [sys.executable, str(HERE / "dump.py"), folder, str(out)]
    sources, _, tests = globs.partition(":")
    command += [f"--glob={glob}" for glob in sources.split(",") if glob]
    command += [f"--tests={glob}" for glob in tests.split(",") if glob]
    environment = {**os.environ, "PYTHONPATH": str(source)}
    done = subprocess.run(command, env=environment, capture_output=True, text=True, check=False)
    return (done.stdout + done.stderr).strip()


def first_difference(before: list[str], after: list[str]) -> str:
    for number, (old, new) in enumerate(zip(before, after, strict=False), 1):
        if old != new:
            return f"line {number}:\n  - {old.strip()}\n  + {new.strip()}"
    return f"{len(before)} lines before, {len(after)} after"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("trees", nargs="+")
    parser.add_argument("--base", default="main", help="the git revision to compare with")
    args = parser.parse_args()
    different = 0
    with tempfile.TemporaryDirectory(prefix="medtrace-compare-") as folder:
        base = export(args.base, Path(folder))
        for number, tree in enumerate(args.trees):
            outputs = [Path(folder) / f"{number}-{side}.jsonl" for side in ("base", "work")]
            said = [dump(base, tree, outputs[0]), dump(REPOSITORY / "src", tree, outputs[1])]
            before, after = (
                p.read_text("utf-8").splitlines() if p.exists() else [] for p in outputs
            )
            same = bool(before) and before == after
            different += not same
            verdict = "identical" if same else "DIFFERENT, " + first_difference(before, after)
            print(f"{tree}: {len(before)} findings, {verdict}")
            print(f"  {args.base}: {said[0]}\n  work: {said[1]}")
    return 1 if different else 0


if __name__ == "__main__":
    sys.exit(main())
