"""The shared part of the fast engines for brace languages (C, JavaScript, TypeScript).

One regular expression (given by the language) splits the file at its comments, string-like
literals and braces; the *blanked* text keeps the offsets with comments turned into spaces and
literals into their first character and spaces (line breaks kept). The braces then give the
blocks, and each block's *header* (the code from the end of the previous statement to the
brace, nested parentheses collapsed) tells the language module what the block is.

A file whose braces do not balance (a brace in a macro, in ``#if`` branches, in a literal the
lexer could not tell) is left to the exact engine.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass, field
from itertools import accumulate, repeat
from operator import add, sub

from medtrace.scanning.outline import Comment, Lines, Outline
from medtrace.scanning.tags import NEEDLE

__all__ = [
    "Block",
    "Decline",
    "Lexed",
    "Rules",
    "blocks",
    "lex",
    "name_line",
    "normalize",
    "previous_char",
    "span_at",
    "statement_start",
    "tag_comments",
    "walk",
]

_NOT_NEWLINE = re.compile(r"[^\n]")
_SPACES = re.compile(r"\s+")
_INNER_PARENS = re.compile(r"\([^()]*\)")
_INNER_BRACES = re.compile(r"\{[^{}]*\}")
_SKIP = re.compile(r"(?:\s+|#[^\n]*)*")
_INNER_COMMENT = re.compile(r"/\*.*?\*/")


@dataclass(slots=True)
class Lexed:
    """A lexed file: blanked text, comments and literals (sorted ``(start, end)``), braces."""

    text: str
    blank: str
    lines: Lines
    comments: list[tuple[int, int]]
    strings: list[tuple[int, int]]
    braces: list[int]


def lex(text: str, token: re.Pattern[str]) -> Lexed:
    """Split ``text`` with ``token`` (one group: a comment ``//``, ``/*``, a literal starting
    with a quote, backquote, ``/`` or ``R``, a preprocessor line ``#``, or a brace)."""
    parts = token.split(text)
    tokens = parts[1::2]
    ends = list(accumulate(map(len, parts)))
    comments: list[tuple[int, int]] = []
    strings: list[tuple[int, int]] = []
    blanked: list[str] = []
    for start, end, t in zip(ends[0::2], ends[1::2], tokens, strict=False):
        if t[0] == "/" and t[1] in "/*":
            comments.append((start, end))
            blanked.append(_NOT_NEWLINE.sub(" ", t) if "\n" in t else " " * (end - start))
            continue
        if t[0] == "#" and "/*" in t:  # a comment inside a preprocessor line
            comments += [(start + m.start(), start + m.end()) for m in _INNER_COMMENT.finditer(t)]
        elif t[0] != "#":
            strings.append((start, end))
        first = '"' if t[0] == "/" else t[0]  # a regular-expression literal reads as a string
        rest = _NOT_NEWLINE.sub(" ", t[1:]) if "\n" in t else " " * (end - start - 1)
        blanked.append(first + rest)
    parts[1::2] = blanked
    blank = "".join(parts)
    return Lexed(text, blank, Lines(text), comments, strings, _braces(blank))


def _braces(blank: str) -> list[int]:
    """The offsets of the braces in ``blank``, in order (found by splitting, in C)."""
    opening = list(accumulate(map(add, map(len, blank.split("{")), repeat(1))))[:-1]
    closing = list(accumulate(map(add, map(len, blank.split("}")), repeat(1))))[:-1]
    return sorted(map(sub, opening + closing, repeat(1)))


@dataclass(slots=True, eq=False)
class Block:
    """A pair of braces, the statement it belongs to (from ``start``) and its header text."""

    open: int
    close: int
    parent: Block | None
    start: int = 0
    header: str = ""
    statement: bool = True
    kind: str = ""
    children: list[Block] = field(default_factory=list)


def blocks(lexed: Lexed) -> list[Block] | None:
    """The blocks in file order (``None`` when the braces do not balance)."""
    found: list[Block] = []
    stack: list[Block] = []
    blank = lexed.blank
    for offset in lexed.braces:
        if blank[offset] == "{":
            parent = stack[-1] if stack else None
            block = Block(offset, -1, parent)
            found.append(block)
            if parent is not None:
                parent.children.append(block)
            stack.append(block)
        elif not stack:
            return None
        else:
            stack.pop().close = offset
    return None if stack else found


def statement_start(blank: str, boundary: int, open_: int) -> int:
    """Where the statement that ends with the brace at ``open_`` starts: after the previous
    statement (``boundary``, or a later semicolon), white space and preprocessor lines."""
    semicolon = blank.rfind(";", boundary, open_)
    if semicolon >= 0:
        boundary = semicolon + 1
    match = _SKIP.match(blank, boundary, open_)
    return match.end() if match is not None else boundary


def normalize(text: str) -> str:
    """White space collapsed, nested parentheses and braces emptied."""
    text = _SPACES.sub(" ", text).strip()
    while True:
        reduced = _INNER_PARENS.sub("\x00", text) if ")" in text else text
        if "}" in reduced:
            reduced = _INNER_BRACES.sub("\x01", reduced)
        if reduced == text:
            break
        text = reduced
    if "\x00" in text:
        text = text.replace("\x00", "()")
    return text.replace("\x01", "{}") if "\x01" in text else text


def span_at(spans: list[tuple[int, int]], offset: int) -> tuple[int, int] | None:
    index = bisect_right(spans, (offset, 1 << 62)) - 1
    if index >= 0 and spans[index][1] > offset:
        return spans[index]
    return None


def tag_comments(lexed: Lexed) -> list[Comment]:
    """The comments that hold a tag verb, in order."""
    found: dict[int, Comment] = {}
    text, lines = lexed.text, lexed.lines
    for match in NEEDLE.finditer(text):
        span = span_at(lexed.comments, match.start())
        if span is None:
            continue
        comment = found.get(span[0])
        if comment is None:
            start, end = span
            line = lines.line(start)
            leading = not text[text.rfind("\n", 0, start) + 1 : start].strip()
            comment = found[start] = Comment(start, end, text[start:end], line, leading)
        comment.verbs.append((match.group(1), match.end()))
    return list(found.values())


def outline(lexed: Lexed) -> Outline:
    """An empty outline of ``lexed`` (symbols to be added), with its tag-bearing comments."""
    return Outline(lexed.text, lexed.blank, lexed.lines, comments=tag_comments(lexed))


class Decline(Exception):
    """The fast engine cannot read this file with confidence: the exact engine will."""


class Rules:
    """What a language makes of its blocks (see :func:`walk`)."""

    #: The context of the file's top level.
    top = "file"

    def statement(self, lexed: Lexed, block: Block, context: str) -> bool:
        """Whether ``block`` ends a statement (else it is part of an expression)."""
        raise NotImplementedError

    def visit(
        self, lexed: Lexed, block: Block, context: str, boundary: int, result: Outline
    ) -> str | None:
        """Record the symbol ``block`` makes, if any (its statement starts at or after
        ``boundary``); give the context of its contents (``None``: nothing of interest inside).
        Raise :class:`Decline` on a shape it does not know."""
        raise NotImplementedError


def walk(
    lexed: Lexed, rules: Rules, guide: re.Pattern[str] | None = None
) -> tuple[Outline, list[Block]] | None:
    """The outline of ``lexed`` by ``rules`` (not finished) and its blocks, or ``None`` when
    the file is left to the exact engine.

    With a ``guide``, a block is read only if the guide is found in its text or just before it
    (a tag verb, say): other blocks and the symbols inside them cannot own a tag.
    """
    found = blocks(lexed)
    if found is None:
        return None
    result = outline(lexed)
    walker = _Walker(lexed, rules, result, guide)
    try:
        walker.walk([b for b in found if b.parent is None], 0, rules.top)
    except Decline:
        return None
    return result, found


@dataclass(slots=True)
class _Walker:
    lexed: Lexed
    rules: Rules
    result: Outline
    guide: re.Pattern[str] | None

    def walk(self, children: list[Block], boundary: int, context: str) -> None:
        lexed, rules, guide = self.lexed, self.rules, self.guide
        for block in children:
            if guide is None or guide.search(lexed.text, boundary, block.close) is not None:
                block.statement = rules.statement(lexed, block, context)
                inner = rules.visit(lexed, block, context, boundary, self.result)
                if inner is not None and block.children and self._worth(block):
                    self.walk(block.children, block.open + 1, inner)
            # (a block passed over counts as a statement: the next header is found after it, or
            # after the semicolon that follows an expression)
            if block.statement and not _in_parentheses(lexed.blank, boundary, block.open):
                boundary = block.close + 1

    def _worth(self, block: Block) -> bool:
        """Whether the guide is found inside the block (blocks without tags are skipped)."""
        guide = self.guide
        return guide is None or guide.search(self.lexed.text, block.open, block.close) is not None


def _in_parentheses(blank: str, start: int, end: int) -> bool:
    """Whether ``end`` is inside parentheses opened after ``start`` (a callback's body)."""
    return blank.count("(", start, end) > blank.count(")", start, end)


def previous_char(blank: str, offset: int) -> str:
    """The last character before ``offset`` that is not white space ('' at the start)."""
    index = offset - 1
    while index >= 0 and blank[index] in " \t\r\n":
        index -= 1
    return blank[index] if index >= 0 else ""


def name_line(lexed: Lexed, block: Block, name: str) -> int:
    """The line where ``name`` is written in the header of ``block`` (its last occurrence)."""
    offset = lexed.blank.rfind(name, block.start, block.open)
    return lexed.lines.line(offset if offset >= 0 else block.start)
