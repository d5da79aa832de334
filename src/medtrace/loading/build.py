"""Turn raw records into items: tell the ID and the kind, map field names to their roles."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from medtrace.config import Config
from medtrace.diagnostics import Diagnostic
from medtrace.loading.codes import ID_FILE_NAME, ITEM_INVALID, KIND_UNKNOWN
from medtrace.loading.parse import Record
from medtrace.model import Item

__all__ = ["Builder"]

#: Field types that hold one value: a list or a mapping there is kept apart (``Item.invalid``).
_ONE_VALUE = frozenset(
    {"string", "text", "enum", "link", "integer", "boolean", "flag", "date", "scale"}
)

_CONTAINERS = (list, dict)
_NUMBERED = re.compile(r"-[0-9]+(?=$|[-_ .])", re.ASCII)
_SEPARATOR = re.compile(r"[-_ .]")
_HEADING = re.compile(r"^#[ \t]+(.+?)[ \t#]*$", re.M)
_UNNAMED: tuple[None, None] = (None, None)


# @implements SRS-320
def heading(body: str) -> str | None:
    """The text of the body's first ``# heading`` line (what ``_HEADING.search`` gives):
    told with string methods when it is the first line (the usual item), which the lazy
    regular expression took a character at a time; any other body goes to the expression."""
    if body[:1] == "#":
        end = body.find("\n")
        found = _first_line_heading(body if end < 0 else body[:end])
        if found is not None:
            return found
    m = _HEADING.search(body)
    return m.group(1) if m else None


def _first_line_heading(line: str) -> str | None:
    """``_HEADING`` on one line starting with ``#``: ``#``, blanks (as many as there are,
    giving one back when nothing follows them), then the shortest text that leaves only
    blanks and ``#`` after it."""
    rest = line[1:]
    text = rest.lstrip(" \t")
    blanks = len(rest) - len(text)
    if not blanks:
        return None
    if text:
        return text.rstrip(" \t#") or text[:1]
    return line[blanks] if blanks > 1 else None


# @implements SRS-61
def _file_name_differs(item_id: str, named: str, path: str, record: Record) -> Diagnostic:
    name = path[path.rfind("/") + 1 :]
    rest = name[len(named) :]
    return ID_FILE_NAME(
        f"the 'id' field says {item_id} but the file name {name} gives {named}",
        expected=f"a file named after its ID ({item_id}{rest})",
        hint="Rename the file or fix the 'id' field: links and tags use the 'id' field, "
        "readers go by the file name.",
        path=path,
        line=record.line,
        item=item_id,
    )


