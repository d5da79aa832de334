"""The pages of the documentation set, registered by name: each is a function of the
:class:`~medtrace.site.data.SiteData` giving its files (path from the site root → HTML)."""

from medtrace.site.pages import (
    anomalies,
    architecture,
    clauses,
    dashboard,
    documents,
    items,
    matrix,
    printing,
    risks,
    soup,
    tests,
)
from medtrace.site.pages.common import PAGES, Deferred, render_pages

__all__ = [
    "PAGES",
    "Deferred",
    "anomalies",
    "architecture",
    "clauses",
    "dashboard",
    "documents",
    "items",
    "matrix",
    "printing",
    "render_pages",
    "risks",
    "soup",
    "tests",
]
