"""The whole documentation set as one Excel workbook (``<out>/<project>.xlsx`` of ``medtrace
build``), written by the matrix's workbook writer (:func:`medtrace.render.matrix.workbook.
render_views`: bold frozen header rows, filters, wrapped text, coloured statuses, text never a
formula, openpyxl's streaming mode).

Sheets, in order: Contents (the stamp, then every sheet with its size, linked to it); one sheet
per kind of item with all its fields (system and software requirements, software items, test
cases, anomalies, and any kind the project adds); Risks (the risk table of ``medtrace risks``
when the risk analysis is given, else the risk items); SOUP (with what the lockfiles hold when
the drift report is given); Tests and results, and the traceability matrix's views (from
:mod:`medtrace.tracing.matrix`); Findings of ``check``. A cell naming one item links to that
item's row on its own sheet; a test links to its row on the tests sheet.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

from medtrace.diagnostics import Diagnostic
from medtrace.loading.locate import Locator
from medtrace.render.matrix.workbook import render_views, sheet_title
from medtrace.render.workbook.sheets import (
    SHEET_KEY,
    contents_view,
    findings_view,
    item_view,
    risk_view,
    soup_view,
)
from medtrace.tracing.matrix import View, build_matrix

if TYPE_CHECKING:
    from medtrace.config import Config
    from medtrace.pipeline import Traced
    from medtrace.risk import Analysis
    from medtrace.soup.drift import Report as SoupReport

__all__ = ["SOUP_KIND", "site_workbook", "workbook_views"]

SOUP_KIND = "soup"
_MAX_TITLE = 31
_UNSAFE = re.compile(r"[\[\]:*?/\\']")


def _unique(title: str, taken: set[str]) -> str:
    """A sheet name Excel accepts and no other sheet has."""
    base = _UNSAFE.sub("", title).strip()[:_MAX_TITLE] or "Sheet"
    name, n = base, 2
    while name.lower() in taken:
        suffix = f" ({n})"
        name, n = base[: _MAX_TITLE - len(suffix)] + suffix, n + 1
    taken.add(name.lower())
    return name


def _item_views(traced: Traced, risks: Analysis | None, soup: SoupReport | None) -> list[View]:
    config, model = traced.project.config, traced.project.model
    locator = Locator(config.root)
    views = []
    for kind in config.kinds:
        if kind == SOUP_KIND or not model.of_kind(kind):
            continue
        if kind in config.risk_kinds and risks is not None:
            continue
        views.append(item_view(config, model, kind, _plural(config, kind), locator))
    if risks is not None:
        views.append(risk_view(risks, model, "Risks"))
    if SOUP_KIND in config.kinds and model.of_kind(SOUP_KIND):
        views.append(soup_view(config, model, SOUP_KIND, "SOUP", soup, locator))
    return views


def _plural(config: Config, kind: str) -> str:
    spec = config.kinds.get(kind)
    title = (spec.title if spec and spec.title else kind.replace("-", " ")).strip()
    if title.isupper():
        return title
    return title[0].upper() + title[1:] + ("" if title.endswith("s") else "s")


def _trace_views(traced: Traced) -> list[View]:
    """The tests with their results, then the matrix's forward views."""
    project = traced.project
    matrix = build_matrix(project.config, project.model, traced.trace)
    tests = [
        dataclasses.replace(v, name="Tests and results") for v in matrix.views if v.name == "tests"
    ]
    forward = [
        dataclasses.replace(v, name="Matrix " + sheet_title(v).lower())
        for v in matrix.views
        if v.name not in ("tests", "code")
    ]
    return tests + forward


def workbook_views(
    traced: Traced,
    *,
    risks: Analysis | None = None,
    soup: SoupReport | None = None,
    findings: Sequence[Diagnostic] = (),
    stamp: Mapping[str, str] | None = None,
) -> list[tuple[str, View]]:
    """Every sheet of the workbook: its name and its table."""
    model = traced.project.model
    views = [*_item_views(traced, risks, soup), *_trace_views(traced)]
    views.append(findings_view(findings, model, "Findings"))
    taken: set[str] = {"contents"}
    named = [(_unique(v.name, taken), v) for v in views]
    project = traced.project.config.project
    about = {"Project": project.name, "Safety class": str(project.safety_class), **(stamp or {})}
    return [("Contents", contents_view("Contents", about, named)), *named]


# @implements SRS-223
def site_workbook(
    traced: Traced,
    *,
    risks: Analysis | None = None,
    soup: SoupReport | None = None,
    findings: Sequence[Diagnostic] = (),
    stamp: Mapping[str, str] | None = None,
) -> bytes:
    """The workbook of the whole set. ``risks``: the risk analysis (``checks.risk.analysis_of``);
    ``soup``: the drift report (``soup.compare``); ``findings``: the diagnostics of ``check``;
    ``stamp``: label → value shown first (version, commit, build time, results time...)."""
    sheets = workbook_views(traced, risks=risks, soup=soup, findings=findings, stamp=stamp)
    names = [name for name, _ in sheets]
    targets = {SHEET_KEY + name: f"'{name}'!A1" for name in names}
    title = f"Documentation set: {traced.project.config.project.name}"
    return render_views([v for _, v in sheets], title, names=names, targets=targets)
