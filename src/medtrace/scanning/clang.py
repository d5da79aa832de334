"""The fast engine for C: functions and named ``struct``/``union``/``enum`` definitions.

It reads the same outline as the tree-sitter C grammar for the usual shapes of C code, and
declines (leaving the file to tree-sitter) on a top-level block it does not recognize (a K&R
definition, a function returning a function pointer, braces split by ``#if`` branches).
"""

from __future__ import annotations

import re

from medtrace.scanning.braces import (
    Block,
    Decline,
    Lexed,
    Rules,
    lex,
    name_line,
    normalize,
    previous_char,
    statement_start,
    walk,
)
from medtrace.scanning.grammars import NAMED_TEST_MACROS, TEST_MACROS
from medtrace.scanning.outline import CLASS, FUNCTION, Outline, Symbol
from medtrace.scanning.tags import NEEDLE

__all__ = ["TOKEN", "fast_outline"]

#: Comments, string and character literals, preprocessor lines (up to a comment) and braces.
TOKEN = re.compile(
    r"(//[^\n]*|/\*.*?\*/"
    r'|"(?:[^"\\\n]++|\\.)*+"'
    r"|'(?:[^'\\\n]++|\\.)*+'"
    r"|#(?:[^\n\\/]++|\\.|/\*[^\n]*?\*/|/(?![/*]))*+"
    r")",
    re.DOTALL,
)
_FUNCTION = re.compile(
    r"(?:^|[\s*&])([A-Za-z_]\w*)\s*\(\)"
    r"(?:\s*(?:__attribute__|__declspec|__attribute)\s*\(\))*\s*$"
)
_RECORD = re.compile(
    r"^(?:typedef\s+)?(?:(?:static|const|volatile|extern)\s+)*(struct|union|enum)"
    r"(?:\s+__attribute__\s*\(\))?(?:\s+([A-Za-z_]\w*))?\s*$"
)
_LINKAGE = re.compile(r'^extern\s*"\s*"?$')
_EXPRESSION_CHARS = frozenset("=,([?:")


class _CRules(Rules):
    def statement(self, lexed: Lexed, block: Block, context: str) -> bool:
        return previous_char(lexed.blank, block.open) not in _EXPRESSION_CHARS

    def visit(
        self, lexed: Lexed, block: Block, context: str, boundary: int, result: Outline
    ) -> str | None:
        if not block.statement:
            return None
        block.start = statement_start(lexed.blank, boundary, block.open)
        text = block.header = normalize(lexed.blank[block.start : block.open])
        if "=" in text:  # an initializer: int x[] = {...}
            block.statement = False
            return None
        record = _RECORD.match(text)
        if record is not None:
            if record.group(2):
                self._add(lexed, block, CLASS, record.group(2), result)
            return "record"
        if context == "file" and _LINKAGE.match(text):
            return "file"
        function = _FUNCTION.search(text) if context == "file" else None
        if function is None:
            raise Decline
        self._function(lexed, block, function.group(1), result)
        return None

    def _function(self, lexed: Lexed, block: Block, name: str, result: Outline) -> None:
        macro = _macro_test(name, lexed.blank[block.start : block.open])
        symbol = self._add(lexed, block, FUNCTION, macro or name, result, name)
        symbol.test = macro is not None or name.startswith("test")

    def _add(
        self,
        lexed: Lexed,
        block: Block,
        kind: str,
        name: str,
        result: Outline,
        written: str = "",
    ) -> Symbol:
        line = name_line(lexed, block, written or name)
        symbol = Symbol(kind, name, block.start, block.close + 1, line)
        result.symbols.append(symbol)
        return symbol


def _macro_test(name: str, header: str) -> str | None:
    """``Suite.Name`` for ``TEST(Suite, Name)``, the name for ``BOOST_AUTO_TEST_CASE(name)``."""
    if name not in TEST_MACROS and name not in NAMED_TEST_MACROS:
        return None
    opened, closed = header.find("("), header.rfind(")")
    arguments = [a.strip() for a in header[opened + 1 : closed].split(",")]
    if name in TEST_MACROS and len(arguments) >= 2:
        return f"{arguments[0]}.{arguments[1]}"
    if name in NAMED_TEST_MACROS and arguments and arguments[0]:
        return arguments[0]
    return None


_RULES = _CRules()


def fast_outline(text: str, is_test_file: bool, *, complete: bool = False) -> Outline | None:
    """The outline of a C file, or ``None`` to leave it to tree-sitter.

    In a source file, only the blocks that hold a tag or follow one are read, unless
    ``complete``: the others cannot own a tag.
    """
    lexed = lex(text, TOKEN)
    walked = walk(lexed, _RULES, None if is_test_file or complete else NEEDLE)
    if walked is None:
        return None
    result = walked[0].finish()
    if not is_test_file:
        for symbol in result.symbols:
            symbol.test = False
    return result
