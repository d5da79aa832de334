"""The traceability matrix as data: named views, each a title, columns and rows of cells.

Views (``--kind`` names; kind names such as ``software-requirement`` are accepted too):

``requirements``
    software requirement (forward) → type, parents, children, risks it controls, software item,
    code, tests, latest results, manual test cases, status.
``system-requirements``
    system requirement (forward) → parents, children, code, tests, results, manual tests, status.
``risks``
    risk → hazard, harm, initial severity × probability and acceptability, control requirements,
    their tests and results, status, residual severity × probability and acceptability.
``tests``
    automated test (backward) → file:line, level (unit, integration, system), what it verifies (IDs and titles), their parents
    (IDs), results, failure messages.
``code``
    ``@implements`` site (backward) → implemented IDs → software item of the file.

A cell is plain text, or a :data:`Cell` of parts: each part may link to the key of another row
(an item ID, a test key, or ``path:line`` of a code site), and the cell may carry a status
(``verified``, ``failed``, ``unacceptable``...) for colouring. Renderers link a part only when
its target is the key of a row they show.

Everything is joined through dictionaries built once: the matrix of 100,000 tests is linear.
"""

from __future__ import annotations

import difflib
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, TypeVar

from medtrace.errors import UsageError
from medtrace.ids import natural_key
from medtrace.model import Item, Model
from medtrace.results import Outcome
from medtrace.tracing.model import CodeRef, ItemTrace, Status, TestRef, Trace

if TYPE_CHECKING:
    from medtrace.config import Config, KindSpec
    from medtrace.pipeline import Traced

__all__ = [
    "KIND_ALIASES",
    "VIEWS",
    "Cell",
    "Matrix",
    "Part",
    "Row",
    "Value",
    "View",
    "aliases_of",
    "build_matrix",
    "cell_parts",
    "cell_status",
    "cell_text",
    "matrix_of",
    "outcome_value",
    "view_names",
    "views_of",
]


#: One value in a cell: its text, and the key of the row it refers to (or None).
Part = tuple[str, str | None]
#: A cell of several values, or of one value with a link or a status: (parts, status).
Cell = tuple[tuple[Part, ...], str | None]
#: A cell: plain text, or a :data:`Cell`.
Value = str | Cell
#: One row: its key (an item ID, a test key or ``path:line``: its anchor), and its cells.
Row = tuple[str | None, tuple[Value, ...]]
# (Plain tuples, not named ones: a big matrix has millions of them, and a tuple display is
# fifteen times cheaper to make than a named tuple.)


def cell_text(value: Value, sep: str = "\n") -> str:
    """The text of a cell, its parts joined by ``sep``."""
    if isinstance(value, str):
        return value
    return sep.join([text for text, _ in value[0]])


def cell_parts(value: Value) -> tuple[Part, ...]:
    if isinstance(value, str):
        return ((value, None),) if value else ()
    return value[0]


def cell_status(value: Value) -> str | None:
    return None if isinstance(value, str) else value[1]


@dataclass
class View:
    name: str
    title: str
    columns: tuple[str, ...]
    rows: list[Row]


@dataclass
class Matrix:
    """Every view asked for, and the raw trace of the items and tests they show."""

    project: str
    safety_class: str
    views: list[View]
    items: list[ItemTrace] = field(default_factory=list)
    tests: list[TestRef] = field(default_factory=list)

    def view(self, name: str) -> View | None:
        return next((v for v in self.views if v.name == name), None)

    def only(self, name: str) -> Matrix:
        """The same matrix with one view."""
        view = self.view(name)
        if view is None:
            shown = ", ".join(v.name for v in self.views) or "none"
            raise UsageError(f"no view {name!r} in this matrix (views: {shown})")
        return Matrix(self.project, self.safety_class, [view], self.items, self.tests)

    def anchors(self) -> dict[str, str]:
        """Row key → name of the first view holding it."""
        found: dict[str, str] = {}
        for view in self.views:
            for row in view.rows:
                key = row[0]
                if key is not None and key not in found:
                    found[key] = view.name
        return found