# @implements SRS-2, SRS-3
@dataclass
class Builder:
    """Builds items for one configuration (field names → roles are computed once)."""

    config: Config

    def __post_init__(self) -> None:
        self.roles = {
            kind: {spec.name: role for role, spec in k.fields.items()}
            for kind, k in self.config.kinds.items()
        }
        self.one_value = {
            kind: {role for role, spec in k.fields.items() if spec.type in _ONE_VALUE}
            for kind, k in self.config.kinds.items()
        }
        #: Per kind, what telling an ID from a file name needs: where the number starts (after
        #: the prefix), the ID form's ``fullmatch`` and whether the kind has its own pattern.
        self.forms = {
            kind: (len(k.prefix or ""), k.id_re.fullmatch, bool(k.pattern))
            for kind, k in self.config.kinds.items()
        }

    def build(self, record: Record, path: str) -> tuple[Item | None, list[Diagnostic]]:
        data = dict(record.data)
        raw_id = data.pop("id", None)
        raw_kind = data.pop("kind", None)
        # A Markdown item's file name gives an ID and its kind: told once (the 'id' field, if
        # any, wins).
        named, named_kind = self._named(path) if record.body is not None else _UNNAMED
        if raw_id is None:
            raw_id = named
            if raw_id is None:
                return None, [self._without_id(record, path)]
        if raw_id.__class__ is not str and (
            not isinstance(raw_id, str | int) or isinstance(raw_id, bool)
        ):
            return None, [
                ITEM_INVALID(
                    f"the ID is a {type(raw_id).__name__}",
                    expected=f"an ID written as text, such as {self._example(record.file_kind)}",
                    hint="Write the ID as plain text.",
                    path=path,
                    line=record.line,
                )
            ]
        item_id = str(raw_id)
        written = raw_kind or record.file_kind
        if written is None and named_kind is not None and item_id == named:
            kind = named_kind  # the ID's own prefix gives it (see _named)
        else:
            found, diag = self._kind(written, item_id, path, record.line)
            if found is None:
                return None, [diag] if diag else []
            kind = found
        item = self._item(item_id, kind, data, record, path)
        if named is not None and named != item_id:
            return item, [_file_name_differs(item_id, named, path, record)]
        return item, []

    def _without_id(self, record: Record, path: str) -> Diagnostic:
        return ITEM_INVALID(
            "item without an ID",
            expected="an 'id' field"
            + (" or a file named after the ID" if record.body is not None else ""),
            hint=f"Add 'id: {self._example(record.file_kind)}' (or the ID of the right kind).",
            path=path,
            line=record.line,
        )

    def _kind(
        self, written: Any, item_id: str, path: str, line: int
    ) -> tuple[str | None, Diagnostic | None]:
        kinds = self.config.kinds
        if written is not None:
            if isinstance(written, str) and written in kinds:
                return written, None
            import difflib

            close = difflib.get_close_matches(str(written), list(kinds), n=1)
            return None, KIND_UNKNOWN(
                f"unknown kind {written!r} for {item_id}",
                expected=f"one of {', '.join(kinds)}",
                hint=f"Did you mean '{close[0]}'?" if close else "Declare the kind in [kinds].",
                path=path,
                line=line,
                item=item_id,
            )
        kind = self.config.kind_of_id(item_id)
        if kind is not None:
            return kind, None
        return None, KIND_UNKNOWN(
            f"cannot tell the kind of {item_id}",
            expected="a 'kind' field, a 'kind' for the whole file, or an ID with a known prefix "
            f"({self._examples()})",
            hint="Add 'kind: software-item' (or the right kind) to the item or the file.",
            path=path,
            line=line,
            item=item_id,
        )

    def _example(self, kind: object) -> str:
        """An ID of ``kind`` (else of the first kind with a prefix), as the project writes it."""
        kinds = self.config.kinds
        names = [kind] if isinstance(kind, str) and kind in kinds else []
        preferred = [n for n in ("software-requirement",) if n in kinds]
        for name in [*names, *preferred, *self.config.kind_by_prefix.values()]:
            example = kinds[name].example_id()
            if example is not None:
                return example
        return "SRS-1"

    def _examples(self) -> str:
        kinds = self.config.kinds
        found = [kinds[k].example_id() or p for p, k in self.config.kind_by_prefix.items()]
        return ", ".join(found)

    # @implements SRS-61, SRS-351
    def _named(self, path: str) -> tuple[str | None, str | None]:
        """``RW-SW-12-title.md`` → ``RW-SW-12``: a known prefix, then the number (or, for a
        kind with its own pattern, the shortest start of the name that has its form), with the
        kind of that prefix; ``(None, None)`` when the name gives no ID.

        That kind is ``config.kind_of_id`` of the ID as well as of the name: the ID is the
        name up to a separator (``-_ .``) or its end, and at least as long as the prefix; the
        longest known prefix followed by no letter is then the same in both (a longer one
        would have matched the name too). So an item named so needs no second look-up."""
        name = path[path.rfind("/") + 1 :]
        dot = name.rfind(".")
        stem = name[:dot] if dot >= 0 else name
        kind = self.config.kind_of_id(stem)
        if kind is None:
            return _UNNAMED
        start, fullmatch, patterned = self.forms[kind]
        m = _NUMBERED.match(stem, start)
        if m is not None and fullmatch(stem[: m.end()]):
            return stem[: m.end()], kind
        if patterned:
            ends = [m.start() for m in _SEPARATOR.finditer(stem, start + 1)]
            for end in [*ends, len(stem)]:
                if fullmatch(stem[:end]):
                    return stem[:end], kind
        return _UNNAMED

    # @implements SRS-67
    def _item(
        self, item_id: str, kind: str, data: dict[str, Any], record: Record, path: str
    ) -> Item:
        roles, one_value = self.roles[kind], self.one_value[kind]
        fields: dict[str, Any] = {}
        unknown: dict[str, Any] = {}
        invalid: dict[str, Any] = {}
        for name, value in data.items():
            # A key that is not text never equals a field name: only then is it made text.
            role = roles.get(name)
            if role is None:
                role = roles.get(str(name))
                if role is None:
                    unknown[str(name)] = value
                    continue
            if role in one_value and isinstance(value, _CONTAINERS):
                invalid[role] = value
            else:
                fields[role] = value
        title = fields.get("title")
        text = fields.get("text")
        if record.body is not None:
            if text is None:
                text = record.body.strip()
            if title is None:
                title = heading(record.body)
                if title is not None:
                    fields["title"] = title
        return Item(
            item_id,
            kind,
            title=title if isinstance(title, str) else "",
            text=text if isinstance(text, str) else "",
            fields=fields,
            unknown=unknown,
            invalid=invalid,
            path=path,
            line=record.line,
            index=record.index,
        )
