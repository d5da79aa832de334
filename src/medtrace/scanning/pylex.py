"""Python comments and string literals, read by the standard library, and what the Python
engines share.

No hand-written lexer (Python 3.11.2's ``re`` got the possessive quantifiers of the former one
wrong, and dropped a docstring's tag): for a file that parses, :func:`lex_parsed` takes the
string literals from :mod:`ast`'s tree and the comments from each ``#`` outside them; where the
tree cannot tell (a tag verb in a string node that is not a docstring may be in a comment
between implicitly concatenated strings), that string node alone is read by :mod:`tokenize`;
a file that does not parse, or whose lines the tree counts otherwise, is read whole by
:func:`lex` with :mod:`tokenize` (the same rules as the interpreter's on every supported
Python; comments and string literals kept, f-strings whole; its pure-Python version on 3.11 is
the slower way).
If the tokenizer stops on a broken file (an unterminated string, a bad dedent), the rest is read
with a plain regular expression so that no comment is lost, and the file is flagged as not
clean. The *blanked* text keeps the file's offsets with comments turned into spaces and each
string literal into ``"`` followed by spaces (line breaks kept): code structure can then be read
without being fooled by text in strings or comments.

The lexer also finds the lines that continue a logical line (inside brackets, after a
backslash, inside a multi-line string): their indentation means nothing.
"""

from __future__ import annotations

import ast
import io
import re
import tokenize
import warnings
from bisect import bisect_right
from collections.abc import Callable
from dataclasses import dataclass
from itertools import accumulate, repeat
from operator import add

from medtrace.scanning.outline import CLASS, FUNCTION, Comment, Lines, Outline, Symbol
from medtrace.scanning.tags import NEEDLE

__all__ = [
    "Lexed",
    "StatementTest",
    "balance",
    "comment_spans",
    "lex",
    "lex_parsed",
    "mark_pytest_tests",
    "plain",
    "statement_string",
    "strings_of",
    "tag_comments",
    "trailing_end",
]

#: The rest of a file the tokenizer could not read: comments and strings by a plain pattern
#: (no possessive quantifiers: Python 3.11.2's ``re`` gets some of them wrong).
_FALLBACK = re.compile(
    r"#[^\r\n]*|'''(?:[^\\']|\\.|'(?!''))*'''|\"\"\"(?:[^\\\"]|\\.|\"(?!\"\"))*\"\"\""
    r"|'''|\"\"\"|'(?:[^\\'\n]|\\.)*(?:'|$)|\"(?:[^\\\"\n]|\\.)*(?:\"|$)",
    re.MULTILINE,
)
_UNTERMINATED = ("'''", '"""')
_HASH_COMMENT = re.compile(r"#[^\r\n]*")
_TAB_INDENT = re.compile(r"\n *[\t\f]")
_STARTS = {
    getattr(tokenize, name)
    for name in ("FSTRING_START", "TSTRING_START")
    if hasattr(tokenize, name)
}
_ENDS = {
    getattr(tokenize, name) for name in ("FSTRING_END", "TSTRING_END") if hasattr(tokenize, name)
}
_COMMENT, _STRING = tokenize.COMMENT, tokenize.STRING
#: The tokens looked at (the others are skipped at once).
_KEPT = frozenset({_COMMENT, _STRING, tokenize.ERRORTOKEN, *_STARTS, *_ENDS})


@dataclass(slots=True)
class Lexed:
    """The comments and strings of a file (as sorted ``(start, end)`` offsets), its blanked
    text, its bracket depths and the lines that continue a logical line. ``ok`` is false when
    the file cannot be read lexically with confidence (the tokenizer stopped, unbalanced
    brackets, tabs or form feeds in the indentation)."""

    text: str
    blank: str
    rows: list[str]
    lines: Lines
    comments: list[tuple[int, int]]
    strings: list[tuple[int, int]]
    ok: bool
    _depth_at: tuple[int, int] = (0, 0)
    #: The offsets of the statement strings, when the syntax tree told them (``None``: not).
    statement_starts: set[int] | None = None

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


