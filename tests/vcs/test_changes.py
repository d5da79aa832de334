"""The changed files between two revisions, with the changed lines of each side."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from helpers import run_git

from medtrace.errors import RevisionNotFound
from medtrace.vcs.changes import Versions, changed_files, resolve

pytestmark = [
    pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed"),
    pytest.mark.verifies("SRS-234", "SRS-238"),
]

LINES = "".join(f"line {n}\n" for n in range(1, 21))


@pytest.fixture
def root(tmp_path: Path) -> Path:
    run_git(tmp_path, "init", "-q", "-b", "main")
    (tmp_path / "a.py").write_text(LINES)
    (tmp_path / "b.py").write_text(LINES)
    (tmp_path / "gone.py").write_text("x = 1\n")
    run_git(tmp_path, "add", "-A")
    run_git(tmp_path, "commit", "-q", "-m", "one", when=1_767_000_000)
    return tmp_path


def commit(root: Path) -> None:
    run_git(root, "add", "-A")
    run_git(root, "commit", "-q", "-m", "two", when=1_767_000_060)


def test_each_side_has_its_changed_lines(root: Path) -> None:
    text = LINES.replace("line 3\n", "line three\n").replace("line 10\nline 11\n", "")
    (root / "a.py").write_text(text + "line 21\n")
    run_git(root, "mv", "b.py", "c.py")
    (root / "gone.py").unlink()
    commit(root)
    changes = {c.path: c for c in changed_files(root, resolve(root, "HEAD~1", False))}
    a = changes["a.py"]
    assert (a.status, a.old_lines, a.new_lines) == ("M", [(3, 3), (10, 11)], [(3, 3), (19, 19)])
    c = changes["c.py"]
    assert (c.status, c.old_path, c.new_path, c.old_lines, c.new_lines) == (
        "R",
        "b.py",
        "c.py",
        [],
        [],
    )
    assert changes["gone.py"].status == "D"
    versions = Versions(root, list(changes.values()), {"a.py", "gone.py"})
    assert versions.old(a) == LINES.encode()
    assert versions.new(changes["gone.py"]) is None
    assert versions.old(changes["gone.py"]) == b"x = 1\n"


def test_the_work_tree_side_is_read_from_disk_with_untracked_files(root: Path) -> None:
    (root / "a.py").write_text(LINES + "more\n")
    (root / "new.py").write_text("y = 2\n")
    revs = resolve(root, "HEAD", True)
    assert revs.head is None
    changes = {c.path: c for c in changed_files(root, revs)}
    assert changes["a.py"].new_lines == [(21, 21)]
    assert changes["new.py"].status == "A"
    versions = Versions(root, list(changes.values()), set(changes))
    assert versions.new(changes["new.py"]) == b"y = 2\n"
    assert versions.new(changes["a.py"]) == (LINES + "more\n").encode()


@pytest.mark.parametrize("spec", ["nope", "nope..HEAD", "HEAD..nope", "-x", "--output=f"])
def test_a_revision_that_is_not_a_commit_is_refused(root: Path, spec: str) -> None:
    with pytest.raises(RevisionNotFound):
        resolve(root, spec, False)
    assert not (root / "f").exists()


def test_labels(root: Path) -> None:
    assert resolve(root, "HEAD", False).label == "HEAD..HEAD"
    assert resolve(root, "..HEAD", False).label == "HEAD..HEAD"
    assert resolve(root, "HEAD", True).label == "HEAD to the work tree"
