"""The risk table as an Excel workbook (openpyxl): a sheet of risks (bold frozen header,
autofilter, wrapped text, acceptability cells coloured and still worded) and a sheet of the
matrix with its counts before and after control. Every value is text, never a formula."""

from __future__ import annotations

import io
from typing import Any

from medtrace.errors import UsageError
from medtrace.render.matrix.csvfile import guard
from medtrace.render.matrix.registry import GENERATOR
from medtrace.render.risks.registry import Report, risk_format
from medtrace.render.risks.table import COLUMNS, rows
from medtrace.render.stablezip import stable_zip
from medtrace.risk import HeatMap

__all__ = ["render_xlsx"]

FILLS = {"acceptable": "D9F2DD", "review": "FDF0C4", "unacceptable": "F9D6D5"}
_WIDTH = 40


def _openpyxl() -> Any:
    try:
        import openpyxl
    except ModuleNotFoundError:
        raise UsageError("XLSX output needs openpyxl: pip install 'medtrace[xlsx]'") from None
    return openpyxl


def _fill(openpyxl: Any, verdict: str) -> Any:
    colour = FILLS.get(verdict.split(":")[0])
    if colour is None:
        return None
    return openpyxl.styles.PatternFill("solid", start_color=colour, end_color=colour)


def _risks_sheet(openpyxl: Any, sheet: Any, report: Report) -> None:
    bold = openpyxl.styles.Font(bold=True)
    wrap = openpyxl.styles.Alignment(wrap_text=True, vertical="top")
    sheet.append(COLUMNS)
    for cell in sheet[1]:
        cell.font = bold
    for row in rows(report.analysis):
        sheet.append([guard(row[c]) for c in COLUMNS])
        for cell, column in zip(sheet[sheet.max_row], COLUMNS, strict=True):
            cell.alignment = wrap
            cell.data_type = "s"
            if column in ("Initial risk", "Residual risk"):
                fill = _fill(openpyxl, row[column])
                if fill is not None:
                    cell.fill = fill
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = sheet.dimensions
    for index in range(1, len(COLUMNS) + 1):
        letter = openpyxl.utils.get_column_letter(index)
        sheet.column_dimensions[letter].width = 12 if index <= 2 else _WIDTH


def _matrix_sheet(openpyxl: Any, sheet: Any, heat: HeatMap) -> None:
    sheet.append([heat.title])
    sheet.append(["Severity \\ probability", *heat.probability])
    for s in reversed(range(len(heat.severity))):
        cells = heat.cells[s]
        sheet.append(
            [heat.severity[s], *(f"{c.acceptability}: {', '.join(c.risks)}" for c in cells)]
        )
        for cell, data in zip(sheet[sheet.max_row][1:], cells, strict=True):
            fill = _fill(openpyxl, data.acceptability)
            if fill is not None:
                cell.fill = fill
    sheet.append([])


# @implements SRS-165
@risk_format("xlsx", ".xlsx", binary=True, owner="workbook")
def render_xlsx(report: Report) -> bytes:
    openpyxl = _openpyxl()
    book = openpyxl.Workbook()
    risks = book.active
    risks.title = "Risks"
    _risks_sheet(openpyxl, risks, report)
    matrix = book.create_sheet("Risk matrix")
    _matrix_sheet(openpyxl, matrix, report.initial)
    _matrix_sheet(openpyxl, matrix, report.residual)
    book.properties.description = GENERATOR
    book.properties.creator = "medtrace"
    out = io.BytesIO()
    book.save(out)
    return stable_zip(out.getvalue())
