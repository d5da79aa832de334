"""JavaScript/TypeScript and C/C++ imports, read through the tree-sitter grammars the scanner
uses (the code is parsed, never run)."""

from __future__ import annotations

import tree_sitter_c
import tree_sitter_cpp
import tree_sitter_javascript
import tree_sitter_typescript
from tree_sitter import Node, QueryCursor

from medtrace.errors import ParseAbandoned
from medtrace.imports.model import RawImport
from medtrace.scanning.treesitter import BUDGET, Grammar, parse, text_of

__all__ = ["c_imports", "js_imports"]

_JS_QUERY = """
(import_statement source: (string) @spec)
(export_statement source: (string) @spec)
(call_expression function: (identifier) @fn arguments: (arguments . (string) @spec))
(call_expression function: (import) arguments: (arguments . (string) @spec))
"""
_C_QUERY = """
(preproc_include path: (string_literal) @local)
(preproc_include path: (system_lib_string) @system)
"""

_JS = {
    "javascript": Grammar(tree_sitter_javascript.language, _JS_QUERY),
    "typescript": Grammar(tree_sitter_typescript.language_typescript, _JS_QUERY),
    "tsx": Grammar(tree_sitter_typescript.language_tsx, _JS_QUERY),
}
_C = {
    "c": Grammar(tree_sitter_c.language, _C_QUERY),
    "cpp": Grammar(tree_sitter_cpp.language, _C_QUERY),
}
JS_LANGUAGES = frozenset(_JS)
C_LANGUAGES = frozenset(_C)


# @implements SRS-152
def js_imports(source: bytes, language: str) -> list[RawImport] | None:
    """``import``/``export ... from`` specifiers, ``require('...')`` and ``import('...')``
    calls with a literal argument; ``None`` if the file cannot be parsed in time."""
    parser, query = _JS[language].compiled()
    try:
        tree = parse(parser, source, BUDGET.get())
    except ParseAbandoned:
        return None
    out = []
    for _pattern, captures in QueryCursor(query).matches(tree.root_node):
        fn = captures.get("fn")
        if fn and text_of(fn[0]) != "require":
            continue
        for node in captures.get("spec", ()):
            out.append(RawImport(node.start_point[0] + 1, "js", _string(node)))
    return sorted(set(out))


# @implements SRS-152
def c_imports(source: bytes, language: str) -> list[RawImport] | None:
    """``#include "..."`` (style ``include``) and ``#include <...>`` (style ``system``)."""
    parser, query = _C[language].compiled()
    try:
        tree = parse(parser, source, BUDGET.get())
    except ParseAbandoned:
        return None
    out = []
    for _pattern, captures in QueryCursor(query).matches(tree.root_node):
        for node in captures.get("local", ()):
            out.append(RawImport(node.start_point[0] + 1, "include", _string(node)))
        for node in captures.get("system", ()):
            out.append(RawImport(node.start_point[0] + 1, "system", text_of(node)[1:-1]))
    return sorted(set(out))


def _string(node: Node) -> str:
    """The value of a string literal node (its quotes removed)."""
    return text_of(node)[1:-1]
