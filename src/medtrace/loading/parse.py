"""Parse item files into raw records: Markdown with YAML front matter, and YAML files.

YAML is read with a fast parser (``ryaml``) whose results are plain data; when a file is
malformed, PyYAML (with its C loader where available, always the *safe* loader) re-reads it to
say exactly where. Parsers register by file suffix.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import ryaml
import yaml

from medtrace.diagnostics import Diagnostic, Severity
from medtrace.loading.codes import ITEM_INVALID, YAML_INVALID

__all__ = ["PARSERS", "Parsed", "Record", "entry_lines", "item_nodes", "parse_file", "safe_loader"]


@dataclass(slots=True)
class Record:
    """One item as written: its mapping, its place in the file and (Markdown) its body."""

    data: dict[str, Any]
    index: int
    line: int = 0
    body: str | None = None
    body_line: int = 0
    file_kind: str | None = None


@dataclass(slots=True)
class Parsed:
    records: list[Record] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)


Parser = Callable[[str, str], Parsed]
PARSERS: dict[str, Parser] = {}


def parser(*suffixes: str) -> Callable[[Parser], Parser]:
    def register(func: Parser) -> Parser:
        for suffix in suffixes:
            PARSERS[suffix] = func
        return func

    return register


def parse_file(text: str, path: str) -> Parsed:
    suffix = path[path.rfind(".") :].lower()
    return PARSERS[suffix](text, path)


def safe_loader() -> type[yaml.SafeLoader]:
    loader: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    return loader


_FENCE = re.compile(r"^(?:---|\.\.\.)[ \t]*$", re.M)
_HEADING = re.compile(r"^#[ \t]+(.+?)[ \t#]*$", re.M)


# @implements SRS-3
@parser(".md", ".markdown")
def parse_markdown(text: str, path: str) -> Parsed:
    if not text.startswith("---"):
        return _no_front_matter(text, path)
    end = _FENCE.search(text, 3)
    first_nl = text.find("\n")
    if first_nl < 0 or text[:first_nl].strip() != "---" or end is None or end.start() < first_nl:
        return Parsed(
            diagnostics=[
                YAML_INVALID(
                    "front matter is not closed",
                    expected="a line '---' after the front matter",
                    hint="close the YAML block at the top of the file with a line of three dashes",
                    path=path,
                    line=1,
                )
            ]
        )
    front = text[first_nl + 1 : end.start()]
    body_start = text.find("\n", end.end())
    body = "" if body_start < 0 else text[body_start + 1 :]
    data, diags = _load_yaml(front, path, line_offset=1)
    if diags:
        return Parsed(diagnostics=diags)
    if data is None:
        data = {}
    if isinstance(data, str):
        return Parsed(diagnostics=[_one_text(data, path, 2, "a mapping of fields")])
    if not isinstance(data, dict):
        return Parsed(diagnostics=[_not_mapping(data, path, 2)])
    body_line = text.count("\n", 0, body_start) + 2 if body_start >= 0 else 0
    return Parsed([Record(data, 0, 1, body, body_line)])


def _no_front_matter(text: str, path: str) -> Parsed:
    name = path.rsplit("/", 1)[-1].lower()
    if not text.strip():
        return Parsed(diagnostics=[dataclasses.replace(_empty(path), severity=Severity.WARNING)])
    if name in ("readme.md", "index.md"):
        return Parsed()
    found = ITEM_INVALID(
        "Markdown file without front matter: not read as an item",
        expected="an item: a YAML block between '---' lines at the top of the file",
        hint="add front matter, or keep notes that are not items outside paths.items",
        path=path,
        line=1,
    )
    return Parsed(diagnostics=[dataclasses.replace(found, severity=Severity.WARNING)])


# @implements SRS-3
@parser(".yaml", ".yml")
def parse_yaml(text: str, path: str) -> Parsed:
    if not text.strip():
        return Parsed(diagnostics=[_empty(path)])
    data, diags = _load_yaml(text, path)
    if diags:
        return Parsed(diagnostics=diags)
    if data is None:
        return Parsed(diagnostics=[_empty(path, "no items: only comments")])
    if isinstance(data, str):
        return Parsed(diagnostics=[_one_text(data, path, 1, "a list of items")])
    file_kind = None
    if isinstance(data, dict) and "items" in data:
        file_kind = data.get("kind")
        extra = sorted(set(data) - {"items", "kind"})
        if extra:
            diags.append(
                ITEM_INVALID(
                    f"unknown top-level keys {', '.join(map(repr, extra))}",
                    expected="only 'kind' and 'items' at the top of a file of many items",
                    hint="move those fields into each item",
                    path=path,
                    line=1,
                )
            )
        data = data["items"]
    elif isinstance(data, dict):
        data = [data]
    if not isinstance(data, list):
        return Parsed(diagnostics=[*diags, _not_mapping(data, path, 1, "a list of items")])
    if file_kind is not None and not isinstance(file_kind, str):
        diags.append(_not_mapping(file_kind, path, 1, "a kind name for 'kind'"))
        file_kind = None
    return _records(data, text, path, file_kind, diags)


def _records(
    data: list[Any], text: str, path: str, file_kind: str | None, diags: list[Diagnostic]
) -> Parsed:
    out = Parsed(diagnostics=diags)
    lines: list[int] | None = None
    for index, entry in enumerate(data):
        if isinstance(entry, dict):
            out.records.append(Record(entry, index, file_kind=file_kind))
        else:
            lines = entry_lines(text) if lines is None else lines
            line = lines[index] if index < len(lines) else 0
            out.diagnostics.append(
                _not_mapping(entry, path, line, f"item {index + 1} as a mapping")
            )
    return out


def entry_lines(text: str) -> list[int]:
    """The 1-based line where each entry of a YAML file of items starts.

    Only for files the fast parser has read (their nesting is bounded); it is called when a
    diagnostic needs a line, so the cost of composing with PyYAML is paid for few files.
    """
    try:
        loader = safe_loader()(text)
        try:
            root = loader.get_single_node()
        finally:
            loader.dispose()
    except (yaml.YAMLError, RecursionError):
        return []
    return [int(node.start_mark.line) + 1 for node in item_nodes(root) or []]


def item_nodes(root: yaml.Node | None) -> list[yaml.Node] | None:
    """The nodes of the items of a YAML file: a list, ``items`` of a mapping, or one mapping."""
    if isinstance(root, yaml.MappingNode):
        for key, value in root.value:
            if key.value == "items":
                root = value
                break
        else:
            return [root]
    if isinstance(root, yaml.SequenceNode):
        return list(root.value)
    return None


def _load_yaml(text: str, path: str, line_offset: int = 0) -> tuple[Any, list[Diagnostic]]:
    deep = _deep_flow(text)
    if deep is not None:  # YAML scanners take quadratic time on deep nesting: refuse it first
        return None, [_locate_yaml_error(text, path, line_offset, _RECURSION.format(*deep))]
    try:
        return ryaml.loads(text), []  # type: ignore[attr-defined]
    except Exception as exc:  # ryaml raises ValueError subclasses, not always with positions
        return None, [_locate_yaml_error(text, path, line_offset, str(exc))]


#: ryaml refuses nesting this deep; flow nesting ('[[[...') is refused before it is parsed.
_MAX_DEPTH = 128
_RECURSION = "recursion limit exceeded at line {} column {}"
_BRACKET = re.compile(r"[\[\]{}]")


def _deep_flow(text: str) -> tuple[int, int] | None:
    """Line and column (1-based) where '[' and '{' nest ``_MAX_DEPTH`` deep, if they do."""
    if text.count("[") + text.count("{") < _MAX_DEPTH:
        return None
    depth = 0
    for m in _BRACKET.finditer(text):
        if m.group() in "[{":
            depth += 1
            if depth >= _MAX_DEPTH:
                start = m.start()
                line_start = text.rfind("\n", 0, start) + 1
                return text.count("\n", 0, start) + 1, start - line_start + 1
        elif depth:
            depth -= 1
    return None


#: ryaml's own guards against nesting and alias bombs: PyYAML must not re-read such a file
#: (its C composer recurses without limit, and aliases would be walked again and again).
_GUARDS = {
    "recursion limit exceeded": (
        "nested too deeply",
        "flatten the structure: items need a few levels of nesting at most",
    ),
    "repetition limit exceeded": (
        "anchors and aliases (*name) expand to too much data",
        "write the values out instead of repeating them through aliases",
    ),
}
_POSITION = re.compile(r" at line (\d+) column (\d+)")
_HINT = "check indentation, quotes and ':' around that line; quote text containing ': ' or '#'"


# @implements SRS-4
def _locate_yaml_error(text: str, path: str, line_offset: int, fallback: str) -> Diagnostic:
    """Re-read with PyYAML to say where the YAML is broken (and catch duplicate keys)."""
    line, column, problem, hint = 0, 0, fallback, _HINT
    guard = next((g for g in _GUARDS if g in fallback), None)
    if guard is not None:
        problem, hint = _GUARDS[guard]
        m = _POSITION.search(fallback)
        if m:
            line, column = int(m.group(1)), int(m.group(2))
        elif guard == "repetition limit exceeded":
            line = _first_alias_line(text)
    else:
        line, column, problem, hint = _pyyaml_error(text, fallback)
    return YAML_INVALID(
        f"invalid YAML: {problem}",
        expected="well-formed YAML",
        hint=hint,
        path=path,
        line=line + line_offset if line else 0,
        column=column,
    )


def _pyyaml_error(text: str, fallback: str) -> tuple[int, int, str, str]:
    line, column, problem, hint = 0, 0, fallback, _HINT
    try:  # deep flow nesting, which would crash PyYAML's C composer, never gets here
        loader = safe_loader()(text)
        try:
            node = loader.get_single_node()
        finally:
            loader.dispose()
        dup = _duplicate_key(node) if node is not None else None
        if dup is not None:
            problem, line = f"duplicate key '{dup[0]}'", dup[1] + 1
            hint = f"keep one '{dup[0]}' (YAML does not allow a key twice in one mapping)"
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        if mark is not None:
            line, column = mark.line + 1, mark.column + 1
        problem = " ".join(p for p in (exc.context, exc.problem) if p) or fallback
    except yaml.YAMLError as exc:
        problem = str(exc) or fallback
    except RecursionError:
        problem, hint = _GUARDS["recursion limit exceeded"]
    return line, column, problem, hint


def _first_alias_line(text: str) -> int:
    """1-based line of the first alias (``*name``), 0 if none is found."""
    try:
        for token in yaml.scan(text, Loader=safe_loader()):
            if isinstance(token, yaml.AliasToken):
                return int(token.start_mark.line) + 1
    except yaml.YAMLError:
        pass
    return 0


# @implements SRS-5
def _duplicate_key(root: yaml.Node) -> tuple[str, int] | None:
    """The first key written twice in one mapping, with its 0-based line.

    Iterative, and each node is visited once: aliases share nodes, and an alias bomb would
    otherwise be walked billions of times.
    """
    stack = [root]
    visited: set[int] = set()
    while stack:
        node = stack.pop()
        if id(node) in visited:
            continue
        visited.add(id(node))
        if isinstance(node, yaml.MappingNode):
            seen: set[str] = set()
            for key, _value in node.value:
                name = str(key.value)
                if name in seen:
                    return name, int(key.start_mark.line)
                seen.add(name)
            stack.extend(value for _key, value in reversed(node.value))
        elif isinstance(node, yaml.SequenceNode):
            stack.extend(reversed(node.value))
    return None


def _not_mapping(
    value: Any, path: str, line: int, expected: str = "a mapping of fields"
) -> Diagnostic:
    return ITEM_INVALID(
        f"found {type(value).__name__} {_short(value)}",
        expected=expected,
        hint="each item is a mapping 'field: value' with at least an 'id'",
        path=path,
        line=line,
    )


# @implements SRS-54
def _one_text(value: str, path: str, line: int, expected: str) -> Diagnostic:
    """A document that is one string: told, never quoted. That is the shape of a token, a key
    or a credentials file put (or linked) where items belong; echoing it into a report, SARIF
    or a pull-request annotation would publish it."""
    return ITEM_INVALID(
        f"the whole document is one text value ({len(value):,} characters, not shown), not items",
        expected=expected,
        hint="write items as 'field: value' lines; if this file is not an item file, keep it "
        "outside paths.items",
        path=path,
        line=line,
    )


def _empty(path: str, found: str = "empty file") -> Diagnostic:
    return ITEM_INVALID(
        found,
        expected="one or more items",
        hint="delete the file or add items to it",
        path=path,
    )


def _short(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."
