"""Finding item files: folders, globs, exclusions, symbolic links that loop or lead nowhere."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers import needs_permissions, refuse_listing, write_project

from medtrace.config import load_config
from medtrace.fs.globs import PatternError
from medtrace.loading import find_item_files
from medtrace.loading.discover import discover

pytestmark = pytest.mark.verifies("SRS-4", "SRS-50", "SRS-51")


def touch(root: Path, *names: str) -> None:
    for name in names:
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("x\n")


def test_a_folder_is_walked_for_item_suffixes(tmp_path: Path) -> None:
    touch(
        tmp_path,
        "docs/a.md",
        "docs/b.yaml",
        "docs/c.yml",
        "docs/d.markdown",
        "docs/E.MD",
        "docs/sub/deeper/f.yaml",
        "docs/notes.txt",
        "docs/image.png",
        "docs/noext",
    )
    found = discover(tmp_path, ["docs"])
    assert sorted(found.files) == [
        "docs/E.MD",
        "docs/a.md",
        "docs/b.yaml",
        "docs/c.yml",
        "docs/d.markdown",
        "docs/sub/deeper/f.yaml",
    ]
    assert found.diagnostics == []
    assert found.files["docs/a.md"].st_size == 2


def test_hidden_and_tool_folders_are_skipped(tmp_path: Path) -> None:
    touch(
        tmp_path,
        "docs/.hidden.md",
        "docs/.git/x.md",
        "docs/.medtrace/x.yaml",
        "docs/node_modules/x.md",
        "docs/__pycache__/x.md",
        "docs/.venv/x.md",
        "docs/.drafts/x.md",
        "docs/kept.md",
    )
    assert list(discover(tmp_path, ["docs"]).files) == ["docs/kept.md"]


def test_globs_are_relative_to_the_root(tmp_path: Path) -> None:
    touch(tmp_path, "docs/a/risks.yaml", "docs/b/risks.yaml", "docs/b/other.yaml", "x/risks.yaml")
    found = discover(tmp_path, ["docs/**/risks.yaml"])
    assert sorted(found.files) == ["docs/a/risks.yaml", "docs/b/risks.yaml"]


def test_a_glob_can_match_folders(tmp_path: Path) -> None:
    touch(tmp_path, "parts/one/items/a.md", "parts/two/items/b.md", "parts/two/src/c.md")
    found = discover(tmp_path, ["parts/*/items"])
    assert sorted(found.files) == ["parts/one/items/a.md", "parts/two/items/b.md"]


def test_a_single_file_and_overlapping_patterns(tmp_path: Path) -> None:
    touch(tmp_path, "docs/a.md", "docs/b.md")
    found = discover(tmp_path, ["docs/a.md", "docs", "docs/*.md"])
    assert sorted(found.files) == ["docs/a.md", "docs/b.md"]


def test_an_entry_matching_nothing_is_a_warning(tmp_path: Path) -> None:
    found = discover(tmp_path, ["nowhere", "nowhere/**/*.md"])
    assert found.files == {}
    assert [(d.code, d.severity.value) for d in found.diagnostics] == [
        ("MT016", "warning"),
        ("MT016", "warning"),
    ]
    assert "'nowhere'" in found.diagnostics[0].found


def test_a_folder_outside_the_root_is_refused(tmp_path: Path) -> None:
    touch(tmp_path, "shared/a.md")
    (tmp_path / "project").mkdir()
    with pytest.raises(PatternError, match="leads out of the project root"):
        discover(tmp_path / "project", ["../shared"])


def test_a_symlink_loop_to_a_parent_is_reported_once(tmp_path: Path) -> None:
    touch(tmp_path, "docs/a.md")
    (tmp_path / "docs" / "sub").mkdir()
    (tmp_path / "docs" / "sub" / "up").symlink_to("..")
    found = discover(tmp_path, ["docs"])
    assert list(found.files) == ["docs/a.md"]
    (d,) = found.diagnostics
    assert (d.code, d.rule, d.path, d.line) == ("MT132", "link-loop", "docs/sub/up", 0)
    assert d.found == "symbolic link loop: this folder leads back to one of its parents"
    assert d.hint == "Remove the link or add it to paths.exclude."


def test_a_symlink_to_itself(tmp_path: Path) -> None:
    touch(tmp_path, "docs/a.md")
    (tmp_path / "docs" / "loop.md").symlink_to("loop.md")
    found = discover(tmp_path, ["docs"])
    assert list(found.files) == ["docs/a.md"]
    (d,) = found.diagnostics
    assert (d.code, d.path) == ("MT001", "docs/loop.md")
    assert d.found == "cannot read: symbolic link loop"


def test_two_links_pointing_at_each_other(tmp_path: Path) -> None:
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "a").symlink_to("b")
    (tmp_path / "docs" / "b").symlink_to("a")
    found = discover(tmp_path, ["docs"])
    assert [(d.path, d.found) for d in found.diagnostics] == [
        ("docs/a", "cannot read: symbolic link loop"),
        ("docs/b", "cannot read: symbolic link loop"),
    ]


def test_a_broken_symlink(tmp_path: Path) -> None:
    touch(tmp_path, "docs/a.md")
    (tmp_path / "docs" / "broken.md").symlink_to("missing.md")
    found = discover(tmp_path, ["docs"])
    (d,) = found.diagnostics
    assert (d.path, d.found) == (
        "docs/broken.md",
        "cannot read: broken symbolic link or missing file",
    )
    assert d.expected == "a readable file or folder"


def test_a_broken_symlink_named_in_the_configuration(tmp_path: Path) -> None:
    (tmp_path / "docs").symlink_to("missing")
    (d,) = discover(tmp_path, ["docs"]).diagnostics
    assert (d.path, d.found) == ("docs", "cannot read: broken symbolic link or missing file")


def test_symlinked_files_and_folders_are_followed_each_file_once(tmp_path: Path) -> None:
    touch(tmp_path, "real/a.md", "real/b.yaml")
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "linked").symlink_to("../real")
    (tmp_path / "docs" / "alias.md").symlink_to("../real/a.md")
    found = discover(tmp_path, ["docs"])
    assert sorted(found.files) == ["docs/alias.md", "docs/linked/b.yaml"]
    assert found.diagnostics == []


def test_a_file_reached_directly_keeps_its_real_path(tmp_path: Path) -> None:
    """Two ways to one file would make every item in it a duplicate ID."""
    touch(tmp_path, "docs/real/a.md")
    (tmp_path / "docs" / "a-link").symlink_to("real")
    (tmp_path / "docs" / "0.md").symlink_to("real/a.md")
    assert list(discover(tmp_path, ["docs"]).files) == ["docs/real/a.md"]


@needs_permissions
def test_an_unreadable_folder(tmp_path: Path) -> None:
    touch(tmp_path, "docs/a.md", "docs/locked/b.md")
    locked = tmp_path / "docs" / "locked"
    locked.chmod(0)
    try:
        found = discover(tmp_path, ["docs"])
    finally:
        locked.chmod(0o755)
    assert list(found.files) == ["docs/a.md"]
    (d,) = found.diagnostics
    assert (d.code, d.path) == ("MT001", "docs/locked")
    assert d.found.startswith("cannot read: ")


def test_find_item_files_applies_exclude(tmp_path: Path) -> None:
    write_project(
        tmp_path,
        {"docs/a.md": "", "docs/drafts/b.md": "", "docs/c.yaml": ""},
        config='[project]\nclass = "A"\n[paths]\nitems = ["docs"]\nexclude = ["docs/drafts/", "**/*.yaml"]\n',
    )
    found = find_item_files(load_config(tmp_path))
    assert list(found.files) == ["docs/a.md"]


def test_find_item_files_uses_the_configured_folders(tmp_path: Path) -> None:
    write_project(
        tmp_path,
        {"req/a.md": "", "risk/b.yaml": "", "docs/c.md": ""},
        config='[project]\nclass = "A"\n[paths]\nitems = ["req", "risk/*.yaml"]\n',
    )
    found = find_item_files(load_config(tmp_path))
    assert sorted(found.files) == ["req/a.md", "risk/b.yaml"]


def test_a_folder_that_cannot_be_listed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The same as an unreadable folder, whoever runs the tests (root lists every folder)."""
    import medtrace.fs.walker as discovery

    touch(tmp_path, "docs/a.md", "docs/locked/b.md")
    refuse_listing(monkeypatch, discovery, "locked")
    found = discover(tmp_path, ["docs"])
    assert list(found.files) == ["docs/a.md"]
    (d,) = found.diagnostics
    assert (d.code, d.path, d.found) == ("MT001", "docs/locked", "cannot read: Permission denied")
    assert d.hint == "Fix the path or its permissions, or add it to paths.exclude."
