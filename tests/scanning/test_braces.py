"""The shared part of the brace-language engines."""

from __future__ import annotations

import pytest

from medtrace.scanning import clang
from medtrace.scanning.braces import blocks, lex, normalize

pytestmark = pytest.mark.verifies("SRS-19")


def test_normalize_empties_nested_groups() -> None:
    assert normalize("int  f(int a,\n int (*g)(void))") == "int f()"
    assert normalize("f(a = {x: (1)}, b = new Set())") == "f()"
    assert normalize("@Component({ a: 1 }) export class X") == "@Component() export class X"


def test_blocks_nest_or_are_refused_when_unbalanced() -> None:
    found = blocks(lex("a { b { } c { } } d { }", clang.TOKEN))
    assert found is not None
    assert [(b.open, b.close, b.parent.open if b.parent else None) for b in found] == [
        (2, 16, None),
        (6, 8, 2),
        (12, 14, 2),
        (20, 22, None),
    ]
    assert blocks(lex("a { b", clang.TOKEN)) is None
    assert blocks(lex("a } b {", clang.TOKEN)) is None


def test_literals_and_comments_hide_their_braces() -> None:
    lexed = lex("x = \"{\"; /* { */ // }\nchar c = '}';\n#define A {\n", clang.TOKEN)
    assert lexed.braces == []
    assert len(lexed.blank) == len(lexed.text)