# --- the context: caches shared by every view --------------------------------------------------


@dataclass
class _Scope:
    """What ``--item`` keeps: the software items and the requirements and risks of them."""

    items: set[str]
    ids: set[str]


class _Context:
    def __init__(self, config: Config, model: Model, trace: Trace) -> None:
        self.config, self.model, self.trace = config, model, trace
        self.scope: _Scope | None = None
        self._id_parts: dict[str, Part] = {}
        self._parents: dict[str, tuple[Part, ...]] = {}
        self._id_cells: dict[str | tuple[str, ...], tuple[Cell, Cell, Cell]] = {}
        self._item_cells: dict[str | None, Value] = {}
        self._controls: dict[str, list[Item]] = {}

    def entry(self, item: Item) -> ItemTrace:
        return self.trace.items.get(item.id) or ItemTrace(item)

    def id_part(self, item_id: str) -> Part:
        """``ID title``, linked to the ID (an unknown ID stands alone, unlinked)."""
        part = self._id_parts.get(item_id)
        if part is None:
            item = self.model.get(item_id)
            part = (f"{item_id} {item.title}".strip(), item_id) if item else (item_id, None)
            self._id_parts[item_id] = part
        return part

    def parents(self, item_id: str) -> tuple[Part, ...]:
        parts = self._parents.get(item_id)
        if parts is None:
            parts = tuple(self.links(item_id, "parents"))
            self._parents[item_id] = parts
        return parts

    def links(self, item_id: str, role: str, *, titles: bool = True) -> Iterable[Part]:
        """The IDs an item names in a field (with their titles), linked when they resolve."""
        for link in self.model.outgoing.get(item_id, ()):
            if link.field != role:
                continue
            if not link.resolved:
                yield (f"{link.target} (missing)", None)
            else:
                yield self.id_part(link.target) if titles else (link.target, link.target)

    def id_cells(self, ids: Sequence[str]) -> tuple[Cell, Cell, Cell]:
        """Cells of a list of IDs: with their titles, alone, and their parents' IDs; shared by
        every test or code site that names the same IDs."""
        key: str | tuple[str, ...] = ids[0] if len(ids) == 1 else tuple(ids)
        cells = self._id_cells.get(key)
        if cells is None:
            titled = tuple([self.id_part(i) for i in ids])
            bare = tuple([(i, link) for i, (_, link) in zip(ids, titled, strict=True)])
            parents = _unique(p for i in ids for p in self.links(i, "parents", titles=False))
            cells = ((titled, None), (bare, None), (parents, None))
            self._id_cells[key] = cells
        return cells

    def software_item(self, item_id: str | None) -> Value:
        """``name (class X)`` of a software item, linked to it."""
        value = self._item_cells.get(item_id)
        if value is None:
            value = self._item_cell(item_id)
            self._item_cells[item_id] = value
        return value

    def _item_cell(self, item_id: str | None) -> Value:
        if not item_id:
            return ""
        item = self.model.get(item_id)
        if item is None:
            return f"{item_id} (missing)"
        cls = item.get("class")
        text = f"{item_id} (class {cls})" if cls else item_id
        return (((text, item_id),), None)

    def controls(self, risk_id: str) -> list[Item]:
        """Requirements (of any kind with a ``controls`` field) that name the risk there."""
        found = self._controls.get(risk_id)
        if found is None:
            found = list(self.model.sources(risk_id, "controls"))
            found.sort(key=_natural)
            self._controls[risk_id] = found
        return found


_T = TypeVar("_T")


def _unique(values: Iterable[_T]) -> tuple[_T, ...]:
    return tuple(dict.fromkeys(values))


def _natural(item: Item) -> tuple[str, int, str, str]:
    return natural_key(item.id)


