"""The SOUP list (IEC 62304 8.1.2): every SOUP item with its required fields, and where the
list and the lockfiles disagree (:mod:`medtrace.soup`'s drift report)."""

from __future__ import annotations

from typing import Any

from medtrace.site.data import SiteData
from medtrace.site.pages.common import Pages, render, site_page

__all__ = ["context"]

#: The columns of the list: field role → heading.
COLUMNS = {
    "version": "Version",
    "manufacturer": "Manufacturer",
    "purpose": "Purpose",
    "license": "Licence",
    "support": "Support",
    "end_of_support": "End of support",
}


def _drift(data: SiteData) -> dict[str, str]:
    """SOUP ID → what the drift report says of it."""
    out: dict[str, str] = {}
    soup = data.soup or {}
    for m in soup.get("matched", []):
        out[m["soup"]] = "matched"
    for m in soup.get("mismatched", []):
        out[m["soup"]] = "locked " + ", ".join(m["locked"])
    for u in soup.get("unused", []):
        out[u["soup"]] = "not in any lockfile"
    return out


# @implements SRS-204
def context(data: SiteData) -> dict[str, Any]:
    return {
        "entries": data.model.of_kind("soup"),
        "columns": COLUMNS,
        "drift": _drift(data),
        "report": data.soup,
        "note": data.soup_note,
    }


@site_page("soup")
def soup(data: SiteData) -> Pages:
    page = render("soup.html.j2", data, "soup.html", "soup", "SOUP", **context(data))
    return {"soup.html": page}
