"""Benchmark the published documentation set: ``medtrace build`` against StrictDoc's HTML export
and Doorstop's ``publish all`` on the same generated requirements, and the site's search.

What is timed (each command pinned to one core in a fresh child process, through the harness
of ``bench/run.py``: its generator, its peers' virtualenv, its ``run_once``):

- medtrace: ``medtrace -C DIR build --out OUT`` cold (``DIR/.medtrace/`` and ``OUT`` deleted
  first) and unchanged (the same command again); the largest file and page of the output. When
  the installed medtrace has no ``build`` command yet, this is reported and skipped.
- StrictDoc: ``strictdoc export --no-parallelization --formats html`` (output and its cache
  deleted first); Doorstop: ``doorstop publish all OUT`` (HTML); their largest page too.
- the whole-set workbook (``medtrace.render.workbook``) of the same project, CPU time in this
  process after the trace.
- search: the site's own search (``medtrace.site.search``: the index and ``search.js``) over the
  generated project's items, in headless Chromium, timed with ``performance.now()`` per query.

Results: a table on stdout and ``bench/out/site.json``.
Usage: ``python bench/site/run.py [--sizes 1000,5000,20000] [--no-peers] [--no-medtrace]
[--search-size 20000] [--repeat 3] [--peer-repeat 1] [--out bench/out]``
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from types import ModuleType
from typing import Any

BENCH = Path(__file__).resolve().parents[1]
OUT = BENCH / "out"
DEFAULT_SIZES = (1000, 5000, 20000)
TARGET_BUILD_S = 20.0
TARGET_REBUILD_S = 2.0
TARGET_PAGE_BYTES = 2_000_000
TARGET_QUERY_MS = 100.0
#: Queries of the search timing: IDs, words, prefixes and typos (edit distance 1 and 2).
QUERIES = (
    "SRS-1234",
    "srs12",
    "SYS-7",
    "alarm",
    "occlusion",
    "dose limit",
    "bolus calc",
    "pressur",
    "occlsuion",
    "alrm",
    "insulin pump battery",
    "sensr calibraton",
    "d",  # one letter: every word starting with it (the widest prefix)
    "the pump",
)


def load_harness() -> ModuleType:
    """``bench/run.py`` as a module (its generator and peers' setup are reused, not copied)."""
    sys.path.insert(0, str(BENCH))
    spec = importlib.util.spec_from_file_location("bench_harness", BENCH / "run.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["bench_harness"] = module
    spec.loader.exec_module(module)
    return module


H = load_harness()


# --------------------------------------------------------------------------- outputs


def largest_file(folder: Path, suffix: str = "") -> tuple[str, int]:
    """The biggest file under ``folder`` (ending in ``suffix``) and its size in bytes."""
    best = ("", 0)
    if folder.is_dir():
        for path in folder.rglob(f"*{suffix}"):
            if path.is_file() and path.stat().st_size > best[1]:
                best = (str(path.relative_to(folder)), path.stat().st_size)
    return best


def output_figures(folder: Path) -> dict[str, object]:
    """Files, bytes, and the largest page and file of an output folder."""
    files = [p for p in folder.rglob("*") if p.is_file()] if folder.is_dir() else []
    page, page_bytes = largest_file(folder, ".html")
    name, size = largest_file(folder)
    return {
        "files": len(files),
        "bytes": sum(p.stat().st_size for p in files),
        "largest_page": page,
        "largest_page_bytes": page_bytes,
        "largest_file": name,
        "largest_file_bytes": size,
    }


# --------------------------------------------------------------------------- medtrace


def has_build(exe: list[str]) -> bool:
    """The installed medtrace has a ``build`` command."""
    done = subprocess.run([*exe, "build", "--help"], capture_output=True, check=False)
    return done.returncode == 0


def measure_medtrace(project: Path, size: int, items: int, repeat: int) -> list[Any]:
    """Cold and unchanged ``medtrace build`` runs, alternating."""
    exe = H.medtrace_command()
    site = project.parent / "medtrace-site"
    command = [*exe, "-C", str(project), "build", "--out", str(site)]
    cold = H.Measure(size, "medtrace", "build cold", items, command)
    warm = H.Measure(size, "medtrace", "build unchanged", items, command)
    logs = project.parent / "logs"
    for n in range(repeat):
        shutil.rmtree(project / ".medtrace", ignore_errors=True)
        shutil.rmtree(site, ignore_errors=True)
        cold.samples.append(H.run_once(command, project, logs / f"build-cold-{n}"))
        warm.samples.append(H.run_once(command, project, logs / f"build-warm-{n}"))
    cold.findings = warm.findings = None
    return [cold, warm]


# --------------------------------------------------------------------------- peers


PEERS = (
    # One core: StrictDoc's process pool only adds overhead, so it gets its serial mode.
    ("strictdoc", "export html", "strictdoc", "strictdoc-html", ("export", "--no-parallelization", "--formats", "html", "--output-dir", "{out}", ".")),
    ("doorstop", "publish all", "doorstop", "doorstop-html", ("publish", "all", "{out}")),
)  # fmt: skip


def measure_peers(
    root: Path, size: int, items: int, repeat: int
) -> tuple[list[Any], dict[str, Any]]:
    """Each peer's HTML publication of its tree, its output deleted before each run."""
    measures, outputs = [], {}
    for tool, mode, tree, folder, arguments in PEERS:
        out = root / folder
        command = [H.peer_bin(tool), *(a.format(out=out) for a in arguments)]
        measure = H.Measure(size, tool, mode, items, command)
        for n in range(repeat):
            shutil.rmtree(out, ignore_errors=True)
            log = root / "logs" / f"{folder}-{n}"
            measure.samples.append(H.run_once(command, root / tree, log))
        H.report_line(measure)
        measures.append(measure)
        outputs[f"{tool} {mode}"] = output_figures(out)
    return measures, outputs


# --------------------------------------------------------------------------- search


def search_entries(project: Path) -> list[Any]:
    """One search entry per item of the generated project, as the site makes them."""
    from medtrace.pipeline import load_project
    from medtrace.site.search import SearchEntry

    model = load_project(project, use_cache=False).model
    return [
        SearchEntry(item.id, item.title or "", item.kind, f"items/{item.id}.html", item.text or "")
        for item in model
    ]


def search_page(folder: Path, entries: Sequence[Any]) -> Path:
    """A page with the site's search input, the real assets and the index of ``entries``."""
    from importlib.resources import files

    from medtrace.site.search import search_index_js

    assets = folder / "assets"
    assets.mkdir(parents=True, exist_ok=True)
    script = files("medtrace.site").joinpath("assets/search.js").read_text(encoding="utf-8")
    (assets / "search.js").write_text(script, encoding="utf-8")
    started = time.perf_counter()
    index = search_index_js(entries)
    INDEX_SECONDS.append(time.perf_counter() - started)
    (assets / "search-index.js").write_text(index, encoding="utf-8")
    page = folder / "index.html"
    page.write_text(
        '<!doctype html><html data-root=""><head><meta charset="utf-8">'
        '<script src="assets/search-index.js" defer></script>'
        '<script src="assets/search.js" defer></script></head><body>'
        '<input id="mt-search" type="search"><div id="mt-search-results"></div></body></html>',
        encoding="utf-8",
    )
    return page


#: Seconds the Python side took to write each index (the site build pays this once).
INDEX_SECONDS: list[float] = []

TIMING_JS = """(queries) => queries.map((q) => {
  const runs = [];
  let hits = 0;
  for (let i = 0; i < 5; i++) {
    const t0 = performance.now();
    hits = window.MedtraceSearch.search(q).length;
    runs.push(performance.now() - t0);
  }
  return {query: q, runs: runs, hits: hits};
})"""


def time_search(project: Path) -> dict[str, object]:
    """Query times of the site's search over every item of ``project``, in Chromium."""
    from playwright.sync_api import sync_playwright

    entries = search_entries(project)
    chromium = shutil.which("chromium") or "/usr/bin/chromium"
    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as pw:
        page_path = search_page(Path(tmp), entries)
        index_bytes = (Path(tmp) / "assets" / "search-index.js").stat().st_size
        browser = pw.chromium.launch(executable_path=chromium, args=["--headless", "--no-sandbox"])
        page = browser.new_page()
        page.goto(page_path.as_uri(), wait_until="load")
        page.wait_for_function("window.MedtraceSearch && window.MedtraceSearch.ready()")
        load_ms = page.evaluate("window.MedtraceSearch.loadMs")
        timings = page.evaluate(TIMING_JS, list(QUERIES))
        browser.close()
    first = [t["runs"][0] for t in timings]
    rest = [r for t in timings for r in t["runs"][1:]]
    return {
        "entries": len(entries),
        "index_bytes": index_bytes,
        "index_write_s": round(INDEX_SECONDS[-1], 3),
        "index_load_ms": round(load_ms, 1),
        "first_query_max_ms": round(max(first), 2),
        "median_ms": round(statistics.median(rest), 2),
        "max_ms": round(max(rest), 2),
        "per_query": [
            {"query": t["query"], "hits": t["hits"], "ms": [round(r, 2) for r in t["runs"]]}
            for t in timings
        ],
    }


# --------------------------------------------------------------------------- workbook


def time_workbook(project: Path) -> dict[str, object]:
    """CPU seconds of the whole-set workbook of ``project`` (after its trace), in this process."""
    from medtrace.checks.risk import analysis_of
    from medtrace.pipeline import trace_project
    from medtrace.render.workbook import site_workbook

    started = time.process_time()
    traced = trace_project(project, use_cache=False)
    traced_at = time.process_time()
    config, model = traced.project.config, traced.project.model
    data = site_workbook(traced, risks=analysis_of(config, model, traced.trace))
    done = time.process_time()
    return {
        "items": len(model),
        "trace_cpu_s": round(traced_at - started, 2),
        "workbook_cpu_s": round(done - traced_at, 2),
        "bytes": len(data),
    }


# --------------------------------------------------------------------------- main


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default=",".join(str(s) for s in DEFAULT_SIZES))
    parser.add_argument("--peers", action=argparse.BooleanOptionalAction, default=True)
    parser.add_argument("--medtrace", action=argparse.BooleanOptionalAction, default=True)
    parser.add_argument(
        "--search-size", type=int, default=20000, help="search and workbook timing (0: none)"
    )
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--repeat", type=int, default=3, help="medtrace runs per mode")
    parser.add_argument("--peer-repeat", type=int, default=1, help="runs per peer (slow)")
    parser.add_argument("--out", type=Path, default=OUT, help="where projects and site.json go")
    args = parser.parse_args(argv)
    args.sizes = [int(s.replace("_", "")) for s in args.sizes.split(",") if s.strip()]
    return args


def bench_size(
    size: int, args: argparse.Namespace, build: bool
) -> tuple[list[Any], dict[str, Any]]:
    root, counts = H.make_project(size, max(1, size // 10), args.seed, args.peers)
    measures: list[Any] = []
    outputs: dict[str, Any] = {}
    if build:
        measures += measure_medtrace(root / "medtrace", size, counts["medtrace_items"], args.repeat)
        for measure in measures:
            H.report_line(measure)
        outputs["medtrace build"] = output_figures(root / "medtrace-site")
    if args.peers:
        peers, figures = measure_peers(root, size, counts["requirements"], args.peer_repeat)
        measures += peers
        outputs.update(figures)
    return measures, outputs


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    H.OUT = args.out  # the harness generates its projects there too
    build = args.medtrace and has_build(H.medtrace_command())
    if args.medtrace and not build:
        print("this medtrace has no 'build' command: timing the peers only", flush=True)
    versions = H.ensure_peers() if args.peers and args.sizes else {}
    measures: list[Any] = []
    outputs: dict[str, Any] = {}
    for size in args.sizes:
        found, figures = bench_size(size, args, build)
        measures += found
        outputs[str(size)] = figures
    search = workbook = None
    if args.search_size:
        root, _ = H.make_project(args.search_size, args.search_size // 10, args.seed, False)
        search = time_search(root / "medtrace")
        print(f"search over {search['entries']:,} items: {json.dumps(search)[:400]}", flush=True)
        workbook = time_workbook(root / "medtrace")
        print(f"workbook: {json.dumps(workbook)}", flush=True)
    results = {
        "machine": H.machine(versions),
        "options": vars(args),
        "medtrace_build": build,
        "measures": [m.to_json() for m in measures],
        "outputs": outputs,
        "search": search,
        "workbook": workbook,
    }
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "site.json").write_text(
        json.dumps(results, indent=2, default=str) + "\n", encoding="utf-8"
    )
    print("\n" + H.table(measures) + "\n")
    for size, figures in outputs.items():
        for tool, figure in figures.items():
            print(f"{int(size):,} {tool}: largest page {figure['largest_page_bytes']:,} B "
                  f"({figure['largest_page']}), {figure['files']:,} files, {figure['bytes']:,} B")  # fmt: skip
    print(f"\nresults written to {args.out / 'site.json'}")
    return 0 if all(m.completed for m in measures) else 1


if __name__ == "__main__":
    sys.exit(main())