# --- shared cells ------------------------------------------------------------------------------

_STATUS: dict[Status, Cell] = {s: (((s.value, None),), s.value) for s in Status}
_OUTCOME_ORDER = (Outcome.PASSED, Outcome.FAILED, Outcome.ERROR, Outcome.SKIPPED)
_NO_RESULT = "no result"


#: Worst last, as ``TestRef.outcome`` ranks a test's results (a skipped case of a parametrized
#: test does not hide the others' pass); a test without results ranks below all.
_RANK = {_NO_RESULT: -1, "skipped": 0, "passed": 1, "failed": 2, "error": 3}


def outcome_value(test: TestRef) -> str | None:
    """The value of ``TestRef.outcome`` (None without results), computed on strings: enum
    members hash slowly, and this runs for every test of the project."""
    outcome = _outcome(test)
    return None if outcome == _NO_RESULT else outcome


def _outcome(test: TestRef) -> str:
    """The worst outcome of a test's results, or ``no result``: fast, on strings."""
    results = test.results
    if len(results) == 1:
        return results[0].outcome._value_
    if not results:
        return _NO_RESULT
    return max((r.outcome._value_ for r in results), key=_RANK.__getitem__)


def _counts(names: Iterable[str]) -> str:
    found = Counter(names)
    order = [o.value for o in _OUTCOME_ORDER] + [_NO_RESULT]
    return ", ".join(f"{found[n]} {n}" for n in order if found[n])


def _worst(names: Sequence[str]) -> str | None:
    worst = max(names, key=_RANK.__getitem__, default=_NO_RESULT)
    return None if worst == _NO_RESULT else worst


def _results_cell(tests: Sequence[TestRef]) -> Value:
    """Counts first, then each test's outcome; coloured by the worst outcome."""
    if not tests:
        return ""
    names = [_outcome(t) for t in tests]
    parts: list[Part] = [(_counts(names), None)]
    parts += [(f"{t.name}: {n}", None) for t, n in zip(tests, names, strict=True)]
    return (tuple(parts), _worst(names))


def _tests_cell(tests: Sequence[TestRef]) -> Value:
    return (tuple([(t.label, t.key) for t in tests]), None) if tests else ""


# --- requirements (forward) --------------------------------------------------------------------

Getter = Callable[[_Context, Any], Value]


def _id(ctx: _Context, e: ItemTrace) -> Value:
    return (((e.item.id, e.item.id),), None)


def _title(ctx: _Context, e: ItemTrace) -> Value:
    return e.item.title


def _type(ctx: _Context, e: ItemTrace) -> Value:
    return str(e.item.get("type") or "")


def _parents(ctx: _Context, e: ItemTrace) -> Value:
    parts = ctx.parents(e.item.id)
    return (parts, None) if parts else ""


def _children(ctx: _Context, e: ItemTrace) -> Value:
    children = sorted(ctx.model.sources(e.item.id, "parents"), key=_natural)
    return (tuple([ctx.id_part(c.id) for c in children]), None) if children else ""


def _risks(ctx: _Context, e: ItemTrace) -> Value:
    control = e.item.get("control_type")
    suffix = f" ({control})" if control else ""
    parts = tuple([(text + suffix, link) for text, link in ctx.links(e.item.id, "controls")])
    return (parts, None) if parts else ""


def _item(ctx: _Context, e: ItemTrace) -> Value:
    value = e.item.get("item")
    return ctx.software_item(value if isinstance(value, str) else None)


def _code(ctx: _Context, e: ItemTrace) -> Value:
    parts = tuple([(c.label, f"{c.path}:{c.line}") for c in e.code])
    return (parts, None) if parts else ""


def _tests(ctx: _Context, e: ItemTrace) -> Value:
    return _tests_cell(e.tests)


def _results(ctx: _Context, e: ItemTrace) -> Value:
    return _results_cell(e.tests)


