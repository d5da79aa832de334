"""Benchmark ``medtrace check`` against StrictDoc and Doorstop on the same requirements.

Every timed command runs pinned to one core (``taskset -c 0``) in a fresh child process; the
harness reads the child's own resource usage with ``os.wait4`` (wall time, CPU time, peak RSS).

- medtrace: ``medtrace -C DIR check --format json``, cold (``DIR/.medtrace/`` deleted first)
  and warm (the same command again, nothing changed). Exit 0 or 1 (findings) is a completed
  run, anything else a failure.
- peers, at ``--sizes``: ``strictdoc export --formats json`` (output folder, and so its cache,
  deleted first) and Doorstop's validation (``doorstop -F``, and with its optional checks off).
- the big project (``--big``): 100,000 software requirements and 10,000 risks, medtrace cold
  and warm, against the targets (cold < 10 s and < 1.5 GB, warm < 1 s).

Results: a table on stdout and ``bench/out/results.json``.
Usage: ``python bench/run.py [--sizes 1000,5000,20000] [--no-big] [--no-peers] [--repeat 3]``
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import time
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path

import generate

BENCH = Path(__file__).resolve().parent
OUT = BENCH / "out"
PEERS_VENV = BENCH / ".venv-peers"
PEER_PACKAGES = ("strictdoc", "doorstop")
DEFAULT_SIZES = (1000, 5000, 20000)
BIG_REQUIREMENTS = 100_000
BIG_RISKS = 10_000
TARGET_COLD_S = 10.0
TARGET_WARM_S = 1.0
TARGET_RSS_BYTES = 1.5e9
TARGET_SPEEDUP = 15.0


@dataclass
class Sample:
    """One timed run of one command."""

    wall_s: float
    cpu_s: float
    peak_rss_bytes: int
    exit_code: int


@dataclass
class Measure:
    """Repeated runs of one tool in one mode on one project."""

    size: int
    tool: str
    mode: str
    items: int
    command: list[str]
    samples: list[Sample] = field(default_factory=list)
    findings: dict[str, int] | None = None

    @property
    def completed(self) -> bool:
        """Every run ended with an accepted exit code."""
        return bool(self.samples) and all(s.exit_code in (0, 1) for s in self.samples)

    @property
    def wall_s(self) -> float:
        """Median wall time."""
        return statistics.median(s.wall_s for s in self.samples)

    @property
    def cpu_s(self) -> float:
        """Median CPU time (user + system) of the child and its own children."""
        return statistics.median(s.cpu_s for s in self.samples)

    @property
    def peak_rss_bytes(self) -> int:
        """Highest peak RSS over the runs."""
        return max(s.peak_rss_bytes for s in self.samples)

    @property
    def items_per_s(self) -> float:
        """Items over median wall time."""
        return self.items / self.wall_s if self.wall_s else 0.0

    def to_json(self) -> dict[str, object]:
        """Plain data for results.json."""
        return {
            **asdict(self),
            "completed": self.completed,
            "median_wall_s": round(self.wall_s, 4),
            "median_cpu_s": round(self.cpu_s, 4),
            "peak_rss_mb": round(self.peak_rss_bytes / 1e6, 1),
            "items_per_s": round(self.items_per_s),
        }


# --------------------------------------------------------------------------- running


def pinned(command: Sequence[str]) -> list[str]:
    """The command pinned to core 0 when ``taskset`` exists."""
    taskset = shutil.which("taskset")
    return [taskset, "-c", "0", *command] if taskset else list(command)


def run_once(command: Sequence[str], cwd: Path, log: Path) -> Sample:
    """Run ``command`` to completion; stdout and stderr go to ``log``.out/.err."""
    log.parent.mkdir(parents=True, exist_ok=True)
    with log.with_suffix(".out").open("wb") as out, log.with_suffix(".err").open("wb") as err:
        start = time.perf_counter()
        process = subprocess.Popen(pinned(command), cwd=cwd, stdout=out, stderr=err)
        _, status, usage = os.wait4(process.pid, 0)
        wall = time.perf_counter() - start
    process.returncode = os.waitstatus_to_exitcode(status)
    return Sample(
        wall_s=round(wall, 4),
        cpu_s=round(usage.ru_utime + usage.ru_stime, 4),
        peak_rss_bytes=usage.ru_maxrss * 1024,
        exit_code=process.returncode,
    )


def medtrace_command() -> list[str]:
    """The medtrace executable next to this Python, else on PATH."""
    beside = Path(sys.executable).parent / "medtrace"
    found = str(beside) if beside.exists() else shutil.which("medtrace")
    if not found:
        sys.exit("medtrace is not installed in this environment")
    return [found]


def measure_medtrace(project: Path, size: int, items: int, repeat: int) -> list[Measure]:
    """Cold and warm ``medtrace check`` runs, alternating."""
    command = [*medtrace_command(), "-C", str(project), "check", "--format", "json"]
    cold = Measure(size, "medtrace", "cold", items, command)
    warm = Measure(size, "medtrace", "warm", items, command)
    logs = project.parent / "logs"
    for n in range(repeat):
        shutil.rmtree(project / ".medtrace", ignore_errors=True)
        cold.samples.append(run_once(command, project, logs / f"medtrace-cold-{n}"))
        warm.samples.append(run_once(command, project, logs / f"medtrace-warm-{n}"))
    cold.findings = count_findings(logs / "medtrace-cold-0.out")
    warm.findings = count_findings(logs / "medtrace-warm-0.out")
    return [cold, warm]


def count_findings(path: Path) -> dict[str, int] | None:
    """Findings by severity in ``check --format json`` output, if it parses."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    counts = data.get("counts") if isinstance(data, dict) else None
    if isinstance(counts, dict):
        return {str(k): int(v) for k, v in counts.items()}
    listed = data.get("diagnostics", data.get("findings")) if isinstance(data, dict) else data
    if not isinstance(listed, list):
        return None
    result: dict[str, int] = {}
    for finding in listed:
        severity = str(finding.get("severity", "?")) if isinstance(finding, dict) else "?"
        result[severity] = result.get(severity, 0) + 1
    return result


