"""The matrix as GitHub-flavoured Markdown: one section and one table per view.

Every cell is escaped: Markdown punctuation gets a backslash, ``|`` cannot end a cell, ``<``,
``>`` and ``&`` become entities (no raw HTML reaches the page) and line breaks become ``<br>``.
The first line is an HTML comment (invisible on GitHub) that marks the file as medtrace's own.
"""

from __future__ import annotations

from medtrace.render.matrix.registry import GENERATOR, matrix_format
from medtrace.tracing.matrix import Matrix, Value, View

__all__ = ["escape", "render_markdown"]

# A table is escaped as one string (a few passes of str.replace: fast on big tables), with
# two control characters standing for the borders of cells and rows until the end.
_CELL, _ROW = "\x1f", "\x1e"
_REPLACE = (
    ("\r", ""),
    ("&", "&amp;"),
    ("<", "&lt;"),
    (">", "&gt;"),
    ("\\", "\\\\"),
    *((c, "\\" + c) for c in "`*_[]|~"),
)
_STRUCTURE = (("\n", "<br>"), (_CELL, " | "), (_ROW, " |\n| "))


def _escape_table(text: str) -> str:
    for old, new in _REPLACE:
        if old in text:
            text = text.replace(old, new)
    return text


def escape(text: str) -> str:
    """Text safe inside a Markdown table cell."""
    return _structure(_escape_table(_strip(text)))


def _strip(text: str) -> str:
    return text.replace(_CELL, "").replace(_ROW, "")


def _structure(text: str) -> str:
    for old, new in _STRUCTURE:
        text = text.replace(old, new)
    return text


@matrix_format("markdown", ".md")
def render_markdown(matrix: Matrix) -> str:
    title = escape(matrix.project) if matrix.project else "project"
    lines = [
        f"<!-- {GENERATOR}: traceability matrix; edit the items, not this file -->",
        f"# Traceability matrix: {title}",
        "",
        f"Software safety class {escape(matrix.safety_class)}.",
    ]
    for view in matrix.views:
        lines += ["", f"## {escape(view.title)}", "", *_table(view)]
    return "\n".join(lines) + "\n"


def _table(view: View) -> list[str]:
    if not view.rows:
        return ["_None._"]
    head = "| " + " | ".join(escape(c) for c in view.columns) + " |"
    rule = "|" + "---|" * len(view.columns)
    cells = [[_text(c) for c in row] for _, row in view.rows]
    if _has_borders(cells):  # never seen in practice: a cell holding a border character
        cells = [[_strip(c) for c in row] for row in cells]
    body = _ROW.join([_CELL.join(row) for row in cells])
    return [head, rule, "| " + _structure(_escape_table(body)) + " |"]


def _has_borders(cells: list[list[str]]) -> bool:
    text = "".join(["".join(row) for row in cells])
    return _CELL in text or _ROW in text


def _text(value: Value) -> str:
    return value if isinstance(value, str) else "\n".join([text for text, _ in value[0]])
