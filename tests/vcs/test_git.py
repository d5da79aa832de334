"""The one git runner and the work tree's state, on real repositories."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from helpers import run_git

from medtrace.vcs import git, repo_state

pytestmark = [
    pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed"),
    pytest.mark.verifies("SRS-275", "SRS-276"),
]


def committed(root: Path) -> Path:
    (root / "docs").mkdir()
    (root / "docs" / "a.md").write_text("one\n")
    run_git(root, "init", "-q", "-b", "main")
    run_git(root, "add", ".")
    run_git(root, "commit", "-q", "-m", "first")
    return root


def test_outside_a_repository_nothing_is_known(tmp_path: Path) -> None:
    state = repo_state(tmp_path)
    assert (state.commit, state.dirty, state.short) == (None, None, None)
    assert state.describe == "not in a git repository"
    assert git(tmp_path, "rev-parse", "HEAD") is None


def test_a_missing_folder_is_unknown_not_a_traceback(tmp_path: Path) -> None:
    assert git(tmp_path / "absent", "status") is None
    assert repo_state(tmp_path / "absent").commit is None


def test_a_clean_tree_with_a_tag(tmp_path: Path) -> None:
    root = committed(tmp_path)
    run_git(root, "tag", "v1.0.0")
    head = run_git(root, "rev-parse", "HEAD").strip()
    state = repo_state(root)
    assert state.commit == head
    assert state.short == head[:12]
    assert (state.dirty, state.branch, state.tag, state.shallow) == (False, "main", "v1.0.0", False)
    assert state.describe == f"{head[:12]} (v1.0.0)"


def test_an_edited_or_new_file_makes_the_tree_modified(tmp_path: Path) -> None:
    root = committed(tmp_path)
    (root / "docs" / "a.md").write_text("two\n")
    assert repo_state(root).dirty is True
    assert repo_state(root).describe.endswith(", modified")
    run_git(root, "checkout", "-q", "--", "docs/a.md")
    (root / "docs" / "new.md").write_text("new\n")
    assert repo_state(root).dirty is True


def test_only_the_project_folder_counts(tmp_path: Path) -> None:
    root = committed(tmp_path)
    (root / "elsewhere.txt").write_text("outside the project\n")
    assert repo_state(root / "docs").dirty is False
    assert repo_state(root).dirty is True


def test_a_detached_head_has_no_branch(tmp_path: Path) -> None:
    root = committed(tmp_path)
    run_git(root, "checkout", "-q", "--detach")
    assert repo_state(root).branch is None


def test_a_shallow_clone_says_so(tmp_path: Path) -> None:
    (tmp_path / "origin").mkdir()
    origin = committed(tmp_path / "origin")
    (origin / "docs" / "a.md").write_text("two\n")
    run_git(origin, "commit", "-q", "-am", "second")
    run_git(tmp_path, "clone", "-q", "--depth", "1", f"file://{origin}", "clone")
    state = repo_state(tmp_path / "clone")
    assert state.shallow is True
    assert state.commit == run_git(origin, "rev-parse", "HEAD").strip()


def test_the_repositorys_fsmonitor_program_is_never_run(tmp_path: Path) -> None:
    root = committed(tmp_path)
    marker = tmp_path / "ran"
    hook = tmp_path / "monitor.sh"
    hook.write_text(f"#!/bin/sh\ntouch {marker}\n")
    hook.chmod(0o755)
    run_git(root, "config", "core.fsmonitor", str(hook))
    repo_state(root)
    assert not marker.exists()
