"""Python: functions, classes, comments and docstrings.

Two engines give the same outline. The exact one uses :mod:`ast` for the functions and classes
and the shared lexer (:mod:`medtrace.scanning.pylex`) for comments; a file that does not parse
falls back to its comments alone, attributed to the file. The fast one reads the structure
from the indentation, as Python itself defines it: a ``def`` or ``class`` block holds the lines
indented deeper than its header, up to the next logical line that is not (lines inside brackets,
after a backslash or inside a string literal continue the previous logical line). It is several
times faster than :func:`ast.parse` and declines (returns ``None``) whenever the file is not
clean enough to be read that way (an unterminated string, unbalanced brackets, tabs in the
indentation), so that the exact engine takes over.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from functools import cache

from medtrace.scanning.outline import CLASS, FUNCTION, Outline, Symbol
from medtrace.scanning.pylex import (
    Lexed,
    balance,
    lex,
    mark_pytest_tests,
    statement_string,
    tag_comments,
    trailing_end,
)

__all__ = ["exact_outline", "fast_outline"]

_DEFINITIONS = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)
_BODIES = ("body", "orelse", "finalbody", "handlers", "cases")


def fast_outline(text: str, is_test_file: bool) -> Outline | None:
    """The outline read from the indentation, or ``None`` to leave the file to ``ast``."""
    lexed = lex(text)
    if not lexed.ok:
        return None
    result = Outline(text, lexed.blank, lexed.lines)
    result.symbols = _symbols(lexed)
    result.comments = tag_comments(lexed, statement_string)
    return _finish(result, is_test_file)


def _finish(result: Outline, is_test_file: bool) -> Outline:
    result.finish()
    if is_test_file:
        mark_pytest_tests(result)
    return result


_STATEMENT_KEYWORDS = ("def ", "class ", "async ", "@")
_NAME_AFTER = re.compile(r"[ \t]+(\w+)")


@cache
def _dedent(indent: int) -> re.Pattern[str]:
    """A line break, then code indented by at most ``indent`` columns."""
    return re.compile(rf"\n {{0,{indent}}}(?=[^ \r\n])")


def _symbols(lexed: Lexed) -> list[Symbol]:
    """Every ``def`` and ``class``, with its extent (see :func:`_last_code_line`)."""
    blank = "\n" + lexed.blank  # a match's start is then the offset of its line
    symbols: list[Symbol] = []
    for line_start, indent, kind, name in _headers(lexed.blank):
        number = lexed.lines.line(line_start)
        last = _last_code_line(lexed, blank, line_start, indent, number)
        end = trailing_end(lexed, last, indent)
        start = _decorated(lexed, line_start, number) + indent
        symbols.append(Symbol(kind, name, start, end, number))
    return symbols


def _headers(blank: str) -> list[tuple[int, int, str, str]]:
    """Each ``def`` or ``class`` statement: its line's offset, indentation, kind and name.

    The keywords are searched as plain text (much faster than a pattern that starts with a
    line break) and each hit checked: only indentation (and ``async``) before it on its line.
    """
    found: list[tuple[int, int, str, str]] = []
    for keyword, kind in (("def", FUNCTION), ("class", CLASS)):
        at = blank.find(keyword)
        while at >= 0:
            header = _header_at(blank, at, keyword, kind)
            if header is not None:
                found.append(header)
            at = blank.find(keyword, at + len(keyword))
    found.sort()
    return found


def _header_at(blank: str, at: int, keyword: str, kind: str) -> tuple[int, int, str, str] | None:
    line_start = blank.rfind("\n", 0, at) + 1
    before = blank[line_start:at]
    code = before.lstrip(" ")
    if code and code.rstrip(" \t") != "async":
        return None
    name = _NAME_AFTER.match(blank, at + len(keyword))
    if name is None:
        return None
    return line_start, len(before) - len(code), kind, name.group(1)


def _last_code_line(lexed: Lexed, blank: str, line_start: int, indent: int, number: int) -> int:
    """The last line of code of the block whose header starts at ``line_start``: before the
    next logical line indented ``indent`` or less (lines inside brackets, after a backslash or
    inside a string literal continue a logical line)."""
    dedent = _dedent(indent)
    offset = line_start + 1
    end = len(lexed.blank)
    while (match := dedent.search(blank, offset)) is not None:
        if _logical(lexed, line_start, match.start(), match.end() - 1):
            end = match.start()
            break
        offset = match.end()
    rows = lexed.rows
    last = lexed.lines.line(end) - 1
    while last > number and not rows[last - 1].strip():
        last -= 1
    return _string_tail(lexed, last)


def _logical(lexed: Lexed, header: int, offset: int, code: int) -> bool:
    """Whether the line at ``offset`` (its code at ``code``) starts a logical line (the
    header's line does)."""
    blank = lexed.blank
    if blank.startswith(_STATEMENT_KEYWORDS, code) and not _after_backslash_at(blank, offset):
        return True  # a definition or decorator cannot continue a line inside brackets
    if balance(blank, header, offset):
        return False
    if _after_backslash_at(blank, offset):
        return False
    span = lexed.string_at(offset)
    return span is None or span[0] >= offset


def _after_backslash_at(blank: str, offset: int) -> bool:
    """Whether the line before the one at ``offset`` ends with a backslash continuation."""
    end = offset - 1
    if end > 0 and blank[end - 1] == "\r":
        end -= 1
    return end > 0 and blank[end - 1] == "\\"


def _string_tail(lexed: Lexed, number: int) -> int:
    """``number``, or the line where a string literal that starts on it ends."""
    row = lexed.rows[number - 1].rstrip()
    if not row.endswith('"'):
        return number
    span = lexed.string_at(lexed.lines.start(number) + len(row) - 1)
    return number if span is None else max(number, lexed.lines.line(span[1] - 1))


def _decorated(lexed: Lexed, line_start: int, number: int) -> int:
    """Where the decorators above the header line start (the header's line if none): lines
    that start with ``@``, lines inside their brackets, blank and comment lines between."""
    rows, lines = lexed.rows, lexed.lines
    start = line_start
    inside = False  # in the brackets of a decorator written over several lines
    while number > 1:
        number -= 1
        code = rows[number - 1].strip()
        if not code:
            continue
        if code[0] == "@":
            start, inside = lines.start(number), False
            continue
        if _after_backslash(rows, number):
            continue
        if not inside and not _may_continue(code):
            break
        if balance(lexed.blank, lines.start(number), line_start) >= 0:
            break
        inside = True
    return start


def _after_backslash(rows: list[str], number: int) -> bool:
    return number > 1 and rows[number - 2].rstrip().endswith("\\")


def _may_continue(code: str) -> bool:
    """Whether a line could be inside the brackets of a decorator written over several lines
    (a line that neither ends with one of these nor starts with a closing bracket cannot)."""
    return code[0] in ")]}" or code[-1] in ',([{)]}"\\+-*/%&|^~<>=.:'


# --- the exact engine ---------------------------------------------------------------------------


def exact_outline(text: str, is_test_file: bool) -> Outline:
    """The outline from :mod:`ast`; comments alone, attributed to the file, if it does not
    parse."""
    lexed = lex(text)
    result = Outline(text, lexed.blank, lexed.lines)
    try:
        tree = ast.parse(text)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        result.comments = tag_comments(lexed, statement_string)
        return result.finish()
    strings: set[tuple[int, int]] = set()
    for node in _statements(tree):
        if isinstance(node, _DEFINITIONS):
            result.symbols.append(_definition(lexed, node))
        elif isinstance(node, ast.Expr) and _is_str(node.value):
            strings.add((node.lineno, node.col_offset))

    def is_statement(lexed: Lexed, start: int, end: int) -> bool:
        line = lexed.lines.line(start)
        prefix = lexed.text[lexed.lines.start(line) : start]
        return (line, len(prefix.encode("utf-8"))) in strings

    result.comments = tag_comments(lexed, is_statement)
    return _finish(result, is_test_file)


def _is_str(node: ast.expr) -> bool:
    return isinstance(node, ast.Constant) and isinstance(node.value, str)


def _statements(tree: ast.Module) -> Iterator[ast.stmt]:
    """Every statement of the module, nested ones included (not those in expressions)."""
    stack: list[ast.AST] = [tree]
    while stack:
        node = stack.pop()
        if isinstance(node, ast.stmt):
            yield node
        for name in _BODIES:
            children = getattr(node, name, None)
            if isinstance(children, list):
                stack.extend(reversed(children))


def _definition(
    lexed: Lexed, node: ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef
) -> Symbol:
    first = min([node.lineno, *(d.lineno for d in node.decorator_list)])
    indent = node.col_offset
    start = lexed.lines.start(first) + indent
    end = trailing_end(lexed, node.end_lineno or node.lineno, indent)
    kind = CLASS if isinstance(node, ast.ClassDef) else FUNCTION
    return Symbol(kind, node.name, start, end, node.lineno)
