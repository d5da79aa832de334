"""The risk table as CSV (one row per risk), every cell guarded against formula injection
(:func:`medtrace.render.matrix.csvfile.guard`)."""

from __future__ import annotations

import csv
import io

from medtrace.render.matrix.csvfile import guard
from medtrace.render.risks.registry import Report, risk_format
from medtrace.render.risks.table import COLUMNS, rows

__all__ = ["render_csv"]


# @implements SRS-165
@risk_format("csv", ".csv", owner="manifest")
def render_csv(report: Report) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for row in rows(report.analysis):
        writer.writerow([guard(row[c]) for c in COLUMNS])
    return out.getvalue()
