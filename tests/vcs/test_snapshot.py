"""Snapshots of the work tree, of git revisions and of release folders, on real repositories."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from helpers import run_git, write_project

from medtrace.errors import UsageError
from medtrace.model import Item
from medtrace.vcs.snapshot import (
    Snapshot,
    content_hash,
    snapshot_at,
    snapshot_from_release,
    snapshot_named,
    snapshot_of,
)

from .project import ITEMS, RISK, commit_all, needs_git

pytestmark = [needs_git, pytest.mark.verifies("SRS-277", "SRS-278", "SRS-286")]


def test_the_work_tree_as_data(repo: Path) -> None:
    (repo / "docs" / "risks.yaml").write_text(RISK)
    snap = snapshot_of(repo)
    assert snap.source == "work tree"
    assert snap.commit == run_git(repo, "rev-parse", "HEAD").strip()
    assert (snap.project, sorted(snap.items)) == (
        "fixture",
        ["ANOM-1", "RISK-1", "SOUP-1", "SYS-1"],
    )
    sys1 = snap.items["SYS-1"]
    assert (sys1.kind, sys1.title, sys1.text, sys1.path) == (
        "system-requirement",
        "Dose advice",
        "The device advises a dose.",
        "docs/system.yaml",
    )
    assert snap.items["ANOM-1"].status == "deferred"
    assert "status" not in snap.items["ANOM-1"].fields
    assert snap.items["ANOM-1"].fields["evaluation"] == "No effect on safety."
    assert snap.risks["RISK-1"] == {
        "initial": {
            "severity": "catastrophic",
            "probability": "probable",
            "acceptability": "unacceptable",
        },
        "residual": {
            "severity": "catastrophic",
            "probability": "improbable",
            "acceptability": "review",
        },
    }
    assert snap.soup == {"requests": "2.31.0"}
    assert snap.verification["RISK-1"] == "untested"
    assert snap.results == []


def test_json_round_trip(repo: Path) -> None:
    snap = snapshot_of(repo)
    text = snap.to_json()
    assert Snapshot.from_json(text) == snap
    assert json.loads(text)["format"] == 1


@pytest.mark.parametrize("text", ["[]", '{"format": 99}', "{not json", '{"format": 1}'])
def test_a_broken_snapshot_is_a_usage_error(text: str) -> None:
    with pytest.raises(UsageError, match="cannot read the snapshot"):
        Snapshot.from_json(text)


def test_the_content_hash_ignores_layout_order_file_and_status() -> None:
    a = Item(
        "SRS-1",
        "software-requirement",
        title="T",
        text="one  two\nthree",
        fields={"parents": ["SYS-1"], "type": "functional", "status": "draft"},
        path="a.md",
    )
    b = Item(
        "SRS-1",
        "software-requirement",
        title=" T ",
        text="one two three",
        fields={"type": "functional", "parents": ["SYS-1"], "status": "approved"},
        path="b.md",
    )
    c = Item(
        "SRS-1",
        "software-requirement",
        title="T",
        text="one two four",
        fields={"type": "functional", "parents": ["SYS-1"]},
        path="a.md",
    )
    assert content_hash(a) == content_hash(b)
    assert content_hash(a) != content_hash(c)
    assert len(content_hash(a)) == 64


def test_a_revision_is_read_from_git_not_from_the_work_tree(repo: Path) -> None:
    first = run_git(repo, "rev-parse", "HEAD").strip()
    (repo / "docs" / "system.yaml").write_text("- {id: SYS-1, title: Dose advice v2}\n")
    commit_all(repo, "second", when=1_700_000_100)
    (repo / "docs" / "system.yaml").write_text("- {id: SYS-1, title: uncommitted}\n")
    (repo / "docs" / "extra.yaml").write_text("- {id: SYS-2, title: untracked}\n")
    old = snapshot_at(repo, "HEAD~1")
    head = snapshot_at(repo, "HEAD")
    assert (old.source, old.commit) == ("HEAD~1", first)
    assert old.items["SYS-1"].title == "Dose advice"
    assert head.items["SYS-1"].title == "Dose advice v2"
    assert "SYS-2" not in head.items
    assert snapshot_of(repo).items["SYS-1"].title == "uncommitted"


def test_a_project_in_a_sub_folder(tmp_path: Path) -> None:
    top = tmp_path / "mono"
    write_project(top / "device", ITEMS, cls="A")
    (top / "other.txt").write_text("not the project\n")
    run_git(top, "init", "-q", "-b", "main")
    commit_all(top, "first")
    run_git(top, "tag", "v1")
    (top / "device" / "docs" / "system.yaml").write_text("- {id: SYS-1, title: later}\n")
    commit_all(top, "later", when=1_700_000_100)
    snap = snapshot_at(top / "device", "v1")
    assert snap.items["SYS-1"].title == "Dose advice"
    assert snap.items["SYS-1"].path == "docs/system.yaml"


def test_an_unknown_revision_is_a_usage_error(repo: Path) -> None:
    with pytest.raises(UsageError, match="nope: no such revision, tag or release folder"):
        snapshot_at(repo, "nope")
    with pytest.raises(UsageError, match="not a revision"):
        snapshot_at(repo, "--output=x")


def test_outside_git_a_revision_cannot_be_read(tmp_path: Path) -> None:
    root = write_project(tmp_path / "plain", ITEMS, cls="A")
    with pytest.raises(UsageError, match="not in a git repository"):
        snapshot_at(root, "HEAD")


def test_a_shallow_clone_says_the_history_is_missing(repo: Path, tmp_path: Path) -> None:
    run_git(repo, "tag", "v1.0.0")
    (repo / "docs" / "system.yaml").write_text("- {id: SYS-1, title: two}\n")
    commit_all(repo, "second", when=1_700_000_100)
    run_git(tmp_path, "clone", "-q", "--depth", "1", "--no-tags", f"file://{repo}", "clone")
    clone = tmp_path / "clone"
    assert snapshot_at(clone, "HEAD").items["SYS-1"].title == "two"
    with pytest.raises(UsageError, match="not found in this shallow clone, which lacks the older"):
        snapshot_at(clone, "HEAD~1")


def test_a_release_folder_and_names(repo: Path) -> None:
    from medtrace.vcs.release import make_release

    made = make_release(repo, "1.0.0")
    assert not made.refused
    frozen = snapshot_from_release(made.folder)
    assert frozen.source == "release 1.0.0"
    assert frozen.items == snapshot_of(repo).items
    assert snapshot_named(repo, "v1.0.0").source == "v1.0.0 (release folder release-1.0.0)"
    assert snapshot_named(repo, str(made.folder)).items == frozen.items
    assert snapshot_named(repo, None).source == "work tree"
    assert snapshot_named(repo, "HEAD").source == "HEAD"
    with pytest.raises(UsageError, match="not a release folder"):
        snapshot_from_release(repo / "docs")


def test_links_in_a_revision_stay_inside_the_project(repo: Path, tmp_path: Path) -> None:
    (repo / "shared").mkdir()
    (repo / "shared" / "more.yaml").write_text("- {id: SYS-7, title: Linked}\n")
    (repo / "docs" / "more.yaml").symlink_to("../shared/more.yaml")
    (tmp_path / "outside.yaml").write_text("- {id: SYS-8, title: Outside}\n")
    (repo / "docs" / "outside.yaml").symlink_to(tmp_path / "outside.yaml")
    commit_all(repo, "links", when=1_700_000_100)
    (tmp_path / "outside.yaml").write_text("- {id: SYS-9, title: Changed since}\n")
    snap = snapshot_at(repo, "HEAD")
    assert snap.items["SYS-7"].title == "Linked"
    assert not {"SYS-8", "SYS-9"} & set(snap.items)  # a link out of the project is not read
