"""Parse item files into raw records: Markdown with YAML front matter, and YAML files.

YAML is read with a fast parser (``ryaml``) whose results are plain data; when a file is
malformed, PyYAML (with its C loader where available, always the *safe* loader) re-reads it to
say exactly where. Parsers register by file suffix.
"""

from __future__ import annotations

import bisect
import dataclasses
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Protocol

import ryaml
import yaml

from medtrace.diagnostics import Diagnostic, Severity
from medtrace.loading.codes import ITEM_INVALID, YAML_INVALID

__all__ = [
    "PARSERS",
    "Outline",
    "Parsed",
    "Record",
    "entry_lines",
    "item_outline",
    "parse_file",
    "safe_loader",
]


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


# @implements SRS-93
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
                    hint="Close the YAML block at the top of the file with a line of three dashes.",
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
        hint="Add front matter, or keep notes that are not items outside paths.items.",
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
        extra = sorted((k for k in data if k not in ("items", "kind")), key=str)
        if extra:
            diags.append(
                ITEM_INVALID(
                    f"unknown top-level keys {', '.join('~' if k is None else repr(k) for k in extra)}",
                    expected="only 'kind' and 'items' at the top of a file of many items",
                    hint="Move those fields into each item.",
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
    """The 1-based line where each entry of a YAML file of items starts (``[]`` when the file
    cannot be read). Called when a diagnostic needs a line."""
    outline = item_outline(text)
    return [line for line, _keys in outline] if outline is not None else []


#: Where each entry of a YAML file starts, and the line of each of its top-level keys.
Outline = list[tuple[int, dict[str, int]]]


# @implements SRS-66
def item_outline(text: str) -> Outline | None:
    """For each item of a YAML file of items (a list, ``items`` of a mapping, or one mapping):
    the line where it starts and the lines of its keys; ``None`` if the file is not readable.

    One pass over the parser's events, keeping only line numbers: composing the file into
    nodes (each with two marks) took hundreds of megabytes for a file of 50,000 items.
    """
    walker = _OutlineWalker(_odd_breaks(text))
    try:
        for event in yaml.parse(text, Loader=safe_loader()):
            if not walker.feed(event):
                break
    except (yaml.YAMLError, RecursionError):
        return None
    return walker.result()


class _Frame:
    """A mapping or a sequence being read: its role, and (in a mapping) whether a key is next."""

    __slots__ = ("is_key", "is_map", "key", "keys", "line", "role", "want_key")

    def __init__(self, is_map: bool, role: str, line: int, is_key: bool) -> None:
        self.is_map, self.role, self.line, self.is_key = is_map, role, line, is_key
        self.want_key = True
        self.key: str | None = None
        self.keys: dict[str, int] | None = {} if is_map and role in ("item", "root") else None


class _OutlineWalker:
    """A small state machine over YAML events: which node is an item, and its keys' lines."""

    def __init__(self, odd_breaks: list[int]) -> None:
        self.odd_breaks = odd_breaks
        self.stack: list[_Frame] = []
        self.entries: Outline = []
        self.root: _Frame | None = None
        self.has_items = False

    def feed(self, event: yaml.Event) -> bool:
        if isinstance(event, yaml.DocumentEndEvent):
            return False
        mark = event.start_mark
        line = _line(mark, self.odd_breaks) if mark is not None else 0
        if isinstance(event, yaml.MappingStartEvent | yaml.SequenceStartEvent):
            self._start(isinstance(event, yaml.MappingStartEvent), line)
        elif isinstance(event, yaml.MappingEndEvent | yaml.SequenceEndEvent):
            frame = self.stack.pop()
            self._after(frame.is_key)
        elif isinstance(event, yaml.ScalarEvent | yaml.AliasEvent):
            self._scalar(event, line)
        return True

    def _role(self, is_map: bool) -> str:
        if not self.stack:
            return "root"
        parent = self.stack[-1]
        if parent.role == "items" or (parent.role == "root" and not parent.is_map):
            return "item"
        if parent.role == "root" and not parent.want_key and parent.key == "items" and not is_map:
            self.has_items = True
            return "items"
        return "inner"

    def _start(self, is_map: bool, line: int) -> None:
        parent = self.stack[-1] if self.stack else None
        is_key = parent is not None and parent.is_map and parent.want_key
        frame = _Frame(is_map, self._role(is_map), line, is_key)
        if frame.role == "item":
            self.entries.append((line, frame.keys if frame.keys is not None else {}))
        elif frame.role == "root":
            self.root = frame
        self.stack.append(frame)

    def _scalar(self, event: yaml.Event, line: int) -> None:
        if not self.stack:
            return
        parent = self.stack[-1]
        if not parent.is_map:
            if parent.role in ("items", "root"):
                self.entries.append((line, {}))
            return
        if parent.want_key:
            value = getattr(event, "value", None)
            parent.key = value if isinstance(value, str) else ""
            if parent.keys is not None:
                parent.keys.setdefault(parent.key, line)
        self._after(parent.want_key)

    def _after(self, was_key: bool) -> None:
        """A key or a value of the enclosing mapping has been read: the other comes next."""
        if self.stack and self.stack[-1].is_map:
            self.stack[-1].want_key = not was_key

    def result(self) -> Outline | None:
        root = self.root
        if root is None:
            return None
        if root.is_map and not self.has_items:
            return [(root.line, root.keys or {})]
        return self.entries


# @implements SRS-65
def _load_yaml(text: str, path: str, line_offset: int = 0) -> tuple[Any, list[Diagnostic]]:
    """Read YAML with the fast parser; when it refuses a file, the safe loader has the last
    word (complex keys and integers above 2**64 are valid YAML the fast parser rejects)."""
    deep = _deep_flow(text)
    if deep is not None:  # YAML scanners take quadratic time on deep nesting: refuse it first
        return None, [_locate_yaml_error(text, path, line_offset, _RECURSION.format(*deep))]
    try:
        return ryaml.loads(text), []  # type: ignore[attr-defined]
    except Exception as exc:  # ryaml raises ValueError subclasses, not always with positions
        message = str(exc)
    if "repetition limit exceeded" in message:  # an alias bomb: never expanded again
        return None, [_locate_yaml_error(text, path, line_offset, message)]
    data, problem = _safe_load(text, message)
    if problem is None:
        return data, []
    line, column, found, hint = problem
    return None, [
        YAML_INVALID(
            f"invalid YAML: {found}",
            expected="well-formed YAML",
            hint=hint,
            path=path,
            line=line + line_offset if line else 0,
            column=column,
        )
    ]


Problem = tuple[int, int, str, str]


def _safe_load(text: str, fallback: str) -> tuple[Any, Problem | None]:
    """Data by PyYAML's safe loader, or the problem with its 1-based line and column.

    PyYAML's C parser first (fast); the pure-Python one when the C one cannot tell: an anchor
    defined again (which it refuses), an alias loop (to name the anchor), or nesting deep
    enough for the fast parser's guard (the C composer recurses without limit).
    """
    if "recursion limit exceeded" not in fallback and hasattr(yaml, "CSafeLoader"):
        done, data, problem = _load_with(_LenientC, text, fallback)
        if done:
            return data, problem
    return _load_with(_Lenient, text, fallback)[1:]


def _load_with(
    make: type[_Lenient | _LenientC], text: str, fallback: str
) -> tuple[bool, Any, Problem | None]:
    """``(done, data, problem)``; ``done`` is false when only the pure-Python loader can tell."""
    loader: _Lenient | _LenientC | None = None
    try:
        loader = make(text)  # its reader refuses control characters at once
        node = loader.get_single_node()
        if node is None:
            return True, None, None
        if make is _LenientC and _alias_loop(node) is not None:
            return False, None, None
        problem = _node_problem(node, getattr(loader, "anchor_of", {}), text)
        if problem is not None:
            return True, None, problem
        return True, loader.construct_document(node), None
    except yaml.MarkedYAMLError as exc:
        if make is _LenientC and "duplicate anchor" in f"{exc.context} {exc.problem}":
            return False, None, None
        mark = exc.problem_mark or exc.context_mark
        # From the character index, not the parser's line: YAML also breaks lines at NEL, LS
        # and PS, which an editor shows inside one line, and the C parser's line of the end of
        # the text can be past the last line.
        line, column = _position(text, mark.index) if mark is not None else (0, 0)
        said = " ".join(p for p in (exc.context, exc.problem) if p) or fallback
        return True, None, (line, column, said, _HINT)
    except yaml.reader.ReaderError as exc:
        line, column = _position(text, exc.position)
        found = f"a control character (#x{exc.character:04x}) is not allowed"
        return True, None, (line, column, found, _CONTROL)
    except yaml.YAMLError as exc:
        return True, None, (0, 0, str(exc) or fallback, _HINT)
    except RecursionError:
        line, column = _guard_position(fallback)
        return True, None, (line, column, *_GUARDS["recursion limit exceeded"])
    finally:
        if loader is not None:
            loader.dispose()


def _node_problem(node: yaml.Node, anchor_of: dict[int, str], text: str) -> Problem | None:
    dup = _duplicate_key(node)
    if dup is not None:
        name, mark = dup
        hint = f"Keep one '{name}' (YAML does not allow a key twice in one mapping)."
        return _line(mark, _odd_breaks(text)), 0, f"duplicate key '{name}'", hint
    loop = _alias_loop(node)
    if loop is not None:
        anchor = anchor_of.get(id(loop), "")
        line = _alias_line(text, anchor, loop)
        return (
            line,
            0,
            f"the alias *{anchor} is inside the node it names (a loop)",
            f"Write the value out instead of '*{anchor}': an item cannot contain itself.",
        )
    return None


class _Keys:
    """A key that is a list or a mapping is kept as its flow text (``[a, b]``), so that it is
    reported as an unknown field rather than as broken YAML."""

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        loader: Any = self
        loader.flatten_mapping(node)
        mapping: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            key = loader.construct_object(key_node, deep=True)
            try:
                hash(key)
            except TypeError:
                key = yaml.safe_dump(key, default_flow_style=True, width=1 << 30).strip()
            mapping[key] = loader.construct_object(value_node, deep=deep)
        return mapping


class _LenientC(_Keys, getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # type: ignore[misc]
    """The safe loader with its C parser, and keys as :class:`_Keys` keeps them."""


class _Lenient(_Keys, yaml.SafeLoader):
    """The safe loader in pure Python, with what YAML allows and PyYAML refuses: an anchor
    defined again (later aliases name the latest); keys as :class:`_Keys` keeps them."""

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self.anchor_of: dict[int, str] = {}

    def compose_node(self, parent: yaml.Node | None, index: Any) -> yaml.Node | None:
        anchor = None
        if not self.check_event(yaml.AliasEvent):
            anchor = self.peek_event().anchor  # type: ignore[no-untyped-call]
        if anchor is not None:
            self.anchors.pop(anchor, None)
        node = super().compose_node(parent, index)
        if anchor is not None and node is not None:
            self.anchor_of[id(node)] = anchor
        return node


def _alias_loop(root: yaml.Node) -> yaml.Node | None:
    """A node that contains itself through an alias (depth-first, each node once)."""
    state: dict[int, int] = {}  # 1: on the current path, 2: done
    stack: list[tuple[yaml.Node, bool]] = [(root, False)]
    while stack:
        node, leaving = stack.pop()
        if leaving:
            state[id(node)] = 2
            continue
        if state.get(id(node)) == 2:
            continue
        state[id(node)] = 1
        stack.append((node, True))
        children: list[yaml.Node] = []
        if isinstance(node, yaml.MappingNode):
            children = [n for pair in node.value for n in pair]
        elif isinstance(node, yaml.SequenceNode):
            children = list(node.value)
        for child in children:
            mark = state.get(id(child))
            if mark == 1:
                return child
            if mark is None:
                stack.append((child, False))
    return None


def _alias_line(text: str, anchor: str, node: yaml.Node) -> int:
    """1-based line of the alias ``*anchor`` written inside ``node``."""
    start, end = node.start_mark.index, node.end_mark.index
    try:
        for token in yaml.scan(text, Loader=yaml.SafeLoader):
            if (
                isinstance(token, yaml.AliasToken)
                and token.value == anchor
                and start <= token.start_mark.index <= end
            ):
                return _line(token.start_mark, _odd_breaks(text))
    except yaml.YAMLError:
        pass
    return _line(node.start_mark, _odd_breaks(text))


def _position(text: str, index: int) -> tuple[int, int]:
    """1-based line and column of a character index, with lines as an editor counts them:
    ``\n``, ``\r\n`` and a lone ``\r`` end a line (YAML also ends one at NEL, LS and PS)."""
    head = text[: max(0, min(index, len(text)))]
    line_start = max(head.rfind("\n"), head.rfind("\r")) + 1
    lone_cr = head.count("\r") - head.count("\r\n")
    return head.count("\n") + lone_cr + 1, len(head) - line_start + 1


#: The line breaks of YAML that editors show inside a line: NEL, LS and PS.
_ODD_BREAKS = re.compile("[\x85\u2028\u2029]")


def _odd_breaks(text: str) -> list[int]:
    """The offsets of the NEL, LS and PS characters of ``text``, in order (none, usually)."""
    return [m.start() for m in _ODD_BREAKS.finditer(text)]


class _Mark(Protocol):
    """A place in the text as PyYAML's two parsers mark it (0-based line, character index)."""

    line: int
    index: int


def _line(mark: _Mark, odd_breaks: list[int]) -> int:
    """The 1-based line of ``mark`` as an editor counts lines: the parser's line, less the
    NEL, LS and PS characters before it (``odd_breaks``: :func:`_odd_breaks` of the text)."""
    return int(mark.line) + 1 - bisect.bisect_left(odd_breaks, mark.index)


def _guard_position(message: str) -> tuple[int, int]:
    m = _POSITION.search(message)
    return (int(m.group(1)), int(m.group(2))) if m else (0, 0)


_CONTROL = (
    "Remove the control character (an invisible character pasted from another program); "
    "YAML allows tabs and line breaks only."
)


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
        "Flatten the structure: items need a few levels of nesting at most.",
    ),
    "repetition limit exceeded": (
        "anchors and aliases (*name) expand to too much data",
        "Write the values out instead of repeating them through aliases.",
    ),
}
_POSITION = re.compile(r" at line (\d+) column (\d+)")
_HINT = "Check indentation, quotes and ':' around that line; quote text containing ': ' or '#'."


# @implements SRS-4
def _locate_yaml_error(text: str, path: str, line_offset: int, fallback: str) -> Diagnostic:
    """A file refused by a guard (deep nesting, an alias bomb): never re-read by PyYAML, whose C
    composer recurses without limit and would expand the aliases again."""
    guard = next((g for g in _GUARDS if g in fallback), "recursion limit exceeded")
    problem, hint = _GUARDS[guard]
    line, column = _guard_position(fallback)
    if not line and guard == "repetition limit exceeded":
        line = _first_alias_line(text)
    return YAML_INVALID(
        f"invalid YAML: {problem}",
        expected="well-formed YAML",
        hint=hint,
        path=path,
        line=line + line_offset if line else 0,
        column=column,
    )


def _first_alias_line(text: str) -> int:
    """1-based line of the first alias (``*name``), 0 if none is found."""
    try:
        for token in yaml.scan(text, Loader=safe_loader()):
            if isinstance(token, yaml.AliasToken):
                return _line(token.start_mark, _odd_breaks(text))
    except yaml.YAMLError:
        pass
    return 0


# @implements SRS-5
def _duplicate_key(root: yaml.Node) -> tuple[str, _Mark] | None:
    """The first key written twice in one mapping, with the mark where it starts.

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
                    return name, key.start_mark
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
        hint="Write each item as a mapping 'field: value' with at least an 'id'.",
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
        hint="Delete the file or add items to it.",
        path=path,
    )


def _short(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."
