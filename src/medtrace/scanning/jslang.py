"""The fast engine for JavaScript and TypeScript.

It reads the outline the tree-sitter grammars give for the usual shapes of code: function,
class, interface, enum and namespace declarations, methods and arrow-function fields of classes,
functions assigned to ``const``/``let``/``var``, and the ``describe``/``it``/``test`` calls of
test files (with a block body or not). Braces that belong to expressions (object literals, type
literals) are told from blocks by the character before them. A class member of a shape it does
not know makes it decline the file (tree-sitter then reads it).
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass

from medtrace.scanning.braces import (
    Block,
    Decline,
    Lexed,
    Rules,
    lex,
    normalize,
    previous_char,
    span_at,
    statement_start,
    walk,
)
from medtrace.scanning.grammars import JS_GROUPS, JS_TESTS
from medtrace.scanning.outline import CALL, CLASS, FUNCTION, MODULE, Outline, Symbol
from medtrace.scanning.tags import NEEDLE

__all__ = ["TOKEN", "fast_outline"]

_STRING = r'"(?:[^"\\\n]++|\\.)*+"|' + r"'(?:[^'\\\n]++|\\.)*+'"
_TEMPLATE_INNER = r"`(?:[^`\\]++|\\.)*+`"
_SUBSTITUTION = rf"\$\{{(?:[^{{}}`\"'/]++|{_STRING}|{_TEMPLATE_INNER}|\{{[^{{}}]*+\}}|/)*+\}}"
_TEMPLATE = rf"`(?:[^`\\$]++|\\.|\$(?!\{{)|{_SUBSTITUTION})*+`"
_REGEX_BODY = r"(?![*/])(?:[^/\\\[\n]++|\\.|\[(?:[^\]\\\n]++|\\.)*+\])++/[A-Za-z]*"
#: Comments, strings, template literals, regular-expression literals (after a character that
#: cannot end an operand) and braces; every alternative starts with a literal character.
TOKEN = re.compile(
    rf"(//[^\n]*|/\*.*?\*/|{_STRING}|{_TEMPLATE}"
    rf"|/(?<=[(,=:\[!&|?{{}};]/){_REGEX_BODY}"
    rf"|/(?<=[(,=:\[!&|?{{}};] /){_REGEX_BODY}"
    rf"|/(?<=return /){_REGEX_BODY}"
    r")",
    re.DOTALL,
)

_EXPRESSION_CHARS = frozenset("=,(:[?!&|+-*%~^")
_EXPRESSION_WORDS = frozenset(
    [
        "return",
        "typeof",
        "case",
        "in",
        "of",
        "new",
        "yield",
        "await",
        "throw",
        "delete",
        "void",
        "instanceof",
        "default",
        "extends",
        "keyof",
        "as",
        "satisfies",
        "is",
    ]
)
_WORD_BEFORE = re.compile(r"([\w$]+)$")
_JOIN_AFTER = frozenset(",([{=+-*/%&|^!?:<>.~")
_JOIN_BEFORE = frozenset(".)]?:&|+-*/,=>")

_TS = r"(?: ?: ?.+?)?"  # an optional type annotation
_PARAMETERS = r"(?:<.*?> ?)?\(\)"
_ARROW = (
    rf"(?:async )?(?:{_PARAMETERS}{_TS} ?=>|[\w$]+ ?=>|function ?\*? ?[\w$]* ?{_PARAMETERS}{_TS})"
)
_PREFIX = r"(?:export (?:default )?)?(?:declare )?"
_CLASS = re.compile(
    rf"^(?:@[\w$.]+(?:\(\))? )*{_PREFIX}(?:abstract )?class(?: (?!extends\b|implements\b)([\w$]+))?\b"
)
_CLASS_EXPRESSION = re.compile(r"(?<![\w$.])class(?: [\w$]+)?(?: extends [^{}]+)?$")
_INTERFACE = re.compile(rf"^{_PREFIX}interface ([\w$]+)")
_ENUM = re.compile(rf"^{_PREFIX}(?:const )?enum ([\w$]+)")
_NAMESPACE = re.compile(rf"^{_PREFIX}namespace ([\w$.]+)")
_FUNCTION = re.compile(rf"^{_PREFIX}(?:async )?function ?\*? ?([\w$]+) ?{_PARAMETERS}{_TS}$")
_VARIABLE = re.compile(rf"^{_PREFIX}(?:const|let|var) ([\w$]+)(?: ?!)?{_TS} ?= ?{_ARROW}$")
_CALL = re.compile(
    r"^(?:await |return |void )?([\w$]+)((?:\.[\w$]+|\(\))*) ?\( ?[\"'`] ?,(?:[^,]*+,)*+"
    rf" ?{_ARROW}$"
)
_MODIFIERS = r"(?:(?:public|private|protected|static|readonly|async|override|abstract|declare"
_MODIFIERS += r"|accessor|get|set) |\* ?)*"
_DECORATORS = r"(?:@[\w$.]+(?:\(\))? )*"
_METHOD = re.compile(
    rf"^{_DECORATORS}{_MODIFIERS}(#?[\w$]+|\[.*\]|[\"'])(?: ?\?)?(?: ?<.*>)? ?\(\){_TS}$"
)
_FIELD = re.compile(rf"^{_DECORATORS}{_MODIFIERS}(#?[\w$]+)(?: ?[?!])?{_TS} ?= ?{_ARROW}$")
_STATIC_BLOCK = re.compile(r"^static$")
_EXPRESSION_ARROW = re.compile(
    r"(?:const|let|var)\s+([\w$]+)\s*!?(?::[^=;{}]+)?=\s*(?:async\s+)?"
    r"(?:<[^<>;{}]*>\s*)?(?:\([^()]*(?:\([^()]*\)[^()]*)*\)|[\w$]+)\s*(?::[^=;{}]+)?=>\s*(?![\s{])"
)
_CALLEES = JS_TESTS | JS_GROUPS
#: The usual test call, read without normalizing its header: ``it("title", async () =>``.
_RAW_TEST_CALL = re.compile(
    r"(?:await\s+|return\s+)?([\w$]+)(?:\.[\w$]+)*\s*\(\s*[\"'`]\s*,\s*(?:async\s*)?"
    r"(?:\(\s*\)|function\s*\(\s*\))\s*(?:=>\s*)?$"
)
_ARROW_TOKEN = re.compile(r"=>\s*(?![\s{])")
#: A call whose first argument is a string, and the test-framework callee before it.
_CALL_WITH_STRING = re.compile(r"\(\s*[\"'`]")
_TEST_CALLEE = re.compile(
    r"(" + "|".join(sorted(JS_TESTS | JS_GROUPS)) + r")"
    r"((?:\s*\.\s*[\w$]+|\([^()]*\))*)\s*\($"
)
_CALLEE_START = re.compile(
    r"(?:await\s+|return\s+|void\s+)?(?:" + "|".join(sorted(JS_TESTS | JS_GROUPS)) + r")\b"
)
#: What makes a block of a test file worth reading: a tag, or a test call.
_TEST_GUIDE = re.compile(
    "@implements|@verifies|" + "|".join(rf"{name}\b" for name in sorted(JS_TESTS | JS_GROUPS))
)
_EXPORT_BEFORE = re.compile(r"(?<![\w$.])export\s+$")
_PARENS = re.compile(r"[()]")
_STATEMENT_PUNCTUATION = re.compile(r"[()\[\]{};\n]")
_NEXT_CODE = re.compile(r"\n\s*(\S)")
_COMPUTED_NAME = re.compile(r"\[[^\n]*?\](?=\s*\()")


#: Declarations that open a block: a word they hold, their pattern, symbol kind, inner context.
_JS_DECLARATIONS = (
    ("class", _CLASS, CLASS, "class"),
    ("function", _FUNCTION, FUNCTION, "code"),
    ("=", _VARIABLE, FUNCTION, "code"),
)
_TS_DECLARATIONS = (
    *_JS_DECLARATIONS,
    ("interface", _INTERFACE, CLASS, "type"),
    ("enum", _ENUM, CLASS, "type"),
    ("namespace", _NAMESPACE, MODULE, "code"),
)


@dataclass(frozen=True, slots=True)
class _Found:
    kind: str
    name: str
    context: str
    test: bool = False


class _JsRules(Rules):
    top = "code"

    def __init__(self, typescript: bool) -> None:
        self.typescript = typescript

    def statement(self, lexed: Lexed, block: Block, context: str) -> bool:
        tail = lexed.blank[max(0, block.open - 32) : block.open].rstrip()
        char = tail[-1:]
        if char in _EXPRESSION_CHARS:
            return not char
        if char.isalnum() or char in "_$":
            word = _WORD_BEFORE.search(tail)
            return word is None or word.group(1) not in _EXPRESSION_WORDS
        return True

    def visit(
        self, lexed: Lexed, block: Block, context: str, boundary: int, result: Outline
    ) -> str | None:
        if not block.statement or context in ("object", "type"):
            block.kind = (
                "type" if context == "type" else ("object" if not block.statement else "code")
            )
            return None if context == "type" else block.kind
        blank = lexed.blank
        start = statement_start(blank, boundary, block.open)
        if blank.find("\n", start, block.open) >= 0:
            start = _statement_start(blank, start, block.open)
        block.start = start
        if context == "code":
            call = _RAW_TEST_CALL.match(blank, start, block.open)
            if call is not None and call.group(1) in _CALLEES:
                found = _Found(CALL, call.group(1), "code", call.group(1) in JS_TESTS)
                block.kind = "code"
                _add(lexed, block, found, result)
                return "code"
            if not _symbolish(blank, start, block.open, self.typescript):
                block.kind = "code"
                return "code"
        block.header = normalize(blank[block.start : block.open])
        found = self._classify(block.header, context)
        block.kind = found.context
        if found.name:
            _add(lexed, block, found, result)
        return None if found.context == "type" else found.context

    def _classify(self, text: str, context: str) -> _Found:
        return _member(text) if context == "class" else self._declaration(text)

    def _declaration(self, text: str) -> _Found:
        root = text[: text.find("(")].split(".", 1)[0].removeprefix("await ")
        if root in _CALLEES:
            call = _CALL.match(text)
            if call is not None:
                return _Found(CALL, call.group(1), "code", call.group(1) in JS_TESTS)
        declarations = _TS_DECLARATIONS if self.typescript else _JS_DECLARATIONS
        for keyword, pattern, kind, inner in declarations:
            if keyword in text:
                match = pattern.match(text)
                if match is not None:
                    return _Found(kind, match.group(1) or "", inner)
        call = _CALL.match(text)
        if call is not None and (call.group(1) in JS_TESTS or call.group(1) in JS_GROUPS):
            return _Found(CALL, call.group(1), "code", call.group(1) in JS_TESTS)
        if "class" in text and _CLASS_EXPRESSION.search(text):
            return _Found("", "", "class")
        return _Found("", "", "code")


def _symbolish(blank: str, start: int, end: int, typescript: bool) -> bool:
    """Whether a header may declare a symbol (a quick test before reading it)."""
    header = blank[start:end]
    if "=>" in header or "function" in header or "class" in header:
        return True
    if typescript and ("interface" in header or "enum" in header or "namespace" in header):
        return True
    return _CALLEE_START.match(header) is not None


def _member(text: str) -> _Found:
    for pattern in (_METHOD, _FIELD):
        match = pattern.match(text)
        if match is not None:
            return _Found(FUNCTION, match.group(1), "code")
    if _STATIC_BLOCK.match(text):
        return _Found("", "", "code")
    raise Decline


def _statement_start(blank: str, start: int, open_: int) -> int:
    """Where the statement before ``open_`` starts, for code without semicolons: a line
    break ends a statement unless the lines around it continue one another."""
    line_break = blank.rfind("\n", start, open_)
    while line_break >= 0:
        before = blank[start:line_break].rstrip()
        after = blank[line_break + 1 : open_].lstrip()
        previous = blank[max(start, blank.rfind("\n", start, line_break) + 1) : line_break]
        previous = previous.lstrip()
        joined = (before and before[-1] in _JOIN_AFTER) or (after and after[0] in _JOIN_BEFORE)
        if not joined and not previous.startswith("@") and _balanced(blank, start, line_break):
            return line_break + 1 + len(blank[line_break + 1 : open_]) - len(after)
        line_break = blank.rfind("\n", start, line_break)
    return start


def _balanced(blank: str, start: int, end: int) -> bool:
    return blank.count("(", start, end) == blank.count(")", start, end)


def _add(lexed: Lexed, block: Block, found: _Found, result: Outline) -> None:
    start, name = block.start, found.name
    if name.startswith("["):
        computed = _COMPUTED_NAME.search(lexed.text, start, block.open)
        name = computed.group() if computed is not None else name
    end = block.close + 1
    if found.kind == CALL:
        start = lexed.blank.find(found.name, block.start, block.open)
        name = _title(lexed, block.start, block.open)
        line = lexed.lines.line(start)
        end = _after_paren(lexed.blank, end)
    else:
        line = lexed.lines.line(max(start, lexed.blank.rfind(found.name, start, block.open)))
    result.symbols.append(Symbol(found.kind, name, start, end, line, found.test))


def _title(lexed: Lexed, start: int, end: int) -> str:
    """The title of a test call: its last string argument that follows an opening
    parenthesis."""
    index = bisect_right(lexed.strings, (end, 0)) - 1
    while index >= 0 and lexed.strings[index][0] >= start:
        first, last = lexed.strings[index]
        if previous_char(lexed.blank, first) == "(":
            return lexed.text[first + 1 : last - 1]
        index -= 1
    return ""


def _after_paren(blank: str, offset: int) -> int:
    """After the ``)`` that closes a call whose last argument ends at ``offset``, if any."""
    index = offset
    while index < len(blank) and blank[index] in " \t\r\n":
        index += 1
    return index + 1 if index < len(blank) and blank[index] == ")" else offset


# --- symbols without braces ---------------------------------------------------------------------


def _context_at(found: list[Block], opens: list[int], offset: int) -> str:
    index = bisect_right(opens, offset) - 1
    block = found[index] if index >= 0 else None
    while block is not None and not block.open < offset < block.close:
        block = block.parent
    return "code" if block is None else block.kind


def _expression_symbols(lexed: Lexed, found: list[Block], result: Outline) -> None:
    """Arrow functions with an expression body, and test calls without a block body."""
    opens = [block.open for block in found]
    taken = {symbol.start for symbol in result.symbols}
    blank = lexed.blank
    for arrow in _ARROW_TOKEN.finditer(blank):  # a literal first: the search runs in C
        match = _declaration_before(blank, arrow.start())
        if match is None or match.end() != arrow.end():
            continue
        start = _exported(blank, match.start())
        if start in taken or _context_at(found, opens, start) != "code":
            continue
        end = _statement_end(blank, lexed.strings, match.end())
        line = lexed.lines.line(match.start(1))
        result.symbols.append(Symbol(FUNCTION, match.group(1), start, end, line))
    for call in _CALL_WITH_STRING.finditer(blank):
        match = _TEST_CALLEE.search(blank, max(0, call.start() - 96), call.start() + 1)
        if match is None or match.start() in taken or not _free(blank, match.start()):
            continue
        if _context_at(found, opens, match.start()) == "code":
            _bare_call(lexed, match, call.end() - 1, result)


def _declaration_before(blank: str, arrow: int) -> re.Match[str] | None:
    """The ``const``/``let``/``var`` declaration whose value is the arrow at ``arrow``."""
    start = max(blank.rfind(keyword, 0, arrow) for keyword in ("const", "let", "var"))
    if start < 0 or not _free(blank, start):
        return None
    return _EXPRESSION_ARROW.match(blank, start)


def _free(blank: str, offset: int) -> bool:
    """Whether a word starts at ``offset`` (not inside a longer name or after a dot)."""
    return offset == 0 or not (blank[offset - 1].isalnum() or blank[offset - 1] in "_$.")


def _exported(blank: str, offset: int) -> int:
    """The start of ``export`` before ``offset``, if the declaration is exported."""
    match = _EXPORT_BEFORE.search(blank, max(0, offset - 16), offset)
    return match.start() if match is not None else offset


def _bare_call(lexed: Lexed, match: re.Match[str], title_at: int, result: Outline) -> None:
    root = match.group(1)
    end = _closing(lexed.blank, match.end() - 1)
    span = span_at(lexed.strings, title_at)
    title = lexed.text[span[0] + 1 : span[1] - 1] if span is not None else ""
    line = lexed.lines.line(match.start())
    result.symbols.append(Symbol(CALL, title, match.start(), end, line, root in JS_TESTS))


def _closing(blank: str, opened: int) -> int:
    level = 0
    for paren in _PARENS.finditer(blank, opened):
        level += 1 if paren.group() == "(" else -1
        if level == 0:
            return paren.end()
    return len(blank)


def _statement_end(blank: str, strings: list[tuple[int, int]], offset: int) -> int:
    """The end of the statement going on at ``offset``: a semicolon, a closing bracket of an
    enclosing expression, or a line break between lines that do not continue one another."""
    level = 0
    for match in _STATEMENT_PUNCTUATION.finditer(blank, offset):
        char = match.group()
        if char in "([{":
            level += 1
        elif char in ")]}":
            level -= 1
            if level < 0:
                return match.start()
        elif level == 0 and _ends_statement(blank, strings, match.start()):
            return match.end()
    return len(blank)


def _ends_statement(blank: str, strings: list[tuple[int, int]], offset: int) -> bool:
    """Whether the semicolon or line break at ``offset`` ends a statement."""
    if blank[offset] == ";":
        return True
    return span_at(strings, offset) is None and not _continued_line(blank, offset)


def _continued_line(blank: str, line_break: int) -> bool:
    """Whether the line after ``line_break`` (blank lines skipped) continues the one before."""
    before = blank[blank.rfind("\n", 0, line_break) + 1 : line_break].rstrip()
    following = _NEXT_CODE.search(blank, line_break)
    if following is None:
        return False
    if not before:  # a blank or comment line: the line before it decided
        return True
    return before[-1] in _JOIN_AFTER or following.group(1) in _JOIN_BEFORE


def fast_outline(
    text: str, is_test_file: bool, typescript: bool, *, complete: bool = False
) -> Outline | None:
    """The outline of a JavaScript or TypeScript file, or ``None`` to leave it to tree-sitter.

    Blocks that hold no tag (nor, in a test file, a test call) are not read unless
    ``complete``: the symbols inside them can own no tag.
    """
    lexed = lex(text, TOKEN)
    guide = None if complete else (_TEST_GUIDE if is_test_file else NEEDLE)
    walked = walk(lexed, _TS_RULES if typescript else _JS_RULES, guide)
    if walked is None:
        return None
    result, found = walked
    _expression_symbols(lexed, found, result)
    result.finish()
    if not is_test_file:
        for symbol in result.symbols:
            symbol.test = False
    return result


_JS_RULES = _JsRules(typescript=False)
_TS_RULES = _JsRules(typescript=True)
