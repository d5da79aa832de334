"""What git knows about the project's files, read without running anything of the repository's."""

from __future__ import annotations

import hashlib
import os
import shutil
import stat
import subprocess
import time
from pathlib import Path

import pytest

from medtrace.tracing.gitview import GitView, _blobs, _moved_at, blob_id

pytestmark = pytest.mark.verifies("SRS-105")

needs_git = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
HOUR_AGO = int(time.time()) - 3600


def git(root: Path, *args: str, when: int = HOUR_AGO) -> str:
    env = {
        **os.environ,
        "GIT_AUTHOR_NAME": "t",
        "GIT_AUTHOR_EMAIL": "t@example.org",
        "GIT_COMMITTER_NAME": "t",
        "GIT_COMMITTER_EMAIL": "t@example.org",
        "GIT_AUTHOR_DATE": f"@{when} +0000",
        "GIT_COMMITTER_DATE": f"@{when} +0000",
        "GIT_CONFIG_GLOBAL": os.devnull,
        "GIT_CONFIG_NOSYSTEM": "1",
    }
    done = subprocess.run(["git", *args], cwd=root, env=env, capture_output=True, check=True)
    return done.stdout.decode()


def repository(root: Path) -> Path:
    (root / "project" / "src").mkdir(parents=True)
    (root / "project" / "src" / "a.py").write_text("x = 1\n")
    (root / "top.txt").write_text("outside the project folder\n")
    git(root, "init", "-q")
    git(root, "add", ".")
    git(root, "commit", "-q", "-m", "one")
    return root / "project"


def test_blob_ids_are_gits() -> None:
    data = b"hi\n"
    assert blob_id(data, 40) == "45b983be36b73c0788dc9cbcb76cbb80fc7bb057"
    assert blob_id(data, 64) == hashlib.sha256(b"blob 3\0hi\n").hexdigest()


def test_the_listing_and_the_times_are_parsed() -> None:
    listing = (
        "100644 blob 1111\tsrc/a b.py\0" + "040000 tree 2222\tsrc\0" + "160000 commit 3\tsub\0"
    )
    assert _blobs(listing) == {"src/a b.py": "1111"}
    assert _moved_at("HEAD@{1700000100}\x001700000000\n") == 1700000100
    assert _moved_at("x@{0}\x001700000000\n") == 1700000000
    assert _moved_at("garbage") is None


@needs_git
def test_a_committed_file_unchanged_since_head_moved(tmp_path: Path) -> None:
    project = repository(tmp_path)
    view = GitView(project)
    now = time.time_ns()
    assert view.unchanged_since("src/a.py", b"x = 1\n", now)
    assert not view.unchanged_since("src/a.py", b"x = 2\n", now), "not as committed"
    assert not view.unchanged_since("src/b.py", b"x = 1\n", now), "not tracked"
    assert not view.unchanged_since("src/a.py", b"x = 1\n", (HOUR_AGO - 10) * 10**9), "older"
    assert not view.unchanged_since("src/a.py", b"x = 1\n", HOUR_AGO * 10**9), "same second"


@needs_git
def test_a_checkout_moves_head_now(tmp_path: Path) -> None:
    project = repository(tmp_path)
    results_written = time.time_ns() - 30 * 10**9
    git(tmp_path, "checkout", "-q", "-b", "other", when=int(time.time()))
    assert not GitView(project).unchanged_since("src/a.py", b"x = 1\n", results_written)


def test_outside_git_nothing_is_known(tmp_path: Path) -> None:
    (tmp_path / "a.py").write_text("x = 1\n")
    assert not GitView(tmp_path).unchanged_since("a.py", b"x = 1\n", time.time_ns())


def test_without_git_nothing_is_known(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    assert not GitView(tmp_path).unchanged_since("a.py", b"x = 1\n", time.time_ns())


@needs_git
def test_the_repositorys_programs_are_not_run(tmp_path: Path) -> None:
    """A file-system monitor or a signature program named in ``.git/config`` never runs."""
    project = repository(tmp_path)
    marker = tmp_path / "ran"
    script = tmp_path / "hook.sh"
    script.write_text(f"#!/bin/sh\necho ran >> {marker}\nexit 1\n")
    script.chmod(script.stat().st_mode | stat.S_IXUSR)
    git(tmp_path, "config", "core.fsmonitor", str(script))
    git(tmp_path, "config", "log.showSignature", "true")
    git(tmp_path, "config", "gpg.program", str(script))
    assert GitView(project).unchanged_since("src/a.py", b"x = 1\n", time.time_ns())
    assert not marker.exists()
    subprocess.run(["git", "status"], cwd=project, capture_output=True, check=False)
    assert marker.exists(), "the counterpart: git status would have run the monitor"
