"""Time ``medtrace check`` with and without the architecture conformance and interface rules.

A synthetic tree (``bench/scan/generate_tree.py``: Python, C and TypeScript files with their
imports and tests) gets a class B configuration and three software items owning its three
source folders, with an OpenAPI interface. ``check`` then runs, each time in a fresh process:

- ``off``: the rules MT165-MT174 set to ``off`` (what ``check`` cost before them);
- ``on``: every rule on;

each cold (``.medtrace/`` deleted: every file parsed, the imports read and cached) and
``imports-warm`` (only the result cache deleted: tags and imports come from the file caches,
the rules run again). The figure that matters is ``on`` against ``off`` in each state (the
target: within 25 %).

Usage: ``python bench/conformance/run.py [--files 20000] [--repeat 1] [--keep DIR]``
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

HERE = Path(__file__).resolve().parent
RULES = [f"MT{n}" for n in range(165, 175)]
ITEMS = """\
kind: software-item
items:
  - id: product
    title: Product
    class: B
  - id: app
    title: App
    parent: product
    class: B
    paths: ["app/src/**"]
    interfaces:
      - {name: API, kind: openapi, spec: api/openapi.yaml}
  - id: fw
    title: Firmware
    parent: product
    class: B
    paths: ["fw/src/**"]
  - id: web
    title: Web
    parent: product
    class: B
    paths: ["web/src/**"]
    uses: [app]
"""
OPENAPI = """\
openapi: 3.0.3
info: {title: Bench, version: "1"}
paths:
  /doses:
    get:
      operationId: listDoses
      responses: {"200": {description: OK}}
"""


def _project(out: Path, files: int) -> None:
    subprocess.run(
        [
            sys.executable,
            str(HERE.parent / "scan" / "generate_tree.py"),
            str(out),
            "--files",
            str(files),
        ],
        check=True,
        stdout=subprocess.DEVNULL,
    )
    manifest = json.loads((out / "manifest.json").read_text())
    (out / "docs").mkdir(exist_ok=True)
    (out / "docs" / "architecture.yaml").write_text(ITEMS)
    (out / "api").mkdir(exist_ok=True)
    (out / "api" / "openapi.yaml").write_text(OPENAPI)
    _config(out, manifest, rules_on=True)


def _config(out: Path, manifest: dict[str, list[str]], *, rules_on: bool) -> None:
    rules = "" if rules_on else "\n[rules]\n" + "".join(f'{r} = "off"\n' for r in RULES)
    (out / "medtrace.toml").write_text(
        f"""[project]
name = "bench"
class = "B"

[paths]
items = ["docs"]
sources = {json.dumps(manifest["sources"])}
tests = {json.dumps(manifest["tests"])}
exclude = {json.dumps(manifest.get("exclude", []))}
{rules}"""
    )


def _time(out: Path, state: str) -> float:
    cache = out / ".medtrace"
    if state == "cold":
        shutil.rmtree(cache, ignore_errors=True)
    else:
        (cache / "check.pickle").unlink(missing_ok=True)
    start = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "medtrace", "-C", str(out), "check", "--format", "json"],
        capture_output=True,
        check=False,
    )
    took = time.perf_counter() - start
    if done.returncode not in (0, 1):
        raise SystemExit(f"check failed: {done.stderr.decode()[-2000:]}")
    return took


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=20_000)
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--keep", type=Path, help="generate here and keep the tree")
    args = parser.parse_args(argv)
    out = args.keep or Path(tempfile.mkdtemp(prefix="medtrace-conformance-"))
    _project(out, args.files)
    manifest = json.loads((out / "manifest.json").read_text())
    figures: dict[str, float] = {}
    for rules_on in (False, True):
        _config(out, manifest, rules_on=rules_on)
        for state in ("cold", "imports-warm"):
            runs = [_time(out, state) for _ in range(args.repeat)]
            figures[f"{'on' if rules_on else 'off'} {state}"] = statistics.median(runs)
    for name, seconds in figures.items():
        print(f"{name:20} {seconds:7.2f} s")
    for state in ("cold", "imports-warm"):
        ratio = figures[f"on {state}"] / figures[f"off {state}"]
        print(f"on/off {state:13} {ratio:7.2f}")
    if not args.keep:
        shutil.rmtree(out, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
