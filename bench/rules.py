"""What each rule costs at 20,000 and 100,000 requirements, against the whole ``check``.

For each size: generates the project (``generate.py``, as ``run.py`` does), times a cold
``check`` (no cache, one process, CPU time) in this process, then loads and traces the project
once and runs every rule enabled for its class alone, timing each (CPU time, best of
``--repeat``). Rules are grouped by their module (``checks/risk.py``: risk, ``checks/soup.py``:
SOUP, ``checks/architecture.py`` and ``checks/conformance.py``: architecture...), and each group
and rule is printed with its share of the cold check; the target is that no group added since
the first release (architecture conformance, risk, SOUP) adds more than 25 %.

Usage: ``python bench/rules.py [--sizes 20000,100000] [--repeat 3] [--top 12]``
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import defaultdict
from collections.abc import Sequence
from pathlib import Path

import generate

from medtrace.checks import RULES, Context
from medtrace.gcpause import gc_paused
from medtrace.loading import Locator
from medtrace.pipeline import _test_files, check, trace_project

BENCH = Path(__file__).resolve().parent
OUT = BENCH / "out"
#: The rule groups added after the first release, each held to at most this share of check.
LATER_GROUPS = ("architecture", "conformance", "risk", "soup", "interfaces", "levels")
TARGET_SHARE = 0.25


def cpu_of(function: object, *args: object) -> tuple[float, object]:
    start = time.process_time()
    value = function(*args)  # type: ignore[operator]
    return time.process_time() - start, value


def cold_check(project: Path) -> None:
    check(project, use_cache=False, jobs=1)


def time_rules(project: Path, repeat: int) -> dict[str, float]:
    """Each enabled rule's CPU time (best of ``repeat``), by code."""
    with gc_paused():
        traced = trace_project(project, use_cache=False, evidence=True)
        config = traced.project.config
        ctx = Context(config, traced.project.model, Locator(config.root))
        ctx.extras.update(
            trace=traced.trace,
            scan=traced.scan,
            results=traced.results,
            test_files=_test_files(traced),
            read_files=set(),
        )
        if traced.evidence is not None:
            ctx.extras["evidence"] = traced.evidence
        out: dict[str, float] = {}
        for code, registered in sorted(RULES.items()):
            if config.safety_class not in registered.classes:
                continue
            runs = [cpu_of(lambda: list(registered.check(ctx)))[0] for _ in range(repeat)]  # noqa: B023
            out[code] = min(runs)
        return out


def group_of(code: str) -> str:
    return RULES[code].check.__module__.rsplit(".", 1)[-1]


def report(size: int, cold: float, rules: dict[str, float], top: int) -> list[str]:
    groups: dict[str, float] = defaultdict(float)
    for code, seconds in rules.items():
        groups[group_of(code)] += seconds
    lines = [
        f"{size:,} requirements: cold check {cold:.2f} s CPU (one process); all rules "
        f"{sum(rules.values()):.2f} s ({sum(rules.values()) / cold:.0%})",
        f"  {'group':<14}{'CPU s':>8}{'share':>8}  target",
    ]
    for name, seconds in sorted(groups.items(), key=lambda kv: -kv[1]):
        share = seconds / cold
        verdict = ""
        if name in LATER_GROUPS:
            verdict = "met" if share <= TARGET_SHARE else "MISSED"
            verdict = f"<= {TARGET_SHARE:.0%}: {verdict}"
        lines.append(f"  {name:<14}{seconds:8.3f}{share:8.1%}  {verdict}")
    lines.append(f"  the {top} costliest rules:")
    for code, seconds in sorted(rules.items(), key=lambda kv: -kv[1])[:top]:
        name = RULES[code].code.name
        lines.append(
            f"    {code} {name:<36}{seconds:8.3f}{seconds / cold:8.1%}  ({group_of(code)})"
        )
    return lines


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="20000,100000")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--top", type=int, default=12)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    figures = {}
    for size in (int(s) for s in args.sizes.split(",") if s.strip()):
        root = OUT / f"size-{size}"
        if not (root / "medtrace" / "medtrace.toml").exists():
            options = generate.Options(requirements=size, risks=max(1, size // 10), seed=args.seed)
            generate.generate(root, options, ("medtrace",))
        project = root / "medtrace"
        with gc_paused():
            cold, _ = cpu_of(cold_check, project)
        rules = time_rules(project, args.repeat)
        print("\n".join(report(size, cold, rules, args.top)), flush=True)
        figures[size] = {"cold_cpu_s": cold, "rules_cpu_s": rules}
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "rules.json").write_text(json.dumps(figures, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
