"""Which files are scanned: globs, exclusions and ``.gitignore``."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from medtrace.scanning.files import discover, glob_regex

from .helpers import Write

pytestmark = pytest.mark.verifies("SRS-19")


def selected(
    root: Path, sources: list[str], tests: list[str] | None = None, exclude: list[str] | None = None
) -> dict[str, bool]:
    found = discover(root, sources, tests or [], exclude or [])
    return {c.rel: c.is_test for c in found.files}


@pytest.mark.parametrize(
    ("glob", "matches", "misses"),
    [
        ("src/**/*.c", ["src/a.c", "src/x/y/a.c"], ["a.c", "src/a.h", "lib/src/a.c"]),
        ("src/*.c", ["src/a.c"], ["src/x/a.c"]),
        ("**/*.py", ["a.py", "x/y/a.py"], ["a.pyc"]),
        ("src", ["src/a.c", "src/x/b.py"], ["srcs/a.c"]),
        ("./src/", ["src/a.c"], ["a.c"]),
        ("src/a?.[ch]", ["src/ab.c", "src/ax.h"], ["src/a.c", "src/ab.cc"]),
        ("src/[!t]*.c", ["src/a.c"], ["src/test.c"]),
    ],
)
def test_globs(glob: str, matches: list[str], misses: list[str]) -> None:
    pattern = re.compile(glob_regex(glob))
    assert all(pattern.fullmatch(path) for path in matches)
    assert not any(pattern.fullmatch(path) for path in misses)


def test_sources_tests_and_exclusions(write: Write, tmp_path: Path) -> None:
    for path in [
        "src/a.c",
        "src/gen/b.c",
        "src/c.h",
        "tests/test_a.c",
        "tests/data/d.c",
        "other/e.c",
    ]:
        write(path, "")
    assert selected(
        tmp_path, ["src/**/*.c", "src/*.h"], ["tests/**/*.c"], ["**/gen/**", "tests/data"]
    ) == {
        "src/a.c": False,
        "src/c.h": False,
        "tests/test_a.c": True,
    }


def test_a_file_in_sources_and_tests_is_a_test_file(write: Write, tmp_path: Path) -> None:
    write("src/a_test.go", "")
    assert selected(tmp_path, ["src/**"], ["**/*_test.go"]) == {"src/a_test.go": True}


def test_gitignore_files_are_honoured(write: Write, tmp_path: Path) -> None:
    write(".gitignore", "build/\n*.gen.c\n!keep.gen.c\n/top.c\n")
    write("src/.gitignore", "local/\nsecret.c\n")
    for path in [
        "src/a.c",
        "src/b.gen.c",
        "src/keep.gen.c",
        "src/build/c.c",
        "src/local/d.c",
        "src/secret.c",
        "src/x/secret.c",
        "top.c",
        "src/top.c",
        ".git/e.c",
    ]:
        write(path, "")
    assert sorted(selected(tmp_path, ["**/*.c"])) == ["src/a.c", "src/keep.gen.c", "src/top.c"]


def test_files_in_an_ignored_folder_cannot_be_re_included(write: Write, tmp_path: Path) -> None:
    write(".gitignore", "vendor/\n!vendor/keep.c\n")
    write("vendor/keep.c", "")
    assert selected(tmp_path, ["**/*.c"]) == {}


def test_ignore_rules_above_the_root_and_git_info_exclude(write: Write, tmp_path: Path) -> None:
    write(".git/info/exclude", "*.tmp.c\n")
    write(".gitignore", "project/ignored/\n")
    write("project/.gitignore", "")
    for path in ["project/src/a.c", "project/src/b.tmp.c", "project/ignored/c.c"]:
        write(path, "")
    assert selected(tmp_path / "project", ["**/*.c"]) == {"src/a.c": False}


def test_folders_named_in_globs_on_the_way_down_are_checked(write: Write, tmp_path: Path) -> None:
    write(".gitignore", "generated/\n")
    write("generated/src/a.c", "")
    write("src/b.c", "")
    assert selected(tmp_path, ["generated/src/**/*.c", "src/**/*.c"]) == {"src/b.c": False}


def test_symbolic_links_to_folders_are_not_followed(write: Write, tmp_path: Path) -> None:
    write("lib/a.c", "")
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "lib").symlink_to(tmp_path / "lib", target_is_directory=True)
    assert selected(tmp_path, ["src/**/*.c", "lib/*.c"]) == {"lib/a.c": False}


def test_a_glob_naming_one_file(write: Write, tmp_path: Path) -> None:
    write("src/main.c", "")
    write("src/other.c", "")
    assert selected(tmp_path, ["src/main.c"]) == {"src/main.c": False}


def test_nothing_to_scan(tmp_path: Path) -> None:
    assert selected(tmp_path, ["src/**/*.c"]) == {}
    assert selected(tmp_path, []) == {}


@pytest.mark.verifies("SRS-50")
@pytest.mark.parametrize("whole", [["."], ["**"], ["./"], ["src/.."], [".", "src", "./tests/"]])
def test_the_whole_project_is_scanned_once(write: Write, tmp_path: Path, whole: list[str]) -> None:
    """``["."]`` used to give every file twice, as ``./x`` and as ``x``."""
    write("src/a.c", "")
    write("tests/test_a.c", "")
    assert selected(tmp_path, whole, ["tests"]) == {"src/a.c": False, "tests/test_a.c": True}


@pytest.mark.verifies("SRS-50")
def test_a_negation_applies_within_its_own_list(write: Write, tmp_path: Path) -> None:
    write("src/a.c", "")
    write("src/gen/b.c", "")
    write("src/gen/test_b.c", "")
    assert selected(tmp_path, ["src", "!src/gen"], ["**/test_*.c"]) == {
        "src/a.c": False,
        "src/gen/test_b.c": True,
    }


@pytest.mark.verifies("SRS-55")
def test_a_gitignore_line_git_skips_is_skipped_and_noted(write: Write, tmp_path: Path) -> None:
    write(".gitignore", "*.o.c\n!\nfoo\\\n")
    write("src/a.c", "")
    write("src/b.o.c", "")
    found = discover(tmp_path, ["src"], [])
    assert [c.rel for c in found.files] == ["src/a.c"]
    assert [(d.code, d.path, d.line) for d in found.diagnostics] == [
        ("MT134", ".gitignore", 2),
        ("MT134", ".gitignore", 3),
    ]
