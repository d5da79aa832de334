"""What every page shares: the registry, the navigation, the relative root and the rendering
of a template (or of its content block alone, for the print version)."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from markupsafe import Markup

from medtrace.registry import registrar, same
from medtrace.render.matrix.registry import GENERATOR
from medtrace.site.data import SiteData
from medtrace.site.markup import environment
from medtrace.site.stamp import Stamp

__all__ = [
    "NAV",
    "PAGES",
    "Deferred",
    "Pages",
    "render",
    "render_pages",
    "root_of",
    "site_page",
]

Pages = dict[str, str]


class Deferred(dict[str, Callable[[], str]]):
    """Pages made only when they are written (path → a function that renders the page), a
    batch at a time: the item pages, which at 100,000 items would otherwise all be held in
    memory at once (gigabytes). The print version does not gather them."""


PageMaker = Callable[[SiteData], Pages | Deferred]

#: section key → (label, path from the root); the order of the navigation bar
NAV: list[tuple[str, str, str]] = [
    ("dashboard", "Dashboard", "index.html"),
    ("documents", "Requirements", "documents.html"),
    ("architecture", "Architecture", "architecture.html"),
    ("risks", "Risks", "risks.html"),
    ("soup", "SOUP", "soup.html"),
    ("matrix", "Matrix", "matrix/index.html"),
    ("tests", "Tests", "tests.html"),
    ("anomalies", "Anomalies", "anomalies.html"),
    ("clauses", "IEC 62304", "clauses.html"),
    ("print", "Print", "print.html"),
]

PAGES: dict[str, PageMaker] = {}


def site_page(name: str) -> Callable[[PageMaker], PageMaker]:
    """Register the decorated function as the maker of the pages called ``name``."""

    return registrar(PAGES, name, same)


def render_pages(data: SiteData) -> tuple[Pages, Deferred]:
    """Every page of every registered maker, then the print version, which gathers them; and
    the pages deferred until they are written."""
    from medtrace.site.pages.printing import print_version

    out: Pages = {}
    later = Deferred()
    for maker in PAGES.values():
        made = maker(data)
        if isinstance(made, Deferred):
            later |= made
        else:
            out |= made
    return out | print_version(data, out), later


def root_of(path: str) -> str:
    """The relative path from the page at ``path`` to the site root (``""`` or ``"../"``)."""
    return "../" * path.count("/")


@functools.lru_cache(maxsize=64)
def _chrome(stamp: Stamp, root: str, section: str) -> Markup:
    """The header, navigation and stamp: the same on every page of a section and depth."""
    template = environment().get_template("chrome.html.j2")
    return Markup(template.render(stamp=stamp, root=root, section=section, nav=NAV))


def _context(
    data: SiteData, path: str, section: str, title: str, extra: dict[str, Any]
) -> dict[str, Any]:
    root = root_of(path)
    return {
        "generator": GENERATOR,
        "chrome": _chrome(data.stamp, root, section),
        "root": root,
        "stamp": data.stamp,
        "nav": NAV,
        "section": section,
        "title": title,
        "status": None,
        "data": data,
        **extra,
    }


# @implements SRS-200
def render(template: str, data: SiteData, path: str, section: str, title: str, **extra: Any) -> str:
    """The page at ``path`` from ``template`` (which extends ``base.html.j2``)."""
    context = _context(data, path, section, title, extra)
    return environment().get_template(template).render(context)
