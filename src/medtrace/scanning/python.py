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
    continued,
    lex,
    mark_pytest_tests,
    statement_string,
    string_at,
    tag_comments,
    trailing_end,
)

__all__ = ["exact_outline", "fast_outline"]

_HEADER = re.compile(r"(?m)^([ ]*)(?:async[ \t]+)?(def|class)[ \t]+(\w+)")
_DECORATOR = re.compile(r"(?m)^([ ]*)@")
_BLANK_LINES = re.compile(r"(?:[ \t\r]*\n)*")
_PUNCTUATION = re.compile(r"[()\[\]{}:]")
_DEFINITIONS = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)
_BODIES = ("body", "orelse", "finalbody", "handlers", "cases")


def fast_outline(text: str, is_test_file: bool) -> Outline | None:
    """The outline read from the indentation, or ``None`` to leave the file to ``ast``."""
    lexed = lex(text)
    if not lexed.ok:
        return None
    result = Outline(text, lexed.blank, lexed.lines)
    decorated = _decorations(lexed.blank)
    for header in _HEADER.finditer(lexed.blank):
        symbol = _symbol(lexed, header, decorated)
        if symbol is None:
            return None
        result.symbols.append(symbol)
    result.comments = tag_comments(lexed, statement_string)
    return _finish(result, is_test_file)


def _finish(result: Outline, is_test_file: bool) -> Outline:
    result.finish()
    if is_test_file:
        mark_pytest_tests(result)
    return result


def _symbol(lexed: Lexed, header: re.Match[str], decorated: dict[int, int]) -> Symbol | None:
    indent = len(header.group(1))
    colon = _colon(lexed.blank, header.end())
    if colon < 0:
        return None
    last = _last_code_line(lexed, colon, indent)
    end = trailing_end(lexed, last, indent)
    start = decorated.get(header.start(), header.start() + indent)
    kind = CLASS if header.group(2) == "class" else FUNCTION
    return Symbol(kind, header.group(3), start, end, lexed.lines.line(header.start(3)))


def _decorations(blank: str) -> dict[int, int]:
    """For the line after each run of decorators, where the run starts (its first ``@``)."""
    decorated: dict[int, int] = {}
    first = expected = -1
    for match in _DECORATOR.finditer(blank):
        if match.start() != expected:
            first = match.end() - 1
        end = _logical_end(blank, match.end())
        expected = _BLANK_LINES.match(blank, end).end()  # type: ignore[union-attr]
        decorated[expected] = first
    return decorated


def _logical_end(blank: str, offset: int) -> int:
    """The start of the line after the logical line that holds ``offset``."""
    level = 0
    while True:
        end = blank.find("\n", offset)
        if end < 0:
            return len(blank)
        level += balance(blank, offset, end)
        offset = end + 1
        if level <= 0 and not continued(blank, offset):
            return offset


def _colon(blank: str, offset: int) -> int:
    """The colon that ends a ``def`` or ``class`` header (outside brackets), or -1."""
    level = 0
    for match in _PUNCTUATION.finditer(blank, offset):
        char = match.group()
        if char in "([{":
            level += 1
        elif char in ")]}":
            level -= 1
        elif level == 0:
            return match.start()
    return -1


@cache
def _dedent(indent: int) -> re.Pattern[str]:
    """A line that starts with code indented by ``indent`` columns or fewer."""
    return re.compile(rf"(?m)^ {{0,{indent}}}(?=[^ \r\n])")


def _last_code_line(lexed: Lexed, colon: int, indent: int) -> int:
    """The last line of code in the block whose header ends at ``colon``."""
    end = _block_end(lexed, colon, indent)
    blank, lines = lexed.blank, lexed.lines
    number = lines.line(end) - 1
    header_line = lines.line(colon)
    while number > header_line and not blank[lines.start(number) : lines.start(number + 1)].strip():
        number -= 1
    return _string_tail(lexed, number)


def _block_end(lexed: Lexed, colon: int, indent: int) -> int:
    """The start of the first logical line after ``colon`` indented ``indent`` or less."""
    blank = lexed.blank
    offset = blank.find("\n", colon) + 1
    while offset > 0:
        match = _dedent(indent).search(blank, offset)
        if match is None:
            break
        if _logical_start(lexed, colon, match.start()):
            return match.start()
        offset = blank.find("\n", match.start()) + 1
    return len(blank)


def _string_tail(lexed: Lexed, number: int) -> int:
    """``number``, or the line where the string literal that ends that line closes."""
    lines = lexed.lines
    while True:
        content = lexed.blank[lines.start(number) : lines.start(number + 1)].rstrip()
        if not content:
            return number
        span = string_at(lexed, lines.start(number) + len(content) - 1)
        if span is None or lines.line(span[1] - 1) <= number:
            return number
        number = lines.line(span[1] - 1)


def _logical_start(lexed: Lexed, colon: int, offset: int) -> bool:
    """Whether the line at ``offset`` starts a logical line (in the block after ``colon``)."""
    blank = lexed.blank
    if balance(blank, colon, offset) or continued(blank, offset):
        return False
    span = string_at(lexed, offset)
    return span is None or span[0] >= offset


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
