"""The SOUP benchmark's generated project: what it holds is what the figure is about."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType

import pytest
from helpers import load

from medtrace.soup import compare, load_inputs

pytestmark = pytest.mark.verifies("SRS-132")

BENCH = Path(__file__).resolve().parents[2] / "bench" / "soup" / "run.py"


def _bench() -> ModuleType:
    spec = importlib.util.spec_from_file_location("soup_bench", BENCH)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_generated_project_has_the_drift_it_announces(tmp_path: Path) -> None:
    root = _bench().generate(tmp_path / "p", 300)
    project = load(root)
    assert project.diagnostics == []
    inputs = load_inputs(project.config)
    report = compare(project.model, inputs.locks)
    assert (len(report.matched), len(report.unlisted), len(report.mismatched)) == (297, 3, 3)
    assert report.unused == []
    deepest = max(report.unlisted, key=lambda u: len(u.via))
    assert 1 < len(deepest.via) <= 7 and deepest.via[-1] == deepest.package.key
