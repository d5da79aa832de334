"""Requirements by document: ``documents.html`` lists the item files, and each gets a page
(``documents/<name>.html``) with every item in file order, anchored by its ID."""

from __future__ import annotations

from collections import Counter

from medtrace.model import Item
from medtrace.site.data import SiteData
from medtrace.site.names import document_key, document_page
from medtrace.site.pages.common import Pages, render, site_page
from medtrace.site.pages.items import field_rows, item_status

__all__ = ["documents_of"]


def documents_of(data: SiteData) -> dict[str, list[Item]]:
    """Item file → its items in file order; files in path order. An item per Markdown file
    in a folder makes one document of the folder."""
    out: dict[str, list[Item]] = {}
    for item in data.model:
        out.setdefault(document_key(item.path), []).append(item)
    for items in out.values():
        items.sort(key=lambda i: (i.path, i.index))
    return dict(sorted(out.items()))


# @implements SRS-203
@site_page("documents")
def document_pages(data: SiteData) -> Pages:
    documents = documents_of(data)
    listing = []
    out: Pages = {}
    for path, items in documents.items():
        name = f"documents/{document_page(path)}"
        kinds = Counter(data.title_of(i.kind) for i in items)
        listing.append((path, name, ", ".join(f"{k} ({n})" for k, n in kinds.items())))
        out[name] = render(
            "document.html.j2",
            data,
            name,
            "documents",
            path,
            doc_path=path,
            items=items,
            rows=lambda item: list(field_rows(item, data.model)),
            status_of=item_status,
        )
    out["documents.html"] = render(
        "documents.html.j2",
        data,
        "documents.html",
        "documents",
        "Requirements and items",
        listing=listing,
    )
    return out
