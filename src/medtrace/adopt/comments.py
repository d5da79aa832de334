"""Every comment and docstring of a file, found by the scanner's own parsers.

The scanner keeps only the comments that hold a tag verb; ``adopt`` needs every comment that may
mention an ID, so it asks the same parsers for all of them: the grammar's tree-sitter query
(its ``@comment`` captures) for every language but Python, and for Python the scanner's lexer
(comments) with :mod:`ast` telling which string literals are statements (docstrings), as the
scanner's Python engine does. Code and string literals of code are never looked at.

Readers register by language name (:data:`READERS`); a language with no reader is reported,
never silently passed over.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Callable
from dataclasses import dataclass

from medtrace.scanning.languages import Source
from medtrace.scanning.pylex import lex, statement_string

__all__ = ["READERS", "CommentSpan", "Wanted", "blanked_code", "comments_of"]


@dataclass(frozen=True, slots=True)
class CommentSpan:
    """A comment or docstring from ``start`` to ``end`` (offsets in the decoded text)."""

    start: int
    end: int
    docstring: bool = False


#: ``wanted(text)``: whether a comment's text is worth keeping (it may hold a mention).
Wanted = Callable[[str], bool]
Reader = Callable[[str, Source, Wanted], list[CommentSpan]]
_NOT_NEWLINE = re.compile(rb"[^\n]")


# @implements SRS-80
def comments_of(language: str, source: Source, wanted: Wanted) -> list[CommentSpan] | None:
    """The wanted comments of a file in order, or ``None`` when no reader knows the language."""
    reader = READERS.get(language)
    if reader is None:
        from medtrace.scanning.grammars import GRAMMARS

        if language not in GRAMMARS:
            return None
        reader = _tree_sitter
    return sorted(reader(language, source, wanted), key=lambda c: c.start)


def _python(language: str, source: Source, wanted: Wanted) -> list[CommentSpan]:
    text = source.text
    lexed = lex(text)
    found = [CommentSpan(s, e) for s, e in lexed.comments if wanted(text[s:e])]
    strings = [(s, e) for s, e in lexed.strings if wanted(text[s:e])]
    if strings:
        statements = _statement_strings(text)
        for start, end in strings:
            if statements is None:
                keep = statement_string(lexed, start, end)
            else:
                line = lexed.lines.line(start)
                column = len(text[lexed.lines.start(line) : start].encode("utf-8"))
                keep = (line, column) in statements
            if keep:
                found.append(CommentSpan(start, end, docstring=True))
    return found


def _statement_strings(text: str) -> set[tuple[int, int]] | None:
    """Line and UTF-8 column of each string that is a statement; ``None``: no syntax tree."""
    try:
        tree = ast.parse(text)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return None
    return {
        (node.lineno, node.col_offset)
        for node in ast.walk(tree)
        if isinstance(node, ast.Expr)
        and isinstance(node.value, ast.Constant)
        and isinstance(node.value.value, str)
    }


def _tree_sitter(language: str, source: Source, wanted: Wanted) -> list[CommentSpan]:
    from tree_sitter import QueryCursor

    from medtrace.scanning.grammars import GRAMMARS

    parser, query = GRAMMARS[language].compiled()
    data = source.data
    tree = parser.parse(data)
    nodes = QueryCursor(query).captures(tree.root_node).get("comment", [])
    same = len(data) == len(source.text)  # ASCII: byte offsets are character offsets
    found: dict[int, CommentSpan] = {}
    for node in nodes:
        raw = data[node.start_byte : node.end_byte].decode("utf-8", "replace")
        if node.start_byte in found or not wanted(raw):
            continue
        start = node.start_byte if same else len(data[: node.start_byte].decode("utf-8", "replace"))
        found[node.start_byte] = CommentSpan(start, start + len(raw))
    return list(found.values())


READERS: dict[str, Reader] = {"python": _python}


def blanked_code(language: str, source: Source) -> str | bytes:
    """The file with its comments blanked (line breaks kept), as the scanner's engine blanks
    them: Python's lexer (strings blanked too, but their first character), or each comment
    node of the grammar's query (UTF-8 bytes)."""
    if language == "python":
        return lex(source.text).blank
    from tree_sitter import QueryCursor

    from medtrace.scanning.grammars import GRAMMARS

    parser, query = GRAMMARS[language].compiled()
    data = source.data
    code = bytearray(data)
    for node in QueryCursor(query).captures(parser.parse(data).root_node).get("comment", []):
        start, end = node.start_byte, node.end_byte
        code[start:end] = _NOT_NEWLINE.sub(b" ", data[start:end])
    return bytes(code)
