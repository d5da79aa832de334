"""Python: functions, classes, comments and docstrings.

Functions and classes come from :mod:`ast`, Python's own parser; comments and string literals
from the lexer in :mod:`medtrace.scanning.pylex` (a docstring is a string literal that ``ast``
says is a statement). A file that does not parse falls back to its comments alone, attributed
to the file.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator

from medtrace.scanning.outline import CLASS, FUNCTION, Outline, Symbol
from medtrace.scanning.pylex import (
    Lexed,
    lex,
    mark_pytest_tests,
    statement_string,
    tag_comments,
    trailing_end,
)

__all__ = ["exact_outline"]

_DEFINITIONS = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)
_BODIES = ("body", "orelse", "finalbody", "handlers", "cases")


def _finish(result: Outline, is_test_file: bool) -> Outline:
    result.finish()
    if is_test_file:
        mark_pytest_tests(result)
    return result


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
