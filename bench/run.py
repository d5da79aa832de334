"""Benchmark ``medtrace check`` against StrictDoc and Doorstop on the same requirements.

Every timed command runs in a fresh child process, pinned to one core (``taskset -c 0``) unless
it says "all cores" or is one of the one-edit cases (free to use the cores: while this process
traces, the rules that read only the model run in a second one); the harness reads the child's own resource usage with ``os.wait4`` (wall
time, CPU time of the child and its worker processes, peak RSS).

- medtrace: ``medtrace -C DIR check --format json``, cold on all cores and on one core
  (``DIR/.medtrace/`` deleted first), warm (the same command again, nothing changed), and on
  the big project after one edit each: an item edited, added, removed; a source file and a
  test file edited; a new JUnit file. Exit 0 or 1 (findings) is a completed run, anything
  else a failure.
- peers, at ``--sizes``: ``strictdoc export --formats json`` (output folder, and so its cache,
  deleted first) and Doorstop's validation (``doorstop -F``, and with its optional checks off).
- the big project (``--big``): 100,000 software requirements and 10,000 risks, every mode above
  against its target (see ``TARGETS``).
- the tag scan (``--scan``): ``bench/scan/run.py`` on 20,000 files, on all cores, against
  ``rg -c`` and its targets.

Results: a table on stdout and ``bench/out/results.json``.
Usage: ``python bench/run.py [--sizes 1000,5000,20000] [--no-big] [--no-peers] [--no-scan]
[--repeat 3]``
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
TARGET_RSS_BYTES = 1.0e9
TARGET_SPEEDUP = 20.0
#: The big project's targets (issue #13): mode → seconds (wall).
TARGETS = {
    "cold, all cores": 5.0,
    "cold, one core": 10.0,
    "warm": 0.3,
    "item edited": 1.0,
    "item added": 1.0,
    "item removed": 1.0,
    "source edited": 1.0,
    "test edited": 1.0,
    "new JUnit file": 1.5,
}
#: The same targets with ``medtrace serve`` running for the project (see ``measure_served``).
SERVED = "served, "
TARGETS.update({SERVED + mode: TARGETS[mode] for mode in ("warm", *list(TARGETS)[3:])})
#: With the server: one item edited, and the check started this many seconds after the save (a
#: developer at a keyboard), when the server has read the change and checked ahead.
LATER_S = 4.0
LATER = SERVED + f"item edited, checked {LATER_S:.0f} s later"
TARGETS[LATER] = TARGETS["item edited"]
#: The first check the server answers after it started: it reads the result cache first. The
#: served "warm" is the next one, as a developer's long-running server meets it.
FIRST = SERVED + "first request"
#: The tag scan's targets: cold (all cores) and warm seconds, and cold over ``rg -c``.
SCAN_TARGETS = {"cold": 5.0, "warm": 0.5, "x rg": 25.0}


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


def run_once(command: Sequence[str], cwd: Path, log: Path, *, pin: bool = True) -> Sample:
    """Run ``command`` to completion (on core 0 if ``pin``); stdout and stderr go to
    ``log``.out/.err."""
    log.parent.mkdir(parents=True, exist_ok=True)
    with log.with_suffix(".out").open("wb") as out, log.with_suffix(".err").open("wb") as err:
        start = time.perf_counter()
        argv = pinned(command) if pin else list(command)
        process = subprocess.Popen(argv, cwd=cwd, stdout=out, stderr=err)
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


def measure_medtrace(
    project: Path, size: int, items: int, repeat: int, edits: bool = False
) -> list[Measure]:
    """Cold ``medtrace check`` on all cores and on one, then warm, alternating; with ``edits``,
    after each warm run, one run after each edit (see ``EDITS``)."""
    command = [*medtrace_command(), "-C", str(project), "check", "--format", "json"]
    modes = ["cold, all cores", "cold, one core", "warm", *(EDITS if edits else ())]
    measures = {mode: Measure(size, "medtrace", mode, items, command) for mode in modes}
    logs = project.parent / "logs"
    for n in range(repeat):
        for mode, measure in measures.items():
            slug = mode.replace(",", "").replace(" ", "-")
            if mode.startswith("cold"):
                shutil.rmtree(project / ".medtrace", ignore_errors=True)
            elif mode in EDITS:
                EDITS[mode](project, n)
            log = logs / f"medtrace-{slug}-{n}"
            free = mode == "cold, all cores" or mode in EDITS  # the edits may use the cores too
            measure.samples.append(run_once(command, project, log, pin=not free))
            if n == 0:
                measure.findings = count_findings(log.with_suffix(".out"))
    return list(measures.values())


# --------------------------------------------------------------------------- edits


def _first(project: Path, pattern: str) -> Path:
    return min(project.glob(pattern))


def edit_item(project: Path, n: int) -> None:
    """One requirement's text changes (a new sentence each time)."""
    path = _first(project, "docs/items/srs/*/SRS-*.md")
    with path.open("a", encoding="utf-8") as file:
        file.write(f"\nThe limit applies in every mode ({n}).\n")


