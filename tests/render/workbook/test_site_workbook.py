"""The whole-set workbook (``medtrace.render.workbook.site_workbook``) of a small real project,
read back with openpyxl: its sheets in order, their frozen bold header rows and filters, the
items with every field, hyperlinks between sheets that land on the row they name, and hostile
text stored as text (never a formula)."""

from __future__ import annotations

import io
import re
from typing import Any

import openpyxl
import pytest
from helpers import write_project

from medtrace.checks.risk import analysis_of
from medtrace.diagnostics import Diagnostic, Severity
from medtrace.pipeline import Traced, trace_project
from medtrace.render.matrix import MARKER
from medtrace.render.workbook import site_workbook

pytestmark = pytest.mark.verifies("SRS-223")

CONFIG = """\
[project]
name = "Pump"
class = "B"

[paths]
items = ["docs"]
sources = ["src/**/*.py"]
tests = ["tests/**/test_*.py"]
results = ["build/*.xml"]
"""

FILES = {
    "docs/system.yaml": """\
        kind: system-requirement
        items:
          - {id: SYS-1, title: Deliver the right dose}
        """,
    "docs/software.yaml": """\
        kind: software-requirement
        items:
          - id: SRS-1
            title: Limit the bolus dose
            type: functional
            status: approved
            parents: [SYS-1]
            item: dose
            controls: [RISK-1]
            control_type: protective
            text: The pump shall refuse a bolus over the configured maximum.
          - id: SRS-2
            title: "=HYPERLINK(\\"http://x\\",\\"click\\")"
            type: data
            status: draft
            parents: [SYS-1]
            item: dose
            text: "+1+2 and @SUM(A1) and -3"
        """,
    "docs/risks.yaml": """\
        kind: risk
        items:
          - id: RISK-1
            title: Over-delivery
            hazard: Too much insulin
            harm: Hypoglycaemia
            severity: critical
            probability: occasional
            item: dose
            cause: defect
            soup: [SOUP-1]
        """,
    "docs/items.yaml": """\
        kind: software-item
        items:
          - {id: pump, title: Pump software, level: system, class: B}
          - {id: dose, title: Dose calculator, parent: pump, class: B, paths: ["src/**"], uses: [SOUP-1]}
        """,
    "docs/soup.yaml": """\
        kind: soup
        items:
          - id: SOUP-1
            title: numpy
            package: numpy
            manufacturer: NumFOCUS
            version: "1.26.4"
            purpose: Arrays
            anomalies: {where: GitHub issues, when: 2026-01-10, verdict: none relevant}
        """,
    "src/dose.py": """\
        # @implements SRS-1
        def limit(dose: float) -> float:
            return min(dose, 10.0)
        """,
    "tests/test_dose.py": """\
        import pytest


        @pytest.mark.verifies("SRS-1")
        def test_limit():
            assert True
        """,
    "build/pytest.xml": """\
        <?xml version="1.0" encoding="utf-8"?>
        <testsuites><testsuite name="pytest" tests="1" failures="0" errors="0" skipped="0">
        <testcase classname="tests.test_dose" name="test_limit" time="0.001"/>
        </testsuite></testsuites>
        """,
}


@pytest.fixture(scope="module")
def traced(tmp_path_factory: pytest.TempPathFactory) -> Traced:
    root = write_project(tmp_path_factory.mktemp("pump"), FILES, config=CONFIG)
    return trace_project(root, use_cache=False)


@pytest.fixture(scope="module")
def book(traced: Traced) -> Any:
    project = traced.project
    finding = Diagnostic(
        code="MT101", rule="unknown-tag", severity=Severity.ERROR, found="=cmd|' /C calc'!A0",
        expected="a known ID", hint="Fix the tag.", path="src/dose.py", line=1, item="SRS-2",
    )  # fmt: skip
    data = site_workbook(
        traced,
        risks=analysis_of(project.config, project.model, traced.trace),
        findings=[finding],
        stamp={"Version": "1.4.0", "Commit": "0123abc"},
    )
    return openpyxl.load_workbook(io.BytesIO(data))


def rows(sheet: Any) -> list[list[Any]]:
    return [[c.value for c in row] for row in sheet.iter_rows()]


def column(sheet: Any, name: str) -> list[Any]:
    header = [c.value for c in sheet[1]]
    return [row[header.index(name)] for row in rows(sheet)[1:]]


def test_one_sheet_per_table_in_order(book: Any) -> None:
    assert book.sheetnames == [
        "Contents",
        "System requirements",
        "Software requirements",
        "Software items",
        "Risks",
        "SOUP",
        "Tests and results",
        "Matrix requirements",
        "Matrix system requirements",
        "Matrix risks",
        "Findings",
    ]
    assert MARKER in book.properties.description
    assert book.properties.title == "Documentation set: Pump"


