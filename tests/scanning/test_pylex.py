"""The Python lexer: comments, strings, the blanked text."""

from __future__ import annotations

import pytest

from medtrace.scanning.pylex import lex, statement_string

pytestmark = pytest.mark.verifies("SRS-19")


def test_comments_and_strings_are_found_and_blanked() -> None:
    text = 'x = \'a # b\'  # c\ny = """d\ne"""\n'
    lexed = lex(text)
    assert lexed.ok
    assert [text[s:e] for s, e in lexed.comments] == ["# c"]
    assert [text[s:e] for s, e in lexed.strings] == ["'a # b'", '"""d\ne"""']
    assert len(lexed.blank) == len(text)
    assert lexed.blank == 'x = "' + " " * 11 + '\ny = "   \n    \n'


@pytest.mark.parametrize(
    "text",
    ["x = '''open\n", "x = (1,\n", "if x:\n\ty = 1\n", "x = 'unterminated\n"],
)
def test_unclean_files_are_flagged(text: str) -> None:
    assert not lex(text).ok


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('def f():\n    """doc"""\n', True),
        ('def f(): "doc"\n', True),
        ('"""module"""\n', True),
        ('x = "value"\n', False),
        ('f(\n    "argument"\n)\n', False),
        ('x = 1 + \\\n    "continued"\n', False),
        ('"a" "b"\n', True),
        ('"a".strip()\n', False),
    ],
)
def test_statement_strings(text: str, expected: bool) -> None:
    lexed = lex(text)
    start, end = lexed.strings[0]
    assert statement_string(lexed, start, end) is expected
