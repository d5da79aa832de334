"""The tables of the whole-set workbook, as matrix views (title, columns, rows of cells that
may link to the key of another row): items of each kind with all their fields, the risk table,
the SOUP list, the findings, and a contents sheet."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from medtrace.diagnostics import Diagnostic
from medtrace.loading.locate import Locator
from medtrace.model import Item, Model
from medtrace.tracing.matrix import Cell, Part, Row, Value, View

if TYPE_CHECKING:
    from medtrace.config import Config
    from medtrace.risk import Analysis
    from medtrace.soup.drift import Report as SoupReport

__all__ = ["contents_view", "findings_view", "item_view", "risk_view", "soup_view", "text_of"]

#: Row key of a sheet in the contents: ``sheet:<name>`` (the writer links it to the sheet's A1).
SHEET_KEY = "sheet:"


def text_of(value: Any) -> str:
    """A field's value as text: lists joined by commas, mappings as ``key: value`` pairs."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, Mapping):
        return "; ".join(f"{k}: {text_of(v)}" for k, v in value.items())
    if isinstance(value, list | tuple):
        parts = [text_of(v) for v in value]
        nested = any(isinstance(v, Mapping) for v in value)
        return ("\n" if nested else ", ").join(parts)
    return str(value)


def _links(ids: Iterable[str], model: Model) -> Value:
    """IDs as a cell whose parts link to the items' rows (known items only)."""
    parts: tuple[Part, ...] = tuple((i, i if model.get(i) else None) for i in ids)
    return (parts, None) if parts else ""


def _fields(config: Config, kind: str, items: Sequence[Item]) -> list[str]:
    """The kind's fields that some item has, in the kind's order; ``status`` first."""
    spec = config.kinds.get(kind)
    known = list(spec.fields) if spec else []
    present = {f for item in items for f in item.fields}
    ordered = [f for f in known if f in present] + sorted(present - set(known))
    return sorted(ordered, key=lambda f: f != "status")


def _is_link(config: Config, kind: str, name: str) -> bool:
    spec = config.kinds.get(kind)
    field = spec.fields.get(name) if spec else None
    return field is not None and field.is_link


def item_view(
    config: Config, model: Model, kind: str, name: str, locator: Locator | None = None
) -> View:
    """Every item of ``kind``: ID, title, each field, text, file:line (the line found by
    ``locator`` when the loader did not keep it)."""
    items = model.of_kind(kind)
    locator = locator or Locator(config.root)
    fields = _fields(config, kind, items)
    links = {f for f in fields if _is_link(config, kind, f)}
    rows: list[Row] = []
    for item in items:
        cells: list[Value] = [_own(item.id), item.title]
        for f in fields:
            cells.append(_links(item.ids(f), model) if f in links else text_of(item.get(f)))
        cells += [item.text.strip(), _where(item, locator)]
        rows.append((item.id, tuple(cells)))
    columns = ("ID", "Title", *(f.replace("_", " ").capitalize() for f in fields), "Text", "File")
    spec = config.kinds.get(kind)
    return View(name, (spec.title if spec and spec.title else kind), columns, rows)


def _where(item: Item, locator: Locator) -> str:
    if not item.path:
        return ""
    line = locator.item_line(item)
    return f"{item.path}:{line}" if line else item.path


def _own(item_id: str) -> Cell:
    return (((item_id, None),), None)


def risk_view(analysis: Analysis, model: Model, name: str) -> View:
    """The risk table of ``medtrace risks`` (ISO 14971 with IEC 62304 7.1), one row per risk."""
    from medtrace.render.risks.table import COLUMNS, rows

    linked = {"Software item", "SOUP"}
    found: list[Row] = []
    for row in rows(analysis):
        cells: list[Value] = []
        for column in COLUMNS:
            text = row[column]
            ids = [t.strip() for t in text.split(",")] if column in linked and text else []
            cells.append(_links(ids, model) if ids else text)
        found.append((row["ID"], tuple(cells)))
    return View(name, "Risks", tuple(COLUMNS), found)


def soup_view(
    config: Config,
    model: Model,
    kind: str,
    name: str,
    report: SoupReport | None,
    locator: Locator | None = None,
) -> View:
    """The SOUP list; with a drift report, what the lockfiles hold of each entry."""
    view = item_view(config, model, kind, name, locator)
    if report is None:
        return view
    locked = {e.item.id: sorted({p.version for p in ps}) for e, ps in report.matched}
    other = {m.entry.item.id: sorted({p.version for p in m.locked}) for m in report.mismatched}
    unused = {e.item.id for e in report.unused}
    rows: list[Row] = []
    for key, cells in view.rows:
        item_id = key or ""
        versions = locked.get(item_id) or other.get(item_id) or []
        state = _drift(item_id, other, unused, locked)
        rows.append((key, (*cells, ", ".join(versions), state)))
    return View(view.name, view.title, (*view.columns, "Locked versions", "Lockfiles"), rows)


def _drift(
    item_id: str, other: Mapping[str, list[str]], unused: set[str], locked: Mapping[str, Any]
) -> Value:
    if item_id in other:
        return ((("other version locked", None),), "failed")
    if item_id in unused:
        return ((("not in any lockfile", None),), "review")
    if item_id in locked:
        return ((("matches", None),), "passed")
    return ""


def findings_view(findings: Sequence[Diagnostic], model: Model, name: str) -> View:
    """The findings of ``check``: code, severity, where, what was found and expected, hint."""
    rows: list[Row] = []
    for d in findings:
        where = f"{d.path}:{d.line}" if d.path and d.line else d.path
        severity: Cell = (((d.severity.value, None),), _SEVERITY.get(d.severity.value))
        item = _links([d.item], model) if d.item else ""
        cells = (d.code, d.rule, severity, where, item, d.found, d.expected, d.hint)
        rows.append((None, cells))
    columns = ("Code", "Rule", "Severity", "File", "Item", "Found", "Expected", "Hint")
    return View(name, "Findings of check", columns, rows)


_SEVERITY = {"error": "failed", "warning": "stale"}


def contents_view(name: str, stamp: Mapping[str, str], sheets: Sequence[tuple[str, View]]) -> View:
    """The first sheet: the stamp, then each sheet with its rows, linked to it."""
    rows: list[Row] = [(None, (label, value, "")) for label, value in stamp.items()]
    for title, view in sheets:
        link: Cell = (((title, SHEET_KEY + title),), None)
        rows.append((None, (link, f"{len(view.rows):,} rows", view.title)))
    return View(name, "Contents", ("Sheet", "Value", "Holds"), rows)
