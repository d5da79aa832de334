"""The exact engine for every language but Python: a tree-sitter parse and one query.

A :class:`Grammar` gives the query; its captures name the nodes: ``@comment`` for comments,
``@function``, ``@class``, ``@module`` or ``@call`` for a symbol, with ``@name`` for the node
that names it. The grammar's ``describe`` hook turns a captured symbol into its name and whether
it is a test (``None``: not a symbol after all, such as a call that is not a test call).

A symbol starts at its first decorator or attribute: ``wrappers`` are parent node types that
carry a single symbol and start before it (``export_statement``, ``template_declaration``), and
``leading`` are sibling node types written before a symbol that belong to it (``decorator``,
``attribute_item``).
"""

from __future__ import annotations

import re
import time
import warnings
from bisect import bisect_left
from collections.abc import Callable
from contextvars import ContextVar
from dataclasses import dataclass
from functools import cache
from operator import attrgetter
from typing import NamedTuple

from tree_sitter import Language, Node, Parser, Query, QueryCursor, Tree

from medtrace.errors import ParseAbandoned
from medtrace.scanning.outline import Comment, Lines, Outline, Symbol
from medtrace.scanning.tags import NEEDLE

__all__ = [
    "BUDGET",
    "DEFAULT_BUDGET",
    "Describe",
    "Described",
    "Found",
    "Grammar",
    "outline",
    "parse",
    "plain_name",
    "text_of",
]

#: Seconds one parse may take before it is abandoned (tree-sitter's error recovery on some
#: malformed files runs for minutes).
DEFAULT_BUDGET = 10.0
#: The budget of the parses of the current scan.
BUDGET: ContextVar[float] = ContextVar("parse_budget", default=DEFAULT_BUDGET)
#: How much of the source the parser is handed at a time.
_CHUNK = 1 << 20

_KINDS = ("function", "class", "module", "call")
#: Every byte but the line break, as a space (a comment blanked in one C call).
_BLANKED = bytes(10 if byte == 10 else 32 for byte in range(256))
_BLANK_PREFIX = re.compile(rb"[ \t]*")
_START = attrgetter("start")


class Found(NamedTuple):
    """A captured symbol, as a grammar's ``describe`` hook sees it (a named tuple: one is made
    per capture, and a frozen dataclass costs six Python-level attribute sets to make)."""

    kind: str
    node: Node
    name: Node | None
    leading: tuple[Node, ...]
    source: bytes
    is_test_file: bool


class Described(NamedTuple):
    """A symbol's name, whether it is a test, and the node that names it (if not the
    captured ``@name``)."""

    name: str
    test: bool
    named_by: Node | None = None
    #: The name is the whole qualified name (not joined to the enclosing symbols' names).
    absolute: bool = False
    #: The node the symbol ends with, when not the captured one (a Catch2 test's body).
    last: Node | None = None


#: ``describe(found)`` tells what a captured symbol is, or ``None`` if it is not a symbol.
Describe = Callable[[Found], "Described | None"]


def plain_name(found: Found) -> Described | None:
    """The name node's text; never a test."""
    return None if found.name is None else Described(text_of(found.name), False)


@dataclass(frozen=True)
class Grammar:
    """How tree-sitter reads one language."""

    load: Callable[[], object]
    query: str
    describe: Describe = plain_name
    wrappers: frozenset[str] = frozenset()
    leading: frozenset[str] = frozenset()
    #: The source as the parser is to read it, with the same offsets (C: macros blanked).
    prepare: Callable[[bytes], bytes] | None = None

    def compiled(self) -> tuple[Parser, Query]:
        return _compile(self.load, self.query)


@cache
def _compile(load: Callable[[], object], query: str) -> tuple[Parser, Query]:
    with warnings.catch_warnings():  # grammars built for older bindings give an int
        warnings.simplefilter("ignore", DeprecationWarning)
        language = Language(load())
    return Parser(language), Query(language, query)


def text_of(node: Node) -> str:
    return (node.text or b"").decode("utf-8", "replace")


