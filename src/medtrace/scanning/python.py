"""Python: functions, classes, comments and docstrings.

Functions and classes come from :mod:`ast`, Python's own parser; string literals from the same
tree and comments from the ``#`` outside them, or from the standard tokenizer when the tree
cannot tell (see :mod:`medtrace.scanning.pylex`; a docstring is a string literal that ``ast``
says is a statement). A file that does not parse falls back to its comments alone, attributed
to the file.
"""

from __future__ import annotations

import ast
import warnings
from collections.abc import Iterator

from medtrace.scanning.outline import CLASS, FUNCTION, Outline, Symbol
from medtrace.scanning.pylex import (
    Lexed,
    lex,
    lex_parsed,
    mark_pytest_tests,
    plain,
    statement_string,
    tag_comments,
    trailing_end,
)
from medtrace.scanning.tags import NEEDLE

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
    try:
        with warnings.catch_warnings():  # invalid escapes and the like: not ours to report
            warnings.simplefilter("ignore")
            tree = ast.parse(text)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        lexed = lex(text) if NEEDLE.search(text) else plain(text)
        result = Outline(text, lexed.blank, lexed.lines)
        result.comments = tag_comments(lexed, statement_string)
        return result.finish()
    statements = list(_statements(tree))
    strings = {
        (node.lineno, node.col_offset)
        for node in statements
        if isinstance(node, ast.Expr) and _is_str(node.value)
    }
    lexed = _lexed(text, tree, strings)
    result = Outline(text, lexed.blank, lexed.lines)
    definitions: list[tuple[ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef, Symbol]] = []
    for node in statements:
        if isinstance(node, _DEFINITIONS):
            symbol = _definition(lexed, node)
            result.symbols.append(symbol)
            definitions.append((node, symbol))
    result.markers = _markers(tree, definitions)

    def is_statement(lexed: Lexed, start: int, end: int) -> bool:
        line = lexed.lines.line(start)
        prefix = lexed.text[lexed.lines.start(line) : start]
        return (line, len(prefix.encode("utf-8"))) in strings

    result.comments = tag_comments(lexed, is_statement)
    return _finish(result, is_test_file)


def _lexed(text: str, tree: ast.Module, strings: set[tuple[int, int]]) -> Lexed:
    """Comments and strings: none needed without a tag; else from the tree, or the tokenizer
    when the tree cannot tell them with confidence."""
    if NEEDLE.search(text) is None:
        return plain(text)
    return lex_parsed(text, tree, strings) or lex(text)


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


# --- pytest markers ------------------------------------------------------------------------------

Definition = ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef
Marker = tuple[int, tuple[str, ...], Symbol | None]


def _markers(tree: ast.Module, definitions: list[tuple[Definition, Symbol]]) -> list[Marker]:
    """``@pytest.mark.verifies(...)`` on functions and classes, and ``pytestmark`` in a module
    or class body, read from the syntax tree (never by running the code)."""
    found = [m for stmt in tree.body for m in _pytestmark(stmt, None)]
    for node, symbol in definitions:
        for decorator in node.decorator_list:
            ids = _verifies_ids(decorator)
            if ids:
                found.append((decorator.lineno, ids, symbol))
        if isinstance(node, ast.ClassDef):
            found += [m for stmt in node.body for m in _pytestmark(stmt, symbol)]
    return found


def _pytestmark(stmt: ast.stmt, owner: Symbol | None) -> Iterator[Marker]:
    if isinstance(stmt, ast.Assign):
        targets, value = stmt.targets, stmt.value
    elif isinstance(stmt, ast.AnnAssign) and stmt.value is not None:
        targets, value = [stmt.target], stmt.value
    else:
        return
    if not any(isinstance(t, ast.Name) and t.id == "pytestmark" for t in targets):
        return
    marks = value.elts if isinstance(value, ast.List | ast.Tuple) else [value]
    for mark in marks:
        ids = _verifies_ids(mark)
        if ids:
            yield mark.lineno, ids, owner


def _verifies_ids(expr: ast.expr) -> tuple[str, ...]:
    """The IDs of ``pytest.mark.verifies("A", "B, C")`` (or ``mark.verifies``), else ``()``."""
    if not (isinstance(expr, ast.Call) and isinstance(expr.func, ast.Attribute)):
        return ()
    if expr.func.attr != "verifies" or not _is_mark(expr.func.value):
        return ()
    ids: list[str] = []
    for arg in expr.args:
        if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
            ids += [part.strip() for part in arg.value.split(",") if part.strip()]
    return tuple(ids)


def _is_mark(value: ast.expr) -> bool:
    if isinstance(value, ast.Attribute):
        return value.attr == "mark"
    return isinstance(value, ast.Name) and value.id == "mark"