def add_item(project: Path, n: int) -> None:
    """A new requirement, a copy of the first one under a new ID."""
    source = _first(project, "docs/items/srs/*/SRS-*.md")
    (source.parent / f"SRS-{9_000_000 + n}.md").write_bytes(source.read_bytes())


def remove_item(project: Path, n: int) -> None:
    """The requirement ``add_item`` added goes again."""
    _first(project, "docs/items/srs/*/SRS-*.md").parent.joinpath(f"SRS-{9_000_000 + n}.md").unlink()


def edit_source(project: Path, n: int) -> None:
    """One code module changes (a constant at its end)."""
    with _first(project, "src/*/*.py").open("a", encoding="utf-8") as file:
        file.write(f"\nEDITED_{n} = {n}\n")


def edit_test(project: Path, n: int) -> None:
    """One test module changes (a constant at its end)."""
    with _first(project, "tests/*/test_*.py").open("a", encoding="utf-8") as file:
        file.write(f"\nEDITED_{n} = {n}\n")


def new_junit(project: Path, n: int) -> None:
    """A second JUnit file: the first module's tests run again, and pass."""
    module = _first(project, "tests/*/test_*.py")
    rel = module.relative_to(project).with_suffix("").as_posix().replace("/", ".")
    names = [
        line.split("(")[0][4:]
        for line in module.read_text("utf-8").splitlines()
        if line.startswith("def test_")
    ]
    cases = "".join(f'<testcase classname="{rel}" name="{name}" time="0.001"/>' for name in names)
    (project / "build" / "results" / f"rerun-{n}.xml").write_text(
        f'<?xml version="1.0" encoding="utf-8"?><testsuites><testsuite name="pytest" '
        f'tests="{len(names)}">{cases}</testsuite></testsuites>\n',
        encoding="utf-8",
    )


#: The big project's one-edit cases, each measured right after its edit (caches warm).
EDITS = {
    "item edited": edit_item,
    "item added": add_item,
    "item removed": remove_item,
    "source edited": edit_source,
    "test edited": edit_test,
    "new JUnit file": new_junit,
}


# --------------------------------------------------------------------------- served


def measure_served(project: Path, size: int, items: int, repeat: int) -> list[Measure]:
    """Warm and each one-edit case again, with ``medtrace serve`` running for the project: the
    same command, which the server runs. Each sample's peak memory is the larger of the
    client's and the server's child's (from the server's log); the server's own peak is
    ``SERVER_PEAK``'s."""
    command = [*medtrace_command(), "-C", str(project), "check", "--format", "json"]
    modes = [FIRST, SERVED + "warm", *(SERVED + mode for mode in EDITS), LATER]
    measures = {mode: Measure(size, "medtrace", mode, items, command) for mode in modes}
    logs = project.parent / "logs"
    logs.mkdir(parents=True, exist_ok=True)
    server, log = start_server(project, logs / "serve.log")
    try:
        for n in range(repeat):
            if n:  # the server's first request (it finds the cached result) is timed once
                modes = modes[1:] if modes[0] == FIRST else modes
            for mode in modes:
                measure = measures[mode]
                edit = EDITS.get(mode.removeprefix(SERVED))
                if edit is not None:
                    edit(project, 100 + n)  # other files than the unserved runs' edits
                if mode == LATER:
                    edit_item(project, 200 + n)
                    time.sleep(LATER_S)
                slug = mode.replace(",", "").replace(" ", "-")
                sample = run_once(command, project, logs / f"medtrace-{slug}-{n}", pin=False)
                child = served_peak(log)
                sample.peak_rss_bytes = max(sample.peak_rss_bytes, child)
                measure.samples.append(sample)
        SERVER_PEAK.append(server_peak(server.pid))
    finally:
        server.terminate()
        server.wait(timeout=60)
    return list(measures.values())


