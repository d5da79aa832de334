"""CPU time of each stage of one ``medtrace check``, in this process (no profiler).

Usage: ``python bench/stages.py PROJECT [--edit] [--cold] [--jobs N]``

- ``--edit`` appends a sentence to one software requirement's text first (the one-edit case);
- ``--cold`` deletes the project's ``.medtrace`` folder first (no cache);
- ``--jobs`` as ``check --jobs`` (default 1: every stage runs, and is timed, in this process;
  with 2 the rules that read only the model run in a second process and are not timed here,
  and, cold, the results and the scan run ahead in a child while the items load: this
  process then reads them from the caches, so its "scan" and "read results" are those reads).

Each stage is a function of the pipeline wrapped with ``time.process_time``; the table gives its
CPU seconds (calls nested in another timed stage are counted in both), then the whole check's.
A profiler's figures are two to five times these, unevenly: read these for where the time goes.
"""

from __future__ import annotations

import argparse
import shutil
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

TIMES: dict[str, float] = {}


def timed(owner: Any, name: str, label: str) -> None:
    """Replace ``owner.name`` with a wrapper adding its CPU time to ``TIMES[label]``."""
    real: Callable[..., Any] = getattr(owner, name)

    def wrapper(*args: Any, **kwargs: Any) -> Any:
        start = time.process_time()
        try:
            return real(*args, **kwargs)
        finally:
            TIMES[label] = TIMES.get(label, 0.0) + time.process_time() - start

    setattr(owner, name, wrapper)


def instrument() -> None:
    import medtrace.cache as cache
    import medtrace.checks as checks
    import medtrace.linking as linking
    import medtrace.loading as loading
    import medtrace.pipeline as pipeline
    import medtrace.results as results
    import medtrace.scanning as scanning
    import medtrace.scanning.files as files
    import medtrace.tracing as tracing

    timed(pipeline, "find_item_files", "find item files (walk, stat)")
    timed(files, "discover", "find code and test files")
    timed(pipeline, "_code_and_result_files", "stat results and other inputs")
    timed(cache.ResultCache, "lookup", "result cache: lookup")
    timed(loading, "load_items", "load items")
    timed(linking, "link_items", "link")
    timed(scanning, "scan", "scan code and tests")
    timed(results, "load_results", "read results")
    timed(tracing, "build_trace", "trace")
    timed(pipeline, "_model_findings", "rules reading the model")
    timed(checks, "rule_findings", "rules (all groups run here)")
    timed(cache.ResultCache, "store", "result cache: store")


def edit(project: Path) -> None:
    first = min(project.glob("docs/items/srs/*/SRS-*.md"))
    with first.open("a", encoding="utf-8") as fh:
        fh.write(f"Edited at {time.time_ns()}.\n")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("project", type=Path)
    parser.add_argument("--edit", action="store_true")
    parser.add_argument("--cold", action="store_true")
    parser.add_argument("--jobs", type=int, default=1)
    args = parser.parse_args()
    if args.cold:
        shutil.rmtree(args.project / ".medtrace", ignore_errors=True)
    if args.edit:
        edit(args.project)
    instrument()
    from medtrace.pipeline import check

    start = time.process_time()
    result = check(args.project, jobs=args.jobs)
    TIMES["check, whole"] = time.process_time() - start
    for label, seconds in TIMES.items():
        print(f"{label:34s} {seconds:7.3f}")
    print(f"cached: {result.cached}; findings: {len(result.diagnostics)}")


if __name__ == "__main__":
    main()