def _manual(ctx: _Context, e: ItemTrace) -> Value:
    parts = tuple(
        [(f"{ctx.id_part(c.id)[0]}: {c.get('result') or 'not-run'}", c.id) for c in e.manual]
    )
    return (parts, _manual_status(e.manual)) if parts else ""


def _manual_status(cases: Sequence[Item]) -> str | None:
    results = {str(c.get("result") or "not-run") for c in cases}
    for worst in ("fail", "blocked", "not-run", "pass"):
        if worst in results:
            return {"fail": "failed", "pass": "passed"}.get(worst, worst)
    return None


def _status(ctx: _Context, e: ItemTrace) -> Value:
    return _STATUS[e.status]


# @implements SRS-257
def _approval(ctx: _Context, e: ItemTrace) -> Value:
    return (((e.approval, None),), e.approval) if e.approval else ""


def _with_approval(
    ctx: _Context, columns: tuple[tuple[str, Getter], ...]
) -> tuple[tuple[str, Getter], ...]:
    """The columns, and the approval last when the project keeps reviews."""
    if any(e.approval is not None for e in ctx.trace.items.values()):
        return (*columns, ("Approval", _approval))
    return columns


REQUIREMENT_COLUMNS: tuple[tuple[str, Getter], ...] = (
    ("ID", _id),
    ("Title", _title),
    ("Type", _type),
    ("Parents", _parents),
    ("Children", _children),
    ("Risks controlled", _risks),
    ("Software item", _item),
    ("Code", _code),
    ("Tests", _tests),
    ("Results", _results),
    ("Manual tests", _manual),
    ("Status", _status),
)
SYSTEM_COLUMNS: tuple[tuple[str, Getter], ...] = (
    ("ID", _id),
    ("Title", _title),
    ("Parents", _parents),
    ("Children", _children),
    ("Code", _code),
    ("Tests", _tests),
    ("Results", _results),
    ("Manual tests", _manual),
    ("Status", _status),
)


def _rows(
    ctx: _Context,
    columns: tuple[tuple[str, Getter], ...],
    subjects: Iterable[_T],
    key: Callable[[_T], str | None],
) -> list[Row]:
    getters = [g for _, g in columns]
    return [(key(s), tuple([g(ctx, s) for g in getters])) for s in subjects]


def _entries(ctx: _Context, kind: str) -> list[ItemTrace]:
    items = sorted(ctx.model.of_kind(kind), key=_natural)
    scope = ctx.scope
    return [ctx.entry(i) for i in items if scope is None or i.id in scope.ids]


def _entry_key(e: ItemTrace) -> str:
    return e.item.id


# @implements SRS-62
def _requirement_columns(kind: KindSpec) -> tuple[tuple[str, Getter], ...]:
    """The columns of a requirement-like kind: the optional ones when the kind has the field."""
    optional = {"Type": "type", "Risks controlled": "controls", "Software item": "item"}
    return tuple(
        (name, getter)
        for name, getter in REQUIREMENT_COLUMNS
        if name not in optional or optional[name] in kind.fields
    )


def _requirements_of(kind: str, name: str) -> Callable[[_Context], View]:
    def build(ctx: _Context) -> View:
        spec = ctx.config.kinds[kind]
        columns = _with_approval(ctx, _requirement_columns(spec))
        rows = _rows(ctx, columns, _entries(ctx, kind), _entry_key)
        title = _TITLES.get(kind) or f"{_plural(spec.title or kind)} (forward)"
        return View(name, title, _names(columns), rows)

    return build


_TITLES = {
    "software-requirement": "Software requirements (forward)",
    "system-requirement": "System requirements (forward)",
    "risk": "Risks and their controls",
}


def _plural(title: str) -> str:
    title = title[:1].upper() + title[1:]
    return title if title.endswith("s") else title + "s"


def _names(columns: tuple[tuple[str, Getter], ...]) -> tuple[str, ...]:
    return tuple(name for name, _ in columns)


