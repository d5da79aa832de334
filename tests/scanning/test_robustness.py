"""Pathological files: a parse past its time budget is abandoned and reported; attribution stays
linear on a long run of tag comments. The files are generated here (nothing stored); no timing
is asserted (``bench/scan/pathological.py`` prints the times)."""

from __future__ import annotations

from pathlib import Path

import pytest

from medtrace.diagnostics import Severity
from medtrace.scanning import treesitter

from .helpers import Scanned, Write


@pytest.mark.verifies("SRS-46")
def test_a_parse_past_its_budget_is_reported_and_its_tags_kept(
    write: Write, scanned: Scanned
) -> None:
    write("src/unterminated.js", "// @implements SRS-1\n" + "/* unterminated\n" * 20_000)
    write("src/ok.js", "// @implements SRS-2\nfunction ok() {}\n")
    result = scanned(parse_seconds=0.2)
    (found,) = [d for d in result.diagnostics if d.code == "MT112"]
    assert (found.path, found.rule, found.severity) == (
        "src/unterminated.js",
        "code-not-analysed",
        Severity.WARNING,
    )
    assert "0.2 s" in found.found and found.hint
    assert {t.ids[0]: t.symbol for t in result.tags} == {"SRS-1": None, "SRS-2": "ok"}


@pytest.mark.verifies("SRS-46")
@pytest.mark.parametrize("suffix", [".c", ".hpp", ".java", ".qml", ".ts"])
def test_every_grammar_has_the_budget(suffix: str, write: Write, scanned: Scanned) -> None:
    write(f"src/unterminated{suffix}", "// @implements SRS-1\n" + "/* unterminated\n" * 20_000)
    result = scanned(parse_seconds=0.2)
    assert [d.code for d in result.diagnostics] == ["MT112"]
    assert [(t.ids, t.symbol) for t in result.tags] == [(("SRS-1",), None)]


@pytest.mark.verifies("SRS-46")
def test_the_budget_does_not_touch_normal_files(write: Write, scanned: Scanned) -> None:
    body = "".join(
        f"// @implements SRS-{n}\nint f{n}(void) {{ return {n}; }}\n" for n in range(500)
    )
    write("src/many.c", body)
    result = scanned(parse_seconds=5.0)
    assert not result.diagnostics
    assert len(result.tags) == 500 and all(t.symbol == f"f{t.ids[0][4:]}" for t in result.tags)


@pytest.mark.verifies("SRS-47")
def test_a_long_run_of_tag_comments_is_attributed(write: Write, scanned: Scanned) -> None:
    comments = "".join(f"// @implements SRS-{n % 97 + 1}\n" for n in range(30_000))
    write("src/many_comments.c", comments + "int owner(void) { return 0; }\n")
    write("src/many_comments.py", comments.replace("//", "#") + "def owner():\n    pass\n")
    result = scanned()
    assert len(result.tags) == 60_000
    assert {t.symbol for t in result.tags} == {"owner"}


@pytest.mark.verifies("SRS-47")
def test_code_between_a_comment_run_and_the_symbol_still_breaks_the_link(
    write: Write, scanned: Scanned
) -> None:
    comments = "".join(f"// @implements SRS-{n}\n" for n in range(1, 2000))
    write("src/a.c", comments + "#include <x.h>\n" + comments + "int f(void) { return 0; }\n")
    owners = [t.symbol for t in scanned().tags]
    assert owners == [None] * 1999 + ["f"] * 1999


@pytest.mark.verifies("SRS-46")
def test_an_abandoned_parse_is_not_cached(
    write: Write, scanned: Scanned, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A parse abandoned on a busy machine is tried again on the next scan, not kept."""
    write("src/unterminated.js", "// @implements SRS-1\n" + "/* unterminated\n" * 20_000)
    parses = []
    real = treesitter.parse

    def counted(*args: object) -> object:
        parses.append(1)
        return real(*args)  # type: ignore[arg-type]

    monkeypatch.setattr(treesitter, "parse", counted)
    cache = tmp_path / ".cache"
    for _ in range(2):
        found = scanned(parse_seconds=0.2, cache_dir=cache)
        assert [d.code for d in found.diagnostics] == ["MT112"]
    assert len(parses) == 2
