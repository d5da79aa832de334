"""``medtrace risks``: formats, -o through the one output rule, exit codes."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import Make
from helpers import Run

pytestmark = pytest.mark.verifies("SRS-165")

Cli = Callable[..., Run]


def test_markdown_to_standard_output(make_project: Make, cli: Cli) -> None:
    root = make_project()
    run = cli("-C", str(root), "risks")
    assert run.code == 0
    assert "| RISK-1 | Overdose |" in run.out
    assert "SRS-1 (inherent-design); SRS-2 (protective)" in run.out


def test_json_and_svg_to_files(make_project: Make, cli: Cli) -> None:
    root = make_project()
    out = root / "out"
    run = cli("-C", str(root), "risks", "--format", "json", "-o", str(out / "risks.json"))
    assert run.code == 0 and "wrote" in run.out
    doc = json.loads((out / "risks.json").read_text(encoding="utf-8"))
    assert [r["ID"] for r in doc["risks"]] == ["RISK-1"]
    run = cli("-C", str(root), "risks", "--format", "svg", "-o", str(out) + "/")
    assert run.code == 0
    assert sorted(p.name for p in out.iterdir()) == [
        "heatmap-initial.svg",
        "heatmap-residual.svg",
        "risks.json",
    ]
    # a second run replaces its own files
    again = cli("-C", str(root), "risks", "--format", "svg", "-o", str(out) + "/")
    assert again.code == 0


def test_xlsx_needs_an_output(make_project: Make, cli: Cli) -> None:
    run = cli("-C", str(make_project()), "risks", "--format", "xlsx")
    assert run.code == 2
    assert "give it with -o PATH" in run.err


def test_a_file_medtrace_did_not_write_is_kept(make_project: Make, cli: Cli) -> None:
    root = make_project()
    mine = root / "notes.md"
    mine.write_text("my notes\n", encoding="utf-8")
    run = cli("-C", str(root), "risks", "-o", str(mine))
    assert run.code == 2
    assert mine.read_text(encoding="utf-8") == "my notes\n"


def test_a_bad_configuration_is_a_usage_error(tmp_path: Path, make_project: Make, cli: Cli) -> None:
    root = make_project(config_extra='\n[risk]\nmatrix = [["acceptable"]]\n')
    run = cli("-C", str(root), "risks")
    assert run.code == 2
    assert "MT090" in run.err and "risk.matrix" in run.err
