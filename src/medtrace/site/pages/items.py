"""One page per item (``items/<ID>.html``): every field, the rendered text, its status, links
both ways, the code that implements it, the tests that verify it with their latest results,
and its change history from git."""

from __future__ import annotations

import functools
import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from medtrace.model import Item, Model
from medtrace.site.data import SiteData
from medtrace.site.names import item_document, item_path
from medtrace.site.pages.common import Deferred, render, site_page

__all__ = ["FieldRow", "document_status", "field_rows", "item_status"]

STATUSES = ("draft", "review", "approved", "obsolete")


@dataclass(frozen=True)
class FieldRow:
    name: str
    text: str  # the value as text, when it holds no link
    links: tuple[tuple[str, bool], ...]  # (ID, resolved) when it is a link field


def item_status(item: Item) -> str | None:
    """The item's document status (draft, review, approved, obsolete), when it has one."""
    value = item.get("status")
    return value if isinstance(value, str) and value in STATUSES else None


def document_status(item: Item) -> str:
    return item_status(item) or "none"


def _text(value: Any) -> str:
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, list) and all(isinstance(v, str | int | float) for v in value):
        return ", ".join(str(v) for v in value)
    return json.dumps(value, ensure_ascii=False, default=str)


# @implements SRS-203
def field_rows(item: Item, model: Model) -> Iterator[FieldRow]:
    """Every field of the item, known and unknown, links with whether they resolve."""
    linked: dict[str, list[tuple[str, bool]]] = {}
    for link in model.outgoing.get(item.id, ()):
        linked.setdefault(link.field, []).append((link.target, link.resolved))
    for name, value in item.fields.items():
        if name == "title":
            continue
        if name in linked:
            yield FieldRow(name, "", tuple(linked[name]))
        else:
            yield FieldRow(name, _text(value), ())
    for name, value in item.unknown.items():
        yield FieldRow(f"{name} (unknown field)", _text(value), ())


def _incoming(item: Item, model: Model) -> list[tuple[str, str, str]]:
    """(field, source ID, source title) of every item that names this one."""
    out = []
    for link in model.incoming.get(item.id, ()):
        source = model.items[link.source]
        out.append((link.field, source.id, source.title))
    return out


def _page(data: SiteData, item: Item, path: str) -> str:
    return render(
        "item.html.j2",
        data,
        path,
        "documents",
        f"{item.id} {item.title}".strip(),
        item=item,
        status=item_status(item),
        kind=data.title_of(item.kind),
        fields=list(field_rows(item, data.model)),
        incoming=_incoming(item, data.model),
        entry=data.trace.items.get(item.id),
        approvals=data.approvals.get(item.id, ()),
        changes=data.history.changes.get(item.id, ()),
        history_note=data.history.note,
        document=item_document(item),
    )


@site_page("items")
def item_pages(data: SiteData) -> Deferred:
    """One page per item, rendered when it is written (see :class:`Deferred`)."""
    out = Deferred()
    for item in data.model:
        path = item_path(item.id)
        out[path] = functools.partial(_page, data, item, path)
    return out
