"""``.gitignore`` files: git's rules, negation included, and odd lines skipped as git skips them."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from medtrace.fs.ignore import load_ignore
from medtrace.scanning.files import discover

pytestmark = pytest.mark.verifies("SRS-55")

ODD = ["!", "\\", "foo\\", "[z-a]", "!!", "! ", "/", "***", "**/**", "#!", "\\#x", "a/**/"]
PATHS = ["x.c", "foo", "a/d", "a/b/c.c", "keep.c", "#x", "!", "build/keep.c", "build/o.c", "s/foo"]
LINES = ["*.c", *ODD, "!keep.c", "build/", "!build/keep.c"]


def git_ignored(root: Path, paths: list[str]) -> set[str]:
    """Git's own verdict (``git check-ignore``) on ``paths``."""
    subprocess.run(["git", "init", "-q", str(root)], check=True)
    done = subprocess.run(
        ["git", "-C", str(root), "check-ignore", "--no-index", "--stdin"],
        input="\n".join(paths),
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )
    assert done.returncode in (0, 1), done.stderr
    return set(done.stdout.split())


def test_odd_lines_are_skipped_and_reported_with_their_lines(tmp_path: Path) -> None:
    (tmp_path / ".gitignore").write_text("\n".join(LINES) + "\n")
    loaded = load_ignore(tmp_path / ".gitignore", ".gitignore")
    assert loaded.rule is not None
    assert [(d.code, d.path, d.line) for d in loaded.diagnostics] == [
        ("MT134", ".gitignore", 2),  # !
        ("MT134", ".gitignore", 3),  # \
        ("MT134", ".gitignore", 4),  # foo\
        ("MT134", ".gitignore", 5),  # [z-a]
        ("MT134", ".gitignore", 7),  # "! ": trailing spaces go, as in git
    ]
    assert all("foo" not in d.found for d in loaded.diagnostics)  # the line is not quoted


@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
def test_the_verdicts_are_gits(tmp_path: Path) -> None:
    """What the walk leaves out is what git ignores (a file in an ignored folder cannot be
    taken back, as in git)."""
    (tmp_path / ".gitignore").write_text("\n".join(LINES) + "\n")
    for rel in PATHS:
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text("")
    expected = git_ignored(tmp_path, PATHS)
    assert {"x.c", "build/keep.c", "a/b/c.c"} <= expected and "keep.c" not in expected
    selected = {c.rel for c in discover(tmp_path, ["**"], []).files}
    assert {p for p in PATHS if p not in selected} == expected


def test_a_scan_with_odd_ignore_lines_goes_on(tmp_path: Path) -> None:
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "a.c").write_text("")
    (tmp_path / "src" / "b.c").write_text("")
    (tmp_path / "src" / ".gitignore").write_text("!\nb.c\n")
    found = discover(tmp_path, ["src"], [])
    assert [c.rel for c in found.files] == ["src/.gitignore", "src/a.c"]
    assert [(d.code, d.path, d.line) for d in found.diagnostics] == [("MT134", "src/.gitignore", 1)]


@pytest.mark.verifies("SRS-53")
def test_an_ignore_file_that_is_a_fifo_is_noted_not_read(tmp_path: Path) -> None:
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "a.c").write_text("")
    os.mkfifo(tmp_path / "src" / ".gitignore")
    loaded = load_ignore(tmp_path / "src" / ".gitignore", "src/.gitignore")
    assert loaded.rule is None
    assert [(d.code, d.path, d.found) for d in loaded.diagnostics] == [
        ("MT134", "src/.gitignore", "ignore file not read: a named pipe (FIFO), not a regular file")
    ]
    found = discover(tmp_path, ["src"], [])
    assert [c.rel for c in found.files] == ["src/a.c"]
    assert [d.code for d in found.diagnostics] == ["MT134", "MT131"]


def test_no_ignore_file_is_no_problem(tmp_path: Path) -> None:
    assert load_ignore(tmp_path / ".gitignore", ".gitignore").diagnostics == []


def test_a_git_file_instead_of_a_folder_is_no_problem(tmp_path: Path) -> None:
    """In a linked checkout or a submodule, ``.git`` is a file naming the real folder."""
    (tmp_path / ".git").write_text("gitdir: /elsewhere/.git/worktrees/x\n")
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "a.c").write_text("")
    found = discover(tmp_path, ["src"], [])
    assert [c.rel for c in found.files] == ["src/a.c"]
    assert found.diagnostics == []


def test_the_exclude_file_of_a_linked_checkout(tmp_path: Path) -> None:
    """``.git`` names a folder whose ``commondir`` holds ``info/exclude``, as git reads it."""
    main = tmp_path / "main" / ".git"
    (main / "info").mkdir(parents=True)
    (main / "info" / "exclude").write_text("*.tmp.c\n")
    (main / "checkouts" / "other").mkdir(parents=True)
    (main / "checkouts" / "other" / "commondir").write_text("../..\n")
    root = tmp_path / "other"
    (root / "src").mkdir(parents=True)
    (root / ".git").write_text(f"gitdir: {main / 'checkouts' / 'other'}\n")
    (root / "src" / "a.c").write_text("")
    (root / "src" / "b.tmp.c").write_text("")
    found = discover(root, ["src"], [])
    assert [c.rel for c in found.files] == ["src/a.c"]
    assert found.diagnostics == []
