"""The versions of item files, parsed once each and compared item by item.

A version of an item file is parsed with medtrace's own parser; each item stays the mapping the
parser gave (a :class:`Version`) until a diff needs it built and rendered. In a YAML file of many
items, a new version is read entry by entry: each entry's text is looked up among the entries
already read, and only new text is parsed; so a table of 500 risks changed 4,000 times is parsed
whole once, not 4,000 times. That shortcut is taken only for a file whose layout was checked:
the file's text before its first entry is one that a whole parse confirmed, every entry starts
at the same indentation with ``- ``, no other line of an entry is indented as little, and each
entry parses alone to one mapping; anything else is parsed whole.
"""

from __future__ import annotations

import re
from typing import Any

import ryaml
import yaml

from medtrace.loading.build import Builder
from medtrace.loading.parse import Record, parse_file
from medtrace.model import Item

__all__ = ["NULL", "FileVersion", "Version", "Versions", "changed_entries", "render_item"]

NULL = "0" * 40
_ENTRY = re.compile(r"^( *)- ", re.M)
_FLOW = 64  # brackets in one entry beyond which it is not parsed alone


class Version:
    """One item in one version of its file: equal to another when the file and the item as
    parsed (before it is built) are equal; built and rendered only when a diff needs it."""

    __slots__ = ("_text", "builder", "path", "raw", "record")

    def __init__(self, path: str, record: Record, builder: Builder) -> None:
        self.path = path
        self.record = record
        self.raw = (record.data, record.body, record.file_kind)
        self.builder = builder
        self._text: str | None = None

    def __eq__(self, other: object) -> bool:
        if self is other:
            return True
        return isinstance(other, Version) and (self.path, self.raw) == (other.path, other.raw)

    __hash__ = None  # type: ignore[assignment]

    @property
    def text(self) -> str:
        if self._text is None:
            item, _ = self.builder.build(self.record, self.path)
            self._text = render_item(item) if item is not None else ""
        return self._text

    def item_id(self) -> str | None:
        raw = self.record.data.get("id") if self.record.body is None else None
        if isinstance(raw, str | int) and not isinstance(raw, bool):
            return str(raw)
        item, _ = self.builder.build(self.record, self.path)  # an ID from the file name
        return item.id if item is not None else None


class FileVersion:
    """One version of one item file: its items by ID and, for a YAML file whose layout allows
    it, its entries' texts (two versions then differ only in the entries not in both)."""

    __slots__ = ("_items", "entries", "layout", "path", "reader")

    def __init__(
        self,
        path: str,
        items: dict[str, Version] | None = None,
        entries: list[str] | None = None,
        reader: _EntryReader | None = None,
        layout: tuple[str, str, int] | None = None,
    ) -> None:
        self.path = path
        self._items = items
        self.entries = entries
        self.reader = reader
        self.layout = layout

    @property
    def items(self) -> dict[str, Version]:
        if self._items is None:
            self._items = self.only(self.entries or []) if self.reader else None
            if self._items is None:  # an entry that cannot be read alone: the whole file
                assert self.reader is not None and self.layout is not None
                self._items = self.reader.whole(self)
        return self._items

    def only(self, entries: list[str]) -> dict[str, Version] | None:
        """The items of some of the entries; ``None`` if one of them cannot be read alone."""
        if self.reader is None or self.layout is None:
            return None
        out: dict[str, Version] = {}
        for entry in entries:
            found = self.reader.entry(self.layout, entry)
            if found is None:
                return None
            if found[0] is not None and found[1] is not None:
                out.setdefault(found[0], found[1])
        return out


def changed_entries(
    old: FileVersion, new: FileVersion
) -> tuple[dict[str, Version], dict[str, Version]] | None:
    """The items of the entries of ``old`` not in ``new`` and of ``new`` not in ``old``, when
    both were read entry by entry with the same layout; else ``None`` (compare all items)."""
    if old.entries is None or new.entries is None or old.layout != new.layout:
        return None
    before, after = set(old.entries), set(new.entries)
    gone, came = old.only(sorted(before - after)), new.only(sorted(after - before))
    return None if gone is None or came is None else (gone, came)


