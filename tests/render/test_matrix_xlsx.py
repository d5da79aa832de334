"""The XLSX matrix, opened with openpyxl."""

from __future__ import annotations

import io
import sys

import openpyxl
import pytest

from medtrace.errors import UsageError
from medtrace.render.matrix import FORMATS, MARKER, render_matrix
from medtrace.render.matrix.workbook import MAX_WIDTH, MIN_WIDTH
from medtrace.tracing.matrix import Matrix, View

pytestmark = pytest.mark.verifies("SRS-23")

LONG = "x" * 200


def sample() -> Matrix:
    forward = View(
        "requirements",
        "Software requirements (forward)",
        ("ID", "Title", "Tests", "Status"),
        [
            (
                "SRS-1",
                (
                    ((("SRS-1", "SRS-1"),), None),
                    "=1+1",
                    ((("t.py:3 test_a", "t.py::test_a"),), None),
                    ((("verified", None),), "verified"),
                ),
            ),
            ("SRS-2", ("SRS-2", LONG, "a\x00b", ((("failing", None),), "failing"))),
        ],
    )
    tests = View(
        "tests",
        "Tests (backward)",
        ("Test", "Verifies"),
        [("t.py::test_a", ("test_a", ((("SRS-1 Title", "SRS-1"), ("SRS-2", "SRS-2")), None)))],
    )
    system = View("system-requirements", "System requirements (forward)", ("ID",), [])
    return Matrix("Pump", "C", [forward, system, tests])


@pytest.fixture
def book() -> openpyxl.Workbook:
    data = render_matrix("xlsx", sample())
    assert isinstance(data, bytes)
    return openpyxl.load_workbook(io.BytesIO(data))


def test_registered_as_binary() -> None:
    form = FORMATS["xlsx"]
    assert form.binary and form.suffix == ".xlsx" and form.owner == "workbook"


def test_one_sheet_per_view(book: openpyxl.Workbook) -> None:
    assert book.sheetnames == ["Requirements", "System requirements", "Tests"]
    assert MARKER in book.properties.description
    assert book.properties.creator == "medtrace"


def test_header_frozen_bold_and_filtered(book: openpyxl.Workbook) -> None:
    sheet = book["Requirements"]
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == "A1:D3"
    assert [c.value for c in sheet[1]] == ["ID", "Title", "Tests", "Status"]
    assert all(c.font.b for c in sheet[1])
    assert book["System requirements"].auto_filter.ref == "A1:A1"


def test_values_are_text_never_formulas(book: openpyxl.Workbook) -> None:
    sheet = book["Requirements"]
    assert sheet["B2"].value == "=1+1" and sheet["B2"].data_type == "s"
    assert sheet["C3"].value == "ab"  # a character XLSX cannot hold is dropped


def test_column_widths_fit_content_within_caps(book: openpyxl.Workbook) -> None:
    widths = book["Requirements"].column_dimensions
    assert widths["A"].width == MIN_WIDTH
    assert widths["B"].width == MAX_WIDTH  # 200 characters: capped
    assert MIN_WIDTH < widths["C"].width < MAX_WIDTH
    assert widths["C"].width >= len("t.py:3 test_a")


def test_wrapped_text_and_status_colours(book: openpyxl.Workbook) -> None:
    sheet = book["Requirements"]
    assert sheet["B2"].alignment.wrap_text
    verified, failing = sheet["D2"], sheet["D3"]
    assert verified.value == "verified" and failing.value == "failing"
    assert verified.fill.fill_type == "solid" and failing.fill.fill_type == "solid"
    assert verified.fill.fgColor.rgb != failing.fill.fgColor.rgb
    assert sheet["B2"].fill.fill_type is None


def test_links_to_rows_of_other_sheets(book: openpyxl.Workbook) -> None:
    forward, tests = book["Requirements"], book["Tests"]
    assert forward["C2"].hyperlink.location == "'Tests'!A2"
    assert forward["A2"].hyperlink is None  # its own row
    assert tests["B2"].hyperlink is None  # two targets: no single link
    assert forward["C2"].value == "t.py:3 test_a"


def test_missing_openpyxl_has_an_install_hint(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "openpyxl", None)
    with pytest.raises(UsageError, match=r"pip install 'medtrace\[xlsx\]'"):
        render_matrix("xlsx", sample())
