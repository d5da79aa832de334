"""Content fingerprints of items: what a review or an approval is of.

A fingerprint is the SHA-256 of an item's normalised content: its kind, title, text and fields
(known, unknown and invalid ones), with every run of whitespace in a string made one space and
mapping keys sorted. So reflowing a paragraph, reordering keys or moving the item to another
file changes nothing, and any change of a word, a value or a link does. The ID is not content
(``medtrace renumber`` moves reviews to the new ID), nor is ``status``: the workflow state of
an item is kept apart from what was reviewed.
"""

from __future__ import annotations

import datetime
import hashlib
import json
import re
from typing import Any

from medtrace.model import Item

__all__ = ["EXCLUDED_FIELDS", "fingerprint", "normalised"]

#: Fields that are review metadata, not content.
EXCLUDED_FIELDS = frozenset({"status", "title", "text"})

_SPACE = re.compile(r"\s+")


# @implements SRS-245
def fingerprint(item: Item) -> str:
    """The SHA-256 (hex, 64 characters) of the item's normalised content."""
    blob = json.dumps(normalised(item), sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(blob.encode("utf-8", "surrogatepass")).hexdigest()


def normalised(item: Item) -> dict[str, Any]:
    """The content a fingerprint is taken of, as plain JSON data."""
    fields = {k: _plain(v) for k, v in item.fields.items() if k not in EXCLUDED_FIELDS}
    return {
        "kind": item.kind,
        "title": _plain(item.title),
        "text": _plain(item.text),
        "fields": fields,
        "unknown": {str(k): _plain(v) for k, v in item.unknown.items()},
        "invalid": {str(k): _plain(v) for k, v in item.invalid.items()},
    }


def _plain(value: Any) -> Any:
    """``value`` as JSON data, strings with their whitespace normalised."""
    if isinstance(value, str):
        return _SPACE.sub(" ", value).strip()
    if isinstance(value, bool | int | float) or value is None:
        return value
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, datetime.date | datetime.datetime):
        return value.isoformat()
    return _SPACE.sub(" ", str(value)).strip()