#: The server's own peak resident memory (bytes), per big project.
SERVER_PEAK: list[int] = []


def start_server(project: Path, log: Path) -> tuple[subprocess.Popen[bytes], Path]:
    """``medtrace serve`` for the project, once it has read the project ("ready")."""
    with log.open("wb") as sink:
        server = subprocess.Popen(
            [*medtrace_command(), "-C", str(project), "serve", "--idle-timeout", "0"],
            stdout=sink,
            stderr=subprocess.STDOUT,
        )
    while "ready" not in log.read_text("utf-8", "replace"):
        if server.poll() is not None:
            sys.exit(f"medtrace serve ended: {log.read_text('utf-8', 'replace')}")
        time.sleep(0.1)
    return server, log


def served_peak(log: Path) -> int:
    """The peak memory (bytes) of the last command the server ran, from its log."""
    lines = [line for line in log.read_text("utf-8", "replace").splitlines() if ", peak " in line]
    if not lines:
        return 0
    return int(lines[-1].rsplit(", peak ", 1)[1].split()[0]) * 1024 * 1024


def server_peak(pid: int) -> int:
    """A process's peak resident memory (bytes), from ``/proc`` (0 when unreadable)."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text(encoding="utf-8").splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) * 1024
    except (OSError, ValueError):
        pass
    return 0


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
    # Files modified within 2 s of a stored result are re-verified by content, not trusted
    # (medtrace.cache.RACY_WINDOW_NS): without this pause a small project's "warm" run would
    # recompute, as after an edit.
    time.sleep(2.5)
    shutil.rmtree(root / "logs", ignore_errors=True)
    counts = {k: v for k, v in manifest.items() if isinstance(v, int)}
    return root, counts


def bench_size(size: int, args: argparse.Namespace) -> list[Measure]:
    """medtrace and (optionally) the peers on one generated project."""
    root, counts = make_project(size, max(1, size // 10), args.seed, args.peers)
    project = root / "medtrace"
    measures = measure_medtrace(project, size, counts["medtrace_items"], args.repeat, args.edits)
    for measure in measures:
        report_line(measure)
    if args.commands and size >= COMMAND_SIZE:
        measures += measure_commands(project, size, counts["medtrace_items"])
    if args.peers:
        measures += measure_peers(root, size, counts["requirements"], args.peer_repeat)
    return measures


def bench_big(args: argparse.Namespace) -> list[Measure]:
    """The big project: medtrace only."""
    root, counts = make_project(args.big_requirements, args.big_risks, args.seed, peers=False)
    measures = measure_medtrace(
        root / "medtrace", args.big_requirements, counts["medtrace_items"], args.repeat, True
    )
    if args.served:
        measures += measure_served(
            root / "medtrace", args.big_requirements, counts["medtrace_items"], args.repeat
        )
    for measure in measures:
        report_line(measure)
    if args.commands:
        measures += measure_commands(
            root / "medtrace", args.big_requirements, counts["medtrace_items"]
        )
    return measures


# --------------------------------------------------------------------------- commands

#: The commands added since the first release, each timed once on one core on the project its
#: checks just ran on, at ``COMMAND_SIZE`` requirements and more; ``{out}`` is a fresh folder.
#: (``soup`` is not: the generated projects have no lockfile; ``soup/run.py`` times it on a
#: lockfile of 2,000 packages.)
COMMANDS = {
    "matrix": ["matrix", "--format", "json"],
    "risks": ["risks", "--format", "json"],
    "arch": ["arch", "--view", "all", "--format", "svg", "-o", "{out}/arch/"],
    "build": ["build", "-o", "{out}/site"],
}
COMMAND_SIZE = 20_000
COMMAND = "command: "


def measure_commands(project: Path, size: int, items: int) -> list[Measure]:
    """Each of ``COMMANDS`` once, pinned to one core, after the checks (the cache is warm)."""
    out = project.parent / "commands"
    shutil.rmtree(out, ignore_errors=True)
    measures = []
    for name, arguments in COMMANDS.items():
        argv = [a.replace("{out}", str(out)) for a in arguments]
        command = [*medtrace_command(), "-C", str(project), *argv]
        measure = Measure(size, "medtrace", COMMAND + name, items, command)
        log = project.parent / "logs" / f"command-{name}"
        measure.samples.append(run_once(command, project, log))
        report_line(measure)
        measures.append(measure)
    return measures


def bench_rules(sizes: list[int], seed: int) -> str:
    """``rules.py`` at ``sizes``: each rule group's CPU against the cold check (its output)."""
    argv = [sys.executable, str(BENCH / "rules.py"), "--sizes", ",".join(map(str, sizes))]
    argv += ["--repeat", "1", "--top", "8", "--seed", str(seed)]
    done = subprocess.run(argv, capture_output=True, text=True, check=False)
    return done.stdout + (f"rules.py failed: {done.stderr[-2000:]}" if done.returncode else "")


