"""``medtrace impact`` end to end: formats, the step summary, exit codes, shallow clones."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from helpers import Run, run_git
from vcs.impact_project import Project

pytestmark = [
    pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed"),
    pytest.mark.verifies("SRS-234", "SRS-237", "SRS-238"),
]

Cli = Callable[..., Run]


@pytest.fixture
def project(tmp_path: Path) -> Project:
    project = Project(tmp_path / "pump")
    project.edit("src/pump/dose.py", "if units > 10:", "if units >= 10:")
    project.commit("limit at ten")
    return project


def test_text(project: Project, cli: Cli) -> None:
    run = cli("-C", str(project.root), "impact", "v1")
    assert (run.code, run.err) == (0, "")
    assert run.out == (
        "impact of v1..HEAD\n"
        "\nfiles changed (1)\n  M src/pump/dose.py\n"
        "\ncode units touched (1)\n  src/pump/dose.py: limit implements SRS-1\n"
        "\nsoftware items (1)\n  pump [class C] Pump control: owns src/pump/dose.py\n"
        "\nrequirements (1)\n"
        "  SRS-1 [class C] Dose limit: implemented in src/pump/dose.py:limit, changed\n"
        "\nrisks (1)\n  RISK-1 [class C] Overdose: controlled by SRS-1\n"
        "\ntests to re-run (1)\n  tests/test_dose.py::test_limit (verifies SRS-1)\n"
    )


def test_json(project: Project, cli: Cli) -> None:
    run = cli("-C", str(project.root), "impact", "v1..HEAD", "--format", "json")
    assert run.code == 0
    doc = json.loads(run.out)
    assert doc["base"] == project.v1
    assert doc["files"] == [
        {"status": "M", "path": "src/pump/dose.py", "old_path": "src/pump/dose.py"}
    ]
    assert [r["id"] for r in doc["risks"]] == ["RISK-1"]
    assert doc["tests"] == [
        {"name": "test_limit", "path": "tests/test_dose.py", "why": "verifies SRS-1"}
    ]


def test_markdown_is_a_pull_request_comment(project: Project, cli: Cli) -> None:
    run = cli("-C", str(project.root), "impact", "v1", "--format", "markdown")
    assert run.code == 0
    lines = run.out.splitlines()
    assert lines[0] == "## Impact of v1..HEAD"
    assert "| RISK-1 | C | Overdose | controlled by SRS-1 |" in lines
    assert "| test\\_limit | tests/test\\_dose.py | verifies SRS-1 |" in lines


def test_github_appends_the_summary_and_prints_workflow_commands(
    project: Project, cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    summary = tmp_path / "summary.md"
    summary.write_text("# earlier step\n")
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    run = cli("-C", str(project.root), "impact", "v1", "--format", "github")
    assert run.code == 0
    assert run.out.splitlines() == [
        "::notice title=medtrace impact::v1..HEAD: 1 files, 1 requirements, 1 risks, "
        "1 tests to re-run",
        "::warning title=risk RISK-1 affected::RISK-1 [class C] Overdose: controlled by SRS-1",
    ]
    text = summary.read_text()
    assert text.startswith("# earlier step\n## Impact of v1..HEAD\n")


def test_no_revision_is_a_usage_error(project: Project, cli: Cli) -> None:
    run = cli("-C", str(project.root), "impact")
    assert run.code == 2
    assert "give BASE..HEAD, BASE, or --worktree" in run.err


def test_an_unknown_revision_is_a_usage_error(project: Project, cli: Cli) -> None:
    run = cli("-C", str(project.root), "impact", "v9..HEAD")
    assert run.code == 2
    assert run.err.startswith("medtrace: error: no revision 'v9' in this repository")


def test_an_option_is_not_taken_for_a_revision(project: Project, cli: Cli) -> None:
    run = cli("-C", str(project.root), "impact", "--", "--output=x..HEAD")
    assert run.code == 2
    assert "'--output=x' is not a revision" in run.err


def test_a_shallow_clone_without_the_base_says_to_fetch_more(
    project: Project, cli: Cli, tmp_path: Path
) -> None:
    clone = tmp_path / "clone"
    run_git(tmp_path, "clone", "-q", "--depth", "1", f"file://{project.root}", str(clone))
    run = cli("-C", str(clone), "impact", f"{project.v1}..HEAD")
    assert run.code == 2
    assert "it is shallow" in run.err
    assert "fetch-depth: 0" in run.err
    assert "Traceback" not in run.err


def test_nothing_changed(project: Project, cli: Cli) -> None:
    run = cli("-C", str(project.root), "impact", "HEAD..HEAD")
    assert run.code == 0
    assert run.out == "impact of HEAD..HEAD\n\nno change\n"


def test_an_unwritable_step_summary_is_a_usage_error(
    project: Project, cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(tmp_path / "no" / "such" / "folder" / "s.md"))
    run = cli("-C", str(project.root), "impact", "v1", "--format", "github")
    assert run.code == 2
    assert run.err.startswith("medtrace: error: cannot append to $GITHUB_STEP_SUMMARY")


def test_hostile_names_are_shown_escaped(project: Project, cli: Cli) -> None:
    project.write("src/pump/bad\x1b[31m\nname.py", "# @implements SRS-2\nx = 1\n")
    project.commit("a file with a terminal escape and a newline in its name")
    for fmt in ("text", "markdown", "github"):
        run = cli("-C", str(project.root), "impact", "HEAD~1", "--format", fmt)
        assert run.code == 0
        assert "\x1b" not in run.out
        assert "bad\\x1b[31m\\nname.py" in run.out.replace("\\\\", "\\").replace("\\[", "[")
    doc = json.loads(cli("-C", str(project.root), "impact", "HEAD~1", "--format", "json").out)
    assert doc["files"][0]["path"] == "src/pump/bad\x1b[31m\nname.py"
    assert [r["id"] for r in doc["requirements"]] == ["SRS-2"]