def outline(grammar: Grammar, source: bytes, is_test_file: bool) -> Outline:
    """The outline of ``source`` (UTF-8 bytes): its symbols and tag-bearing comments."""
    parser, query = grammar.compiled()
    parsed = grammar.prepare(source) if grammar.prepare is not None else source
    tree = parse(parser, parsed, BUDGET.get())
    code = bytearray(parsed)  # attribute macros blanked: they read as part of the symbol
    result = Outline(source, b"", Lines(source))
    seen: set[tuple[int, int]] = set()
    siblings: dict[int, _Siblings] = {}
    for _pattern, captures in QueryCursor(query).matches(tree.root_node):
        comments = captures.get("comment")
        if comments is not None:
            for node in comments:
                _comment(result, source, node, code)
            if len(captures) == 1:  # a comment's own pattern (most matches): no symbol
                continue
        symbol = _symbol(grammar, captures, source, is_test_file, siblings)
        if symbol is not None and (symbol.start, symbol.end) not in seen:
            seen.add((symbol.start, symbol.end))
            result.symbols.append(symbol)
    result.code = bytes(code)
    result.comments.sort(key=_START)
    return result.finish()


# @implements SRS-46
def parse(parser: Parser, source: bytes, budget: float) -> Tree:
    """The tree of ``source``; raises :class:`ParseAbandoned` when parsing takes more than
    ``budget`` seconds (py-tree-sitter checks the budget only when the source is read through
    a callback)."""
    deadline = time.monotonic() + budget

    def read(offset: int, _point: tuple[int, int]) -> bytes:
        return source[offset : offset + _CHUNK]

    def over_budget(_offset: int, _has_error: bool) -> bool:
        return time.monotonic() > deadline

    try:
        return parser.parse(read, progress_callback=over_budget)
    except ValueError:  # "Parsing failed": cancelled by the callback
        parser.reset()
        raise ParseAbandoned(budget) from None


def _comment(result: Outline, source: bytes, node: Node, code: bytearray) -> None:
    start, end = node.start_byte, node.end_byte
    raw = source[start:end]
    code[start:end] = raw.translate(_BLANKED)
    if b"@" not in raw:  # no tag verb (an ``@`` byte is an ``@`` in any UTF-8 text)
        return
    text = raw.decode("utf-8", "replace")
    if NEEDLE.search(text) is None:
        return
    line_start = result.lines.start(node.start_point.row + 1)
    prefix = _BLANK_PREFIX.match(source, line_start)
    leading = prefix is not None and prefix.end() >= start
    result.comments.append(Comment(start, end, text, node.start_point.row + 1, leading))


def _symbol(
    grammar: Grammar,
    captures: dict[str, list[Node]],
    source: bytes,
    is_test_file: bool,
    siblings: dict[int, _Siblings],
) -> Symbol | None:
    for kind in _KINDS:
        if kind in captures:
            break
    else:
        return None
    node = captures[kind][0]
    names = captures.get("name")
    outer = _unwrap(node, grammar.wrappers)
    leading = _leading(outer, grammar.leading, siblings) if grammar.leading else ()
    found = Found(kind, node, names[0] if names else None, leading, source, is_test_file)
    described = grammar.describe(found)
    if described is None:
        return None
    start = leading[0].start_byte if leading else outer.start_byte
    line = (described.named_by or found.name or node).start_point.row + 1
    name, test = described.name, described.test
    end = (described.last or node).end_byte
    return Symbol(kind, name, start, end, line, test and is_test_file, absolute=described.absolute)


def _unwrap(node: Node, wrappers: frozenset[str]) -> Node:
    """The outermost wrapper that carries only this symbol (``export function f``)."""
    while (parent := node.parent) is not None and parent.type in wrappers:
        if any(c.type == node.type and c != node for c in parent.named_children):
            break
        node = parent
    return node


def _leading(node: Node, types: frozenset[str], siblings: dict[int, _Siblings]) -> tuple[Node, ...]:
    """Decorators or attributes written before ``node`` as its siblings, first first.

    The parent's named children are listed once per outline (``siblings``, by parent id),
    with their start offsets to bisect in C: asking tree-sitter for a previous sibling walks
    from the first child every time.
    """
    parent = node.parent
    if parent is None:
        return ()
    listed = siblings.get(parent.id)
    if listed is None:
        children = [c for c in parent.children if c.is_named]
        listed = siblings[parent.id] = (children, [c.start_byte for c in children])
    children, starts = listed
    index = bisect_left(starts, node.start_byte) - 1
    found: list[Node] = []
    while index >= 0 and (children[index].type in types or "comment" in children[index].type):
        if children[index].type in types:
            found.append(children[index])
        index -= 1
    return tuple(reversed(found))


#: A parent's named children and their start offsets (see :func:`_leading`).
_Siblings = tuple[list[Node], list[int]]
