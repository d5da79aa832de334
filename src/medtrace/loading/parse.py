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

__all__ = ["PARSERS", "Parsed", "Record", "parse_file", "safe_loader"]


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
    if not isinstance(data, dict):
        return Parsed(diagnostics=[_not_mapping(data, path, 2)])
    body_line = text.count("\n", 0, body_start) + 2 if body_start >= 0 else 0
    return Parsed([Record(data, 0, 1, body, body_line)])


def _no_front_matter(text: str, path: str) -> Parsed:
    name = path.rsplit("/", 1)[-1].lower()
    if name in ("readme.md", "index.md") or not text.strip():
        return Parsed()
    found = ITEM_INVALID(
        "Markdown file without front matter: not read as an item",
        expected="an item: a YAML block between '---' lines at the top of the file",
        hint="add front matter, or keep notes that are not items outside paths.items",
        path=path,
        line=1,
    )
    return Parsed(diagnostics=[dataclasses.replace(found, severity=Severity.WARNING)])


@parser(".yaml", ".yml")
def parse_yaml(text: str, path: str) -> Parsed:
    if not text.strip():
        return Parsed(diagnostics=[_empty(path)])
    data, diags = _load_yaml(text, path)
    if diags:
        return Parsed(diagnostics=diags)
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
    return _records(data, path, file_kind, diags)


def _records(data: list[Any], path: str, file_kind: str | None, diags: list[Diagnostic]) -> Parsed:
    out = Parsed(diagnostics=diags)
    for index, entry in enumerate(data):
        if isinstance(entry, dict):
            out.records.append(Record(entry, index, file_kind=file_kind))
        else:
            out.diagnostics.append(_not_mapping(entry, path, 0, f"item {index + 1} as a mapping"))
    return out


def _load_yaml(text: str, path: str, line_offset: int = 0) -> tuple[Any, list[Diagnostic]]:
    try:
        return ryaml.loads(text), []  # type: ignore[attr-defined]
    except Exception as exc:  # ryaml raises ValueError subclasses without positions
        return None, [_locate_yaml_error(text, path, line_offset, str(exc))]


def _locate_yaml_error(text: str, path: str, line_offset: int, fallback: str) -> Diagnostic:
    """Re-read with PyYAML to say where the YAML is broken (and catch duplicate keys)."""
    line, column, problem = 0, 0, fallback
    try:
        loader = safe_loader()(text)
        try:
            node = loader.get_single_node()
        finally:
            loader.dispose()
        dup = _duplicate_key(node) if node is not None else None
        if dup is not None:
            problem, line = f"duplicate key '{dup[0]}'", dup[1]
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        if mark is not None:
            line, column = mark.line + 1, mark.column + 1
        problem = " ".join(p for p in (exc.context, exc.problem) if p) or fallback
    except yaml.YAMLError as exc:
        problem = str(exc) or fallback
    return YAML_INVALID(
        f"invalid YAML: {problem}",
        expected="well-formed YAML",
        hint="check indentation, quotes and ':' around that line; quote text containing ': ' or '#'",
        path=path,
        line=line + line_offset if line else 0,
        column=column,
    )


def _duplicate_key(node: yaml.Node) -> tuple[str, int] | None:
    if isinstance(node, yaml.MappingNode):
        seen: set[str] = set()
        for key, value in node.value:
            name = str(key.value)
            if name in seen:
                return name, key.start_mark.line
            seen.add(name)
            found = _duplicate_key(value)
            if found:
                return found
    elif isinstance(node, yaml.SequenceNode):
        for value in node.value:
            found = _duplicate_key(value)
            if found:
                return found
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


def _empty(path: str) -> Diagnostic:
    return ITEM_INVALID(
        "empty file",
        expected="one or more items",
        hint="delete the file or add items to it",
        path=path,
    )


def _short(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."
