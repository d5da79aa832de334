"""``medtrace diff``: what changed between two snapshots, and the command on real repositories."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from helpers import Run, run_git

from medtrace.vcs.diff import FieldChange, ItemChange, ItemRef, Rechange, diff
from medtrace.vcs.snapshot import ItemRecord, Snapshot

from .project import RISK, commit_all, needs_git

Cli = Callable[..., Run]

pytestmark = pytest.mark.verifies("SRS-284", "SRS-286")


def record(title: str, text: str = "", status: str = "", **fields: object) -> ItemRecord:
    return ItemRecord("software-requirement", title, status, dict(fields), text, "docs/a.yaml", "")


def snap(source: str, results: bool = True, **parts: object) -> Snapshot:
    return Snapshot(source, results=["r.xml"] if results else [], **parts)  # type: ignore[arg-type]


def test_items_added_removed_and_changed_field_by_field() -> None:
    old = snap(
        "v1",
        items={
            "SRS-1": record("Clamp", "at most 25 U", controls=["RISK-1"], type="functional"),
            "SRS-2": record("Gone"),
            "SRS-3": record("Same", "text"),
        },
    )
    moved = ItemRecord("software-requirement", "Same", "", {}, "text", "docs/b.yaml", "")
    new = snap(
        "v2",
        items={
            "SRS-1": record("Clamp", "at most 20 U", "approved", controls=["RISK-1", "RISK-9"]),
            "SRS-3": moved,
            "SRS-4": record("New"),
        },
    )
    d = diff(old, new)
    assert d.added == [ItemRef("SRS-4", "software-requirement", "New")]
    assert d.removed == [ItemRef("SRS-2", "software-requirement", "Gone")]
    assert d.changed == [
        ItemChange(
            "SRS-1",
            "software-requirement",
            "Clamp",
            (
                FieldChange("status", "", "approved"),
                FieldChange("text", "at most 25 U", "at most 20 U"),
                FieldChange("controls", ["RISK-1"], ["RISK-1", "RISK-9"]),
                FieldChange("type", "functional", None),
            ),
            ("RISK-1", "RISK-9"),
        ),
        ItemChange(
            "SRS-3",
            "software-requirement",
            "Same",
            (FieldChange("file", "docs/a.yaml", "docs/b.yaml"),),
        ),
    ]
    assert not d.empty


def test_statuses_risks_soup_and_interfaces() -> None:
    estimate = {"severity": "critical", "probability": "remote", "acceptability": "review"}
    lower = {"severity": "critical", "probability": "improbable", "acceptability": "acceptable"}
    old = snap(
        "v1",
        verification={"SRS-1": "verified", "SRS-2": "failed"},
        risks={"RISK-1": {"initial": estimate, "residual": estimate}},
        soup={"requests": "2.31.0", "left": "1.0"},
        interfaces={"api: REST": {"operation GET /a": "200", "operation GET /b": ""}},
    )
    new = snap(
        "v2",
        verification={"SRS-1": "verified", "SRS-2": "verified", "SRS-3": "untested"},
        risks={"RISK-1": {"initial": estimate, "residual": lower}},
        soup={"requests": "2.32.3", "added": "0.1"},
        interfaces={
            "api: REST": {"operation GET /a": "200 | 404", "operation POST /c": ""},
            "lib: Python API": {},
        },
    )
    d = diff(old, new)
    assert d.verification == [
        Rechange("SRS-2", "status", "failed", "verified"),
        Rechange("SRS-3", "status", None, "untested"),
    ]
    assert d.risks == [
        Rechange(
            "RISK-1", "residual", "critical × remote: review", "critical × improbable: acceptable"
        )
    ]
    assert d.soup == [
        Rechange("added", "version", None, "0.1"),
        Rechange("left", "version", "1.0", None),
        Rechange("requests", "version", "2.31.0", "2.32.3"),
    ]
    assert d.interfaces == [
        Rechange("api: REST", "operation GET /a", "200", "200 | 404"),
        Rechange("api: REST", "operation GET /b", "", None),
        Rechange("api: REST", "operation POST /c", None, ""),
        Rechange("lib: Python API", "interface", None, "0 elements"),
    ]
    assert d.notes == []


def test_statuses_are_not_compared_without_results_on_both_sides() -> None:
    old = snap("v1.0.0", verification={"SRS-1": "verified"})
    new = snap("HEAD", results=False, verification={"SRS-1": "untested"})
    d = diff(old, new)
    assert d.verification == [] and d.empty
    assert d.notes == [
        "verification statuses not compared: HEAD read no test results (results files are "
        "usually not committed; compare release folders or the work tree)"
    ]


def test_the_same_snapshot_has_no_changes() -> None:
    one = snap("v1", items={"SRS-1": record("A")}, soup={"x": "1"})
    assert diff(one, one).empty


# --- the command, on a real repository ---------------------------------------------------------


@needs_git
def test_diff_between_a_release_a_tag_and_the_work_tree(repo: Path, cli: Cli) -> None:
    (repo / "docs" / "risks.yaml").write_text(RISK)
    commit_all(repo, "a risk")
    run_git(repo, "tag", "v1.0.0")
    # no release folder for v1.0.0: the tag is read from git
    (repo / "docs" / "risks.yaml").write_text(
        RISK.replace("residual_probability: 1", "residual_probability: 2")
    )
    (repo / "docs" / "system.yaml").write_text("- {id: SYS-2, title: Other}\n")
    commit_all(repo, "re-estimate", when=1_700_000_100)
    run = cli("-C", str(repo), "diff", "v1.0.0", "HEAD")
    assert run.code == 0, run.err
    assert run.out.splitlines() == [
        "Changes from v1.0.0 to HEAD",
        "note: verification statuses not compared: v1.0.0 and HEAD read no test results "
        "(results files are usually not committed; compare release folders or the work tree)",
        "added SYS-2 (system-requirement): Other",
        "removed SYS-1 (system-requirement): Dose advice",
        "changed RISK-1 (risk): Overdose",
        "    residual_probability: - 1",
        "                          + 2",
        "risks re-estimated:",
        "    RISK-1 residual: catastrophic × improbable: review → catastrophic × remote: "
        "unacceptable",
    ]
    data = json.loads(cli("-C", str(repo), "diff", "HEAD~1", "--format", "json").out)
    assert data["old"] == "HEAD~1" and data["new"] == "work tree"
    assert [r["id"] for r in data["added"]] == ["SYS-2"]
    unknown = cli("-C", str(repo), "diff", "v9")
    assert unknown.code == 2
    assert "v9: no such revision, tag or release folder" in unknown.err


@needs_git
def test_a_shallow_clone_gives_a_clear_message(repo: Path, tmp_path: Path, cli: Cli) -> None:
    run_git(repo, "tag", "v1.0.0")
    (repo / "docs" / "system.yaml").write_text("- {id: SYS-1, title: two}\n")
    commit_all(repo, "second", when=1_700_000_100)
    run_git(tmp_path, "clone", "-q", "--depth", "1", "--no-tags", f"file://{repo}", "ci")
    run = cli("-C", str(tmp_path / "ci"), "diff", "HEAD~1")
    assert run.code == 2
    assert run.err == (
        "medtrace: error: HEAD~1: not found in this shallow clone, which lacks the older history; "
        "fetch it (git fetch --unshallow, or a deeper --depth and the tags) and run again\n"
    )
    assert "Traceback" not in run.out + run.err
