"""The one glob dialect: normalising a pattern once, matching, negation, where walks start."""

from __future__ import annotations

import pytest

from medtrace.fs.globs import Globs, PatternError, glob_regex, normalize, normalize_all, unmatched

pytestmark = pytest.mark.verifies("SRS-50")


@pytest.mark.parametrize(
    ("written", "normal"),
    [
        (".", "**"),
        ("./", "**"),
        ("**", "**"),
        ("src/..", "**"),
        ("./src/", "src"),
        ("src//x///", "src/x"),
        ("src\\x\\*.c", "src/x/*.c"),
        ("src/./a/../b", "src/b"),
        ("  src  ", "src"),
        ("!./build/", "!build"),
        ("! build", "!build"),
        ("src/**/", "src/**"),
    ],
)
def test_a_pattern_has_one_written_form(written: str, normal: str) -> None:
    assert normalize(written) == normal
    assert normalize(normal) == normal


@pytest.mark.parametrize(
    ("written", "problem"),
    [
        ("..", "leads out of the project root"),
        ("../shared", "leads out of the project root"),
        ("src/../../x", "leads out of the project root"),
        ("/etc/passwd", "is an absolute path"),
        ("\\\\server\\share", "is an absolute path"),
        ("C:\\work\\x", "is an absolute path"),
        ("src/*/../x", "'..' after a wildcard"),
        ("!", "has no pattern after its '!'"),
        ("!  ", "has no pattern after its '!'"),
    ],
)
def test_a_pattern_that_cannot_name_project_files_is_an_error(written: str, problem: str) -> None:
    with pytest.raises(PatternError, match=problem):
        normalize(written)
    good, problems = normalize_all(["src", written, ""])
    assert good == ["src"]
    assert len(problems) == 1 and problem in problems[0]


@pytest.mark.parametrize(
    ("glob", "matches", "misses"),
    [
        ("src/**/*.c", ["src/a.c", "src/x/y/a.c"], ["a.c", "src/a.h", "lib/src/a.c"]),
        ("src/*.c", ["src/a.c", "src/.hidden.c"], ["src/x/a.c"]),
        ("**/*.py", ["a.py", "x/y/a.py"], ["a.pyc"]),
        ("*.py", ["a.py"], ["x/a.py"]),
        ("src", ["src", "src/a.c", "src/x/b.py"], ["srcs/a.c", "lib/src/a.c"]),
        ("./src/", ["src/a.c"], ["a.c"]),
        ("src/a?.[ch]", ["src/ab.c", "src/ax.h"], ["src/a.c", "src/ab.cc"]),
        ("src/[!t]*.c", ["src/a.c"], ["src/test.c", "src/"]),
        ("a**b", ["ab", "axxb"], ["a/b"]),
        ("src/[z-a]", ["src/[z-a]"], ["src/z"]),
        ("src/[", ["src/["], ["src/a"]),
        (".", ["a", "x/y/z.c", ".git/config"], []),
    ],
)
def test_globs(glob: str, matches: list[str], misses: list[str]) -> None:
    globs = Globs([glob])
    assert [p for p in matches if not globs.match(p)] == []
    assert [p for p in misses if globs.match(p)] == []
    assert glob_regex(glob).endswith("(?:/.*)?)")


def test_the_last_matching_pattern_decides() -> None:
    globs = Globs(["src", "!src/gen", "src/gen/keep.c"])
    assert globs.match("src/a.c")
    assert not globs.match("src/gen/b.c")
    assert globs.match("src/gen/keep.c")
    assert not globs.match("lib/a.c")
    assert globs.negations and not globs.covers("src")


def test_a_list_of_negations_alone_selects_nothing() -> None:
    assert not Globs(["!src"]).match("src/a.c")


def test_a_folder_is_covered_only_without_negations() -> None:
    assert Globs(["build", "**/gen"]).covers("build")
    assert Globs(["build", "**/gen"]).covers("src/x/gen")
    assert not Globs(["build/*.o"]).covers("build")


@pytest.mark.parametrize(
    ("patterns", "bases"),
    [
        (["src/**/*.c", "src/a/b.c", "tests", "!x"], ["src", "tests"]),
        (["**"], [""]),
        (["src", "."], [""]),
        (["a/b/*.c", "a/c/**"], ["a/b", "a/c"]),
        (["*.md"], [""]),
        ([], []),
    ],
)
def test_walks_start_at_the_literal_folders_of_the_patterns(
    patterns: list[str], bases: list[str]
) -> None:
    assert Globs(patterns).bases() == bases


def test_invalid_patterns_raise_unless_lenient() -> None:
    with pytest.raises(PatternError):
        Globs(["src", "../x"])
    assert Globs(["src", "../x"], lenient=True).patterns == ("src",)


def test_unmatched_patterns() -> None:
    paths = ["src/a.c", "docs/x.md"]
    assert unmatched(["src", "nowhere/*.c", "!src", "", "docs/*.md"], paths) == ["nowhere/*.c"]


def test_a_name_with_a_newline_is_matched_like_any_other() -> None:
    """A file name may hold a newline: skipping it would be a silent miss."""
    for glob in ["docs", "docs/*.md", "docs/**", "**/*.md", "."]:
        assert Globs([glob]).match("docs/x.md:1: fake\nline.md"), glob
