"""The tree-sitter engine: queries, symbol extents, comments."""

from __future__ import annotations

from pathlib import Path

import pytest
from tree_sitter import Node, Tree

from medtrace.scanning.grammars import GRAMMARS
from medtrace.scanning.treesitter import _outline_lines, outline

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


HEADERS = Path(__file__).resolve().parents[2] / ".." / "shared" / "data" / "headers"

#: Sources whose every node's line is checked: line feeds alone, CRLF, a lone CR (tree-sitter
#: counts line feeds only), multi-byte text, C macros blanked by ``prepare``, test calls.
LINE_SAMPLES: list[tuple[str, bytes]] = [
    (
        "typescript",
        b'describe("a", () => {\r\n  it("b", () => {});\r  // \xc3\xa9 @verifies X-1\n});',
    ),
    ("c", b"#define A 1\nRCL_PUBLIC\nRCL_WARN_UNUSED\nint f(void);\n/* @implements X-1 */\n"),
    ("cpp", b"class LEVELDB_EXPORT DB {\n public:\n  virtual ~DB();\n};\n"),
    ("javascript", b"class C {\n  @dec\n  m() {}\n}\nit('t', () => 1);\n"),
]


def _every_node(tree: Tree) -> list[Node]:
    found, stack = [], [tree.root_node]
    while stack:
        node = stack.pop()
        found.append(node)
        stack.extend(node.children)
    return found


@pytest.mark.verifies("SRS-364")
def test_the_line_of_an_offset_is_the_row_tree_sitter_gives() -> None:
    """The line found by bisecting the parsed text's line starts is each node's own
    ``start_point.row + 1``, on the shared real headers and on line breaks of every kind."""
    headers = [("cpp", p.read_bytes()) for p in sorted(HEADERS.rglob("*.h"))]
    assert headers, "the shared sample headers are beside the repository"
    checked = 0
    for name, source in [*LINE_SAMPLES, *headers]:
        grammar = GRAMMARS[name]
        parser, _query = grammar.compiled()
        parsed = grammar.prepare(source) if grammar.prepare is not None else source
        _outline, line_of = _outline_lines(source, parsed)
        for node in _every_node(parser.parse(parsed)):
            assert line_of(node.start_byte) == node.start_point.row + 1, (name, node)
            checked += 1
    assert checked > 10_000


@pytest.mark.verifies("SRS-364")
def test_leading_siblings_with_and_without_the_only_child_shortcut() -> None:
    """A symbol that is its parent's only named child has no decorator before it; one with
    siblings still finds its own, whether or not the shortcut is taken."""
    source = b"class C {\n  @dec\n  m() {}\n}\n@outer\nclass D {}\nit('t', () => 1);\n"
    found = outline(GRAMMARS["javascript"], source, True)
    assert [(s.qualname, found.lines.line(s.start), s.line) for s in found.symbols] == [
        ("C", 1, 1),
        ("C.m", 2, 3),
        ("D", 5, 6),
        ("t", 7, 7),
    ]
