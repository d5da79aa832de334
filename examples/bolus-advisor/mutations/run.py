"""Mutation check of the Bolus Advisor's tests: `make mutations` (or python mutations/run.py).

Each row of MUTATIONS changes one line of the code in a way that would weaken a
requirement or a risk control. The script copies this example into a
temporary directory (the real files are never touched), applies one mutation
to the copy, runs the test suites that exercise the mutated file plus the
system tests, and reads their JUnit results: the mutation is killed when at
least one test fails, and survives when every test passes. A mutation whose
code does not build proves nothing about the tests: it is reported as such.
The unmutated copy runs first and must pass, or nothing is concluded.

Exit status: 0 when every mutation is killed, 1 when one survives, 2 when the
unmutated code does not pass its own tests, or a mutation no longer applies or
does not build (the table needs updating).

    python mutations/run.py [--only NAME ...] [--keep]
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path

EXAMPLE = Path(__file__).resolve().parents[1]
COPY_IGNORE = shutil.ignore_patterns("build", "node_modules", "__pycache__", ".medtrace")

# The `make` targets that exercise each part of the example; the system tests
# run for every mutation because they exercise all three.
SUITES = {
    "cloud": ["cloud-results"],
    "app": ["app-results"],
    "firmware": ["firmware-results"],
}
SYSTEM = "system-results"


@dataclass(frozen=True)
class Mutation:
    name: str
    file: str
    original: str
    mutated: str
    description: str


MUTATIONS = [
    Mutation(
        "hourly-ceiling-x10",
        "firmware/src/dose_limiter.h",
        "#define DOSE_HARD_MAX_HOURLY_CU 5000u  /* 50 U in any 60 minutes */",
        "#define DOSE_HARD_MAX_HOURLY_CU 50000u  /* 50 U in any 60 minutes */",
        "pump: hourly ceiling of the settings x10 (50 U -> 500 U)",
    ),
    Mutation(
        "hourly-limit-x10",
        "firmware/src/dose_limiter.c",
        "if (recent_cu + dose_cu > limiter->max_hourly_cu) {",
        "if (recent_cu + dose_cu > limiter->max_hourly_cu * 10u) {",
        "pump: hourly maximum x10 where it is enforced",
    ),
    Mutation(
        "max-bolus-check",
        "firmware/src/dose_limiter.c",
        "if (dose_cu > limiter->max_bolus_cu) {",
        "if (dose_cu > limiter->max_hourly_cu) {",
        "pump: bolus compared with the hourly maximum instead of the maximum bolus",
    ),
    Mutation(
        "carb-ratio-floor-div10",
        "cloud/src/bolus_cloud/validation.py",
        "CARB_RATIO_G_PER_U = (2.0, 150.0)",
        "CARB_RATIO_G_PER_U = (0.2, 150.0)",
        "cloud: carbohydrate ratio floor / 10 (2 -> 0.2 g/U)",
    ),
    Mutation(
        "correction-factor-floor-div10",
        "cloud/src/bolus_cloud/validation.py",
        "CORRECTION_FACTOR_MGDL_PER_U = (5.0, 400.0)",
        "CORRECTION_FACTOR_MGDL_PER_U = (0.5, 400.0)",
        "cloud: correction factor floor / 10 (5 -> 0.5 mg/dL/U)",
    ),
    Mutation(
        "target-range-widened",
        "cloud/src/bolus_cloud/validation.py",
        "TARGET_MGDL = (70.0, 180.0)",
        "TARGET_MGDL = (60.0, 200.0)",
        "cloud: target range widened (70-180 -> 60-200 mg/dL)",
    ),
    Mutation(
        "insulin-action-range-widened",
        "cloud/src/bolus_cloud/validation.py",
        "INSULIN_ACTION_H = (2.0, 8.0)",
        "INSULIN_ACTION_H = (1.0, 12.0)",
        "cloud: insulin action range widened (2-8 -> 1-12 h)",
    ),
    Mutation(
        "patient-id-anything",
        "cloud/src/bolus_cloud/validation.py",
        'PATIENT_ID = re.compile(r"^[A-Za-z0-9-]{1,64}$")',
        'PATIENT_ID = re.compile(r"(?s).*")',
        "cloud: patient ID pattern accepts anything (a name, an empty string)",
    ),
    Mutation(
        "no-411",
        "cloud/src/bolus_cloud/api.py",
        "if not length_text.isdigit():",
        "if False:",
        "cloud: the 411 Content-Length check removed",
    ),
    Mutation(
        "hypo-threshold-lowered",
        "cloud/src/bolus_cloud/calculator.py",
        "HYPO_THRESHOLD_MGDL = 70.0",
        "HYPO_THRESHOLD_MGDL = 60.0",
        "cloud: bolus refused below 60 instead of 70 mg/dL",
    ),
    Mutation(
        "no-max-bolus-clamp",
        "cloud/src/bolus_cloud/validation.py",
        "if not rec.bolus_u > max_bolus_u:",
        "if True:",
        "cloud: recommendation no longer clamped to the maximum bolus",
    ),
    Mutation(
        "no-oversize-guard",
        "firmware/src/command_parser.c",
        "if (frame == NULL || len < CMD_HEADER_LEN + CMD_CRC_LEN || len > CMD_MAX_FRAME_LEN) {",
        "if (frame == NULL || len < CMD_HEADER_LEN + CMD_CRC_LEN) {",
        "pump: the oversize-frame guard removed",
    ),
    Mutation(
        "unknown-opcode-parsed",
        "firmware/src/command_parser.c",
        "return PARSE_ERR_OPCODE;",
        "(void)0; /* unknown opcode accepted */",
        "pump: the parser accepts an unknown command",
    ),
    Mutation(
        "unknown-command-dispatched",
        "firmware/src/delivery.c",
        "return DELIVERY_ERR_COMMAND;",
        "return DELIVERY_OK;",
        "pump: the delivery controller accepts an unknown command",
    ),
    Mutation(
        "urgent-low-text",
        "app/src/alarms.ts",
        "? 'URGENT LOW glucose. Take fast-acting carbohydrate now. No bolus.'",
        "? 'Low glucose. Take fast-acting carbohydrate. No bolus.'",
        "app: the urgent-low alarm text replaced by the low alarm text",
    ),
    Mutation(
        "app-max-bolus-check",
        "app/src/confirmation.ts",
        "if (bolusU > maxBolusU) return unavailable('dose above your maximum bolus');",
        "if (bolusU > 2 * maxBolusU) return unavailable('dose above your maximum bolus');",
        "app: advice accepted up to twice the maximum bolus",
    ),
    Mutation(
        "status-crc-ignored",
        "app/src/pumpStatus.ts",
        "if (crc16Ccitt(frame.subarray(0, STATUS_FRAME_LEN - 2)) !== u16(frame, STATUS_FRAME_LEN - 2)) {",
        "if (false) {",
        "app: the pump's status frame believed whatever its CRC",
    ),
    Mutation(
        "limits-crc-ignored",
        "firmware/src/limits_record.c",
        "if (crc16_ccitt(record, LIMITS_RECORD_LEN - 2u) != read_u16_le(&record[8])) {",
        "if (0) {",
        "pump: a corrupted limits record in flash is used",
    ),
    Mutation(
        "audit-blocks",
        "cloud/src/bolus_cloud/audit.py",
        "self._queue.put_nowait((time, event, request_id, data))",
        "self._queue.put((time, event, request_id, data))",
        "cloud: a full audit queue blocks the recommendation",
    ),
]


KILLED, SURVIVED, NO_BUILD = "killed", "SURVIVED", "NO BUILD"


@dataclass
class Outcome:
    verdict: str
    evidence: str
    seconds: float


def apply(root: Path, mutation: Mutation) -> None:
    """Replaces the one line whose text is `original` (indentation kept)."""
    path = root / mutation.file
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    hits = [i for i, line in enumerate(lines) if line.strip() == mutation.original]
    if len(hits) != 1:
        raise SystemExit(
            f"{mutation.name}: {mutation.file} has {len(hits)} lines equal to "
            f"{mutation.original!r}, expected exactly 1: update the table in {__file__}"
        )
    line = lines[hits[0]]
    indent = line[: len(line) - len(line.lstrip())]
    lines[hits[0]] = indent + mutation.mutated + "\n"
    path.write_text("".join(lines), encoding="utf-8")


def failed_tests(results: Path) -> list[str]:
    """Names of the test cases with a failure or an error in the JUnit files."""
    names = []
    for xml in sorted(results.glob("*.xml")):
        for case in ET.parse(xml).getroot().iter("testcase"):
            if case.find("failure") is not None or case.find("error") is not None:
                names.append(f"{xml.stem}: {case.get('name')}")
    return names


def run_suites(root: Path, targets: list[str], python: str) -> Outcome:
    start = time.monotonic()
    done = subprocess.run(
        ["make", "-C", str(root), *targets, f"PYTHON={python}"],
        capture_output=True,
        text=True,
        check=False,
    )
    seconds = time.monotonic() - start
    failed = failed_tests(root / "build" / "results")
    if failed:
        more = f" (+{len(failed) - 3} more)" if len(failed) > 3 else ""
        return Outcome(KILLED, ", ".join(failed[:3]) + more, seconds)
    if done.returncode != 0:
        last = (done.stderr.strip().splitlines() or ["make failed"])[-1]
        return Outcome(NO_BUILD, f"a suite could not run: {last}", seconds)
    return Outcome(SURVIVED, "every test passed", seconds)


def fresh_copy(parent: Path) -> Path:
    root = parent / "bolus-advisor"
    if root.exists():
        shutil.rmtree(root)
    shutil.copytree(EXAMPLE, root, ignore=COPY_IGNORE)
    (root / "app" / "node_modules").symlink_to(EXAMPLE / "app" / "node_modules")
    return root


def targets_for(mutation: Mutation) -> list[str]:
    return [*SUITES[mutation.file.split("/")[0]], SYSTEM]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", nargs="*", default=[], help="names of the mutations to run")
    parser.add_argument("--keep", action="store_true", help="keep the temporary copies")
    args = parser.parse_args()
    python = os.environ.get("PYTHON", sys.executable)
    chosen = [m for m in MUTATIONS if not args.only or m.name in args.only]
    if not (EXAMPLE / "app" / "node_modules").is_dir():
        print("app/node_modules is missing: run `make app-results` first", file=sys.stderr)
        return 2

    work = Path(tempfile.mkdtemp(prefix="bolus-mutations-"))
    try:
        started = time.monotonic()
        baseline = run_suites(fresh_copy(work), ["results"], python)
        print(f"baseline (no mutation): {baseline.evidence} [{baseline.seconds:.0f} s]")
        if baseline.verdict != SURVIVED:
            print("the unmutated example does not pass its tests: nothing to conclude")
            return 2
        rows = []
        for mutation in chosen:
            root = fresh_copy(work)
            apply(root, mutation)
            outcome = run_suites(root, targets_for(mutation), python)
            print(
                f"{outcome.verdict:8} {mutation.name} [{outcome.seconds:.0f} s]: {outcome.evidence}"
            )
            rows.append((mutation, outcome))
        print_table(rows)
        count = {v: sum(o.verdict == v for _, o in rows) for v in (KILLED, SURVIVED, NO_BUILD)}
        print(
            f"\n{count[KILLED]} killed, {count[SURVIVED]} survived, "
            f"{count[NO_BUILD]} did not build in {time.monotonic() - started:.0f} s"
        )
        return 1 if count[SURVIVED] else 2 if count[NO_BUILD] else 0
    finally:
        if args.keep:
            print(f"copies kept in {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)


def print_table(rows: list[tuple[Mutation, Outcome]]) -> None:
    print("\n| mutation | file | original line | mutated line | result | failing tests |")
    print("|---|---|---|---|---|---|")
    for m, outcome in rows:
        cells = [m.description, m.file, f"`{m.original}`", f"`{m.mutated}`", outcome.verdict]
        print("| " + " | ".join(c.replace("|", "\\|") for c in [*cells, outcome.evidence]) + " |")


if __name__ == "__main__":
    sys.exit(main())
