"""``print.html``: the whole set as one document for printing and PDF (title page, table of
contents, every section on a new page), made of the content of the pages already rendered,
their links rebased to the site root."""

from __future__ import annotations

import re
from dataclasses import dataclass

from markupsafe import Markup

from medtrace.site.data import SiteData
from medtrace.site.pages.common import Pages, render

__all__ = ["Section", "content", "print_version", "rebase", "sections"]

_START, _END = '<main id="content">\n', "\n</main>"
#: A link or source attribute of the pages' own markup (user text never holds a bare '"':
#: autoescaping writes it as an entity).
_URL = re.compile(r'(href|src)="([^"]*)"')
_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")


@dataclass(frozen=True)
class Section:
    anchor: str
    title: str
    html: Markup

    @property
    def wide(self) -> bool:
        """Whether it holds a wide table or diagram (printed on landscape pages)."""
        return '<section class="wide">' in self.html


def content(page: str) -> str:
    """The content of a rendered page (what is inside its ``main``)."""
    start = page.find(_START)
    end = page.rfind(_END)
    return page[start + len(_START) : end] if 0 <= start < end else ""


def rebase(html: str, folder: str) -> str:
    """Links of a page in ``folder`` (``"matrix/"``) made relative to the site root."""

    def fix(m: re.Match[str]) -> str:
        url = m.group(2)
        if url.startswith("#") or _SCHEME.match(url):
            return m.group(0)
        url = url[3:] if url.startswith("../") else folder + url
        return f'{m.group(1)}="{url}"'

    return _URL.sub(fix, html) if folder else html


def _section(pages: Pages, path: str, title: str) -> Section:
    folder = path.rsplit("/", 1)[0] + "/" if "/" in path else ""
    anchor = "print-" + re.sub(r"[^A-Za-z0-9_-]+", "-", path.removesuffix(".html"))
    return Section(anchor, title, Markup(rebase(content(pages[path]), folder)))


def _numbered(path: str) -> tuple[str, int]:
    stem, _, number = path.removesuffix(".html").rpartition("-")
    return (stem, int(number)) if number.isdigit() else (path, 0)


# @implements SRS-209
def sections(data: SiteData, pages: Pages) -> list[Section]:
    """The sections of the print version, in reading order."""
    order = [("index.html", "Summary"), ("clauses.html", "IEC 62304 clause map")]
    order += [("architecture.html", "Architecture")]
    order += [(p, "Document") for p in sorted(pages) if p.startswith("documents/")]
    order += [("risks.html", "Risks"), ("soup.html", "SOUP")]
    views = {v.name: n for n, v in enumerate(data.matrix.views)}
    matrix = [p for p in pages if p.startswith("matrix/") and p != "matrix/index.html"]
    matrix.sort(
        key=lambda p: (views.get(_numbered(p)[0].removeprefix("matrix/"), 99), _numbered(p))
    )
    order += [(p, "Traceability matrix") for p in matrix]
    order += [("tests.html", "Test report"), ("anomalies.html", "Known anomalies")]
    out = [_section(pages, path, title) for path, title in order if path in pages]
    return [_titled(s) for s in out]


def _titled(section: Section) -> Section:
    """The section's title from its first heading, when it has one."""
    m = re.search(r"<h1[^>]*>(.*?)</h1>", section.html, re.S)
    if m is None:
        return section
    title = Markup(re.sub(r"<[^>]+>", "", m.group(1))).unescape().strip()
    return Section(section.anchor, title or section.title, section.html)


def print_version(data: SiteData, pages: Pages) -> Pages:
    page = render(
        "print.html.j2", data, "print.html", "print", "Documentation set",
        sections=sections(data, pages),
    )  # fmt: skip
    return {"print.html": page}