# @implements SRS-240
class Versions:
    """Parsed item files, once per (blob, path). ``uses`` counts the reads of each (blob, path)
    to come: a version is dropped after its last read, and a blob once every path it is read
    as was read."""

    def __init__(
        self, builder: Builder, blobs: dict[str, bytes], uses: dict[tuple[str, str], int]
    ) -> None:
        self.builder = builder
        self.blobs = blobs
        self.uses = uses
        self.cache: dict[tuple[str, str], FileVersion] = {}
        self.unread: dict[str, set[str]] = {}
        for sha, path in uses:
            self.unread.setdefault(sha, set()).add(path)
        self.entries = _EntryReader(builder)

    def items(self, sha: str, path: str) -> dict[str, Version]:
        return self.file(sha, path).items

    def file(self, sha: str, path: str) -> FileVersion:
        key = (sha, path)
        found = self.cache.get(key)
        if found is None:
            data = self.blobs.get(sha) if sha != NULL else None
            found = FileVersion(path, {}) if data is None else self._read(data, path)
            self.cache[key] = found
            paths = self.unread.get(sha, set())
            paths.discard(path)
            if not paths:
                self.blobs.pop(sha, None)
        left = self.uses.get(key, 0) - 1
        self.uses[key] = left
        if left <= 0:
            self.cache.pop(key, None)
        return found

    def _read(self, data: bytes, path: str) -> FileVersion:
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            return FileVersion(path, {})
        if path.lower().endswith((".yaml", ".yml")):
            return self.entries.read(text, path)
        return FileVersion(path, _whole(text, path, self.builder))


def _whole(text: str, path: str, builder: Builder) -> dict[str, Version]:
    return _of_records(parse_file(text, path).records, path, builder)


def _of_records(records: list[Record], path: str, builder: Builder) -> dict[str, Version]:
    out: dict[str, Version] = {}
    for record in records:
        version = Version(path, record, builder)
        item_id = version.item_id()
        if item_id is not None:
            out.setdefault(item_id, version)
    return out


# @implements SRS-240
class _EntryReader:
    """YAML files of many items, read entry by entry when their layout allows (see above)."""

    def __init__(self, builder: Builder) -> None:
        self.builder = builder
        self.layouts: dict[tuple[str, str, int], str | None] = {}  # (path, head, indent) → kind
        self.seen: dict[tuple[str, str | None, str], tuple[str | None, Version | None]] = {}

    def read(self, text: str, path: str) -> FileVersion:
        split = _split(text)
        if split is None:
            return FileVersion(path, _whole(text, path, self.builder))
        head, indent, entries = split
        layout = (path, head, indent)
        if layout not in self.layouts:
            items = self._check(text, path, layout, entries)
            if layout not in self.layouts:
                return FileVersion(path, items)
            return FileVersion(path, items, entries, self, layout)
        return FileVersion(path, None, entries, self, layout)

    def whole(self, version: FileVersion) -> dict[str, Version]:
        """The items of a version parsed whole (its text is its head and its entries)."""
        head = version.layout[1] if version.layout else ""
        return _whole("".join([head, *(version.entries or [])]), version.path, self.builder)

    def entry(
        self, layout: tuple[str, str, int], entry: str
    ) -> tuple[str | None, Version | None] | None:
        path, kind = layout[0], self.layouts[layout]
        found = self.seen.get((path, kind, entry))
        if found is None:
            found = self._entry(entry, layout[2], 0, path, kind)
            if found is None:
                return None
            self.seen[(path, kind, entry)] = found
        return found

    def _check(
        self, text: str, path: str, layout: tuple[str, str, int], entries: list[str]
    ) -> dict[str, Version]:
        """Parse the whole file, and take the entry-by-entry road for this layout from now on
        only if it gives the very same items."""
        records = parse_file(text, path).records
        whole = _of_records(records, path, self.builder)
        kinds = {r.file_kind for r in records}
        kind = next(iter(kinds)) if len(kinds) == 1 else None
        parts = [self._entry(e, layout[2], i, path, kind) for i, e in enumerate(entries)]
        if len(records) == len(entries) and all(p is not None for p in parts):
            alone = {p[0]: p[1] for p in parts if p and p[0] and p[1]}
            if (
                len(kinds) == 1
                and all(whole.get(k) == v for k, v in alone.items())
                and len(alone) == len(whole)
            ):
                self.layouts[layout] = kind
                self.seen.update(
                    {(path, kind, e): p for e, p in zip(entries, parts, strict=True) if p}
                )
        return whole

    def _entry(
        self, entry: str, indent: int, index: int, path: str, kind: str | None
    ) -> tuple[str | None, Version | None] | None:
        """One entry parsed alone: (its ID, its version); ``None`` when it cannot be."""
        if _shallow_line(entry, indent) or entry.count("[") + entry.count("{") > _FLOW:
            return None  # deep flow nesting is for the whole parse, which refuses it
        try:
            data = ryaml.loads(entry)  # type: ignore[attr-defined]
        except Exception:  # the whole file is parsed instead, which says what is wrong
            return None
        if not isinstance(data, list) or len(data) != 1:
            return None
        if not isinstance(data[0], dict):
            return (None, None)  # not an item: the whole parse reports it (check does)
        version = Version(path, Record(data[0], index, file_kind=kind), self.builder)
        return (version.item_id(), version)


