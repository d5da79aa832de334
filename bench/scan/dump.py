"""Write everything a scan finds, in full, to compare two versions of the scanner exactly.

Scans a tree twice with one cache folder (cold, then warm), checks that both scans agree, and
writes one JSON line per tag, test, file, test file, skipped file and diagnostic (every field):
run it with each version of medtrace on ``PYTHONPATH`` and compare the outputs with ``cmp``.

The tree is a bench tree (its ``manifest.json`` gives the globs), a project (its configuration
gives them, with its ID prefixes) or any folder with ``--glob`` (source files) and ``--tests``
(test files).

Usage: ``python bench/scan/dump.py ROOT OUT [--glob GLOB ...] [--tests GLOB ...] [--jobs N]``
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any


def settings(root: Path, globs: list[str], tests: list[str]) -> dict[str, Any]:
    """The scan's arguments for ``root``: from ``globs`` and ``tests``, its manifest or its
    configuration."""
    if globs or tests:
        return {"sources": globs, "tests": tests, "exclude": []}
    manifest = root / "manifest.json"
    if manifest.exists():
        found = json.loads(manifest.read_text(encoding="utf-8"))
        return {key: found[key] for key in ("sources", "tests", "exclude")}
    from medtrace.config import load_config

    config = load_config(root)
    paths = config.paths
    return {
        "sources": paths.sources,
        "tests": paths.tests,
        "exclude": paths.exclude,
        "languages": config.languages,
        "id_prefixes": list(config.kind_by_prefix),
    }


def lines(found: Any) -> Iterator[str]:
    """Every finding of a scan result, one JSON line each, in the result's order."""
    for tag in found.tags:
        yield _line(
            "tag", tag.verb, tag.ids, tag.path, tag.line, tag.symbol, tag.symbol_line, tag.language
        )
    for test in found.tests:
        yield _line("test", test.path, test.name, test.line, test.language)
    for rel in found.files:
        yield _line("file", rel)
    for rel in found.test_files:
        yield _line("test file", rel)
    for rel, why in found.skipped:
        yield _line("skipped", rel, why)
    for diagnostic in found.diagnostics:
        yield _line("diagnostic", *diagnostic.to_tuple())


def _line(*fields: Any) -> str:
    return json.dumps(fields, ensure_ascii=False, default=repr)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("root", type=Path)
    parser.add_argument("out", type=Path)
    parser.add_argument("--glob", action="append", default=[], help="source files")
    parser.add_argument("--tests", action="append", default=[], help="test files")
    parser.add_argument("--jobs", type=int, default=0)
    args = parser.parse_args()
    from medtrace.scanning import scan

    options = settings(args.root, args.glob, args.tests)
    with tempfile.TemporaryDirectory(prefix="medtrace-dump-cache-") as cache:
        cold = list(lines(scan(args.root, **options, cache_dir=Path(cache), jobs=args.jobs)))
        warm = list(lines(scan(args.root, **options, cache_dir=Path(cache), jobs=args.jobs)))
    args.out.write_text("".join(line + "\n" for line in cold), encoding="utf-8")
    print(f"{args.root}: {len(cold)} findings", end="")
    if warm != cold:
        print(f"; the warm scan differs from the cold one ({len(warm)} findings)")
        return 1
    print("; the warm scan finds the same")
    return 0


if __name__ == "__main__":
    sys.exit(main())
