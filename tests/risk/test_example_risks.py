"""End to end on a copy of the bundled example (as tests/test_example.py does): its risk file
passes check, the heat maps render, and a deleted control test or a harm raised above what its
software item's class allows turns check red with a precise message."""

from __future__ import annotations

import shutil
import xml.etree.ElementTree as ET
from collections.abc import Callable
from pathlib import Path

import pytest
from helpers import Run
from test_example import (
    EXAMPLE,
    REAL_EVIDENCE,
    REAL_RESULTS,
    _ignored,
    check_json,
    edit,
    errors,
    require_real_results,
    run_cloud_suite,
)

pytestmark = pytest.mark.verifies("SRS-162", "SRS-164", "SRS-165")

Cli = Callable[..., Run]
SVG = "{http://www.w3.org/2000/svg}"


@pytest.fixture(scope="module")
def baseline(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("risks") / "bolus-advisor"
    shutil.copytree(EXAMPLE, root, ignore=_ignored)
    run_cloud_suite(root)
    for name in REAL_RESULTS:
        real = EXAMPLE / "build/results" / name
        if real.is_file():
            shutil.copy2(real, root / "build/results" / name)
    for name in REAL_EVIDENCE:  # the coverage and analysis reports class C asks for
        real = EXAMPLE / "build" / name
        if real.is_file():
            (root / "build" / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(real, root / "build" / name)
    return root


@pytest.fixture
def example(baseline: Path, tmp_path: Path) -> Path:
    root = tmp_path / "bolus-advisor"
    shutil.copytree(baseline, root)
    return root


def test_example_risk_file_passes_and_heat_maps_render(example: Path, cli: Cli) -> None:
    require_real_results()
    status, diagnostics = check_json(cli, example)
    assert (status, errors(diagnostics)) == (0, [])
    run = cli("-C", str(example), "risks", "--format", "svg", "-o", str(example / "site") + "/")
    assert run.code == 0, run.err
    for name in ("heatmap-initial.svg", "heatmap-residual.svg"):
        text = (example / "site" / name).read_text(encoding="utf-8")
        root = ET.fromstring(text.split("-->", 1)[1])
        ids = {a.get("href") for a in root.iter(f"{SVG}a")}
        assert len(ids) == 17, name  # every risk placed, each a link
    table = cli("-C", str(example), "risks")
    assert table.code == 0
    assert "| RISK-15 | Command replayed after a pump reset |" in table.out
    assert "Death." in table.out  # the example's own scale, with its definitions


def test_deleting_a_controls_test_fails_the_check(example: Path, cli: Cli) -> None:
    (example / "cloud/tests/test_iob.py").unlink()
    run_cloud_suite(example)
    status, diagnostics = check_json(cli, example)
    assert status == 1
    assert [(d["code"], d["item"], d["found"]) for d in errors(diagnostics)] == [
        ("MT102", "SRS-4", "risk control SRS-4 (controls RISK-4) has no verifying test")
    ]


def test_harm_above_the_items_class_fails_the_check(example: Path, cli: Cli) -> None:
    risks = example / "docs/risks.yaml"
    edit(risks, "    severity: negligible\n", "    severity: serious\n")
    status, diagnostics = check_json(cli, example)
    assert status == 1
    [found] = [d for d in errors(diagnostics) if d["code"] == "MT187"]
    lines = risks.read_text(encoding="utf-8").splitlines()
    line = len(lines) - lines[::-1].index("    severity: serious")  # RISK-17 is the last
    assert (found["path"], found["line"], found["item"]) == ("docs/risks.yaml", line, "RISK-17")
    assert found["found"] == (
        "risk RISK-17's harm is rated serious, which calls for class C, but its software item "
        "audit-log is class A"
    )
