"""Items made from cache records with their repeated strings shared (a resident process).

MessagePack makes a new string for every string it reads (only a mapping's keys are interned),
so 100,000 items read from the items cache held 100,000 copies of ``"software-requirement"``,
of each software item's ID, of each category, of each parent's ID, and each title twice (the
row holds it beside ``fields["title"]``): about 50 MB of a resident server's memory. An item
made here holds the same values, equal field by field to :meth:`Item.from_tuple`'s, but its
kind, its path and its short field values are interned (the path then is the very key of the
file's cache entry, which MessagePack interned) and its title is the one string of both places.

Only the resident server makes items this way (once per file read, never in a command), so the
few calls per item cost a command nothing.
"""

from __future__ import annotations

import sys
from typing import Any

from medtrace.model import Item

__all__ = ["shared_item"]

#: Field values up to this long are interned: IDs, categories, levels, classes... Longer ones
#: (sentences) are seldom repeated, and an interned string is looked up in a table when made.
SHORT = 64

_intern = sys.intern


# @implements SRS-360
def shared_item(row: Any) -> Item:
    """:meth:`Item.from_tuple` of ``row``, its repeated strings shared (see above)."""
    item = Item.from_tuple(row)
    if type(item.kind) is str:
        item.kind = _intern(item.kind)
    if type(item.path) is str:
        item.path = _intern(item.path)
    fields = item.fields
    if type(fields) is dict and fields:
        _share_fields(fields, item.title)
    return item


def _share_fields(fields: dict[str, Any], title: Any) -> None:
    """Intern the short strings of ``fields`` (and of its lists of strings), and hold the
    item's own title object under ``"title"`` when it is an equal string (values unchanged)."""
    for key, value in list(fields.items()):
        kind = type(value)
        if kind is str:
            if key == "title" and type(title) is str and value == title:
                fields[key] = title
            elif len(value) <= SHORT:
                fields[key] = _intern(value)
        elif kind is list and value:
            fields[key] = [_intern(v) if type(v) is str and len(v) <= SHORT else v for v in value]
