"""Turn raw records into items: tell the ID and the kind, map field names to their roles."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from medtrace.config import Config
from medtrace.diagnostics import Diagnostic
from medtrace.loading.codes import ITEM_INVALID, KIND_UNKNOWN
from medtrace.loading.parse import Record
from medtrace.model import Item

__all__ = ["Builder"]

_PREFIXED = re.compile(r"([A-Za-z][A-Za-z0-9_]*)-(\d+)(?=$|[-_ .])")
_HEADING = re.compile(r"^#[ \t]+(.+?)[ \t#]*$", re.M)


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

    def build(self, record: Record, path: str) -> tuple[Item | None, list[Diagnostic]]:
        data = dict(record.data)
        raw_id = data.pop("id", None)
        raw_kind = data.pop("kind", None)
        where: dict[str, Any] = {"path": path, "line": record.line}
        if raw_id is None and record.body is not None:
            raw_id = self._id_from_filename(path)
        if raw_id is None:
            return None, [
                ITEM_INVALID(
                    "item without an ID",
                    expected="an 'id' field"
                    + (" or a file named after the ID" if record.body is not None else ""),
                    hint="add 'id: SRS-1' (or the ID of the right kind)",
                    **where,
                )
            ]
        if not isinstance(raw_id, str | int) or isinstance(raw_id, bool):
            return None, [
                ITEM_INVALID(
                    f"the ID is a {type(raw_id).__name__}",
                    expected="an ID written as text, such as SRS-1",
                    hint="write the ID as plain text",
                    **where,
                )
            ]
        item_id = str(raw_id)
        kind, diag = self._kind(raw_kind or record.file_kind, item_id, path, record.line)
        if kind is None:
            return None, [diag] if diag else []
        return self._item(item_id, kind, data, record, path), []

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
                hint=f"did you mean '{close[0]}'?" if close else "declare the kind in [kinds]",
                path=path,
                line=line,
                item=item_id,
            )
        m = _PREFIXED.match(item_id)
        if m and m.group(1) in self.config.kind_by_prefix:
            return self.config.kind_by_prefix[m.group(1)], None
        return None, KIND_UNKNOWN(
            f"cannot tell the kind of {item_id}",
            expected="a 'kind' field, a 'kind' for the whole file, or an ID with a known prefix "
            f"({', '.join(p + '-1' for p in self.config.kind_by_prefix)})",
            hint="add 'kind: software-item' (or the right kind) to the item or the file",
            path=path,
            line=line,
            item=item_id,
        )

    def _id_from_filename(self, path: str) -> str | None:
        m = _PREFIXED.match(path, path.rfind("/") + 1)
        if m and m.group(1) in self.config.kind_by_prefix:
            return f"{m.group(1)}-{m.group(2)}"
        return None

    def _item(
        self, item_id: str, kind: str, data: dict[str, Any], record: Record, path: str
    ) -> Item:
        roles = self.roles[kind]
        fields: dict[str, Any] = {}
        unknown: dict[str, Any] = {}
        for name, value in data.items():
            role = roles.get(str(name))
            if role is None:
                unknown[str(name)] = value
            else:
                fields[role] = value
        title = fields.get("title")
        text = fields.get("text")
        if record.body is not None:
            if text is None:
                text = record.body.strip()
            if title is None:
                m = _HEADING.search(record.body)
                if m:
                    title = m.group(1)
                    fields["title"] = title
        return Item(
            item_id,
            kind,
            title=title if isinstance(title, str) else "",
            text=text if isinstance(text, str) else "",
            fields=fields,
            unknown=unknown,
            path=path,
            line=record.line,
            index=record.index,
        )
