"""``medtrace history ID`` on a real repository."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from helpers import Run, run_git

pytestmark = [
    pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed"),
    pytest.mark.verifies("SRS-233"),
]

Cli = Callable[..., Run]
T0 = 1_767_000_000


@pytest.fixture
def root(tmp_path: Path) -> Path:
    (tmp_path / "reqs").mkdir()
    (tmp_path / "medtrace.toml").write_text(
        '[project]\nname = "h"\nclass = "A"\n[paths]\nitems = ["reqs"]\n'
    )
    run_git(tmp_path, "init", "-q", "-b", "main")
    item = tmp_path / "reqs" / "SRS-1.md"
    item.write_text("---\ntitle: Dose\n---\nShown.\n")
    run_git(tmp_path, "add", "-A")
    run_git(tmp_path, "commit", "-q", "-m", "Add the dose", when=T0, author="Ada Lovelace")
    item.write_text("---\ntitle: Dose\n---\nShown in [red]units[/red].\n")
    run_git(tmp_path, "commit", "-q", "-am", "Units\n\nAsked for.", when=T0 + 60)
    return tmp_path


def test_text_lists_each_change_with_the_item_diff(root: Path, cli: Cli) -> None:
    run = cli("-C", str(root), "history", "SRS-1")
    assert (run.code, run.err) == (0, "")
    head = run_git(root, "rev-parse", "HEAD").strip()
    lines = run.out.splitlines()
    assert lines[:9] == [
        "SRS-1  Dose  (reqs/SRS-1.md)",
        "",
        f"commit {head}  modified  reqs/SRS-1.md",
        "Author: Test Author <test.author@example.org>",
        "Date:   2025-12-29T09:21:00+00:00",
        "",
        "    Units",
        "",
        "    Asked for.",
    ]
    assert "-Shown.\n+Shown in [red]units[/red].\n" in run.out  # markup shown, not applied
    assert "Author: Ada Lovelace <ada.lovelace@example.org>" in run.out
    assert "\x1b[" not in run.out  # no colour when not on a terminal


def test_json(root: Path, cli: Cli) -> None:
    run = cli("-C", str(root), "history", "SRS-1", "--format", "json")
    assert run.code == 0
    doc = json.loads(run.out)
    assert (doc["id"], doc["title"], doc["path"], doc["note"]) == (
        "SRS-1",
        "Dose",
        "reqs/SRS-1.md",
        None,
    )
    assert [c["kind"] for c in doc["changes"]] == ["modified", "added"]
    assert doc["changes"][1]["author"] == "Ada Lovelace"
    assert set(doc["changes"][0]) == {
        "commit",
        "author",
        "email",
        "date",
        "message",
        "path",
        "kind",
        "diff",
    }


def test_unknown_id_says_did_you_mean(root: Path, cli: Cli) -> None:
    run = cli("-C", str(root), "history", "SRS-11")
    assert run.code == 2
    assert run.err == "medtrace: error: no item 'SRS-11'; did you mean SRS-1?\n"


def test_a_removed_item_still_has_its_history(root: Path, cli: Cli) -> None:
    run_git(root, "rm", "-q", "reqs/SRS-1.md")
    run_git(root, "commit", "-q", "-m", "Drop it", when=T0 + 120)
    run = cli("-C", str(root), "history", "SRS-1")
    assert run.code == 0
    assert run.out.splitlines()[0] == "SRS-1  (removed)"
    assert "  removed  reqs/SRS-1.md" in run.out


def test_outside_git_a_note_on_stderr(tmp_path: Path, cli: Cli) -> None:
    (tmp_path / "reqs").mkdir()
    (tmp_path / "medtrace.toml").write_text(
        '[project]\nname = "h"\nclass = "A"\n[paths]\nitems = ["reqs"]\n'
    )
    (tmp_path / "reqs" / "SRS-1.md").write_text("---\ntitle: Dose\n---\nShown.\n")
    run = cli("-C", str(tmp_path), "history", "SRS-1")
    assert run.code == 0
    assert run.err == "medtrace: note: no history: the project is not in a git repository\n"
    assert run.out == "SRS-1  Dose  (reqs/SRS-1.md)\nno committed change (is the item committed?)\n"
