"""TypeScript modules and C/C++ headers: their exported declarations and doc comments, read
through the tree-sitter grammars the scanner uses."""

from __future__ import annotations

import posixpath
from collections.abc import Iterator
from pathlib import Path

from tree_sitter import Node

from medtrace.errors import ParseAbandoned
from medtrace.interfaces.model import Entry, InterfaceDoc, without_tags
from medtrace.interfaces.registry import Declared, extractor
from medtrace.scanning.treesitter import Grammar

__all__ = ["c_entries", "extract_c_header", "extract_typescript", "ts_entries"]

_TS_KINDS = {
    "function_declaration": "function",
    "function_signature": "function",
    "class_declaration": "class",
    "abstract_class_declaration": "class",
    "interface_declaration": "interface",
    "type_alias_declaration": "type",
    "enum_declaration": "enum",
    "lexical_declaration": "constant",
    "variable_declaration": "variable",
}
_TS_EXTS = (".ts", ".tsx", ".d.ts", "/index.ts")
_C_NESTING = frozenset(
    {
        "preproc_ifdef",
        "preproc_if",
        "preproc_else",
        "linkage_specification",
        "declaration_list",
        "namespace_definition",
        "template_declaration",
    }
)
_MAX_SIGNATURE = 400


# @implements SRS-154
@extractor("typescript")
def extract_typescript(declared: Declared) -> InterfaceDoc:
    doc = declared.doc("typescript")
    _read(declared, doc, lambda data, rel: ts_entries(declared.root, rel, data, set()))
    return doc


# @implements SRS-154
@extractor("c-header")
def extract_c_header(declared: Declared) -> InterfaceDoc:
    doc = declared.doc("c-header")
    _read(declared, doc, lambda data, rel: c_entries(rel, data))
    return doc


def _read(declared: Declared, doc: InterfaceDoc, extract: object) -> None:
    if not declared.spec:
        doc.problems.append("the interface names no 'spec' file")
        return
    try:
        data = (declared.root / declared.spec).read_bytes()
        doc.entries = extract(data, declared.spec)  # type: ignore[operator]
    except OSError as error:
        doc.problems.append(f"{declared.spec} cannot be read: {error.strerror or error}")
    except ParseAbandoned:
        doc.problems.append(f"{declared.spec} could not be parsed in time")


def _tree(language: str, data: bytes) -> Node:
    from medtrace.scanning.treesitter import BUDGET, parse

    parser, _query = _grammar(language).compiled()
    if language in ("c", "cpp"):
        from medtrace.scanning.cfamily import prepare

        data = prepare(data)  # export and attribute macros blanked, offsets kept
    return parse(parser, data, BUDGET.get()).root_node


def _grammar(language: str) -> Grammar:
    import tree_sitter_c
    import tree_sitter_cpp
    import tree_sitter_typescript

    load = {
        "typescript": tree_sitter_typescript.language_typescript,
        "tsx": tree_sitter_typescript.language_tsx,
        "c": tree_sitter_c.language,
        "cpp": tree_sitter_cpp.language,
    }[language]
    return Grammar(load, "(comment) @comment")


def ts_entries(root: Path, rel: str, data: bytes, seen: set[str]) -> list[Entry]:
    """The exports of a TypeScript module; ``export * from './x'`` is followed (once each)."""
    seen.add(rel)
    language = "tsx" if rel.endswith(".tsx") else "typescript"
    out: list[Entry] = []
    for node in _tree(language, data).named_children:
        if node.type == "export_statement":
            out.extend(_ts_export(root, rel, node, seen))
    return out


def _ts_export(root: Path, rel: str, node: Node, seen: set[str]) -> Iterator[Entry]:
    declaration = node.child_by_field_name("declaration")
    source = node.child_by_field_name("source")
    doc = _doc_before(node)
    if declaration is not None:
        kind = _TS_KINDS.get(declaration.type, declaration.type)
        name = _ts_name(declaration)
        yield Entry(kind, name, _signature(declaration), doc, rel, node.start_point[0] + 1)
    elif source is not None and _text(node).startswith("export *"):
        yield from _follow(root, rel, _text(source)[1:-1], seen)
    else:
        text = " ".join(_text(node).split())
        yield Entry(
            "export",
            text[:_MAX_SIGNATURE],
            text[:_MAX_SIGNATURE],
            doc,
            rel,
            node.start_point[0] + 1,
        )