def _split(text: str) -> tuple[str, int, list[str]] | None:
    """The text before the first entry, the entries' indentation and each entry's text."""
    first = _ENTRY.search(text)
    if first is None:
        return None
    indent = len(first.group(1))
    start = " " * indent + "- "
    parts = text[first.start() :].split("\n" + start)  # a plain search: fast on large files
    entries = [parts[0]] + [start + p for p in parts[1:]]
    entries = [e + "\n" for e in entries[:-1]] + entries[-1:]
    return text[: first.start()], indent, entries


def _shallow_line(entry: str, indent: int) -> bool:
    """Whether a line of the entry after its first is indented no more than the entry (a key
    that follows the list, a document marker): the entry cannot then be read alone."""
    pattern = re.compile(rf"^ {{0,{indent}}}[^ \n#]", re.M)
    newline = entry.find("\n")
    return newline >= 0 and pattern.search(entry, newline + 1) is not None


# -- a stable rendering of one item ---------------------------------------------------------------

_Dumper: Any = getattr(yaml, "CSafeDumper", yaml.SafeDumper)


# @implements SRS-232
def render_item(item: Item) -> str:
    """The item as text that does not depend on its file's layout: its ID, title and fields
    (sorted by name; unknown fields by the name written), then its text after a ``---`` line."""
    fields = {k: v for k, v in item.fields.items() if k not in ("title", "text")}
    head: dict[str, Any] = {"id": item.id, "kind": item.kind}
    if item.title:
        head["title"] = item.title
    head.update(sorted(fields.items()))
    head.update(sorted({**item.unknown, **item.invalid}.items()))
    text = "".join(_field(key, value) for key, value in head.items())
    body = item.text.rstrip()
    return text + ("---\n" + body + "\n" if body else "")


_PLAIN = re.compile(r"[A-Za-z][\w.()/+-]*(?: [\w.()/+-]+)*")
_WORDS = frozenset({"yes", "no", "on", "off", "true", "false", "null", "y", "n"})


def _plain(value: object) -> bool:
    """A short string that YAML writes as it is (what :func:`yaml.dump` would write plain)."""
    return (
        isinstance(value, str)
        and len(value) < 80
        and _PLAIN.fullmatch(value) is not None
        and value.lower() not in _WORDS
    )


def _field(key: str, value: Any) -> str:
    """``key: value`` as :func:`yaml.dump` writes it, quickly for the common cases (a plain
    string, a list of them)."""
    if _plain(key):
        if _plain(value):
            return f"{key}: {value}\n"
        if isinstance(value, list) and value and all(_plain(v) for v in value):
            return f"{key}:\n" + "".join(f"- {v}\n" for v in value)
    try:
        return yaml.dump(
            {key: value}, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=100
        )
    except yaml.YAMLError:
        return f"{key}: {value!r}\n"