def plain(text: str) -> Lexed:
    """``text`` not tokenized, as its own blanked text: enough for a file without tags (its
    comments and strings matter only to attribute tags)."""
    rows = text.split("\n")
    return Lexed(text, text, rows, Lines.of_rows(text, rows), [], [], ok=True)


# @implements SRS-45
def lex(text: str) -> Lexed:
    rows = text.split("\n")
    starts = list(accumulate(map(add, map(len, rows), repeat(1)), initial=0))
    comments, strings, stopped = _tokens(text, starts)
    if stopped is not None:
        _fallback(text, stopped, comments, strings)
    blank = _blank(text, comments, strings)
    ok = stopped is None and _clean(blank, len(strings))
    blank_rows = blank.split("\n")
    return Lexed(text, blank, blank_rows, Lines.of_rows(text, rows), comments, strings, ok)


# @implements SRS-45
def lex_parsed(
    text: str,
    tree: ast.Module,
    statements: set[tuple[int, int]],
    nodes: list[ast.Constant | ast.JoinedStr] | None = None,
    *,
    rows: list[str] | None = None,
) -> Lexed | None:
    """The comments and strings of a file that parsed, located from its syntax tree (string
    nodes) and the ``#`` outside them: several times faster than the tokenizer on Python 3.11.

    ``statements``: the (line, byte column) of the statement strings (docstrings). ``nodes``:
    the string nodes to locate, when the caller knows that the others hold neither ``#`` nor
    ``@`` (they then tell nothing about comments or tags, and are left as they are in the
    blanked text; ``ok`` is then false, not known); all of the tree's if ``None``.
    ``rows``: ``text`` split at its line feeds, when the caller has it.

    A string node that holds a tag verb and is not a statement may be implicitly concatenated
    literals with a comment between them: it is read alone by the tokenizer (see
    :func:`_pieces`). ``None`` (read the file with :func:`lex`) when that cannot be told with
    confidence, or when lone carriage returns make the tree's lines differ from ours.
    """
    if "\r" in text and text.count("\r") != text.count("\r\n"):
        return None
    rows = text.split("\n") if rows is None else rows
    starts = list(accumulate(map(add, map(len, rows), repeat(1)), initial=0))
    found = _strings(tree) if nodes is None else nodes
    spans, statement_starts = _string_spans(found, text, rows, starts, statements)
    told = _told_apart(text, spans, statement_starts)
    if told is None:
        return None
    comments = _hash_comments(text, told)
    blank = _blank(text, comments, told)
    ok = nodes is None and _clean(blank, len(told))
    lines = Lines.of_starts(text, starts)
    lexed = Lexed(text, blank, blank.split("\n"), lines, comments, told, ok)
    lexed.statement_starts = statement_starts
    return lexed


def _told_apart(
    text: str, spans: list[tuple[int, int]], statement_starts: set[int]
) -> list[tuple[int, int]] | None:
    """``spans`` with each string node that holds a tag verb and is not a statement split into
    its literals as the tokenizer reads them (``None`` if it cannot)."""
    if not spans:
        return spans
    suspects: set[tuple[int, int]] = set()
    for match in NEEDLE.finditer(text):
        span = _span_at(spans, match.start())
        if span is not None and span[0] not in statement_starts:
            suspects.add(span)
    if not suspects:
        return spans
    told: list[tuple[int, int]] = []
    for span in spans:
        if span not in suspects:
            told.append(span)
            continue
        pieces = _pieces(text, *span)
        if pieces is None:
            return None
        told += pieces
    return told