def command_lines(measures: list[Measure]) -> str:
    """The commands next to the cold check on one core, at each size they ran at."""
    lines = []
    for size in sorted({m.size for m in measures if m.mode.startswith(COMMAND)}):
        at = [m for m in measures if m.size == size]
        cold = next((m for m in at if m.mode == "cold, one core"), None)
        base = f", against the cold check on one core ({cold.wall_s:.2f} s)" if cold else ""
        lines.append(f"{size:,} requirements, the commands added since the first release{base}:")
        for m in at:
            if not m.mode.startswith(COMMAND):
                continue
            ratio = f"  {m.wall_s / cold.wall_s:5.2f}x the check" if cold else ""
            status = "" if m.completed else "  FAILED"
            lines.append(
                f"  {m.mode.removeprefix(COMMAND):<8} {m.wall_s:8.2f} s (CPU {m.cpu_s:7.2f} s)"
                f"  {m.peak_rss_bytes / 1e6:8.1f} MB{ratio}{status}"
            )
    return "\n".join(lines)


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
            f"({self.faster_peer}) on one core; at least {TARGET_SPEEDUP:.0f}x: {verdict}"
            f" (by CPU time: {self.cpu_speedup_vs_faster_peer:.1f}x)"
        )


def comparisons(measures: list[Measure]) -> list[Comparison]:
    """Per size: medtrace cold (one core, as the peers) against each peer and the faster one."""
    result = []
    for size in sorted({m.size for m in measures if m.tool != "medtrace"}):
        here = [m for m in measures if m.size == size]
        cold = next(m for m in here if m.tool == "medtrace" and m.mode == "cold, one core")
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
    """The big project's targets, met or not: mode → wall seconds, target, met; and the peak."""
    out: dict[str, object] = {}
    for m in measures:
        if m.mode in TARGETS:
            target = TARGETS[m.mode]
            out[m.mode] = {
                "wall_s": round(m.wall_s, 3),
                "cpu_s": round(m.cpu_s, 3),
                "target_s": target,
                "met": m.completed and m.wall_s < target,
            }
    checks = [m for m in measures if not m.mode.startswith((COMMAND, SERVED))]
    peak = max(m.peak_rss_bytes for m in checks)  # the command's, without the server
    out["peak_rss_mb"] = round(peak / 1e6, 1)
    out["peak_under_1gb"] = peak < TARGET_RSS_BYTES
    served = [m.peak_rss_bytes for m in measures if m.mode.startswith(SERVED)]
    if served:
        out["served_child_peak_rss_mb"] = round(max(served) / 1e6, 1)
    if SERVER_PEAK:
        out["server_peak_rss_mb"] = round(max(SERVER_PEAK) / 1e6, 1)
    return out


def target_lines(measures: list[Measure]) -> str:
    """The big project's targets, one line each."""
    targets = big_targets(measures)
    lines = [f"{measures[0].size:,} requirements, against the targets (wall time):"]
    width = max(map(len, TARGETS))
    for mode in TARGETS:
        row = targets.get(mode)
        if isinstance(row, dict):
            verdict = "met" if row["met"] else "MISSED"
            lines.append(
                f"  {mode:<{width}} {row['wall_s']:8.3f} s (CPU {row['cpu_s']:7.3f} s)"
                f"  target < {row['target_s']} s: {verdict}"
            )
    verdict = "met" if targets["peak_under_1gb"] else "MISSED"
    lines.append(
        f"  {'peak memory, the command':<{width}} {targets['peak_rss_mb']:8.1f} MB"
        f"  target < 1 GB: {verdict}"
    )
    if "served_child_peak_rss_mb" in targets:
        lines.append(
            f"  {'peak memory, served':<{width}} {targets['served_child_peak_rss_mb']:8.1f} MB"
            "  (a command's child, RSS: the server's pages it shares are counted whole)"
        )
    if "server_peak_rss_mb" in targets:
        lines.append(
            f"  {'the server process':<{width}} {targets['server_peak_rss_mb']:8.1f} MB"
            "  (resident between commands; its children share its pages)"
        )
    return "\n".join(lines)


