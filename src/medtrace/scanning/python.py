"""Python: functions, classes, comments and docstrings.

Functions and classes come from :mod:`ast`, Python's own parser; string literals from the same
tree and comments from the ``#`` outside them, or from the standard tokenizer when the tree
cannot tell (see :mod:`medtrace.scanning.pylex`; a docstring is a string literal that ``ast``
says is a statement). A file that does not parse falls back to its comments alone, attributed
to the file.

Only the strings that can matter are located: those of the statements whose lines hold a ``#``
or an ``@`` (a string elsewhere can neither hide a comment sign nor hold a tag verb), found from
the top statements down, a statement without such a line being skipped with its body. A file
without any tag verb needs no string at all.
"""

from __future__ import annotations

import ast
import warnings
from collections.abc import Iterator
from itertools import accumulate, repeat
from operator import contains, or_

from medtrace.scanning.outline import CLASS, FUNCTION, Outline, Symbol
from medtrace.scanning.pylex import (
    Lexed,
    StatementTest,
    lex,
    lex_parsed,
    mark_pytest_tests,
    plain,
    statement_string,
    strings_of,
    tag_comments,
    trailing_end,
)
from medtrace.scanning.tags import NEEDLE

__all__ = ["exact_outline"]

_DEFINITIONS = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)
Definition = ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef
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
    nodes, strings = _statements(tree)
    lexed, is_statement = _lexed(text, tree, strings)
    result = Outline(text, lexed.blank, lexed.lines)
    result.symbols = [_definition(lexed, node) for node in nodes]
    result.markers = _markers(tree, list(zip(nodes, result.symbols, strict=True)))
    result.comments = tag_comments(lexed, is_statement)
    return _finish(result, is_test_file)


def _lexed(
    text: str, tree: ast.Module, strings: set[tuple[int, int]]
) -> tuple[Lexed, StatementTest]:
    """Comments and strings: none needed without a tag; else from the tree, or the tokenizer
    when the tree cannot tell them with confidence. And how a statement string is told."""
    if NEEDLE.search(text) is None:
        return plain(text), statement_string  # no tag: no string is asked about
    rows = text.split("\n")  # (split once: both read the lines)
    fast = lex_parsed(text, tree, strings, _marked_strings(tree, rows), rows=rows)
    if fast is not None:
        return fast, _known_statement

    def is_statement(lexed: Lexed, start: int, end: int) -> bool:
        line = lexed.lines.line(start)
        prefix = lexed.text[lexed.lines.start(line) : start]
        return (line, len(prefix.encode("utf-8"))) in strings

    return lex(text), is_statement


def _known_statement(lexed: Lexed, start: int, end: int) -> bool:
    return lexed.statement_starts is not None and start in lexed.statement_starts


#: Statements whose own expressions (header, decorators) all come before their body.
_HEADED = (*_DEFINITIONS, ast.If, ast.For, ast.AsyncFor, ast.While, ast.With, ast.AsyncWith)


def _marked_strings(tree: ast.Module, rows: list[str]) -> list[ast.Constant | ast.JoinedStr]:
    """The string nodes of the statements whose own lines (``rows``: the text split at its
    line feeds) hold a ``#`` or an ``@``: a string elsewhere holds neither, so it can neither
    hide a comment nor hold a tag. A statement whose lines (its body's included) hold none is
    skipped with its body."""
    marks = _marks(rows)
    found: list[ast.Constant | ast.JoinedStr] = []
    stack: list[ast.stmt] = list(tree.body) if marks[-1] else []
    while stack:
        node = stack.pop()
        first = node.lineno
        if node.__class__ in _DEFINITIONS and node.decorator_list:
            first = min([first, *(d.lineno for d in node.decorator_list)])
        before = marks[first - 1]  # marked lines before the statement's first
        if marks[node.end_lineno or first] == before:
            continue
        if isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant):  # a docstring
            if isinstance(node.value.value, str | bytes):
                found.append(node.value)
            continue
        own_end = node.body[0].lineno if isinstance(node, _HEADED) else node.end_lineno
        if marks[own_end or first] != before:
            found += strings_of(node)
        _push_bodies(stack, node)
    return found


# @implements SRS-363
def _marks(rows: list[str]) -> list[int]:
    """How many of the first n ``rows`` hold a ``#`` or an ``@``, for every n: two substring
    tests per line, in C (a pattern searched in every line cost twice as much)."""
    marked = map(or_, map(contains, rows, repeat("#")), map(contains, rows, repeat("@")))
    return list(accumulate(marked, initial=0))


def _push_bodies(stack: list[ast.stmt], node: ast.stmt) -> None:
    """The statements of ``node``'s bodies, and of its handlers' and cases' bodies."""
    for name in _body_fields(node.__class__):
        for child in getattr(node, name):
            if isinstance(child, ast.stmt):
                stack.append(child)
            else:  # an except handler or a match case
                stack.extend(child.body)


def _is_str(node: ast.expr) -> bool:
    return isinstance(node, ast.Constant) and isinstance(node.value, str)


#: The fields of each node type that hold statements (or handlers and cases).
_BODY_FIELDS: dict[type, tuple[str, ...]] = {}


def _body_fields(cls: type) -> tuple[str, ...]:
    names = _BODY_FIELDS.get(cls)
    if names is None:
        names = _BODY_FIELDS[cls] = tuple(n for n in _BODIES if n in getattr(cls, "_fields", ()))
    return names


def _statements(tree: ast.Module) -> tuple[list[Definition], set[tuple[int, int]]]:
    """The functions and classes of the module, nested ones included, in the order of a walk
    that takes each node's bodies last first; and the (line, byte column) of the statements
    that are a string alone (docstrings)."""
    definitions: list[Definition] = []
    strings: set[tuple[int, int]] = set()
    stack: list[ast.AST] = [tree]
    pop, extend, bodies = stack.pop, stack.extend, _BODY_FIELDS
    while stack:
        node = pop()
        cls = node.__class__
        if cls in _DEFINITIONS:
            definitions.append(node)  # type: ignore[arg-type]
        elif cls is ast.Expr and _is_str(node.value):  # type: ignore[attr-defined]
            strings.add((node.lineno, node.col_offset))  # type: ignore[attr-defined]
        names = bodies.get(cls)
        for name in _body_fields(cls) if names is None else names:
            children = getattr(node, name, None)
            if children.__class__ is list:
                extend(reversed(children))
    return definitions, strings


def _definition(lexed: Lexed, node: Definition) -> Symbol:
    first = node.lineno
    if node.decorator_list:
        first = min([first, *(d.lineno for d in node.decorator_list)])
    indent = node.col_offset
    start = lexed.lines.starts[first - 1] + indent
    end = trailing_end(lexed, node.end_lineno or node.lineno, indent)
    kind = CLASS if node.__class__ is ast.ClassDef else FUNCTION
    return Symbol(kind, node.name, start, end, node.lineno)


# --- pytest markers ------------------------------------------------------------------------------

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
