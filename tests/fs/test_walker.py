"""The one walk: special files, symbolic links (loops, diamonds, out of the project), deep
trees and folders that cannot be read.

Cases that used to hang or take minutes run in a child process with a timeout, so that a
regression fails the test instead of stalling the run.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import textwrap
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from helpers import AS_ROOT, refuse_listing

from medtrace.diagnostics import Diagnostic
from medtrace.fs import Globs, Policy, walk
from medtrace.fs import walker as walking
from medtrace.scanning.codes import unreadable

pytestmark = pytest.mark.verifies("SRS-51", "SRS-52", "SRS-53", "SRS-54")

POLICY = Policy("paths.items", unreadable)


def touch(root: Path, *names: str, text: str = "x\n") -> None:
    for name in names:
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)


def walked(root: Path, patterns: list[str], policy: Policy = POLICY) -> tuple[list[str], list[Any]]:
    out = walk(root, Globs(patterns), policy)
    return [f.rel for f in out.files], [(d.code, d.path) for d in out.diagnostics]


def in_child(code: str, timeout: float = 120) -> str:
    """Run ``code`` in a fresh interpreter; a hang fails the test after ``timeout`` seconds."""
    done = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)],
        capture_output=True,
        text=True,
        timeout=timeout,
        check=True,
    )
    return done.stdout


# -- special files -------------------------------------------------------------------------


def test_a_fifo_is_reported_not_opened(tmp_path: Path) -> None:
    touch(tmp_path, "docs/a.md")
    os.mkfifo(tmp_path / "docs" / "pipe.md")
    out = in_child(
        f"""
        from pathlib import Path
        from medtrace.loading.discover import discover
        found = discover(Path({str(tmp_path)!r}), ["docs"])
        print(sorted(found.files), [(d.code, d.path, d.found) for d in found.diagnostics])
        """
    )
    assert out.strip() == (
        "['docs/a.md'] [('MT131', 'docs/pipe.md', "
        "'a named pipe (FIFO), not a regular file: not read')]"
    )


def test_a_link_to_a_device_inside_the_project_is_reported(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "fifo")
    touch(tmp_path, "src/a.c")
    (tmp_path / "src" / "b.c").symlink_to("../fifo")
    files, problems = walked(tmp_path, ["src"])
    assert files == ["src/a.c"]
    assert problems == [("MT131", "src/b.c")]


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="no /dev/zero on this system")
def test_links_to_dev_zero_and_urandom_are_never_read(tmp_path: Path) -> None:
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "zero.md").symlink_to("/dev/zero")
    (tmp_path / "docs" / "random.yaml").symlink_to("/dev/urandom")
    files, problems = walked(tmp_path, ["docs"])
    assert files == []
    assert problems == [("MT130", "docs/random.yaml"), ("MT130", "docs/zero.md")]
    following = Policy("paths.items", unreadable, follow_external=True)
    files, problems = walked(tmp_path, ["docs"], following)
    assert problems == [("MT131", "docs/random.yaml"), ("MT131", "docs/zero.md")]


# -- symbolic links: loops and diamonds ---------------------------------------------------


def diamond(root: Path, layers: int) -> None:
    """``layers`` folders, each with two links to the next one: 2**layers paths to the end."""
    base = root / "docs"
    for layer in range(layers + 1):
        (base / f"l{layer}").mkdir(parents=True)
    (base / f"l{layers}" / "end.md").write_text("x\n")
    for layer in range(layers):
        for name in "ab":
            (base / f"l{layer}" / name).symlink_to(f"../l{layer + 1}")


def test_a_diamond_of_22_layers_of_links_is_walked_once_per_folder(tmp_path: Path) -> None:
    """Before: 2**22 paths (hours); after: one visit per folder."""
    diamond(tmp_path, 22)
    out = in_child(
        f"""
        from pathlib import Path
        from medtrace.loading.discover import discover
        from medtrace.results.loader import expand
        from medtrace.scanning.files import discover as to_scan
        root = Path({str(tmp_path)!r})
        print(sorted(discover(root, ["docs/**"]).files))
        print(expand(root, ["docs/**/*.md"], []))
        print([c.rel for c in to_scan(root, ["docs/**"], []).files])
        """
    )
    assert out.splitlines() == ["['docs/l22/end.md']", "['docs/l22/end.md']", "['docs/l22/end.md']"]


def test_self_links_under_double_star(tmp_path: Path) -> None:
    touch(tmp_path, "docs/a.md")
    (tmp_path / "docs" / "self").symlink_to(".")
    (tmp_path / "docs" / "again").symlink_to(".")
    (tmp_path / "docs" / "root").symlink_to("..")
    files, problems = walked(tmp_path, ["docs/**/*.md"])
    assert files == ["docs/a.md"]
    assert problems == [("MT132", "docs/again"), ("MT132", "docs/root"), ("MT132", "docs/self")]


def test_links_between_sibling_folders_keep_the_real_paths(tmp_path: Path) -> None:
    touch(tmp_path, "docs/b/x.md", "docs/c/y.md")
    (tmp_path / "docs" / "a").symlink_to("b")  # sorted before its target
    (tmp_path / "docs" / "b" / "to-c").symlink_to("../c")
    files, problems = walked(tmp_path, ["docs"])
    assert files == ["docs/b/x.md", "docs/c/y.md"]
    assert problems == []


def test_a_link_to_a_folder_outside_the_patterns_is_followed(tmp_path: Path) -> None:
    touch(tmp_path, "shared/x.md")
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "shared").symlink_to("../shared")
    assert walked(tmp_path, ["docs"]) == (["docs/shared/x.md"], [])


def test_links_that_lead_nowhere_are_reported(tmp_path: Path) -> None:
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "gone.md").symlink_to("nowhere.md")
    (tmp_path / "docs" / "a").symlink_to("b")
    (tmp_path / "docs" / "b").symlink_to("a")
    out = walk(tmp_path, Globs(["docs"]), POLICY)
    assert [(d.code, d.path, d.found) for d in out.diagnostics] == [
        ("MT110", "docs/a", "cannot read: symbolic link loop"),
        ("MT110", "docs/b", "cannot read: symbolic link loop"),
        ("MT110", "docs/gone.md", "cannot read: broken symbolic link or missing file"),
    ]


# -- deep trees ----------------------------------------------------------------------------


def remove_deep(top: str) -> None:
    """Remove a tree without recursion (``shutil.rmtree`` recurses, as pytest's clean-up does,
    and fails on a tree this deep)."""
    stack = [top]
    while stack:
        with os.scandir(stack[-1]) as entries:
            below = None
            for entry in entries:
                if entry.is_dir(follow_symlinks=False):
                    below = entry.path
                    break
                Path(entry.path).unlink()
        if below is None:
            Path(stack.pop()).rmdir()
        else:
            stack.append(below)


def test_a_tree_1100_folders_deep(tmp_path: Path) -> None:
    """A recursive walk runs out of stack here (the item walk did, with an internal error)."""
    top = folder = tmp_path / "docs"
    try:
        top.mkdir()
        for _ in range(1100):
            folder = folder / "d"
            folder.mkdir()
        (folder / "deep.md").write_text("x\n")
        files, problems = walked(tmp_path, ["docs"])
    finally:
        remove_deep(str(top))
    assert files == ["docs/" + "d/" * 1100 + "deep.md"]
    assert problems == []


# -- links out of the project ---------------------------------------------------------------

SECRET = "https://ci:ghp_S3CRETtoken0123456789@github.com"


def outside(tmp_path: Path) -> Path:
    """A project with links to a credentials file and a folder outside it."""
    home = tmp_path / "home"
    touch(home, ".git-credentials", "notes/n.md", text=SECRET + "\n")
    root = tmp_path / "project"
    touch(root, "docs/a.md")
    (root / "docs" / "x.yaml").symlink_to(home / ".git-credentials")
    (root / "docs" / "notes").symlink_to(home / "notes")
    return root


def test_links_out_of_the_project_are_reported_not_followed(tmp_path: Path) -> None:
    root = outside(tmp_path)
    out = walk(root, Globs(["docs"]), POLICY)
    assert [f.rel for f in out.files] == ["docs/a.md"]
    problems: list[Diagnostic] = out.diagnostics
    assert [(d.code, d.path) for d in problems] == [
        ("MT130", "docs/notes"),
        ("MT130", "docs/x.yaml"),
    ]
    said = " ".join(f"{d.found} {d.expected} {d.hint}" for d in problems)
    assert "home" not in said and "credentials" not in said and "ghp_" not in said


def test_following_links_out_of_the_project_when_configured(tmp_path: Path) -> None:
    root = outside(tmp_path)
    policy = Policy("paths.items", unreadable, follow_external=True)
    out = walk(root, Globs(["docs"]), policy)
    assert [(f.rel, f.external) for f in out.files] == [
        ("docs/a.md", False),
        ("docs/notes/n.md", True),
        ("docs/x.yaml", True),
    ]


def test_a_pattern_through_a_link_out_of_the_project(tmp_path: Path) -> None:
    root = outside(tmp_path)
    assert walked(root, ["docs/notes/*.md"]) == ([], [("MT130", "docs/notes")])


def test_the_root_itself_may_be_reached_through_a_link(tmp_path: Path) -> None:
    touch(tmp_path, "real/docs/a.md")
    (tmp_path / "alias").symlink_to("real")
    (tmp_path / "real" / "docs" / "b.md").symlink_to("a.md")
    files, problems = walked(tmp_path / "alias", ["docs"])
    assert files == ["docs/a.md"] and problems == []


# -- folders that cannot be read ------------------------------------------------------------


def test_a_folder_that_cannot_be_listed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Simulated: the tests may run as root, who lists every folder."""
    touch(tmp_path, "src/a.c", "src/locked/b.c")
    refuse_listing(monkeypatch, walking, "locked")
    out = walk(tmp_path, Globs(["src"]), POLICY)
    assert [f.rel for f in out.files] == ["src/a.c"]
    assert [(d.code, d.path, d.found) for d in out.diagnostics] == [
        ("MT110", "src/locked", "cannot read: Permission denied")
    ]


