"""A lexer for Python comments and string literals, and what the Python engines share.

One compiled regular expression finds every comment and string literal of a file (the rest of
the code is skipped by the regular-expression engine, in C), which is much faster than
:mod:`tokenize` and never raises. The *blanked* text keeps the file's offsets with comments
turned into spaces and each string literal into ``"`` followed by spaces (line breaks kept):
code structure can then be searched without being fooled by text in strings or comments.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from medtrace.scanning.outline import CLASS, FUNCTION, Comment, Lines, Outline, Symbol
from medtrace.scanning.tags import NEEDLE

__all__ = [
    "LinePattern",
    "Lexed",
    "StatementTest",
    "balance",
    "continued",
    "lex",
    "line_matches",
    "mark_pytest_tests",
    "statement_string",
    "string_at",
    "tag_comments",
    "trailing_end",
]

_SINGLE_TRIPLE = r"""'''(?:[^\\']+|\\.|'(?!''))*'''"""
_DOUBLE_TRIPLE = r'''"""(?:[^\\"]+|\\.|"(?!""))*"""'''
_SINGLE = r"'(?:[^\\'\n]+|\\.)*'" + r'|"(?:[^\\"\n]+|\\.)*"'
_TOKEN = re.compile(
    rf"(?P<comment>#[^\r\n]*)|(?P<string>{_SINGLE_TRIPLE}|{_DOUBLE_TRIPLE})"
    rf"""|(?P<bad>'''|\"\"\")|(?P<line>{_SINGLE})""",
    re.DOTALL,
)
_NOT_NEWLINE = re.compile(r"[^\n]")
_OPENERS = "([{"
_CLOSERS = ")]}"


@dataclass(frozen=True, slots=True)
class LinePattern:
    """A pattern matched at the start of lines, searched fast: regular expressions that start
    with a literal (here the line break) skip ahead in C, where ``^`` is tried everywhere."""

    after_newline: re.Pattern[str]
    at_start: re.Pattern[str]

    @classmethod
    def of(cls, body: str) -> LinePattern:
        return cls(re.compile("\n" + body), re.compile(body))


def line_matches(pattern: LinePattern, text: str, offset: int = 0) -> Iterator[re.Match[str]]:
    """Matches of ``pattern`` at line starts from ``offset`` on; group 1 must start the line."""
    if offset == 0:
        first = pattern.at_start.match(text)
        if first is not None:
            yield first
    yield from pattern.after_newline.finditer(text, max(offset - 1, 0))


_TAB_INDENT = LinePattern.of(r"([ ]*)[\t\f]")


@dataclass(slots=True)
class Lexed:
    """The comments and strings of a file, and its blanked text; ``ok`` is false when the file
    cannot be lexed cleanly (an unterminated string, unbalanced brackets, tab indentation)."""

    text: str
    blank: str
    lines: Lines
    comments: list[tuple[int, int]]
    strings: list[tuple[int, int]]
    starts: list[int]
    ok: bool
    _depth_at: tuple[int, int] = (0, 0)

    def depth(self, offset: int) -> int:
        """Bracket depth at ``offset`` (brackets in strings and comments do not count).

        Counted from the last offset asked for when it is not after this one: asking in
        increasing order costs one pass over the text.
        """
        known, level = self._depth_at
        if offset < known:
            known, level = 0, 0
        level += balance(self.blank, known, offset)
        self._depth_at = (offset, level)
        return level


def lex(text: str) -> Lexed:
    comments: list[tuple[int, int]] = []
    strings: list[tuple[int, int]] = []
    parts: list[str] = []
    last = 0
    ok = True
    for match in _TOKEN.finditer(text):
        start, end = match.span()
        kind = match.lastgroup
        if kind == "bad":
            ok = False
            continue
        parts.append(text[last:start])
        token = match.group()
        blanked = " " * (end - start) if "\n" not in token else _NOT_NEWLINE.sub(" ", token)
        if kind == "comment":
            comments.append((start, end))
            parts.append(blanked)
        else:
            strings.append((start, end))
            parts.append('"' + blanked[1:])
        last = end
    parts.append(text[last:])
    blank = "".join(parts)
    ok = ok and _clean(blank, len(strings))
    starts = [s for s, _ in strings]
    return Lexed(text, blank, Lines(text), comments, strings, starts, ok)


def _clean(blank: str, strings: int) -> bool:
    """No stray quote, balanced brackets, no tab or form feed in indentation."""
    if blank.count('"') + blank.count("'") != strings:
        return False
    if sum(map(blank.count, _OPENERS)) != sum(map(blank.count, _CLOSERS)):
        return False
    return not any(line_matches(_TAB_INDENT, blank))


def balance(blank: str, start: int, end: int) -> int:
    """Opening minus closing brackets in ``blank[start:end]``."""
    opened = sum(blank.count(c, start, end) for c in _OPENERS)
    return opened - sum(blank.count(c, start, end) for c in _CLOSERS)


def string_at(lexed: Lexed, offset: int) -> tuple[int, int] | None:
    """The string literal that holds ``offset``, if any."""
    index = bisect_right(lexed.starts, offset) - 1
    if index >= 0 and lexed.strings[index][1] > offset:
        return lexed.strings[index]
    return None


def statement_string(lexed: Lexed, start: int, end: int) -> bool:
    """Whether the string literal at ``start:end`` is a statement of its own (a docstring)."""
    blank = lexed.blank
    before = blank.rfind("\n", 0, start) + 1
    head = blank[before:start]
    if head.strip():
        if not head.rstrip().endswith(":") or lexed.depth(start):
            return False
    elif lexed.depth(start) or continued(blank, before):
        return False
    after = blank.find("\n", end)
    tail = blank[end : len(blank) if after < 0 else after].strip()
    return not tail or tail[0] in ';"'


def continued(blank: str, line_start: int) -> bool:
    """Whether the line before ``line_start`` ends with a backslash continuation."""
    end = line_start - 1
    if end > 0 and blank[end - 1] == "\r":
        end -= 1
    return end > 0 and blank[end - 1] == "\\"


#: ``is_statement(lexed, start, end)``: whether a string literal is a statement of its own.
StatementTest = Callable[[Lexed, int, int], bool]


def tag_comments(lexed: Lexed, is_statement: StatementTest) -> list[Comment]:
    """The comments and statement strings that hold a tag verb."""
    found: dict[int, Comment] = {}
    comment_starts = [s for s, _ in lexed.comments]
    for match in NEEDLE.finditer(lexed.text):
        offset = match.start()
        span = _span_at(lexed.comments, comment_starts, offset)
        docstring = span is None
        if span is None:
            span = string_at(lexed, offset)
            if span is None or not is_statement(lexed, *span):
                continue
        if span[0] not in found:
            found[span[0]] = _comment(lexed, span, docstring)
    return list(found.values())


def _span_at(
    spans: list[tuple[int, int]], starts: list[int], offset: int
) -> tuple[int, int] | None:
    index = bisect_right(starts, offset) - 1
    if index >= 0 and spans[index][1] > offset:
        return spans[index]
    return None


def _comment(lexed: Lexed, span: tuple[int, int], docstring: bool) -> Comment:
    start, end = span
    line = lexed.lines.line(start)
    leading = not lexed.text[lexed.lines.start(line) : start].strip()
    return Comment(start, end, lexed.text[start:end], line, leading, docstring)


def trailing_end(lexed: Lexed, last_line: int, indent: int) -> int:
    """Where a block whose last code line is ``last_line`` ends: after the comments below it
    that are indented deeper than its header (they read as part of the body)."""
    lines, text, blank = lexed.lines, lexed.text, lexed.blank
    end_line = last_line
    number = last_line + 1
    while number < len(lines.starts):
        start, stop = lines.start(number), lines.start(number + 1) - 1
        if blank[start:stop].strip():
            break
        stripped = text[start:stop].lstrip()
        if stripped and stripped[0] == "#":
            if len(text[start:stop]) - len(stripped) <= indent:
                break
            end_line = number
        number += 1
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
