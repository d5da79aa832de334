"""What the risk rules (MT180-MT199) add to ``medtrace check`` on a big project.

Generates (or reuses) a project with ``--risks`` risks, loads and traces it once, then times
the risk rules alone, the way ``check`` runs them (the analysis of every risk, built once, then
each rule), and prints the median of ``--repeat`` runs, in wall-clock seconds and in seconds of
CPU of this process (on a shared machine the CPU time is what the rules cost; the wall clock also
counts the waits for a core). The target: under 0.5 s at 10,000 risks.

    .venv/bin/python bench/risks.py                      # 20,000 requirements, 10,000 risks
    .venv/bin/python bench/risks.py --requirements 100000 --risks 10000 --repeat 5

Exit code 0 when the median is under ``--budget`` seconds, 1 otherwise.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requirements", type=int, default=20_000)
    parser.add_argument("--risks", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--budget", type=float, default=0.5, help="seconds")
    parser.add_argument("--out", type=Path, default=HERE / "out" / "risks")
    args = parser.parse_args(argv)
    project = args.out / "medtrace"
    if not (project / "medtrace.toml").is_file():
        subprocess.run(
            [
                sys.executable,
                str(HERE / "generate.py"),
                str(args.out),
                "--requirements",
                str(args.requirements),
                "--risks",
                str(args.risks),
                "--formats",
                "medtrace",
            ],
            check=True,
        )
    wall, cpu, findings, risks = time_risk_rules(project, args.repeat)
    median = statistics.median(cpu)
    print(
        f"risk rules on {risks} risks, {len(cpu)} runs: CPU median {median:.3f} s "
        f"(min {min(cpu):.3f}, max {max(cpu):.3f}); wall median {statistics.median(wall):.3f} s "
        f"(min {min(wall):.3f}); {findings} findings; budget {args.budget} s"
    )
    return 0 if median < args.budget else 1


def time_risk_rules(project: Path, repeat: int) -> tuple[list[float], list[float], int, int]:
    """Wall and CPU seconds of each run of the risk rules, their findings, the risks."""
    from medtrace.checks import RULES, Context
    from medtrace.loading import Locator
    from medtrace.pipeline import trace_project

    traced = trace_project(project, use_cache=False)
    config, model = traced.project.config, traced.project.model
    rules = [r for code, r in sorted(RULES.items()) if "MT180" <= code <= "MT199"]
    wall, cpu, findings = [], [], 0
    for _ in range(repeat):
        ctx = Context(config, model, Locator(config.root))
        ctx.extras.update(trace=traced.trace, scan=traced.scan, results=traced.results)
        start, start_cpu = time.perf_counter(), time.process_time()
        findings = sum(len(list(r.check(ctx))) for r in rules)
        cpu.append(time.process_time() - start_cpu)
        wall.append(time.perf_counter() - start)
    risks = sum(len(model.of_kind(kind)) for kind in config.risk_kinds)
    return wall, cpu, findings, risks


if __name__ == "__main__":
    sys.exit(main())
