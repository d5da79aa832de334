"""The matrix as CSV (RFC 4180, via the :mod:`csv` module): one view per file.

To standard output or to a file: the first view asked for (the forward requirements view by
default, or the one named with ``--view``). To a directory: one ``VIEW.csv`` per view.

A cell's values are separated by line breaks (quoted, as CSV allows). As the OWASP guidance
on CSV injection asks, a cell that starts with ``=``, ``+``, ``-`` or ``@`` (or their full-width
forms), after any leading whitespace (spreadsheets skip it: `` =1+1`` is a formula too), or
that starts with a tab or a carriage return, gets a leading ``'``, so that spreadsheet
programs show it as text instead of running it as a formula.
"""

from __future__ import annotations

import csv

from medtrace.render.matrix.registry import matrix_format
from medtrace.tracing.matrix import Matrix, Value, View

__all__ = ["csv_files", "guard", "render_csv", "view_csv"]

_FORMULA = frozenset("=+-@\uff1d\uff0b\uff0d\uff20")
#: First characters that call for a closer look: formula starts and whitespace.
_SUSPECT = frozenset("=+-@\uff1d\uff0b\uff0d\uff20 \t\r\n\x0b\x0c\xa0\u3000")


# @implements SRS-78
def guard(text: str) -> str:
    """``text``, with a leading ``'`` if a spreadsheet would read it as a formula."""
    if text[:1] not in _SUSPECT or not text:
        return text
    if text[0] in "\t\r" or text.lstrip()[:1] in _FORMULA:
        return "'" + text
    return text


def view_csv(view: View) -> str:
    chunks: list[str] = []
    writer = csv.writer(_Chunks(chunks))
    writer.writerow(view.columns)
    text = _Texts()
    writer.writerows([[text(c) for c in cells] for _, cells in view.rows])
    return "".join(chunks)


class _Chunks:
    """A file that keeps what is written (cheaper than a StringIO for many small writes)."""

    def __init__(self, chunks: list[str]) -> None:
        self.write = chunks.append


class _Texts:
    """Cells' texts, never read as formulas; each shared cell (the same requirement verified by
    a thousand tests) is joined once."""

    def __init__(self) -> None:
        self.seen: dict[int, str] = {}

    def __call__(self, value: Value) -> str:
        if isinstance(value, str):
            return guard(value)
        text = self.seen.get(id(value))  # the matrix holds every cell: ids stay unique
        if text is None:
            text = self.seen[id(value)] = guard("\n".join([t for t, _ in value[0]]))
        return text


def csv_files(matrix: Matrix) -> dict[str, str]:
    """File name → content, one per view."""
    return {f"{view.name}.csv": view_csv(view) for view in matrix.views}


@matrix_format("csv", ".csv", split=csv_files, owner="manifest")
def render_csv(matrix: Matrix) -> str:
    return view_csv(matrix.views[0]) if matrix.views else ""
