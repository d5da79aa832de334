"""The tree-sitter engine: queries, symbol extents, comments."""

from __future__ import annotations

import pytest

from medtrace.scanning.grammars import GRAMMARS
from medtrace.scanning.treesitter import outline

pytestmark = pytest.mark.verifies("SRS-19")


@pytest.mark.parametrize("name", sorted(GRAMMARS))
def test_every_grammar_loads_and_its_query_compiles(name: str) -> None:
    _parser, query = GRAMMARS[name].compiled()
    assert query.pattern_count > 1


def test_a_symbol_starts_at_its_wrapper_and_attributes() -> None:
    ts = outline(GRAMMARS["typescript"], b"// @implements A\n@Dec()\nexport class C {}\n", False)
    assert [(s.name, ts.lines.line(s.start), s.line) for s in ts.symbols] == [("C", 2, 3)]
    rust = outline(GRAMMARS["rust"], b"/// x\n#[test]\n// y\n#[ignore]\nfn t() {}\n", True)
    assert [(s.name, rust.lines.line(s.start), s.test) for s in rust.symbols] == [("t", 2, True)]
    cpp = outline(
        GRAMMARS["cpp"], b"template <typename T>\nT twice(T x) { return x + x; }\n", False
    )
    assert [(s.name, cpp.lines.line(s.start), s.line) for s in cpp.symbols] == [("twice", 1, 2)]


def test_a_declaration_of_several_functions_is_not_one_symbol() -> None:
    js = outline(GRAMMARS["javascript"], b"const a = () => 1, b = () => 2;\n", False)
    assert [(s.name, s.start) for s in js.symbols] == [("a", 6), ("b", 19)]


def test_comments_that_end_with_their_line_break() -> None:
    rust = outline(GRAMMARS["rust"], b"/// @implements A\r\nfn f() {}\n", False)
    assert [(c.line, o.name if o else None) for c, o in rust.owners()] == [(1, "f")]


def test_names_qualified_by_their_owners() -> None:
    go = outline(GRAMMARS["go"], b"package p\n\nfunc (s *Server[T]) Run() {}\n", False)
    assert [s.qualname for s in go.symbols] == ["Server.Run"]
    rust = outline(
        GRAMMARS["rust"], b"impl<T> Trait for Pump<T> {\n    fn run(&self) {}\n}\n", False
    )
    assert [s.qualname for s in rust.symbols] == ["Pump", "Pump.run"]
