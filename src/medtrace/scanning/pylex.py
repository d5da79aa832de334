"""A lexer for Python comments and string literals, and what the Python engines share.

One compiled regular expression splits a file at every comment and string literal (the rest
of the code is skipped by the regular-expression engine, in C), which is much faster than
:mod:`tokenize` and never raises. The *blanked* text keeps the file's offsets with comments
turned into spaces and each string literal into ``"`` followed by spaces (line breaks kept):
code structure can then be read without being fooled by text in strings or comments.

The lexer also finds the lines that continue a logical line (inside brackets, after a
backslash, inside a multi-line string): their indentation means nothing.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Callable
from dataclasses import dataclass
from itertools import accumulate

from medtrace.scanning.outline import CLASS, FUNCTION, Comment, Lines, Outline, Symbol
from medtrace.scanning.tags import NEEDLE

__all__ = [
    "Lexed",
    "StatementTest",
    "balance",
    "lex",
    "mark_pytest_tests",
    "statement_string",
    "tag_comments",
    "trailing_end",
]

_SINGLE_TRIPLE = r"""'''(?:[^\\']++|\\.|'(?!''))*+'''"""
_DOUBLE_TRIPLE = r'''"""(?:[^\\"]++|\\.|"(?!""))*+"""'''
_SINGLE = r"'(?:[^\\'\n]++|\\.)*+'" + r'|"(?:[^\\"\n]++|\\.)*+"'
#: Every alternative starts with a literal character, so that the search skips ahead in C;
#: an unterminated triple quote matches alone.
_TOKEN = re.compile(
    rf"(#[^\r\n]*|{_SINGLE_TRIPLE}|{_DOUBLE_TRIPLE}|'''|" + '"""|' + _SINGLE + ")",
    re.DOTALL,
)
_TAB_INDENT = re.compile(r"\n *[\t\f]")
_NOT_NEWLINE = re.compile(r"[^\n]")
_UNTERMINATED = ("'''", '"""')


@dataclass(slots=True)
class Lexed:
    """The comments and strings of a file (as sorted ``(start, end)`` offsets), its blanked
    text, its bracket depths and the lines that continue a logical line. ``ok`` is false when
    the file cannot be read lexically with confidence (an unterminated string, unbalanced
    brackets, tabs or form feeds in the indentation)."""

    text: str
    blank: str
    rows: list[str]
    lines: Lines
    comments: list[tuple[int, int]]
    strings: list[tuple[int, int]]
    ok: bool
    _depth_at: tuple[int, int] = (0, 0)

    def depth(self, offset: int) -> int:
        """Bracket depth at ``offset``, counted from the last offset asked for when that is
        not after this one (asking in increasing order costs one pass over the text)."""
        known, level = self._depth_at
        if offset < known:
            known, level = 0, 0
        level += balance(self.blank, known, offset)
        self._depth_at = (offset, level)
        return level

    def continues(self, line_start: int) -> bool:
        """Whether the line at ``line_start`` continues a logical line: inside brackets, after
        a backslash or inside a string literal."""
        if self.depth(line_start) > 0:
            return True
        end = line_start - 1
        if end > 0 and self.blank[end - 1] == "\r":
            end -= 1
        if end > 0 and self.blank[end - 1] == "\\":
            return True
        span = self.string_at(line_start)
        return span is not None and span[0] < line_start

    def string_at(self, offset: int) -> tuple[int, int] | None:
        """The string literal that holds ``offset``, if any."""
        return _span_at(self.strings, offset)


def lex(text: str) -> Lexed:
    parts = _TOKEN.split(text)
    tokens = parts[1::2]
    parts[1::2] = [_blanked(token) for token in tokens]
    blank = "".join(parts)
    ends = list(accumulate(map(len, parts)))
    spans = list(zip(ends[0::2], ends[1::2], strict=False))
    comments = [span for span, token in zip(spans, tokens, strict=True) if token[0] == "#"]
    strings = [span for span, token in zip(spans, tokens, strict=True) if token[0] != "#"]
    ok = not any(token in _UNTERMINATED for token in tokens) and _clean(blank, len(strings))
    rows = blank.split("\n")
    return Lexed(text, blank, rows, Lines.of_rows(text, rows), comments, strings, ok)


def _blanked(token: str) -> str:
    if token[0] == "#":
        return " " * len(token)
    if token in _UNTERMINATED:
        return token
    if "\n" in token:
        return '"' + _NOT_NEWLINE.sub(" ", token[1:])
    return '"' + " " * (len(token) - 1)


def _clean(blank: str, strings: int) -> bool:
    """No stray quote, balanced brackets, no tab or form feed in indentation."""
    if blank.count('"') + blank.count("'") != strings or balance(blank, 0, len(blank)):
        return False
    if "\t" not in blank and "\f" not in blank:
        return True
    return _TAB_INDENT.search(blank) is None and not blank.startswith(("\t", "\f"))