# --------------------------------------------------------------------------- peers


def peer_bin(name: str) -> str:
    """Path of a peer's executable in the benchmark's own virtualenv."""
    return str(PEERS_VENV / "bin" / name)


def ensure_peers() -> dict[str, str]:
    """Install the peers into bench/.venv-peers (never into medtrace's environment)."""
    if not all(Path(peer_bin(name)).exists() for name in PEER_PACKAGES):
        print(f"installing {', '.join(PEER_PACKAGES)} into {PEERS_VENV} ...", flush=True)
        subprocess.run([sys.executable, "-m", "venv", str(PEERS_VENV)], check=True)
        pip = [peer_bin("python"), "-m", "pip", "install", "--quiet"]
        subprocess.run([*pip, *PEER_PACKAGES], check=True)
    return peer_versions()


def peer_versions() -> dict[str, str]:
    """Installed peer versions, from the peers' own environment."""
    code = (
        "import importlib.metadata as m, json;"
        f"print(json.dumps({{p: m.version(p) for p in {list(PEER_PACKAGES)!r}}}))"
    )
    result = subprocess.run(
        [peer_bin("python"), "-c", code], check=True, capture_output=True, text=True
    )
    versions: dict[str, str] = json.loads(result.stdout)
    return versions


@dataclass(frozen=True)
class Peer:
    """A peer tool and how it checks the generated tree."""

    tool: str
    mode: str
    slug: str
    tree: str
    arguments: tuple[str, ...]

    def command(self, root: Path) -> list[str]:
        """The command line, run in the tree's folder."""
        output = root / "strictdoc-output"
        return [peer_bin(self.tool), *(a.format(output=output) for a in self.arguments)]


PEERS = (
    # One core: StrictDoc's process pool only adds overhead, so it gets its faster serial mode.
    Peer(
        "strictdoc",
        "export json",
        "strictdoc",
        "strictdoc",
        ("export", "--no-parallelization", "--formats", "json", "--output-dir", "{output}", "."),
    ),
    Peer("doorstop", "-F", "doorstop", "doorstop", ("-F",)),
    Peer(
        "doorstop",
        "-F, optional checks off",
        "doorstop-links-only",
        "doorstop",
        ("-F", "-L", "-R", "-C", "-S", "-W"),
    ),
)


def measure_peers(root: Path, size: int, items: int, repeat: int) -> list[Measure]:
    """Time every peer on its tree; StrictDoc's output (and cache) is deleted before each run."""
    measures = []
    for peer in PEERS:
        command = peer.command(root)
        measure = Measure(size, peer.tool, peer.mode, items, command)
        for n in range(repeat):
            shutil.rmtree(root / "strictdoc-output", ignore_errors=True)
            log = root / "logs" / f"{peer.slug}-{n}"
            measure.samples.append(run_once(command, root / peer.tree, log))
        measures.append(measure)
        report_line(measure)
    return measures


# --------------------------------------------------------------------------- projects


