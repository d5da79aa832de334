"""The matrix as one standalone HTML page, from the Jinja2 template ``templates/matrix.html.j2``.

The page needs nothing else: CSS and the filtering/sorting script are inline, nothing is
fetched, and it works opened from ``file://``. Every user string goes through Jinja2's
autoescaping. Each row with a key has it as its ``id``, so ``matrix.html#SRS-12`` jumps to the
row; a link is made only to a row the page holds. Status cells are coloured and keep their text.

A value longer than :data:`CAP` characters shows its start, and the rest in a closed
``<details>``: the layout of a cell stays bounded (a 100,000-character unbroken title must not
stall the browser), and the filter still finds the whole text. IDs never break mid-word.
"""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING, NamedTuple
from urllib.parse import quote

from medtrace.render.matrix.registry import GENERATOR, matrix_format
from medtrace.tracing.matrix import Matrix, Value, View, cell_parts, cell_status

if TYPE_CHECKING:
    import jinja2

__all__ = ["render_html"]

#: Characters a URL fragment may hold as they are (RFC 3986), besides letters and digits.
_FRAGMENT_SAFE = "-._~!$&'()*+,;=:@/?"


#: Characters of a value shown in its cell; the rest waits in a closed ``<details>``, so that
#: the browser never lays out an unbounded unbroken text when the page opens.
CAP = 1000


class _Part(NamedTuple):
    text: str  # shown, at most CAP characters
    rest: str  # the rest, shown on demand
    href: str | None
    is_id: bool  # an ID (the key of the row it links to): never broken across lines


class _Cell(NamedTuple):
    parts: list[_Part]
    status: str | None


class _Row(NamedTuple):
    key: str | None
    cells: list[_Cell]


class _View(NamedTuple):
    name: str
    title: str
    columns: tuple[str, ...]
    rows: list[_Row]


@functools.cache
def _environment() -> jinja2.Environment:
    import jinja2

    loader = jinja2.PackageLoader("medtrace.render.matrix", "templates")
    return jinja2.Environment(loader=loader, autoescape=True, trim_blocks=True, lstrip_blocks=True)


# @implements SRS-94
@matrix_format("html", ".html")
def render_html(matrix: Matrix) -> str:
    anchors = set(matrix.anchors())
    template = _environment().get_template("matrix.html.j2")
    return template.render(
        generator=GENERATOR,
        project=matrix.project or "project",
        safety_class=matrix.safety_class,
        views=[_view(v, anchors) for v in matrix.views],
    )


def _view(view: View, anchors: set[str]) -> _View:
    rows = [_Row(key, [_cell(c, anchors) for c in cells]) for key, cells in view.rows]
    return _View(view.name, view.title, view.columns, rows)


def _cell(value: Value, anchors: set[str]) -> _Cell:
    parts = [_part(text, link, anchors) for text, link in cell_parts(value)]
    return _Cell(parts, cell_status(value))


# @implements SRS-78
def _part(text: str, link: str | None, anchors: set[str]) -> _Part:
    return _Part(text[:CAP], text[CAP:], _href(link, anchors), link == text)


def _href(link: str | None, anchors: set[str]) -> str | None:
    if link is None or link not in anchors:
        return None
    return "#" + quote(link, safe=_FRAGMENT_SAFE)
