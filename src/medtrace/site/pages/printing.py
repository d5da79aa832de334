"""``print.html``: the whole set as one document for printing and PDF (title page, table of
contents, every section on a new page), made of the same templates' content blocks."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from markupsafe import Markup

from medtrace.render.matrix.registry import GENERATOR
from medtrace.site.data import SiteData
from medtrace.site.markup import environment
from medtrace.site.names import document_page
from medtrace.site.pages import architecture, clauses, dashboard, documents, risks, soup, tests
from medtrace.site.pages.common import NAV, Pages, content_of, site_page
from medtrace.site.pages.items import field_rows, item_status
from medtrace.site.pages.matrix import html_cell, link_targets

__all__ = ["Section"]


@dataclass(frozen=True)
class Section:
    anchor: str
    title: str
    html: Markup


def _page_content(data: SiteData, maker: Any, path: str, template: str) -> Markup:
    """The content block of a root page, from the context its maker gives."""
    return Markup(content_of(template, data, "print.html", **maker.context(data)))


def _documents(data: SiteData) -> list[Section]:
    out = []
    for path, items in documents.documents_of(data).items():
        html = content_of(
            "document.html.j2",
            data,
            "print.html",
            doc_path=path,
            items=items,
            rows=lambda item: list(field_rows(item, data.model)),
            status_of=item_status,
        )
        out.append(Section("doc-" + document_page(path).removesuffix(".html"), path, Markup(html)))
    return out


def _matrix(data: SiteData) -> list[Section]:
    anchors = {
        k: v.removeprefix("../") for k, v in link_targets(data).items() if v.startswith("../")
    }
    table = environment().get_template("matrix-table.html.j2")
    out = []
    for view in data.matrix.views:
        rows = [(key, [html_cell(c, anchors) for c in row]) for key, row in view.rows]
        html = table.render(view=view, rows=rows, root="")
        out.append(Section(f"matrix-{view.name}", f"Matrix: {view.title}", Markup(html)))
    return out


def sections(data: SiteData) -> list[Section]:
    """The sections of the print version, in reading order."""
    root_pages = [
        ("dashboard", "Summary", dashboard, "dashboard.html.j2"),
        ("clauses", "IEC 62304 clause map", clauses, "clauses.html.j2"),
        ("architecture", "Architecture", architecture, "architecture.html.j2"),
    ]
    out = [Section(a, t, _page_content(data, m, "", tpl)) for a, t, m, tpl in root_pages]
    out += _documents(data)
    out += [
        Section("risks", "Risks", _page_content(data, risks, "", "risks.html.j2")),
        Section("soup", "SOUP", _page_content(data, soup, "", "soup.html.j2")),
    ]
    out += _matrix(data)
    out.append(Section("tests", "Test report", _page_content(data, tests, "", "tests.html.j2")))
    return out


# @implements SRS-209
@site_page("print")
def print_version(data: SiteData) -> Pages:
    template = environment().get_template("print.html.j2")
    page = template.render(
        generator=GENERATOR,
        root="",
        stamp=data.stamp,
        nav=NAV,
        section="print",
        title="Documentation set",
        status=None,
        data=data,
        sections=sections(data),
    )
    return {"print.html": page}
