"""Property: what a rule takes from the trace instead of a pass of its own gives the findings of
its own pass.

- tag-unknown-id (MT104) asks the trace whether any ID a tag or a test names is unknown and
  whether a tag is an ``@level`` tag, and searches only then; for any tags (on tests, classes,
  files; of tests found twice in a file), tests and results (``verifies`` properties naming
  known, untraced and unknown IDs) it reports what the search over every tag and test reports;
- the sources of an item's links in a field that are traced and not risks (its children, or a
  risk's controls), taken whole when C's loops tell every link qualifies, are those the filter
  over each link keeps, in the same order;
- the risk analysis, which estimates each way the estimated fields are written once, gives
  every risk the estimates made for it alone, whatever the fields' values and types.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers import DEFAULT_CONFIG
from hypothesis import event, given, settings
from hypothesis import strategies as st

from medtrace.checks import Context
from medtrace.checks.trace import _all_known, tag_unknown_id
from medtrace.linking import link_items
from medtrace.loading import Locator
from medtrace.model import Item, Link
from medtrace.results import Outcome, ResultSet
from medtrace.results.model import make_result
from medtrace.risk import analyse
from medtrace.risk.analysis import _ESTIMATED, _estimates, _unwritten_residual
from medtrace.scanning import ScanResult, Tag, TestSymbol
from medtrace.tracing import build_trace
from medtrace.tracing.build import _sources
from medtrace.tracing.model import ItemTrace

pytestmark = pytest.mark.verifies("SRS-323")

ITEMS = [
    Item("SRS-1", "software-requirement", fields={"parents": ["SYS-1"], "item": "SI-1"}),
    Item("SRS-2", "software-requirement", fields={}),
    Item("SYS-1", "system-requirement", fields={}),
    Item("SI-1", "software-item", fields={"paths": ["src"]}),
]
#: Traced, known but not traced, unknown, a level, a level misspelt.
IDS = ["SRS-1", "SRS-2", "SYS-1", "SI-1", "SRS-9", "unit", "untit"]
FILES = ["tests/test_a.py", "tests/test_b.py", "src/a.py"]
names = st.sampled_from(["test_x", "test_y", "T.test_x", "T", "T/s"])
tag_rows = st.tuples(
    st.sampled_from(["verifies", "implements", "level"]),
    st.sampled_from(FILES),
    st.one_of(st.none(), names),
    st.lists(st.sampled_from(IDS), min_size=1, max_size=2),
)
result_rows = st.tuples(
    st.sampled_from(FILES[:2]),
    names,
    st.lists(st.sampled_from(IDS), max_size=2),
)


def _results(rows: list[tuple[str, str, list[str]]]) -> ResultSet:
    made = []
    for number, (path, name, ids) in enumerate(rows):
        classname = path.removesuffix(".py").replace("/", ".")
        properties = (("verifies", ", ".join(ids)),) if ids else ()
        values = ("pytest", classname, name, path, None, Outcome.PASSED, "", None, properties)
        made.append(make_result((*values, "r.xml", number + 1, None, False)))
    return ResultSet(results=made)


@settings(max_examples=300)  # a few milliseconds each; the unknown ID must land on a test
@given(
    st.lists(tag_rows, max_size=8),
    st.lists(st.tuples(st.sampled_from(FILES[:2]), names), max_size=6),
    st.lists(result_rows, max_size=4),
)
def test_unknown_ids_found_through_the_trace_are_those_the_search_finds(
    tags: list[tuple[str, str, str | None, list[str]]],
    found: list[tuple[str, str]],
    results: list[tuple[str, str, list[str]]],
) -> None:
    model = link_items(ITEMS, DEFAULT_CONFIG)
    scan = ScanResult(
        tags=[
            Tag(verb, tuple(ids), path, n + 1, on, None, "python")
            for n, (verb, path, on, ids) in enumerate(tags)
        ],
        tests=[TestSymbol(path, name, n + 1, "python") for n, (path, name) in enumerate(found)],
    )
    trace = build_trace(model, scan, _results(results), Path("/nonexistent"))
    ctx = Context(DEFAULT_CONFIG, model, Locator(Path()))
    ctx.extras.update(trace=trace, scan=scan)
    shortcut = _all_known(trace, scan, model.items)
    through_the_trace = list(tag_unknown_id(ctx))
    trace.untraced_ids = None  # as a trace made otherwise: the rule searches every tag and test
    assert not _all_known(trace, scan, model.items)
    searched = list(tag_unknown_id(ctx))
    assert through_the_trace == searched
    assert not (shortcut and searched)
    event(f"shortcut taken: {shortcut}; findings: {bool(searched)}")


def test_a_trace_of_another_scan_is_not_taken_at_its_word() -> None:
    model = link_items(ITEMS, DEFAULT_CONFIG)
    clean = ScanResult(tags=[Tag("implements", ("SRS-1",), "src/a.py", 1, None, None, "python")])
    trace = build_trace(model, clean, ResultSet(), Path("/nonexistent"))
    other = ScanResult(tags=[Tag("implements", ("SRS-9",), "src/a.py", 1, None, None, "python")])
    ctx = Context(DEFAULT_CONFIG, model, Locator(Path()))
    ctx.extras.update(trace=trace, scan=other)
    assert _all_known(trace, clean, model.items)
    assert [d.item for d in tag_unknown_id(ctx)] == ["SRS-9"]


link_rows = st.lists(
    st.tuples(
        st.sampled_from(["SRS-1", "SRS-2", "RISK-1", "SI-1"]),  # traced, a risk, not traced
        st.sampled_from(["parents", "controls", "item"]),
    ),
    max_size=6,
)


@given(link_rows, st.sampled_from(["parents", "controls"]), st.booleans())
def test_the_sources_taken_whole_are_those_the_filter_keeps(
    rows: list[tuple[str, str]], field: str, risk_traced: bool
) -> None:
    links = [Link(source, role, "SYS-1", True) for source, role in rows]
    traced = ["SRS-1", "SRS-2", *(["RISK-1"] if risk_traced else [])]
    items = {i: ItemTrace(Item(i, "software-requirement")) for i in traced}
    risks = {"RISK-1"}
    plain = [s for s, f, _, _ in links if f == field and s not in risks and s in items]
    assert _sources(links, field, items, risks) == plain


LEVEL_VALUES = [None, "critical", "Critical ", "remote", "frequent", "improbable", "4", 4, 1]
level_values = st.sampled_from([*LEVEL_VALUES, 1.0, True, False, 0, "", "bogus", ["remote"], (1,)])
#: Values equal to Python (as keys) but not the same level: 1, 1.0 and True; 0 and False.
alike = st.sampled_from([1, 1.0, True, 0, False, "1"])
risk_rows = st.tuples(st.lists(st.tuples(st.integers(0, 7), alike), max_size=2), st.booleans())


@settings(max_examples=300)  # fast; two risks must differ only in a value's type
@given(st.lists(level_values, min_size=8, max_size=8), st.lists(risk_rows, max_size=6))
def test_risks_written_alike_share_the_estimates_each_would_get_alone(
    base: list[object], rows: list[tuple[list[tuple[int, object]], bool]]
) -> None:
    """Risks written as ``base`` with one or two fields changed to values equal as keys."""
    items = []
    for number, (changes, controlled) in enumerate(rows):
        values = list(base)
        for index, value in changes:
            values[index] = value
        fields = {role: v for role, v in zip(_ESTIMATED, values, strict=True) if v is not None}
        items.append(Item(f"RISK-{number}", "risk", fields=fields))
        if controlled:
            control = {"controls": [f"RISK-{number}"]}
            items.append(Item(f"SRS-{number}", "software-requirement", fields=control))
    analysis = analyse(DEFAULT_CONFIG, link_items(items, DEFAULT_CONFIG), {})
    for risk in analysis.risks:
        initial, residual = _estimates(risk.item, DEFAULT_CONFIG.risk)
        if not risk.controls and _unwritten_residual(risk.item):
            residual = initial
        assert (risk.initial, risk.residual) == (initial, residual), risk.item.fields
