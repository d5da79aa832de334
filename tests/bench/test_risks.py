"""``bench/risks.py``: it times the risk rules on a generated project and reports the figures
(what it measures is not asserted here: speed belongs to the benchmark, not to unit tests)."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parents[2] / "bench" / "risks.py"

pytestmark = pytest.mark.verifies("SRS-24", "SRS-161")


def test_risks_benchmark_runs_on_a_clean_generated_project(tmp_path: Path) -> None:
    command = [sys.executable, str(SCRIPT), "--requirements", "60", "--risks", "12"]
    done = subprocess.run(
        [*command, "--repeat", "2", "--budget", "1000", "--out", str(tmp_path / "out")],
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    last = done.stdout.strip().splitlines()[-1]
    assert re.fullmatch(
        r"risk rules on 12 risks, 2 runs: CPU median [0-9.]+ s \(min [0-9.]+, max [0-9.]+\); "
        r"wall median [0-9.]+ s \(min [0-9.]+\); 0 findings; budget 1000.0 s",
        last,
    ), last
