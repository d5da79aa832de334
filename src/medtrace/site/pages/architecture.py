"""The architecture page: the system view drawn from the model, inline, each box a link to its
item's page, and the documentation of the declared interfaces."""

from __future__ import annotations

from typing import Any

from markupsafe import Markup

from medtrace.site.data import SiteData
from medtrace.site.pages.common import Pages, render, site_page

__all__ = ["context", "inline_svg"]


def inline_svg(svg: str) -> Markup:
    """An SVG document as markup to put inside HTML: from its ``<svg`` tag on (the XML
    declaration, doctype and comments before it dropped). The SVG comes from medtrace's own
    renderers, which escape every text they write."""
    start = svg.find("<svg")
    return Markup(svg[start:] if start >= 0 else "")


# @implements SRS-204
def context(data: SiteData) -> dict[str, Any]:
    items = data.model.of_kind("software-item")
    return {
        "svg": inline_svg(data.architecture_svg) if data.architecture_svg else None,
        "note": data.architecture_note,
        "items": items,
        "interfaces": Markup(data.interfaces_html),
    }


@site_page("architecture")
def architecture(data: SiteData) -> Pages:
    title = "Architecture"
    page = render(
        "architecture.html.j2", data, "architecture.html", "architecture", title, **context(data)
    )
    return {"architecture.html": page}
