"""The CSV matrix, read back with the csv module."""

from __future__ import annotations

import csv
import io

import pytest

from medtrace.render.matrix import FORMATS, render_matrix
from medtrace.render.matrix.csvfile import csv_files, guard
from medtrace.tracing.matrix import Matrix, View

pytestmark = pytest.mark.verifies("SRS-23")


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
                    'Say "hello", then stop',
                    ((("tests/t.py:3 test_a", "k"), ("tests/t.py:9 test_b", None)), None),
                    ((("verified", None),), "verified"),
                ),
            ),
            ("SRS-2", ("SRS-2", '=HYPERLINK("http://evil.test")', "", "-1+2")),
        ],
    )
    tests = View("tests", "Tests (backward)", ("Test", "Location"), [("k", ("test_a", "t.py:3"))])
    return Matrix("Pump", "C", [forward, tests])


def read(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text, newline="")))


def test_registered_with_one_file_per_view() -> None:
    form = FORMATS["csv"]
    assert form.suffix == ".csv" and form.split is csv_files and form.owner == "manifest"


def test_first_view_with_header_and_multiline_cells() -> None:
    rows = read(str(render_matrix("csv", sample())))
    assert rows[0] == ["ID", "Title", "Tests", "Status"]
    assert rows[1] == [
        "SRS-1",
        'Say "hello", then stop',
        "tests/t.py:3 test_a\ntests/t.py:9 test_b",
        "verified",
    ]
    assert len(rows) == 3


def test_formulas_are_neutralised() -> None:
    rows = read(str(render_matrix("csv", sample())))
    assert rows[2][1] == '\'=HYPERLINK("http://evil.test")'
    assert rows[2][3] == "'-1+2"


def test_one_file_per_view() -> None:
    files = csv_files(sample())
    assert list(files) == ["requirements.csv", "tests.csv"]
    assert read(files["tests.csv"]) == [["Test", "Location"], ["test_a", "t.py:3"]]


def test_no_view_is_empty() -> None:
    assert render_matrix("csv", Matrix("p", "A", [])) == ""


@pytest.mark.verifies("SRS-78")
@pytest.mark.parametrize(
    "cell",
    [
        "=1+1",
        " =1+1",
        "  +1",
        "\t=1+1",
        "\t",
        "\rx",
        "\n@SUM(A1)",
        "\u00a0-2+3",
        "\u3000=1",
        "\uff1dHYPERLINK(1)",
        "-",
        "@x",
    ],
)
def test_every_formula_start_is_neutralised(cell: str) -> None:
    """OWASP CSV injection: =, +, -, @ after optional whitespace; a leading tab or CR."""
    assert guard(cell) == "'" + cell
    forward = View("requirements", "R", ("Title",), [("SRS-1", (cell,))])
    assert read(render_matrix("csv", Matrix("p", "A", [forward])))[1] == ["'" + cell]


@pytest.mark.verifies("SRS-78")
@pytest.mark.parametrize("cell", ["", "SRS-1", " plain", "a = b", "x-1", "  ", "'=quoted"])
def test_ordinary_text_is_kept(cell: str) -> None:
    assert guard(cell) == cell


@pytest.mark.verifies("SRS-78")
def test_a_cell_of_several_values_is_guarded_once() -> None:
    value = (((" =1+1", None), ("=2", None)), None)
    forward = View("requirements", "R", ("Tests",), [("SRS-1", (value,))])
    assert read(render_matrix("csv", Matrix("p", "A", [forward])))[1] == ["' =1+1\n=2"]
