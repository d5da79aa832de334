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