def _follow(root: Path, rel: str, spec: str, seen: set[str]) -> Iterator[Entry]:
    if not spec.startswith("."):
        yield Entry("export", f"* from '{spec}'", f"export * from '{spec}'", "", rel, 0)
        return
    base = posixpath.normpath(posixpath.join(posixpath.dirname(rel), spec))
    for candidate in (base, *(base + e for e in _TS_EXTS)):
        if (root / candidate).is_file():
            if candidate not in seen:
                yield from ts_entries(root, candidate, (root / candidate).read_bytes(), seen)
            return


def _ts_name(declaration: Node) -> str:
    name = declaration.child_by_field_name("name")
    if name is not None:
        return _text(name)
    declarators = [c for c in declaration.named_children if c.type == "variable_declarator"]
    names = [_text(d.child_by_field_name("name") or d) for d in declarators]
    return ", ".join(names) or "default"


def c_entries(rel: str, data: bytes) -> list[Entry]:
    """Functions, types and macros a C/C++ header declares, with the comment before each."""
    from medtrace.scanning.headers import looks_cpp

    cpp = rel.endswith((".hpp", ".hh", ".hxx")) or looks_cpp(data)
    language = "cpp" if cpp else "c"
    out: list[Entry] = []
    _c_walk(_tree(language, data), rel, out)
    return out


def _c_walk(parent: Node, rel: str, out: list[Entry]) -> None:
    for node in parent.named_children:
        if node.type in _C_NESTING:
            _c_walk(node, rel, out)
            continue
        kind, name = _c_symbol(node)
        if kind:
            line = node.start_point[0] + 1
            out.append(Entry(kind, name, _signature(node), _doc_before(node), rel, line))


def _c_symbol(node: Node) -> tuple[str, str]:
    if node.type in ("declaration", "function_definition"):
        function = _find(node, "function_declarator")
        if function is not None:
            return "function", _text(function.child_by_field_name("declarator") or function)
        return "", ""
    if node.type == "type_definition":
        declarator = node.child_by_field_name("declarator")
        if declarator is None:
            return "type", "?"
        return "type", _text(_find(declarator, "type_identifier") or declarator)
    if node.type in ("struct_specifier", "enum_specifier", "union_specifier", "class_specifier"):
        name = node.child_by_field_name("name")
        return node.type.split("_")[0], _text(name) if name is not None else "(anonymous)"
    if node.type == "preproc_function_def" or (
        node.type == "preproc_def" and node.child_by_field_name("value") is not None
    ):
        return "macro", _text(node.child_by_field_name("name") or node)
    return "", ""


def _find(node: Node, kind: str) -> Node | None:
    stack = [node]
    while stack:
        current = stack.pop()
        if current.type == kind:
            return current
        if current.type in ("compound_statement", "field_declaration_list"):
            continue
        stack.extend(reversed(current.named_children))
    return None


def _signature(node: Node) -> str:
    """The declaration without its body, on one line."""
    body = node.child_by_field_name("body")
    end = body.start_byte if body is not None and node.type not in _TYPE_BODIES else node.end_byte
    text = (node.text or b"")[: end - node.start_byte].decode("utf-8", "replace")
    text = " ".join(text.split()).rstrip(" ;{")
    return text if len(text) <= _MAX_SIGNATURE else text[: _MAX_SIGNATURE - 1] + "…"


_TYPE_BODIES = frozenset(
    {
        "interface_declaration",
        "enum_declaration",
        "type_alias_declaration",
        "struct_specifier",
        "enum_specifier",
        "union_specifier",
    }
)


def _doc_before(node: Node) -> str:
    """The comment(s) right before ``node`` (no blank line between), without comment marks."""
    lines: list[str] = []
    current, start = node.prev_sibling, node.start_point[0]
    while current is not None and current.type == "comment" and current.end_point[0] >= start - 1:
        lines.insert(0, _uncomment(_text(current)))
        start = current.start_point[0]
        current = current.prev_sibling
    return without_tags(" ".join(" ".join(lines).split()))


def _uncomment(text: str) -> str:
    if text.startswith("/*"):
        text = text[2:-2] if text.endswith("*/") else text[2:]
        return " ".join(line.strip().lstrip("*").strip() for line in text.splitlines())
    return text.lstrip("/").strip()


def _text(node: Node) -> str:
    return (node.text or b"").decode("utf-8", "replace")