# --- risks -------------------------------------------------------------------------------------


def _level(value: Any, levels: Sequence[str]) -> int | None:
    """0-based level of a scale value: a level's name, or its 1-based number."""
    if isinstance(value, str) and value in levels:
        return list(levels).index(value)
    if isinstance(value, int) and not isinstance(value, bool) and 1 <= value <= len(levels):
        return value - 1
    return None


def _assessment(ctx: _Context, item: Item, severity: str, probability: str) -> tuple[Value, Value]:
    """``severity × probability`` and its acceptability from the project's matrix."""
    risk = ctx.config.risk
    sev, prob = item.get(severity), item.get(probability)
    if sev is None and prob is None:
        return "", ""
    s, p = _level(sev, risk.severity), _level(prob, risk.probability)
    s_name = risk.severity[s] if s is not None else str(sev or "?")
    p_name = risk.probability[p] if p is not None else _split_probability(item, probability)
    text = f"{s_name} × {p_name}"
    if s is None or p is None:
        return text, ""
    verdict = risk.acceptability(s, p)
    return text, (((verdict, None),), verdict)


def _split_probability(item: Item, field: str) -> str:
    """``P1 remote × P2 probable`` when the risk gives P1 and P2 but no overall probability
    (how they combine is the project's call: no acceptability is derived from them)."""
    p1, p2 = item.get("p1"), item.get("p2")
    if field == "probability" and item.get(field) is None and (p1 or p2):
        return f"P1 {p1 or '?'} × P2 {p2 or '?'}"
    return str(item.get(field) or "?")


def _hazard(ctx: _Context, e: ItemTrace) -> Value:
    return str(e.item.get("hazard") or "")


def _harm(ctx: _Context, e: ItemTrace) -> Value:
    return str(e.item.get("harm") or "")


def _initial(ctx: _Context, e: ItemTrace) -> Value:
    return _assessment(ctx, e.item, "severity", "probability")[0]


def _initial_verdict(ctx: _Context, e: ItemTrace) -> Value:
    return _assessment(ctx, e.item, "severity", "probability")[1]


def _residual(ctx: _Context, e: ItemTrace) -> Value:
    return _assessment(ctx, e.item, "residual_severity", "residual_probability")[0]


def _residual_verdict(ctx: _Context, e: ItemTrace) -> Value:
    return _assessment(ctx, e.item, "residual_severity", "residual_probability")[1]


def _controls(ctx: _Context, e: ItemTrace) -> Value:
    parts = []
    for req in ctx.controls(e.item.id):
        control = req.get("control_type")
        part = ctx.id_part(req.id)
        parts.append((f"{part[0]} ({control})", req.id) if control else part)
    return (tuple(parts), None) if parts else ""


def _risk_tests(ctx: _Context, e: ItemTrace) -> list[TestRef]:
    """Tests of the control requirements, then the tests that verify the risk itself."""
    tests = [t for req in ctx.controls(e.item.id) for t in ctx.entry(req).tests]
    return list({t.key: t for t in [*tests, *e.tests]}.values())


def _risk_tests_cell(ctx: _Context, e: ItemTrace) -> Value:
    return _tests_cell(_risk_tests(ctx, e))


def _risk_results(ctx: _Context, e: ItemTrace) -> Value:
    return _results_cell(_risk_tests(ctx, e))


def _risk_status(ctx: _Context, e: ItemTrace) -> Value:
    """The risk's own status: rolled up from its controls when the trace was built."""
    return _STATUS[e.status]


RISK_COLUMNS: tuple[tuple[str, Getter], ...] = (
    ("ID", _id),
    ("Title", _title),
    ("Hazard", _hazard),
    ("Harm", _harm),
    ("Initial risk", _initial),
    ("Initial acceptability", _initial_verdict),
    ("Control requirements", _controls),
    ("Tests", _risk_tests_cell),
    ("Results", _risk_results),
    ("Status", _risk_status),
    ("Residual risk", _residual),
    ("Residual acceptability", _residual_verdict),
)