def test_every_sheet_has_a_frozen_bold_filtered_header(book: Any) -> None:
    for sheet in book.worksheets:
        assert sheet.freeze_panes == "A2", sheet.title
        assert sheet.auto_filter.ref and sheet.auto_filter.ref.startswith("A1:"), sheet.title
        assert all(c.font.b for c in sheet[1]), sheet.title


def test_items_carry_every_field(book: Any) -> None:
    sheet = book["Software requirements"]
    header = [c.value for c in sheet[1]]
    assert header[:3] == ["ID", "Title", "Status"]
    assert {"Type", "Parents", "Item", "Controls", "Control type", "Text", "File"} <= set(header)
    assert column(sheet, "ID") == ["SRS-1", "SRS-2"]
    assert column(sheet, "Status") == ["approved", "draft"]
    assert column(sheet, "File") == ["docs/software.yaml:3", "docs/software.yaml:12"]
    soup = book["SOUP"]
    assert column(soup, "Anomalies") == [
        "where: GitHub issues; when: 2026-01-10; verdict: none relevant"
    ]
    risks = book["Risks"]
    assert column(risks, "ID") == ["RISK-1"]
    assert column(risks, "Controls") == ["SRS-1 (protective)"]


def resolve(book: Any, location: str) -> Any:
    match = re.fullmatch(r"'([^']+)'!([A-Z]+)(\d+)", location)
    assert match, location
    return book[match.group(1)][f"{match.group(2)}{match.group(3)}"]


def test_links_between_sheets_land_on_the_row_they_name(book: Any) -> None:
    links = [
        (sheet.title, cell.value, cell.hyperlink.location)
        for sheet in book.worksheets
        for row in sheet.iter_rows(min_row=2)
        for cell in row
        if cell.hyperlink is not None
    ]
    assert len(links) > 10
    for title, value, location in links:
        target = resolve(book, location)
        if title == "Contents":
            assert target.coordinate == "A1" and target.parent.title == value
        else:
            assert target.value and str(target.value) in value, (title, value, location)
    landed = {(t, v): resolve(book, loc).parent.title for t, v, loc in links}
    assert landed[("Software requirements", "SYS-1")] == "System requirements"
    assert landed[("Software requirements", "dose")] == "Software items"
    assert landed[("Risks", "SOUP-1")] == "SOUP"
    assert landed[("Findings", "SRS-2")] == "Software requirements"
    assert landed[("Matrix requirements", "tests/test_dose.py:5 test_limit")] == "Tests and results"


def test_contents_stamp_and_sizes(book: Any) -> None:
    found = rows(book["Contents"])
    assert found[0] == ["Sheet", "Value", "Holds"]
    assert found[1:5] == [
        ["Project", "Pump", None],
        ["Safety class", "B", None],
        ["Version", "1.4.0", None],
        ["Commit", "0123abc", None],
    ]
    assert ["Software requirements", "2 rows", "Software requirement"] in found


def test_tests_and_results(book: Any) -> None:
    sheet = book["Tests and results"]
    text = " ".join(str(v) for row in rows(sheet) for v in row if v)
    assert "test_limit" in text and "passed" in text and "SRS-1" in text


def test_hostile_text_is_text_not_formula(book: Any) -> None:
    cells = [c for sheet in book.worksheets for row in sheet.iter_rows() for c in row]
    risky = [c for c in cells if isinstance(c.value, str) and c.value[:1] in "=+-@"]
    values = {c.value for c in risky}
    assert '=HYPERLINK("http://x","click")' in values
    assert "+1+2 and @SUM(A1) and -3" in values
    assert "=cmd|' /C calc'!A0" in values
    assert all(c.data_type == "s" for c in risky)


def test_soup_with_the_lockfiles(traced: Traced) -> None:
    from medtrace.soup import Lock, Package, compare

    locked = Package("pypi", "numpy", "1.26.0", "uv.lock", line=7)
    report = compare(traced.project.model, [Lock("uv.lock", "uv", "pypi", [locked])])
    assert report.mismatched, "the fixture's numpy 1.26.4 against a lock of 1.26.0"
    book = openpyxl.load_workbook(io.BytesIO(site_workbook(traced, soup=report)))
    sheet = book["SOUP"]
    assert column(sheet, "Locked versions") == ["1.26.0"]
    assert column(sheet, "Lockfiles") == ["other version locked"]
    risks = book["Risks"]  # without the analysis: the risk items with their fields
    assert column(risks, "ID") == ["RISK-1"] and column(risks, "Hazard") == ["Too much insulin"]