def _pieces(text: str, start: int, end: int) -> list[tuple[int, int]] | None:
    """The string literals of the string node at ``start:end`` (implicitly concatenated ones,
    maybe with comments between), read by the tokenizer in brackets, where they stand (a
    comment can only be there inside brackets, where line breaks and indentation mean
    nothing); ``None`` if it reads anything else."""
    snippet = f"({text[start:end]})"
    rows = snippet.split("\n")
    starts = list(accumulate(map(add, map(len, rows), repeat(1)), initial=0))
    _comments, strings, stopped = _tokens(snippet, starts)
    if stopped is not None or not strings:
        return None
    if strings[0][0] != 1 or strings[-1][1] != len(snippet) - 1:
        return None
    return [(first + start - 1, last + start - 1) for first, last in strings]


def _hash_comments(text: str, strings: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The ``#`` comments: from each ``#`` outside the strings to the end of its line."""
    if not strings:  # (no string located: each ``#`` starts one)
        return [found.span() for found in _HASH_COMMENT.finditer(text)]
    comments: list[tuple[int, int]] = []
    position = 0
    while (found := _HASH_COMMENT.search(text, position)) is not None:
        inside = _span_at(strings, found.start())
        if inside is not None:
            position = inside[1]
            continue
        comments.append(found.span())
        position = found.end()
    return comments


def _string_spans(
    nodes: list[ast.Constant | ast.JoinedStr],
    text: str,
    rows: list[str],
    starts: list[int],
    statements: set[tuple[int, int]],
) -> tuple[list[tuple[int, int]], set[int]]:
    """The offsets of string literals (f-strings whole, nested ones inside), sorted, and the
    starts of the statement strings."""
    found: list[tuple[int, int]] = []
    statement_starts: set[int] = set()
    ascii_only = text.isascii()  # then a byte column is a character column
    for node in nodes:
        line, column = node.lineno, node.col_offset
        end_line, end_column = node.end_lineno or line, node.end_col_offset or 0
        if ascii_only:
            start, end = starts[line - 1] + column, starts[end_line - 1] + end_column
        else:
            start = _offset(rows, starts, line, column)
            end = _offset(rows, starts, end_line, end_column)
        found.append((start, end))
        if (line, column) in statements:
            statement_starts.add(start)
    found.sort()
    spans: list[tuple[int, int]] = []
    for span in found:
        if not spans or span[0] >= spans[-1][1]:
            spans.append(span)
    return spans, statement_starts


#: Nodes that hold no string (names, contexts, operators): not looked into.
_LEAVES = frozenset(
    {ast.Name, ast.Load, ast.Store, ast.Del, ast.Pass, ast.Break, ast.Continue}
    | {
        cls
        for base in (ast.operator, ast.unaryop, ast.cmpop, ast.boolop)
        for cls in base.__subclasses__()
    }
)
#: Fields that hold names, numbers or flags, never a node that may hold a string.
_SCALARS = frozenset(
    {"name", "id", "attr", "arg", "asname", "module", "names", "type_comment", "tag"}
    | {"conversion", "is_async", "level", "simple", "kind", "ctx", "op", "ops", "kwd_attrs"}
    | {"type_ignores"}
)
#: The fields that hold statements, in the nodes that have them.
_STATEMENT_LISTS = frozenset({"body", "orelse", "finalbody"})
_HOLDS_STATEMENTS = (ast.stmt, ast.excepthandler, ast.match_case, ast.Module)
#: The fields looked into, by node type: every one, or a statement's own (not its body's).
_ALL_FIELDS: dict[type, tuple[str, ...]] = dict.fromkeys(_LEAVES, ())
_OWN_FIELDS: dict[type, tuple[str, ...]] = dict.fromkeys(_LEAVES, ())


def _fields(cls: type, own: bool) -> tuple[str, ...]:
    names = tuple(name for name in getattr(cls, "_fields", ()) if name not in _SCALARS)
    if own and issubclass(cls, _HOLDS_STATEMENTS):
        names = tuple(name for name in names if name not in _STATEMENT_LISTS)
    (_OWN_FIELDS if own else _ALL_FIELDS)[cls] = names
    return names


def _strings(tree: ast.AST, own: bool = False) -> list[ast.Constant | ast.JoinedStr]:
    """The string and bytes literals of a tree, f-strings whole (a walk without the generator
    of :func:`ast.walk`, which is most of the time spent here); with ``own``, those of a
    statement itself, not of the statements in its body."""
    constant, joined = ast.Constant, ast.JoinedStr
    fields = _OWN_FIELDS if own else _ALL_FIELDS
    found: list[ast.Constant | ast.JoinedStr] = []
    stack: list[object] = [tree]
    pop, push, extend = stack.pop, stack.append, stack.extend
    while stack:
        node = pop()
        cls = node.__class__
        if cls is constant:
            if isinstance(node.value, str | bytes):  # type: ignore[attr-defined]
                found.append(node)  # type: ignore[arg-type]
            continue
        if cls is joined:
            found.append(node)  # type: ignore[arg-type]
            continue
        names = fields.get(cls)
        for name in _fields(cls, own) if names is None else names:
            value = getattr(node, name, None)
            if value.__class__ is list:
                extend(value)
            elif value is not None:
                push(value)
    return found


def strings_of(statement: ast.stmt) -> list[ast.Constant | ast.JoinedStr]:
    """The string literals of a statement itself (not of the statements in its body)."""
    return _strings(statement, own=True)


def _offset(rows: list[str], starts: list[int], line: int, column: int) -> int:
    """The offset in the text of a (1-based line, UTF-8 byte column) of the syntax tree."""
    row = rows[line - 1]
    if row.isascii():
        return starts[line - 1] + column
    return starts[line - 1] + len(row.encode("utf-8")[:column].decode("utf-8", "replace"))


def comment_spans(text: str) -> list[tuple[int, int]]:
    """The comments and statement strings (docstrings) of ``text``, as offsets."""
    lexed = lex(text)
    statements = [span for span in lexed.strings if statement_string(lexed, *span)]
    return sorted(lexed.comments + statements)


def _tokens(
    text: str, starts: list[int]
) -> tuple[list[tuple[int, int]], list[tuple[int, int]], int | None]:
    """Comments and strings as the tokenizer reads them, and where it stopped (``None``: at
    the end)."""
    comments: list[tuple[int, int]] = []
    strings: list[tuple[int, int]] = []
    opened: list[int] = []  # the starts of the f-strings being read
    row = 1  # the line of the last token read
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            for kind, string, (row, column), end, _line in tokenize.generate_tokens(
                io.StringIO(text).readline
            ):
                if kind not in _KEPT:
                    continue
                start = starts[row - 1] + column
                if kind in _STARTS:
                    opened.append(start)
                elif opened:
                    if kind in _ENDS and len(opened) == 1:
                        strings.append((opened.pop(), starts[end[0] - 1] + end[1]))
                    elif kind in _ENDS:
                        opened.pop()
                elif kind == _COMMENT:
                    comments.append((start, start + len(string)))
                elif kind == _STRING:
                    strings.append((start, starts[end[0] - 1] + end[1]))
                elif not string.isspace():  # an error token
                    return comments, strings, start
    except (tokenize.TokenError, SyntaxError, IndexError):
        return comments, strings, opened[0] if opened else starts[max(row, 1) - 1]
    return comments, strings, None


def _fallback(
    text: str, start: int, comments: list[tuple[int, int]], strings: list[tuple[int, int]]
) -> None:
    """Comments and strings from ``start`` on, by the plain pattern."""
    while comments and comments[-1][1] > start:
        comments.pop()
    while strings and strings[-1][1] > start:
        strings.pop()
    for match in _FALLBACK.finditer(text, start):
        token = match.group()
        if token not in _UNTERMINATED:  # an unterminated triple quote is skipped alone
            (comments if token[0] == "#" else strings).append(match.span())


#: Every byte but the line feed, as a space (a string's lines blanked in one C call).
_BLANKED = bytes(10 if byte == 10 else 32 for byte in range(256))
_HASH, _QUOTE = ord("#"), ord('"')


# @implements SRS-363
def _blank(text: str, comments: list[tuple[int, int]], strings: list[tuple[int, int]]) -> str:
    """``text`` with its comments as spaces and each string as ``"`` and spaces (line feeds
    kept). An ASCII text is blanked in place in a byte array, a slice assignment per span
    (joining the pieces of a new string cost twice as much); any other text piece by piece."""
    if not text.isascii():
        return _blank_pieces(text, comments, strings)
    data = bytearray(text, "ascii")
    at = 0
    for start, end in sorted(comments + strings):
        if start < at:
            continue
        if data[start] == _HASH:
            data[start:end] = b" " * (end - start)
        else:
            data[start + 1 : end] = data[start + 1 : end].translate(_BLANKED)
            data[start] = _QUOTE
        at = end
    return data.decode("ascii")


def _blank_pieces(
    text: str, comments: list[tuple[int, int]], strings: list[tuple[int, int]]
) -> str:
    parts: list[str] = []
    add = parts.append
    at = 0
    for start, end in sorted(comments + strings):
        if start < at:
            continue
        add(text[at:start])
        if text[start] == "#":
            add(" " * (end - start))
        elif text.find("\n", start, end) < 0:
            add('"' + " " * (end - start - 1))
        else:  # each line of the string blanked whole, its line breaks kept (all in C)
            add('"' + "\n".join(map(" ".__mul__, map(len, text[start + 1 : end].split("\n")))))
        at = end
    add(text[at:])
    return "".join(parts)


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


#: After any span's end (as the second item of a span looked up with bisect).
_AFTER = 1 << 62


def _span_at(spans: list[tuple[int, int]], offset: int) -> tuple[int, int] | None:
    index = bisect_right(spans, (offset, _AFTER)) - 1
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
    comments, strings = lexed.comments, lexed.strings
    for match in NEEDLE.finditer(lexed.text):
        offset = match.start()
        index = bisect_right(comments, (offset, _AFTER)) - 1  # the comment holding it, if any
        if index >= 0 and comments[index][1] > offset:
            span, docstring = comments[index], False
        else:
            index = bisect_right(strings, (offset, _AFTER)) - 1
            if index < 0 or strings[index][1] <= offset:
                continue
            span, docstring = strings[index], True
            if not is_statement(lexed, *span):
                continue
        comment = found.get(span[0])
        if comment is None:
            comment = found[span[0]] = _comment(lexed, span, docstring)
        comment.verbs.append((match.group(1), match.end()))
    return list(found.values())


def _comment(lexed: Lexed, span: tuple[int, int], docstring: bool) -> Comment:
    start, end = span
    starts = lexed.lines.starts
    line = bisect_right(starts, start)
    leading = not lexed.text[starts[line - 1] : start].strip()
    text = lexed.text[start:end]
    if docstring:  # the closing quotes are not part of a tag on the last line
        quotes = 3 if text.endswith(('"""', "'''")) and len(text) >= 6 else 1
        text = text[:-quotes] + " " * quotes
    return Comment(start, end, text, line, leading, docstring)


def trailing_end(lexed: Lexed, last_line: int, indent: int) -> int:
    """Where a block whose last code line is ``last_line`` ends: after the comments below it
    that are indented deeper than its header (they read as part of the body)."""
    starts, rows, text = lexed.lines.starts, lexed.rows, lexed.text
    end_line = last_line
    for number in range(last_line + 1, len(rows) + 1):
        row = rows[number - 1]
        if row.strip():
            break
        if len(row) > indent + 1 and row.isspace():  # maybe a comment, blanked: look
            start = starts[number - 1]
            stripped = text[start : start + len(row)].lstrip()
            if stripped[:1] == "#":
                if len(row) - len(stripped) <= indent:
                    break
                end_line = number
    return starts[end_line]


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