def test_a_named_folder_that_cannot_be_looked_at(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``Path.exists()`` raises for a folder below one without execute permission."""
    touch(tmp_path, "docs/items/a.md", "other/b.md")
    real = os.lstat

    def lstat(path: str, *args: Any, **kwargs: Any) -> os.stat_result:
        if str(path).endswith("items"):
            raise PermissionError(13, "Permission denied", path)
        return real(path, *args, **kwargs)

    monkeypatch.setattr(walking.os, "lstat", lstat)
    assert walked(tmp_path, ["docs/items", "other"]) == (["other/b.md"], [("MT110", "docs/items")])


NOBODY = 65534
CAN_DROP_ROOT = AS_ROOT and shutil.which("setpriv") is not None


@pytest.fixture
def unprivileged_tree() -> Iterator[Path]:
    """A folder anyone can enter (``tmp_path`` is private to root), owned by whoever will
    walk it: ``nobody`` when the tests run as root (root bypasses permission bits)."""
    if AS_ROOT and not CAN_DROP_ROOT:
        pytest.skip("running as root without setpriv: permission bits cannot be tested")
    root = Path(tempfile.mkdtemp(prefix="medtrace-perm-"))
    root.chmod(0o755)
    try:
        yield root
    finally:
        for folder, _, _ in os.walk(root):
            Path(folder).chmod(0o755)
        shutil.rmtree(root)


def as_unprivileged(root: Path, code: str) -> str:
    if AS_ROOT:
        for folder, names, files in os.walk(root):
            for name in [folder, *(os.path.join(folder, n) for n in names + files)]:
                os.chown(name, NOBODY, NOBODY)
    drop = ["setpriv", f"--reuid={NOBODY}", f"--regid={NOBODY}", "--clear-groups"]
    done = subprocess.run(
        [*(drop if AS_ROOT else []), sys.executable, "-c", textwrap.dedent(code)],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    return done.stdout


def test_folders_without_read_or_execute_permission(unprivileged_tree: Path) -> None:
    """Real permission bits, walked by a user they apply to (``nobody`` under root)."""
    root = unprivileged_tree
    touch(root, "docs/ok.md", "docs/noread/a.md", "docs/noexec/b.md")
    (root / "docs" / "noread").chmod(0o300)
    (root / "docs" / "noexec").chmod(0o600)
    out = as_unprivileged(
        root,
        f"""
        from pathlib import Path
        from medtrace.loading.discover import discover
        found = discover(Path({str(root)!r}), ["docs", "docs/noexec/b.md"])
        print(sorted(found.files))
        for d in found.diagnostics:
            print(d.code, d.path, d.found)
        """,
    )
    assert out.splitlines() == [
        "['docs/ok.md']",
        "MT001 docs/noread cannot read: Permission denied",
        "MT001 docs/noexec/b.md cannot read: Permission denied",
    ]
