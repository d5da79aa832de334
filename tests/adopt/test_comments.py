"""Every comment and docstring of a file, by the scanner's parsers, never a string of code."""

from __future__ import annotations

import pytest

from medtrace.adopt.comments import comments_of
from medtrace.scanning.languages import Source, for_path

from .samples import SAMPLES

pytestmark = pytest.mark.verifies("SRS-80")


def texts(language: str, text: str) -> list[str]:
    spans = comments_of(language, Source(text, text.encode("utf-8")), lambda _: True)
    assert spans is not None
    return [text[c.start : c.end] for c in spans]


@pytest.mark.parametrize("language", sorted(SAMPLES))
def test_comments_of_every_language(language: str) -> None:
    name, content, _ = SAMPLES[language]
    found = for_path(name)
    assert found is not None
    assert found.name == language or (language == "typescript" and found.name == "typescript")
    comments = texts(found.name, content)
    assert len(comments) == 2
    assert "SRS-1" in comments[0]
    assert "RISK-1" in comments[1]
    assert not any("SRS-2" in c for c in comments)  # the string of code is never a comment


def test_python_docstrings_are_comments_other_strings_are_not() -> None:
    text = (
        '"""Module: SRS-1."""\n'
        'X = "SRS-2"\n'
        "def f():\n"
        '    """Function: SRS-3."""\n'
        '    y = """SRS-4 in a value"""\n'
        '    """A statement string: SRS-5."""\n'
    )
    assert texts("python", text) == [
        '"""Module: SRS-1."""',
        '"""Function: SRS-3."""',
        '"""A statement string: SRS-5."""',
    ]


def test_python_that_does_not_parse_falls_back_to_the_lexer() -> None:
    text = 'def f():\n    """Docstring SRS-1."""\n    x = = "SRS-2"  # SRS-3\n'
    assert texts("python", text) == ['"""Docstring SRS-1."""', "# SRS-3"]


def test_offsets_are_characters_in_non_ascii_files() -> None:
    text = 'const s = "héllo wörld";\n// SRS-1 über\nint f(void) { return 0; }\n'
    assert texts("c", text) == ["// SRS-1 über"]


def test_only_wanted_comments_are_kept() -> None:
    text = "// one\n// SRS-1\nint f(void) { return 0; }\n"
    spans = comments_of("c", Source(text, text.encode()), lambda t: "SRS" in t)
    assert spans is not None
    assert [text[c.start : c.end] for c in spans] == ["// SRS-1"]


def test_a_language_without_a_reader_is_none() -> None:
    assert comments_of("cobol", Source("", b""), lambda _: True) is None