def _risks_of(kind: str, name: str) -> Callable[[_Context], View]:
    def build(ctx: _Context) -> View:
        spec = ctx.config.kinds[kind]
        columns = _with_approval(ctx, RISK_COLUMNS)
        rows = _rows(ctx, columns, _entries(ctx, kind), _entry_key)
        title = _TITLES.get(kind) or f"{_plural(spec.title or kind)} and their controls"
        return View(name, title, _names(columns), rows)

    return build


# --- tests (backward) --------------------------------------------------------------------------


def _test_name(ctx: _Context, t: TestRef) -> Value:
    return t.name


def _test_location(ctx: _Context, t: TestRef) -> Value:
    return f"{t.path}:{t.line}" if t.path else ""


def _test_level(ctx: _Context, t: TestRef) -> Value:
    """The test level (IEC 62304 5.5-5.7): an ``@level`` tag's, else unit."""
    return t.level or "unit"


def _test_verifies(ctx: _Context, t: TestRef) -> Value:
    return ctx.id_cells(t.verifies)[0] if t.verifies else ""


def _test_parents(ctx: _Context, t: TestRef) -> Value:
    cell = ctx.id_cells(t.verifies)[2] if t.verifies else None
    return cell if cell and cell[0] else ""


_SINGLE: dict[str, Cell] = {o.value: (((o.value, None),), o.value) for o in Outcome}
_BAD = (Outcome.FAILED, Outcome.ERROR)


def _test_results(ctx: _Context, t: TestRef) -> Value:
    results = t.results
    if len(results) == 1:
        return _SINGLE[results[0].outcome._value_]
    if not results:
        return _NO_RESULT
    names = [r.outcome._value_ for r in results]
    return (((_counts(names), None),), _worst(names))


def _test_message(ctx: _Context, t: TestRef) -> Value:
    messages = [r.message for r in t.results if r.message and r.outcome in _BAD]
    return "\n".join(dict.fromkeys(messages)) if messages else ""


TEST_COLUMNS: tuple[tuple[str, Getter], ...] = (
    ("Test", _test_name),
    ("Location", _test_location),
    ("Level", _test_level),
    ("Verifies", _test_verifies),
    ("Parents", _test_parents),
    ("Results", _test_results),
    ("Message", _test_message),
)


def _test_key(t: TestRef) -> str:
    return t.key


def _scoped_tests(ctx: _Context) -> list[TestRef]:
    scope = ctx.scope
    if scope is None:
        return ctx.trace.tests
    ids = scope.ids
    return [t for t in ctx.trace.tests if any(i in ids for i in t.verifies)]


def _tests_view(ctx: _Context) -> View:
    rows = _rows(ctx, TEST_COLUMNS, _scoped_tests(ctx), _test_key)
    return View("tests", "Tests (backward)", _names(TEST_COLUMNS), rows)


# --- code (backward) ---------------------------------------------------------------------------


#: An ``@implements`` site and the IDs it implements.
_Site = tuple[CodeRef, tuple[str, ...]]


def _sites(ctx: _Context) -> list[_Site]:
    """Each ``@implements`` site once, with every ID it implements, by file and line."""
    pairs = [(ref, item_id) for item_id, entry in ctx.trace.items.items() for ref in entry.code]
    pairs.sort(key=_site_order)
    sites: list[tuple[CodeRef, list[str]]] = []
    path, line, ids = "", -1, []
    for ref, item_id in pairs:  # sorted: the refs of one site are next to each other
        if ref.line == line and ref.path == path:
            if item_id not in ids:
                ids.append(item_id)
            continue
        path, line, ids = ref.path, ref.line, [item_id]
        sites.append((ref, ids))
    return _scoped_sites(ctx, [(ref, tuple(ids)) for ref, ids in sites])


