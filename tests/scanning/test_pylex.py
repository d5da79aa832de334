"""The Python lexer: comments, strings, the blanked text."""

from __future__ import annotations

import ast
import warnings
from pathlib import Path

import pytest

from medtrace.scanning import pylex
from medtrace.scanning.pylex import lex, lex_parsed, statement_string

from .helpers import Scanned, Write

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


@pytest.mark.verifies("SRS-45")
@pytest.mark.parametrize(
    "docstring",
    [
        '"""@verifies SRS-1, RISK-1"""',
        "'''@verifies SRS-1, RISK-1'''",
        '"""Doc.\n\n    @verifies SRS-1, RISK-1\n    """',
        'r"""@verifies SRS-1, RISK-1 \\d"""',
    ],
)
def test_a_tag_in_a_docstring_is_read_on_every_python(
    docstring: str, write: Write, scanned: Scanned
) -> None:
    """Python 3.11.2's ``re`` lexed the first one as two unterminated strings (possessive
    quantifiers): the tag was dropped without a word."""
    write("tests/test_a.py", f"def test_a():\n    {docstring}\n    assert True\n")
    result = scanned()
    assert [(t.ids, t.symbol) for t in result.tags] == [(("SRS-1", "RISK-1"), "test_a")]
    assert [t.name for t in result.tests] == ["test_a"]


@pytest.mark.verifies("SRS-45")
def test_f_strings_are_strings_whole() -> None:
    text = 'x = f"{a!r} # not a comment {b:>{w}}"  # a comment\ny = f"""\n{c}\n"""\n'
    lexed = lex(text)
    assert lexed.ok
    assert [text[s:e] for s, e in lexed.comments] == ["# a comment"]
    assert [text[s:e] for s, e in lexed.strings] == [
        'f"{a!r} # not a comment {b:>{w}}"',
        'f"""\n{c}\n"""',
    ]


@pytest.mark.verifies("SRS-45")
def test_after_the_tokenizer_stops_the_rest_is_still_read() -> None:
    text = "x = (1,\n# @implements SRS-1\ny = '''never closed\n# @implements SRS-2\n"
    lexed = lex(text)
    assert not lexed.ok
    assert [text[s:e] for s, e in lexed.comments] == ["# @implements SRS-1", "# @implements SRS-2"]


@pytest.mark.verifies("SRS-45")
def test_syntax_warnings_do_not_leak(
    write: Write, scanned: Scanned, capfd: pytest.CaptureFixture[str]
) -> None:
    write("src/a.py", 'import re\n\n# @implements SRS-1\ndef f():\n    return re.compile("\\d")\n')
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        result = scanned()
    assert [(t.ids, t.symbol) for t in result.tags] == [(("SRS-1",), "f")]
    assert capfd.readouterr().err == ""


def _python_sources() -> list[Path]:
    root = Path(__file__).resolve().parents[2]
    return sorted([*(root / "src").rglob("*.py"), *(root / "tests").rglob("*.py")])


@pytest.mark.verifies("SRS-45")
def test_the_tree_and_the_tokenizer_agree_on_real_files() -> None:
    """Strings from the syntax tree, comments from the ``#`` outside them: the same as the
    tokenizer says, on every Python file of this repository (the tree's strings may join
    implicitly concatenated literals; the tokenizer's then lie inside them)."""
    compared = 0
    for path in _python_sources():
        text = path.read_text("utf-8")
        tree = ast.parse(text)
        fast = lex_parsed(text + "\n# @implements X-1\n", tree, set())
        if fast is None:
            continue  # tag-like text in a string: the tokenizer reads this file
        slow = lex(text + "\n# @implements X-1\n")
        assert fast.comments == slow.comments, path
        assert {s for s, _ in fast.strings} <= {s for s, _ in slow.strings}, path
        for start, end in slow.strings:
            assert any(s <= start and end <= e for s, e in fast.strings), (path, start)
        assert fast.blank.count("\n") == slow.blank.count("\n")
        compared += 1
    assert compared >= 100


@pytest.mark.verifies("SRS-45")
@pytest.mark.parametrize(
    "text",
    [
        'x = ("a"  # @implements SRS-1\n     "b")\n',  # a comment between concatenated parts
        'x = ("a"  # @implements SRS-1\n     "b"  # @implements SRS-2\n     f"{c}")\n',
        's = "@implements SRS-1"\n',
        's = (b"@implements SRS-1" b"#x")  # @implements SRS-2\n',
        'x = ("é"  # @implements SRS-1\n     "b")\n',
    ],
)
def test_a_tag_verb_in_a_string_is_told_by_the_tokenizer_reading_that_string(text: str) -> None:
    """Only the string node that holds the verb is read again, by the tokenizer: its literals
    and the comments between them come out as the tokenizer says for the whole file."""
    fast = lex_parsed(text, ast.parse(text), set())
    slow = lex(text)
    assert fast is not None
    assert (fast.comments, fast.strings, fast.blank) == (slow.comments, slow.strings, slow.blank)


@pytest.mark.verifies("SRS-45")
def test_lone_carriage_returns_are_left_to_the_tokenizer() -> None:
    text = "x = 1\r# @implements SRS-1\r"
    assert lex_parsed(text, ast.parse(text), set()) is None


@pytest.mark.verifies("SRS-45")
def test_a_comment_between_concatenated_strings_keeps_its_tag(
    write: Write, scanned: Scanned
) -> None:
    write("src/a.py", 'def f():\n    return ("a"  # @implements SRS-1\n            "b")\n')
    assert [(t.ids, t.symbol) for t in scanned().tags] == [(("SRS-1",), "f")]


@pytest.mark.verifies("SRS-45")
def test_non_ascii_lines_keep_their_offsets(write: Write, scanned: Scanned) -> None:
    write(
        "src/a.py",
        'x = "é # not a comment"  # @implements SRS-1\n\n\ndef f():\n    """Dosé: @verifies SRS-2"""\n',
    )
    assert [(t.ids, t.symbol) for t in scanned().tags] == [(("SRS-1",), None), (("SRS-2",), "f")]


@pytest.mark.verifies("SRS-363")
def test_an_ascii_text_is_blanked_as_piece_by_piece() -> None:
    """Blanking an ASCII text in place gives the text that joining its pieces gives: on every
    Python file of this repository (with the tokenizer's comments and strings) and on strings
    with carriage returns, escapes and several lines."""
    texts = [path.read_text("utf-8") for path in _python_sources()]
    texts += ['x = "a\\r\\n"  # c\r\ny = """\r\n#\r\n"""\r\n', "s = '''a\n\n  b'''  #\n", "#"]
    blanked = 0
    for text in texts:
        lexed = lex(text)
        ascii_text = text.isascii()
        expected = pylex._blank_pieces(text, lexed.comments, lexed.strings)
        assert pylex._blank(text, lexed.comments, lexed.strings) == expected
        assert lexed.blank == expected
        blanked += ascii_text
    assert blanked >= 100