def balance(blank: str, start: int, end: int) -> int:
    """Opening minus closing brackets in ``blank[start:end]``."""
    opened = blank.count("(", start, end) + blank.count("[", start, end)
    opened += blank.count("{", start, end)
    closed = blank.count(")", start, end) + blank.count("]", start, end)
    return opened - closed - blank.count("}", start, end)


def _span_at(spans: list[tuple[int, int]], offset: int) -> tuple[int, int] | None:
    index = bisect_right(spans, (offset, 1 << 62)) - 1
    if index >= 0 and spans[index][1] > offset:
        return spans[index]
    return None


def statement_string(lexed: Lexed, start: int, end: int) -> bool:
    """Whether the string literal at ``start:end`` is a statement of its own: a docstring, or
    a string written alone on its logical line."""
    blank = lexed.blank
    after = blank.find("\n", end)
    tail = blank[end : len(blank) if after < 0 else after].strip()
    if tail and tail[0] not in ';"':
        return False
    before = blank.rfind("\n", 0, start) + 1
    head = blank[before:start].strip()
    if head and not head.endswith(":"):
        return False
    if _after_header(blank, start):
        return True  # the usual docstring: a one-line header's colon, then the string
    if lexed.depth(start):
        return False
    return bool(head) or not lexed.continues(before)


def _after_header(blank: str, start: int) -> bool:
    """Whether only white space separates ``start`` from a one-line ``def`` or ``class``
    header (whose colon is outside any bracket, so the string is too)."""
    colon = len(blank[max(0, start - 400) : start].rstrip()) + max(0, start - 400) - 1
    if colon < 0 or blank[colon] != ":":
        return False
    line = blank[blank.rfind("\n", 0, colon) + 1 : colon].lstrip()
    return line.startswith(("def ", "class ", "async def ")) and line.count("(") == line.count(")")


#: ``is_statement(lexed, start, end)``: whether a string literal is a statement of its own.
StatementTest = Callable[[Lexed, int, int], bool]


def tag_comments(lexed: Lexed, is_statement: StatementTest) -> list[Comment]:
    """The comments and statement strings that hold a tag verb, in order."""
    found: dict[int, Comment] = {}
    for match in NEEDLE.finditer(lexed.text):
        offset = match.start()
        span = _span_at(lexed.comments, offset)
        docstring = span is None
        if span is None:
            span = _span_at(lexed.strings, offset)
            if span is None or not is_statement(lexed, *span):
                continue
        comment = found.get(span[0])
        if comment is None:
            comment = found[span[0]] = _comment(lexed, span, docstring)
        comment.verbs.append((match.group(1), match.end()))
    return list(found.values())


def _comment(lexed: Lexed, span: tuple[int, int], docstring: bool) -> Comment:
    start, end = span
    line = lexed.lines.line(start)
    leading = not lexed.text[lexed.lines.start(line) : start].strip()
    text = lexed.text[start:end]
    if docstring:  # the closing quotes are not part of a tag on the last line
        quotes = 3 if text.endswith(('"""', "'''")) and len(text) >= 6 else 1
        text = text[:-quotes] + " " * quotes
    return Comment(start, end, text, line, leading, docstring)


def trailing_end(lexed: Lexed, last_line: int, indent: int) -> int:
    """Where a block whose last code line is ``last_line`` ends: after the comments below it
    that are indented deeper than its header (they read as part of the body)."""
    lines, rows, text = lexed.lines, lexed.rows, lexed.text
    end_line = last_line
    for number in range(last_line + 1, len(rows) + 1):
        row = rows[number - 1]
        if row.strip():
            break
        if len(row) > indent + 1 and row.isspace():  # maybe a comment, blanked: look
            start = lines.start(number)
            stripped = text[start : start + len(row)].lstrip()
            if stripped[:1] == "#":
                if len(row) - len(stripped) <= indent:
                    break
                end_line = number
    return lines.start(end_line + 1)


def mark_pytest_tests(outline: Outline) -> None:
    """Flag the symbols pytest collects by default: ``test*`` functions of the module and
    ``test*`` methods of ``Test*`` classes (nested in ``Test*`` classes only) without
    ``__init__``."""
    constructed = {id(s.parent) for s in outline.symbols if s.name == "__init__"}
    for symbol in outline.symbols:
        if symbol.kind != FUNCTION or not symbol.name.startswith("test"):
            continue
        parent = symbol.parent
        while parent is not None and _test_class(parent, constructed):
            parent = parent.parent
        symbol.test = parent is None


def _test_class(symbol: Symbol, constructed: set[int]) -> bool:
    return symbol.kind == CLASS and symbol.name.startswith("Test") and id(symbol) not in constructed