def bench_scan(args: argparse.Namespace) -> dict[str, object] | None:
    """The tag scan of ``bench/scan/run.py`` on all cores, with its figures against rg."""
    figures = OUT / "scan.json"
    done = subprocess.run(
        [
            sys.executable,
            str(BENCH / "scan" / "run.py"),
            "--files",
            str(args.scan_files),
            "--core",
            "all",
            "--runs",
            "1",
            "--json",
            str(figures),
        ],
        check=False,
    )
    if done.returncode != 0 or not figures.exists():
        return None
    loaded: dict[str, object] = json.loads(figures.read_text(encoding="utf-8"))
    return loaded


def scan_lines(figures: dict[str, object]) -> str:
    """The scan's figures against their targets."""
    cold, warm, rg = figures["cold"], figures["warm"], figures["rg"]
    assert isinstance(cold, dict) and isinstance(warm, dict)
    lines = ["tag scan, all cores, against the targets (wall time):"]
    for name, run in (("cold", cold), ("warm", warm)):
        target = SCAN_TARGETS[name]
        verdict = "met" if run["wall"] < target else "MISSED"
        lines.append(
            f"  {name:<6} {run['wall']:8.2f} s (CPU {run['cpu']:6.2f} s)  target < {target} s: "
            f"{verdict}"
        )
    if isinstance(rg, float) and rg:
        ratio = cold["wall"] / rg
        verdict = "met" if ratio <= SCAN_TARGETS["x rg"] else "MISSED"
        lines.append(
            f"  rg -c  {rg:8.2f} s; cold / rg = {ratio:.1f}x, target <= {SCAN_TARGETS['x rg']:.0f}x: "
            f"{verdict}"
        )
    else:
        lines.append("  rg -c: ripgrep is not installed (apt-get install ripgrep); no ratio")
    return "\n".join(lines)


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
    parser.add_argument("--scan", action=argparse.BooleanOptionalAction, default=True)
    parser.add_argument("--scan-files", type=int, default=20_000)
    parser.add_argument(
        "--edits",
        action=argparse.BooleanOptionalAction,
        default=False,
        help="also time the one-edit cases at --sizes (always done on the big project)",
    )
    parser.add_argument(
        "--served",
        action=argparse.BooleanOptionalAction,
        default=True,
        help="also time the big project's warm and one-edit cases with 'medtrace serve' running",
    )
    parser.add_argument(
        "--commands",
        action=argparse.BooleanOptionalAction,
        default=True,
        help=f"also time {', '.join(COMMANDS)} at {COMMAND_SIZE:,} requirements and more",
    )
    parser.add_argument(
        "--rules",
        action=argparse.BooleanOptionalAction,
        default=True,
        help="also time each rule group (rules.py) at 20,000 and the big project's size",
    )
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
    scanned = bench_scan(args) if args.scan else None
    rule_sizes = [n for n in (*args.sizes, *([args.big_requirements] * args.big)) if n >= 20_000]
    rules = bench_rules(sorted(set(rule_sizes)), args.seed) if args.rules and rule_sizes else ""
    rows = comparisons(measures)
    results = {
        "machine": {**machine(versions), "load_average_before": load_before},
        "options": vars(args),
        "measures": [m.to_json() for m in measures + big],
        "comparisons": [asdict(row) for row in rows],
        "big": big_targets(big) if big else None,
        "scan": scanned,
        "rules": rules,
    }
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "results.json").write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    print("\n" + table(measures + big) + "\n")
    print("\n".join(row.line() for row in rows))
    if big:
        print(target_lines(big))
    if scanned:
        print(scan_lines(scanned))
    commands = command_lines(measures + big)
    if commands:
        print("\n" + commands)
    if rules:
        print("\nEach rule group's CPU against the cold check (rules.py):\n" + rules)
    print(f"\nresults written to {OUT / 'results.json'}")
    return 0 if all(m.completed for m in measures + big) else 1


if __name__ == "__main__":
    sys.exit(main())