def _site_order(pair: tuple[CodeRef, str]) -> tuple[str, int]:
    return pair[0].path, pair[0].line


def _scoped_sites(ctx: _Context, sites: list[_Site]) -> list[_Site]:
    scope = ctx.scope
    if scope is None:
        return sites
    files = ctx.trace.file_items
    return [
        s for s in sites if files.get(s[0].path) in scope.items or any(i in scope.ids for i in s[1])
    ]


def _site_location(ctx: _Context, s: _Site) -> Value:
    return s[0].label


def _site_ids(ctx: _Context, s: _Site) -> Value:
    return ctx.id_cells(s[1])[1]


def _site_item(ctx: _Context, s: _Site) -> Value:
    return ctx.software_item(ctx.trace.file_items.get(s[0].path))


CODE_COLUMNS: tuple[tuple[str, Getter], ...] = (
    ("Location", _site_location),
    ("Implements", _site_ids),
    ("Software item", _site_item),
)


def _site_key(s: _Site) -> str:
    return f"{s[0].path}:{s[0].line}"


def _code_view(ctx: _Context) -> View:
    rows = _rows(ctx, CODE_COLUMNS, _sites(ctx), _site_key)
    return View("code", "Code (backward)", _names(CODE_COLUMNS), rows)


# --- the registry of views and the entry points ------------------------------------------------

#: The names of the views of the default kinds, in the order views are shown (a project's own
#: requirement-like and risk-like kinds add theirs: see :func:`views_of`).
VIEWS: dict[str, Callable[[_Context], View]] = {
    "requirements": _requirements_of("software-requirement", "requirements"),
    "system-requirements": _requirements_of("system-requirement", "system-requirements"),
    "risks": _risks_of("risk", "risks"),
    "tests": _tests_view,
    "code": _code_view,
}
_DEFAULT_VIEWS = {
    "software-requirement": "requirements",
    "system-requirement": "system-requirements",
    "risk": "risks",
}
#: kind names (and short forms) accepted by ``--kind`` for a view.
KIND_ALIASES = {
    "software-requirement": "requirements",
    "srs": "requirements",
    "system-requirement": "system-requirements",
    "sys": "system-requirements",
    "risk": "risks",
    "test": "tests",
}


def _view_name(kind: str) -> str:
    return _DEFAULT_VIEWS.get(kind) or (kind if kind.endswith("s") else kind + "s")


# @implements SRS-62
def views_of(config: Config | None) -> dict[str, Callable[[_Context], View]]:
    """Every view of a project, driven by its kinds: one per requirement-like kind (it has
    ``parents``), one per risk-like kind (it has a ``severity`` scale), then tests and code."""
    if config is None:
        return VIEWS
    views: dict[str, Callable[[_Context], View]] = {}
    for kind, name, is_risk in _kind_views(config):
        views[name] = (_risks_of if is_risk else _requirements_of)(kind, name)
    views["tests"] = VIEWS["tests"]
    views["code"] = VIEWS["code"]
    return views


def _kind_views(config: Config) -> list[tuple[str, str, bool]]:
    """``(kind, view name, risk-like?)`` of each traced kind: the default kinds first."""
    requirements = sorted(config.requirement_kinds, key=_default_first)
    risks = [k for k in sorted(config.risk_kinds, key=_default_first) if k not in requirements]
    out: list[tuple[str, str, bool]] = []
    taken = {"tests", "code"}
    for kind in [*requirements, *risks]:
        name = _view_name(kind)
        name = kind if name in taken else name
        taken.add(name)
        out.append((kind, name, kind in risks))
    return out


def _default_first(kind: str) -> int:
    order = list(_DEFAULT_VIEWS)
    return order.index(kind) if kind in order else len(order)


