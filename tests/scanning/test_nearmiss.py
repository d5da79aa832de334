"""Near-miss tags: reported with the exact fix, never silently ignored; prose left alone."""

from __future__ import annotations

import pytest

from medtrace.diagnostics import Severity
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