def make_project(size: int, risks: int, seed: int, peers: bool) -> tuple[Path, dict[str, int]]:
    """Generate the trees for one size; return the folder and the manifest counts."""
    root = OUT / f"size-{size}"
    formats = generate.FORMATS if peers else ("medtrace",)
    print(f"generating {size} requirements, {risks} risks into {root} ...", flush=True)
    options = generate.Options(requirements=size, risks=risks, seed=seed)
    manifest = generate.generate(root, options, formats)
    os.sync()  # no write-back of the fresh files while the tools are timed
    shutil.rmtree(root / "logs", ignore_errors=True)
    counts = {k: v for k, v in manifest.items() if isinstance(v, int)}
    return root, counts


def bench_size(size: int, args: argparse.Namespace) -> list[Measure]:
    """medtrace and (optionally) the peers on one generated project."""
    root, counts = make_project(size, max(1, size // 10), args.seed, args.peers)
    measures = measure_medtrace(root / "medtrace", size, counts["medtrace_items"], args.repeat)
    for measure in measures:
        report_line(measure)
    if args.peers:
        measures += measure_peers(root, size, counts["requirements"], args.peer_repeat)
    return measures


def bench_big(args: argparse.Namespace) -> list[Measure]:
    """The big project: medtrace only."""
    root, counts = make_project(args.big_requirements, args.big_risks, args.seed, peers=False)
    measures = measure_medtrace(
        root / "medtrace", args.big_requirements, counts["medtrace_items"], args.repeat
    )
    for measure in measures:
        report_line(measure)
    return measures


# --------------------------------------------------------------------------- reporting


def report_line(measure: Measure) -> None:
    """One progress line as soon as a measure is done."""
    status = "ok" if measure.completed else "FAILED"
    codes = sorted({s.exit_code for s in measure.samples})
    findings = f"  findings {measure.findings}" if measure.findings is not None else ""
    print(
        f"  {measure.tool:<9} {measure.mode:<24} {measure.wall_s:9.3f} s"
        f" (CPU {measure.cpu_s:8.3f} s)"
        f"  {measure.peak_rss_bytes / 1e6:8.1f} MB  exit {codes} {status}{findings}",
        flush=True,
    )


@dataclass
class Comparison:
    """medtrace cold against the peers at one size."""

    size: int
    medtrace_cold_s: float
    ratios: dict[str, float]
    faster_peer: str
    speedup_vs_faster_peer: float
    meets_15x: bool
    cpu_speedup_vs_faster_peer: float

    def line(self) -> str:
        """Human-readable ratios."""
        ratios = "; ".join(f"{name} {ratio:.4f}" for name, ratio in self.ratios.items())
        verdict = "yes" if self.meets_15x else "NO"
        return (
            f"{self.size:,} requirements: medtrace/peer (wall): {ratios}\n"
            f"    {self.speedup_vs_faster_peer:.1f}x faster than the faster peer "
            f"({self.faster_peer}); at least {TARGET_SPEEDUP:.0f}x: {verdict}"
            f" (by CPU time: {self.cpu_speedup_vs_faster_peer:.1f}x)"
        )


def comparisons(measures: list[Measure]) -> list[Comparison]:
    """Per size: medtrace cold against each peer, and against the faster peer."""
    result = []
    for size in sorted({m.size for m in measures if m.tool != "medtrace"}):
        here = [m for m in measures if m.size == size]
        cold = next(m for m in here if m.tool == "medtrace" and m.mode == "cold")
        peers = [m for m in here if m.tool != "medtrace" and m.completed]
        if peers and cold.completed:
            result.append(compare(size, cold, peers))
    return result


def compare(size: int, cold: Measure, peers: list[Measure]) -> Comparison:
    """One size's comparison."""
    fastest = min(peers, key=lambda m: m.wall_s)
    fastest_cpu = min(m.cpu_s for m in peers)
    return Comparison(
        size=size,
        medtrace_cold_s=round(cold.wall_s, 4),
        ratios={f"{m.tool} {m.mode}": round(cold.wall_s / m.wall_s, 5) for m in peers},
        faster_peer=f"{fastest.tool} {fastest.mode}",
        speedup_vs_faster_peer=round(fastest.wall_s / cold.wall_s, 1),
        meets_15x=fastest.wall_s >= TARGET_SPEEDUP * cold.wall_s,
        cpu_speedup_vs_faster_peer=round(fastest_cpu / cold.cpu_s, 1),
    )


def big_targets(measures: list[Measure]) -> dict[str, object]:
    """The big project's targets, met or not."""
    cold = next(m for m in measures if m.mode == "cold")
    warm = next(m for m in measures if m.mode == "warm")
    return {
        "cold_s": round(cold.wall_s, 3),
        "cold_under_10s": cold.completed and cold.wall_s < TARGET_COLD_S,
        "peak_rss_mb": round(max(cold.peak_rss_bytes, warm.peak_rss_bytes) / 1e6, 1),
        "peak_under_1_5gb": max(cold.peak_rss_bytes, warm.peak_rss_bytes) < TARGET_RSS_BYTES,
        "warm_s": round(warm.wall_s, 3),
        "warm_under_1s": warm.completed and warm.wall_s < TARGET_WARM_S,
    }


def target_lines(measures: list[Measure]) -> str:
    """The big project's targets in words."""
    targets = big_targets(measures)

    def verdict(key: str) -> str:
        return "met" if targets[key] else "MISSED"

    return (
        f"{measures[0].size:,} requirements: "
        f"cold {targets['cold_s']} s (target < {TARGET_COLD_S:.0f} s): {verdict('cold_under_10s')}; "
        f"peak {targets['peak_rss_mb']} MB (< 1.5 GB): {verdict('peak_under_1_5gb')}; "
        f"warm {targets['warm_s']} s (< {TARGET_WARM_S:.0f} s): {verdict('warm_under_1s')}"
    )


def table(measures: list[Measure]) -> str:
    """The results as a Markdown table."""
    lines = [
        "| requirements | tool | mode | wall (s) | CPU (s) | items/s | peak RSS (MB) | exit |",
        "|---:|---|---|---:|---:|---:|---:|---|",
    ]
    for m in measures:
        codes = ",".join(str(c) for c in sorted({s.exit_code for s in m.samples}))
        lines.append(
            f"| {m.size:,} | {m.tool} | {m.mode} | {m.wall_s:.3f} | {m.cpu_s:.3f} "
            f"| {m.items_per_s:,.0f} "
            f"| {m.peak_rss_bytes / 1e6:,.0f} | {codes}{'' if m.completed else ' FAILED'} |"
        )
    return "\n".join(lines)


def machine(peers: dict[str, str]) -> dict[str, object]:
    """Where the figures were measured."""
    return {
        "nproc": os.cpu_count(),
        "python": platform.python_version(),
        "platform": platform.platform(),
        "processor": cpu_model(),
        "pinned": shutil.which("taskset") is not None,
        "load_average": [round(x, 2) for x in os.getloadavg()],
        "peers": peers,
    }


def cpu_model() -> str:
    """The CPU model name from /proc/cpuinfo, if readable."""
    try:
        for line in Path("/proc/cpuinfo").read_text(encoding="utf-8").splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor()


# --------------------------------------------------------------------------- main


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    """Command-line options."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--sizes",
        default=",".join(str(s) for s in DEFAULT_SIZES),
        help="comma-separated numbers of software requirements (empty: none)",
    )
    parser.add_argument("--big", action=argparse.BooleanOptionalAction, default=True)
    parser.add_argument("--peers", action=argparse.BooleanOptionalAction, default=True)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--repeat", type=int, default=3, help="medtrace runs per mode")
    parser.add_argument("--peer-repeat", type=int, default=1, help="runs per peer (slow)")
    parser.add_argument("--big-requirements", type=int, default=BIG_REQUIREMENTS)
    parser.add_argument("--big-risks", type=int, default=BIG_RISKS)
    args = parser.parse_args(argv)
    args.sizes = [int(s.replace("_", "")) for s in args.sizes.split(",") if s.strip()]
    if args.repeat < 1 or args.peer_repeat < 1 or any(s < 1 for s in args.sizes):
        parser.error("sizes and repeats must be positive")
    return args


def main(argv: Sequence[str] | None = None) -> int:
    """Run everything asked for, print the table, write results.json."""
    args = parse_args(argv)
    load_before = [round(x, 2) for x in os.getloadavg()]
    versions = ensure_peers() if args.peers and args.sizes else {}
    measures: list[Measure] = []
    for size in args.sizes:
        measures += bench_size(size, args)
    big = bench_big(args) if args.big else []
    rows = comparisons(measures)
    results = {
        "machine": {**machine(versions), "load_average_before": load_before},
        "options": vars(args),
        "measures": [m.to_json() for m in measures + big],
        "comparisons": [asdict(row) for row in rows],
        "big": big_targets(big) if big else None,
    }
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "results.json").write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    print("\n" + table(measures + big) + "\n")
    print("\n".join(row.line() for row in rows))
    if big:
        print(target_lines(big))
    print(f"\nresults written to {OUT / 'results.json'}")
    return 0 if all(m.completed for m in measures + big) else 1


if __name__ == "__main__":
    sys.exit(main())