def aliases_of(config: Config | None) -> dict[str, str]:
    """``--kind`` names: the default short forms, and every traced kind's own name."""
    aliases = dict(KIND_ALIASES)
    if config is not None:
        for kind, name, _ in _kind_views(config):
            aliases.setdefault(kind.lower(), name)
    return aliases


def view_names(kinds: Iterable[str] = (), config: Config | None = None) -> list[str]:
    """The views ``--kind`` asks for, in the standard order; every view when none."""
    views, aliases = views_of(config), aliases_of(config)
    wanted = set()
    for kind in kinds:
        name = aliases.get(kind.lower(), kind.lower())
        if name not in views:
            raise UsageError(f"unknown view {kind!r}; choose from: {', '.join(views)}")
        wanted.add(name)
    return [name for name in views if not wanted or name in wanted]


def build_matrix(
    config: Config,
    model: Model,
    trace: Trace,
    *,
    kinds: Iterable[str] = (),
    item: str | None = None,
) -> Matrix:
    """The views asked for (every view when ``kinds`` is empty), for one software item's
    requirements, risks, tests and code when ``item`` names one."""
    views_by_name = views_of(config)
    names = view_names(kinds, config)
    ctx = _Context(config, model, trace)
    if item is not None:
        ctx.scope = _scope(config, model, item)
    views = [views_by_name[name](ctx) for name in names]
    items, tests = _raw(ctx)
    return Matrix(config.project.name, config.safety_class, views, items, tests)


# @implements SRS-23
def matrix_of(traced: Traced, *, kinds: Iterable[str] = (), item: str | None = None) -> Matrix:
    project = traced.project
    return build_matrix(project.config, project.model, traced.trace, kinds=kinds, item=item)


def _raw(ctx: _Context) -> tuple[list[ItemTrace], list[TestRef]]:
    scope = ctx.scope
    entries = ctx.trace.items.values()
    items = [e for e in entries if scope is None or e.item.id in scope.ids]
    return items, _scoped_tests(ctx)


# --- --item: one software item and its children ------------------------------------------------


def _scope(config: Config, model: Model, name: str) -> _Scope:
    root = model.get(name)
    if root is None or root.kind != "software-item":
        known = [i.id for i in model.of_kind("software-item")]
        close = difflib.get_close_matches(name, known, n=1)
        hint = f"; did you mean {close[0]}?" if close else ""
        raise UsageError(f"--item {name}: no software item of that name{hint}")
    items = _descendants(model, name)
    requirements = {
        r.id for kind in config.requirement_kinds for r in model.of_kind(kind) if _owner(r) in items
    }
    risks = _risks_in_scope(config, model, items, requirements)
    ancestors = _ancestors(model, requirements, set(config.requirement_kinds))
    return _Scope(items, requirements | risks | ancestors)


def _owner(item: Item) -> str | None:
    value = item.get("item")
    return value if isinstance(value, str) else None


def _descendants(model: Model, name: str) -> set[str]:
    found, todo = {name}, [name]
    while todo:
        for child in model.sources(todo.pop(), "parent", "software-item"):
            if child.id not in found:
                found.add(child.id)
                todo.append(child.id)
    return found


def _risks_in_scope(
    config: Config, model: Model, items: set[str], requirements: set[str]
) -> set[str]:
    """Risks of the items, and risks the items' requirements control."""
    own = {r.id for kind in config.risk_kinds for r in model.of_kind(kind) if _owner(r) in items}
    controlled = {t.id for r in requirements for t in model.targets(r, "controls")}
    return own | controlled


def _ancestors(model: Model, requirements: set[str], kinds: set[str]) -> set[str]:
    """The requirements the requirements derive from, however indirectly."""
    seen = set(requirements)
    todo = list(requirements)
    while todo:
        for parent in model.targets(todo.pop(), "parents"):
            if parent.id not in seen:
                seen.add(parent.id)
                todo.append(parent.id)
    return {i for i in seen - requirements if model.items[i].kind in kinds}
