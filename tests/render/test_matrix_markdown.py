"""The Markdown matrix: GitHub tables whose cells cannot break out of their cell."""

from __future__ import annotations

import pytest

from medtrace.render.matrix import FORMATS, MARKER, render_matrix
from medtrace.render.matrix.markdown import escape
from medtrace.tracing.matrix import Matrix, Row, View

pytestmark = pytest.mark.verifies("SRS-23")

EVIL = "<script>alert(1)</script> | *x* _y_ [z](http://e.test) `c` \\"


def sample() -> Matrix:
    columns = ("ID", "Title", "Tests", "Status")
    rows: list[Row] = [
        (
            "SRS-1",
            (
                ((("SRS-1", "SRS-1"),), None),
                EVIL,
                (
                    (("tests/t.py:3 test_a", "tests/t.py::test_a"), ("tests/t.py:9 test_b", None)),
                    None,
                ),
                ((("verified", None),), "verified"),
            ),
        ),
        ("SRS_2", (((("SRS_2", "SRS_2"),), None), "line one\nline two", "", "untested")),
    ]
    views = [View("requirements", "Software requirements (forward)", columns, rows)]
    return Matrix("Pump | 2", "C", [*views, View("code", "Code (backward)", ("Location",), [])])


def table_rows(text: str) -> list[str]:
    return [line for line in text.splitlines() if line.startswith("| ")]


def test_registered() -> None:
    assert FORMATS["markdown"].suffix == ".md" and not FORMATS["markdown"].binary


def test_marker_heading_and_sections() -> None:
    text = str(render_matrix("markdown", sample()))
    lines = text.splitlines()
    assert MARKER in lines[0] and lines[0].startswith("<!--") and lines[0].endswith("-->")
    assert lines[1] == "# Traceability matrix: Pump \\| 2"
    assert "## Software requirements (forward)" in lines
    assert "## Code (backward)" in lines
    assert "_None._" in lines  # an empty view says so instead of an empty table


def test_every_row_has_as_many_cells_as_the_header() -> None:
    text = str(render_matrix("markdown", sample()))
    rows = table_rows(text)
    header, *body = rows
    assert header == "| ID | Title | Tests | Status |"
    for row in body:
        unescaped = row.replace("\\|", "")
        assert unescaped.count("|") == 5, row


def test_cells_are_escaped() -> None:
    text = str(render_matrix("markdown", sample()))
    row = table_rows(text)[1]
    assert "<script>" not in text
    assert "&lt;script&gt;alert(1)&lt;/script&gt; \\| \\*x\\* \\_y\\_ \\[z\\](http://e.test)" in row
    assert "\\`c\\` \\\\" in row
    assert "tests/t.py:3 test\\_a<br>tests/t.py:9 test\\_b" in row
    assert "| SRS\\_2 | line one<br>line two |" in text


def test_escape_strips_the_table_borders() -> None:
    assert escape("a\x1fb\x1ec\r\nd") == "abc<br>d"


def test_a_cell_holding_a_border_character_cannot_add_a_cell() -> None:
    view = View("tests", "Tests", ("A", "B"), [("k", ("x\x1fy", "z\x1e"))])
    text = str(render_matrix("markdown", Matrix("p", "B", [view])))
    assert table_rows(text)[1] == "| xy | z |"
