"""The outline of a file, as every language engine gives it, and how tags are attributed.

An engine (tree-sitter, Python's ``ast``, or a fast lexical scanner) turns a file into an
:class:`Outline`: its symbols (functions, classes, test calls) with their extents, and the
comments and docstrings that may hold tags. Everything after that is shared:

- a comment that starts its line and stands *directly before* a symbol (nothing but white space
  and other comments between; decorators, attributes and annotations are part of the symbol)
  belongs to that symbol, provided the symbol is inside the comment's own enclosing symbol (a
  comment at the end of a body never jumps to the next function);
- otherwise it belongs to the innermost symbol that encloses it (a comment after code on the
  same line is placed where that code starts, so ``}  // @implements X`` belongs to the
  function that closes there);
- otherwise to the file.

Offsets are in the engine's own unit (characters or UTF-8 bytes), consistently for one outline.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from itertools import accumulate

__all__ = ["CALL", "CLASS", "FUNCTION", "MODULE", "Comment", "Lines", "Outline", "Symbol"]

FUNCTION = "function"
CLASS = "class"
MODULE = "module"
#: A test-framework call that names a test or a group (``describe("x", ...)``, ``it("y", ...)``).
CALL = "call"

_NONBLANK_STR = re.compile(r"\S")
_NONBLANK_BYTES = re.compile(rb"\S")
_INDENT_STR = re.compile(r"[ \t]*")
_INDENT_BYTES = re.compile(rb"[ \t]*")


@dataclass(slots=True, eq=False)
class Symbol:
    """A function, class, module or test call, from ``start`` (its first decorator, attribute
    or modifier) to ``end`` (exclusive); ``line`` is the line of its name."""

    kind: str
    name: str
    start: int
    end: int
    line: int
    test: bool = False
    parent: Symbol | None = None
    qualname: str = ""


@dataclass(slots=True)
class Comment:
    """A comment or docstring that may hold tags; ``text`` is the source between the offsets."""

    start: int
    end: int
    text: str
    line: int
    leading: bool
    docstring: bool = False


class Lines:
    """Line numbers of offsets in a text (``\\n`` ends a line)."""

    __slots__ = ("starts",)

    def __init__(self, text: str | bytes) -> None:
        parts = text.split("\n") if isinstance(text, str) else text.split(b"\n")
        ends = accumulate(map(len, parts))
        self.starts = [0, *(end + number for number, end in enumerate(ends, 1))]

    def line(self, offset: int) -> int:
        """The 1-based line holding ``offset``."""
        return bisect_right(self.starts, offset)

    def start(self, line: int) -> int:
        """The offset where the 1-based ``line`` starts."""
        return self.starts[line - 1]


@dataclass(slots=True)
class Outline:
    """Symbols and tag-bearing comments of one file.

    ``code`` has the same offsets as ``text``, with comments (and string contents, but not their
    first character) blanked to spaces: the gap between a comment and the symbol it precedes is
    checked there.
    """

    text: str | bytes
    code: str | bytes
    lines: Lines
    symbols: list[Symbol] = field(default_factory=list)
    comments: list[Comment] = field(default_factory=list)

    def finish(self) -> Outline:
        """Sort the symbols, link each to its parent and give it its qualified name."""
        self.symbols.sort(key=lambda s: (s.start, -s.end))
        nest(self.symbols)
        return self

    def owners(self) -> Iterator[tuple[Comment, Symbol | None]]:
        """Each comment with the symbol it belongs to (``None``: the file)."""
        starts = [symbol.start for symbol in self.symbols]
        for comment in self.comments:
            yield comment, self._owner(comment, starts)

    def _owner(self, comment: Comment, starts: list[int]) -> Symbol | None:
        anchor = comment.start
        if not (comment.leading or comment.docstring):
            anchor = self._code_start(comment.line)
        enclosing = innermost(self.symbols, starts, anchor)
        if comment.leading and not comment.docstring:
            index = bisect_left(starts, comment.end)
            if index < len(starts):
                following = self.symbols[index]
                inside = enclosing is None or following.start < enclosing.end
                if inside and self._blank(comment.end, following.start):
                    return following
        return enclosing

    def _blank(self, start: int, end: int) -> bool:
        code = self.code
        if isinstance(code, str):
            return _NONBLANK_STR.search(code, start, end) is None
        return _NONBLANK_BYTES.search(code, start, end) is None

    def _code_start(self, line: int) -> int:
        start = self.lines.start(line)
        text = self.text
        indent = _INDENT_STR if isinstance(text, str) else _INDENT_BYTES
        match = indent.match(text, start)  # type: ignore[call-overload]
        return start if match is None else int(match.end())


def innermost(symbols: Sequence[Symbol], starts: list[int], offset: int) -> Symbol | None:
    """The innermost symbol whose extent holds ``offset`` (symbols sorted and nested)."""
    index = bisect_right(starts, offset) - 1
    symbol = symbols[index] if index >= 0 else None
    while symbol is not None and not symbol.start <= offset < symbol.end:
        symbol = symbol.parent
    return symbol


def nest(symbols: list[Symbol]) -> None:
    """Link sorted symbols to their parents (the smallest enclosing symbol) and name them."""
    stack: list[Symbol] = []
    for symbol in symbols:
        while stack and stack[-1].end <= symbol.start:
            stack.pop()
        symbol.parent = stack[-1] if stack else None
        symbol.qualname = qualify(symbol)
        stack.append(symbol)


def qualify(symbol: Symbol) -> str:
    """``Class.method``, ``outer.inner``; test calls join their group titles with `` > ``."""
    parent = symbol.parent
    if symbol.kind == CALL:
        while parent is not None and parent.kind != CALL:
            parent = parent.parent
    if parent is None:
        return symbol.name
    separator = " > " if parent.kind == CALL else "."
    return f"{parent.qualname}{separator}{symbol.name}"
