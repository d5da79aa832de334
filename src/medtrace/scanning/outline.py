"""The outline of a file, as every language engine gives it, and how tags are attributed.

An engine (tree-sitter, or Python's ``ast``) turns a file into an
:class:`Outline`: its symbols (functions, classes, test calls) with their extents, and the
comments and docstrings that may hold tags. Everything after that is shared:

- a comment that starts its line and stands *directly before* a symbol (nothing but white space
  and other comments between; decorators, attributes and annotations are part of the symbol)
  belongs to that symbol, provided the symbol is inside the comment's own enclosing symbol (a
  comment at the end of a body never jumps to the next function);
- otherwise it belongs to the innermost symbol that encloses it (a comment after code on the
  same line is placed where that code starts, so a tag after the closing brace of a function,
  on the same line, belongs to that function);
- otherwise to the file.

Offsets are in the engine's own unit (characters or UTF-8 bytes), consistently for one outline.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from itertools import accumulate, repeat
from operator import add

__all__ = [
    "CALL",
    "CLASS",
    "FUNCTION",
    "MODULE",
    "Comment",
    "Lines",
    "Outline",
    "Symbol",
]

FUNCTION = "function"
CLASS = "class"
MODULE = "module"
#: A test-framework call that names a test or a group (``describe("x", ...)``, ``it("y", ...)``).
CALL = "call"

#: How far back the code before a symbol is looked for at a time: first a little (most symbols
#: follow code within a few lines: copying 4,096 characters twice per symbol cost more than the
#: look), then at most this much.
_FIRST_WINDOW = 256
_WINDOW = 4096
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
    #: ``name`` is already the qualified name (a Catch2 section: ``test case/section``).
    absolute: bool = False


@dataclass(slots=True)
class Comment:
    """A comment or docstring that may hold tags; ``text`` is the source between the offsets.

    ``verbs`` may list each tag verb and the offset just after it in the outline's text (an
    engine that found them gives them, to spare reading the comment again). A docstring's tags
    are read in its ``text``, where its closing quotes are blanked.
    """

    start: int
    end: int
    text: str
    line: int
    leading: bool
    docstring: bool = False
    verbs: list[tuple[str, int]] = field(default_factory=list)


class Lines:
    """Line numbers of offsets in a text (``\\n`` ends a line).

    Without the table of line starts (built on first need), a line number is counted from the
    previous one asked for: asking in increasing order costs one pass over the text, in C.
    """

    __slots__ = ("_at", "_line", "_newline", "_starts", "_text")

    def __init__(self, text: str | bytes) -> None:
        self._text = text
        self._newline: str | bytes = "\n" if isinstance(text, str) else b"\n"
        self._starts: list[int] | None = None
        self._at, self._line = 0, 1

    @classmethod
    def of_rows(cls, text: str, rows: Sequence[str]) -> Lines:
        """The lines of ``text``, already split at its line breaks."""
        return cls.of_starts(text, _starts(rows))

    @classmethod
    def of_starts(cls, text: str, starts: list[int]) -> Lines:
        """The lines of ``text``, whose line starts are already known."""
        lines = cls(text)
        lines._starts = starts
        return lines

    @property
    def starts(self) -> list[int]:
        if self._starts is None:
            text = self._text
            self._starts = _starts(text.split(self._newline))  # type: ignore[arg-type]
        return self._starts

    def line(self, offset: int) -> int:
        """The 1-based line holding ``offset``."""
        if self._starts is not None:
            return bisect_right(self._starts, offset)
        if offset < self._at:
            self._at, self._line = 0, 1
        self._line += self._text.count(self._newline, self._at, offset)  # type: ignore[arg-type]
        self._at = offset
        return self._line

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
    #: ``@pytest.mark.verifies`` markers read from the code: (line, IDs, owner; ``None``: file).
    markers: list[tuple[int, tuple[str, ...], Symbol | None]] = field(default_factory=list)

    def finish(self) -> Outline:
        """Sort the symbols, link each to its parent and give it its qualified name."""
        self.symbols.sort(key=lambda s: (s.start, -s.end))
        nest(self.symbols)
        return self

    # @implements SRS-47
    def owners(self) -> Iterator[tuple[Comment, Symbol | None]]:
        """Each comment with the symbol it belongs to (``None``: the file).

        Linear in the comments and symbols: the code that precedes each symbol is found once
        (not once per comment before it), so a long run of comments costs no more than its text.
        """
        starts = [symbol.start for symbol in self.symbols]
        code_before: dict[int, int] = {}
        for comment in self.comments:
            yield comment, self._owner(comment, starts, code_before)

    def _owner(
        self, comment: Comment, starts: list[int], code_before: dict[int, int]
    ) -> Symbol | None:
        anchor = comment.start
        if not (comment.leading or comment.docstring):
            anchor = self._code_start(comment.start)
        enclosing = innermost(self.symbols, starts, anchor)
        if comment.leading and not comment.docstring:
            index = bisect_left(starts, comment.end)
            if index < len(starts):
                following = self.symbols[index]
                inside = enclosing is None or following.start < enclosing.end
                if inside:
                    last = code_before.get(index)
                    if last is None:
                        last = code_before[index] = self._code_end(following.start)
                    if last <= comment.end:
                        return following
        return enclosing

    def _code_end(self, end: int) -> int:
        """The offset just after the last code (non-blank) character before ``end``."""
        code = self.code
        position, window = end, _FIRST_WINDOW
        while position > 0:
            low = max(0, position - window)
            kept = len(code[low:position].rstrip())
            if kept:
                return low + kept
            position, window = low, _WINDOW
        return 0

    def _code_start(self, offset: int) -> int:
        """Where the code of the line holding ``offset`` starts (after its indentation)."""
        text = self.text
        if isinstance(text, str):
            start = text.rfind("\n", 0, offset) + 1
            found = _INDENT_STR.match(text, start)
        else:
            start = text.rfind(b"\n", 0, offset) + 1
            found = _INDENT_BYTES.match(text, start)  # type: ignore[assignment]
        return start if found is None else found.end()


def _starts(rows: Sequence[str | bytes]) -> list[int]:
    """Line starts: each row's length plus its line break, accumulated."""
    return list(accumulate(map(add, map(len, rows), repeat(1)), initial=0))


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
    if symbol.absolute:
        return symbol.name
    if symbol.kind == CALL:
        while parent is not None and parent.kind != CALL:
            parent = parent.parent
    if parent is None:
        return symbol.name
    separator = " > " if parent.kind == CALL else "."
    return f"{parent.qualname}{separator}{symbol.name}"
