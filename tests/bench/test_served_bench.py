"""The benchmark's served cases: the same targets, the server started and read from its log."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parents[2] / "bench"

pytestmark = pytest.mark.verifies("SRS-24", "SRS-306")


@pytest.fixture(scope="module")
def run_module() -> object:
    sys.path.insert(0, str(BENCH))
    try:
        spec = importlib.util.spec_from_file_location("bench_run", BENCH / "run.py")
        assert spec is not None and spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        sys.modules["bench_run"] = module  # dataclasses look their module up
        spec.loader.exec_module(module)
        return module
    finally:
        sys.path.remove(str(BENCH))


def test_every_served_case_has_the_unserved_target(run_module: object) -> None:
    targets = run_module.TARGETS  # type: ignore[attr-defined]
    edits = run_module.EDITS  # type: ignore[attr-defined]
    for mode in ("warm", *edits):
        assert targets["served, " + mode] == targets[mode]


def test_the_peak_of_the_last_command_is_read_from_the_log(
    run_module: object, tmp_path: Path
) -> None:
    log = tmp_path / "serve.log"
    log.write_text(
        "medtrace serve: serving /p (pid 1)\nmedtrace serve: ready\n"
        "medtrace serve: check --format json: exit 0 in 0.84 s, peak 612 MB\n"
        "medtrace serve: check --format json: exit 1 in 1.20 s, peak 700 MB\n",
        encoding="utf-8",
    )
    assert run_module.served_peak(log) == 700 * 1024 * 1024  # type: ignore[attr-defined]
    log.write_text("medtrace serve: ready\n", encoding="utf-8")
    assert run_module.served_peak(log) == 0  # type: ignore[attr-defined]


def _measure(run_module: object, mode: str, wall: float, peak: int) -> object:
    measure = run_module.Measure(100_000, "medtrace", mode, 1, ["medtrace"])  # type: ignore[attr-defined]
    sample = run_module.Sample(wall_s=wall, cpu_s=wall, peak_rss_bytes=peak, exit_code=0)  # type: ignore[attr-defined]
    measure.samples.append(sample)
    return measure


def test_the_commands_are_shown_against_the_cold_check_and_left_out_of_its_peak(
    run_module: object,
) -> None:
    measures = [
        _measure(run_module, "cold, one core", 10.0, 700_000_000),
        _measure(run_module, "command: build", 25.0, 3_000_000_000),
    ]
    lines = run_module.command_lines(measures).splitlines()  # type: ignore[attr-defined]
    assert "against the cold check on one core (10.00 s)" in lines[0]
    assert lines[1].split()[:2] == ["build", "25.00"] and "2.50x the check" in lines[1]
    targets = run_module.big_targets(measures)  # type: ignore[attr-defined]
    assert targets["peak_rss_mb"] == 700.0 and targets["peak_under_1gb"]
    later = run_module.TARGETS[run_module.LATER]  # type: ignore[attr-defined]
    assert later == run_module.TARGETS["item edited"]  # type: ignore[attr-defined]
