"""Near-miss tags: reported with the exact fix, never silently ignored; prose left alone."""

from __future__ import annotations

from pathlib import Path

import pytest

from medtrace.diagnostics import Severity
from medtrace.scanning import nearmiss
from medtrace.scanning.nearmiss import near_misses

from .helpers import Scanned, Write

pytestmark = pytest.mark.verifies("SRS-44")


@pytest.mark.parametrize(
    ("comment", "fix"),
    [
        ("// @implement SRS-1", "@implements SRS-1"),
        ("// @Implements SRS-2, SRS-3", "@implements SRS-2, SRS-3"),
        ("// @IMPLEMENTS SRS-4", "@implements SRS-4"),
        ("/* @verify SRS-5 */", "@verifies SRS-5"),
        ("// @verfies SRS-6", "@verifies SRS-6"),
        ("// @verifes RISK-1", "@verifies RISK-1"),
        ("// @verified RISK-2 RISK-3", "@verifies RISK-2, RISK-3"),
        ("// implements: SRS-7", "@implements SRS-7"),
        ("// Verifies: SRS-8", "@verifies SRS-8"),
        ("// @implements:SRS-9", "@implements SRS-9"),
        ("// @implements = SRS-10", "@implements SRS-10"),
        ("/**\n * Details.\n * @Verifies SRS-11\n */", "@verifies SRS-11"),
        ("/** \\implements SRS-12 */", "@implements SRS-12"),
        ("/// \\verifies SRS-13, RISK-4", "@verifies SRS-13, RISK-4"),
    ],
)
def test_each_near_miss_gives_a_located_warning_with_the_fix(comment: str, fix: str) -> None:
    text = f"int x;\n{comment}\nint f(void) {{ return 0; }}\n"
    (found,) = near_misses(text, "src/a.c", python=False)
    assert found.code == "MT111"
    assert found.rule == "tag-near-miss"
    assert found.severity is Severity.WARNING
    first_id = fix.split()[1].rstrip(",")
    assert (found.path, found.line) == (
        "src/a.c",
        2 + comment[: comment.index(first_id)].count("\n"),
    )
    assert f"Write '{fix}'" in found.hint


@pytest.mark.parametrize(
    "comment",
    [
        "// this implements the spec",
        "// implements SRS-1 partly, see the design",
        "// @implements SRS-1",
        "// @verifies SRS-1, RISK-2",
        "// @implements SRS-1 SRS-2",
        "// see `@Implements SRS-1` in the docs",
        "// mail user@verify.com",
        "// @important SRS-1",
        "// @interface Foo-1",
        "// verifies: the checksum",
        "/** \\implements Interface */",
    ],
)
def test_prose_and_real_tags_are_not_near_misses(comment: str) -> None:
    assert near_misses(f"{comment}\nint x;\n", "a.c", python=False) == []


def test_text_in_string_literals_is_not_a_comment() -> None:
    assert near_misses('const char *s = "@implement SRS-1";\n', "a.c", python=False) == []
    assert near_misses('s = "@implement SRS-1"\n', "a.py", python=True) == []


def test_python_comments_and_docstrings() -> None:
    text = '"""Module."""\n# @implement SRS-1\n\n\ndef f():\n    """@Verifies SRS-2"""\n'
    assert [d.line for d in near_misses(text, "a.py", python=True)] == [2, 6]


def test_the_scan_reports_near_misses_and_keeps_the_real_tags(
    write: Write, scanned: Scanned
) -> None:
    write("src/a.c", "// @implements SRS-1\n// @implement SRS-2\nint f(void) { return 0; }\n")
    write("src/b.py", "# @verfies SRS-3\nx = 1\n")  # no real tag in the file at all
    result = scanned()
    assert [(t.ids, t.symbol) for t in result.tags] == [(("SRS-1",), "f")]
    found = sorted((d.path, d.line, d.code) for d in result.diagnostics)
    assert found == [("src/a.c", 2, "MT111"), ("src/b.py", 1, "MT111")]


def test_a_punctuated_tag_is_a_near_miss_not_a_malformed_tag(
    write: Write, scanned: Scanned
) -> None:
    write("src/a.c", "// @implements: SRS-1\nint f(void) { return 0; }\n")
    result = scanned()
    assert result.tags == []
    assert [d.code for d in result.diagnostics] == ["MT111"]


