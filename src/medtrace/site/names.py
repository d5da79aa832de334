"""File names of the pages: an item's page, a document's page. A name never comes raw from
an ID or a path that could climb out of the site or hide characters."""

from __future__ import annotations

import hashlib
import re
from urllib.parse import quote

from medtrace.model import Item

__all__ = ["document_key", "document_page", "item_document", "item_href", "item_path", "page_name"]

_SAFE_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,120}")
_RESERVED = {"index", "print"}


# @implements SRS-206
def page_name(item_id: str) -> str:
    """The file name (without folder) of an item's page: the ID itself when it is a plain name,
    else a name derived from its digest (an ID with a slash, a control or a bidi override
    never becomes a path)."""
    if _SAFE_NAME.fullmatch(item_id) and item_id.lower() not in _RESERVED:
        return f"{item_id}.html"
    digest = hashlib.blake2b(item_id.encode("utf-8", "surrogatepass"), digest_size=8)
    return f"id-{digest.hexdigest()}.html"


def item_href(item_id: str) -> str:
    """The link to an item's page from the site root."""
    return "items/" + quote(page_name(item_id))


def item_path(item_id: str) -> str:
    """The path of an item's page from the site root (not URL-quoted)."""
    return "items/" + page_name(item_id)


_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


def document_page(path: str) -> str:
    """The page name of the document read from ``path``: readable, and unique by a digest."""
    stem = _UNSAFE.sub("-", path.rsplit(".", 1)[0]).strip("-.")[:60] or "items"
    digest = hashlib.blake2b(path.encode("utf-8", "surrogatepass"), digest_size=4).hexdigest()
    return f"{stem}-{digest}.html"


def document_key(path: str) -> str:
    if path.endswith(".md") and "/" in path:
        return path.rsplit("/", 1)[0] + "/"
    return path


def item_document(item: Item) -> str:
    """The page of the document that holds ``item``."""
    return f"documents/{document_page(document_key(item.path))}"