def test_a_colon_without_ids_is_still_a_malformed_tag(write: Write, scanned: Scanned) -> None:
    write("src/a.c", "// @implements: see below\nint f(void) { return 0; }\n")
    assert [d.code for d in scanned().diagnostics] == ["MT107"]


def test_a_bare_verb_is_a_near_miss_only_with_a_project_prefix(
    write: Write, scanned: Scanned
) -> None:
    write(
        "src/a.c",
        "// Verifies: RFC-7231 headers\n// implements: SRS-1\n/** \\implements ISO-8601 */\n"
        "// @Implements RFC-1234\nint f(void) { return 0; }\n",
    )
    found = sorted(d.line for d in scanned(id_prefixes=["SRS", "RISK"]).diagnostics)
    assert found == [2, 4]  # a misspelt @ form is a tag attempt whatever its ID
    assert sorted(d.line for d in scanned().diagnostics) == [1, 2, 3, 4]


def _every_candidate(text: str) -> list[tuple[int, str, str]]:
    """:func:`nearmiss._candidates` with every bare needle searched, none skipped by counting."""
    counted = nearmiss._BARE_NEEDLES
    try:
        nearmiss._BARE_NEEDLES = tuple((needle, "\0never") for needle, _ in counted)
        return list(nearmiss._candidates(text))
    finally:
        nearmiss._BARE_NEEDLES = counted


@pytest.mark.verifies("SRS-356")
@pytest.mark.parametrize(
    "text",
    [
        "// @implements SRS-1\n// @verifies SRS-2\n",
        "// @implements SRS-1\n// implements: SRS-2\n",  # a bare verb beside a tag
        "// @verifies SRS-1\n/** \\verifies SRS-2 */\n",
        "// @IMPLEMENTS SRS-1\n// IMPLEMENTS: SRS-2 and @VERIFIES SRS-3, VERIFIES = SRS-4\n",
        "mplements: SRS-1\n// implements: SRS-2\n",  # a needle at the very start
        "# @Implements SRS-1\n# Implements: SRS-2 @xerifies SRS-3 erifies: SRS-4\n",
        "@@implements SRS-1 @-implements: SRS-2 x@implements: SRS-3\n",
    ],
)
def test_needles_counted_as_tags_give_the_candidates_of_a_full_search(text: str) -> None:
    assert list(nearmiss._candidates(text)) == _every_candidate(text)


@pytest.mark.verifies("SRS-44")
@pytest.mark.parametrize("start", ["mplements", "erifies", "MPLEMENTS x", "ERIFIES"])
def test_a_file_starting_with_a_needle_still_shows_its_later_near_misses(start: str) -> None:
    text = f"{start}\n// implements: SRS-2\n// verifies: SRS-3\n// IMPLEMENTS: SRS-4\n"
    found = near_misses(text, "src/a.c", python=False)
    assert [d.line for d in found] == [2, 3, 4]


@pytest.mark.verifies("SRS-356")
def test_the_counted_needles_give_the_full_search_on_this_repository() -> None:
    root = Path(__file__).resolve().parents[2]
    texts = [p.read_text("utf-8") for p in sorted((root / "src").rglob("*.py"))]
    texts += [p.read_text("utf-8") for p in sorted((root / "tests" / "scanning").rglob("*.py"))]
    found = [list(nearmiss._candidates(text)) for text in texts]
    assert found == [_every_candidate(text) for text in texts]
    assert any(found)  # the repository's own near-miss examples are among them


@pytest.mark.verifies("SRS-356")
def test_a_file_of_tags_alone_looks_at_no_needle_one_by_one() -> None:
    searched: list[str] = []
    text = "// @implements SRS-1\n// @verifies SRS-2\n" * 50

    class Text(str):
        def find(self, needle: str, *args: int) -> int:  # type: ignore[override]
            searched.append(needle)
            return super().find(needle, *args)

    assert list(nearmiss._candidates(Text(text))) == []
    assert searched == ["mplements", "erifies", "MPLEMENTS", "ERIFIES"]  # the first one alone
    searched.clear()
    assert _every_candidate(Text(text)) == []
    assert len(searched) == 4 + 100  # (the full search looks at each one)
