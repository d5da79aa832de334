"""The indexes rules share within one check: what a full pass gives, made again for another
model or trace."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers import load, write_project

from medtrace.checks import Context
from medtrace.checks.shared import (
    controls,
    dangling,
    entries_with,
    memo,
    names_any,
    trace_index,
)
from medtrace.loading import Locator
from medtrace.model import Item
from medtrace.tracing import CodeRef, ItemTrace, Status, Trace

pytestmark = pytest.mark.verifies("SRS-9", "SRS-22")

ITEMS = {
    "docs/items.yaml": """
        - {id: RISK-1, kind: risk, title: r, hazard: h, harm: h, severity: minor}
        - {id: SRS-1, title: t, parents: [SYS-9]}
        - {id: SRS-2, title: t, parents: [SRS-1, SRS-7], controls: [RISK-1]}
        - {id: SRS-3, title: t, item: nowhere}
        """,
}


def context(tmp_path: Path) -> Context:
    write_project(tmp_path, ITEMS)
    project = load(tmp_path)
    return Context(project.config, project.model, Locator(tmp_path))


def entry(item_id: str, status: Status, **fields: object) -> ItemTrace:
    return ItemTrace(Item(item_id, "software-requirement", fields=dict(fields)), status=status)


def trace_of(*entries: ItemTrace) -> Trace:
    return Trace(items={e.item.id: e for e in entries})


TRACE = trace_of(
    entry("SRS-1", Status.UNTESTED),
    entry("SRS-2", Status.VERIFIED, controls=["RISK-1"]),
    entry("SRS-3", Status.UNTESTED, controls="RISK-2"),
    entry("SRS-4", Status.FAILING, controls=[]),
    entry("SRS-5", Status.UNTESTED, controls=[3]),  # no ID in it: names no risk
    entry("SRS-6", Status.STALE, controls=None),
)


def test_entries_by_status_are_those_of_a_full_pass_in_order(tmp_path: Path) -> None:
    ctx = context(tmp_path)
    ctx.extras["trace"] = TRACE
    for status in Status:
        full = [e for e in TRACE.items.values() if e.status is status]
        assert entries_with(ctx, status) == full
    assert [e.item.id for e in entries_with(ctx, Status.UNTESTED)] == ["SRS-1", "SRS-3", "SRS-5"]


def test_controls_are_the_entries_whose_item_names_risks(tmp_path: Path) -> None:
    ctx = context(tmp_path)
    ctx.extras["trace"] = TRACE
    full = {i: e for i, e in TRACE.items.items() if e.item.ids("controls")}
    assert controls(ctx) == full
    assert list(controls(ctx)) == ["SRS-2", "SRS-3"]


def test_the_entries_without_code(tmp_path: Path) -> None:
    ctx = context(tmp_path)
    coded = entry("SRS-8", Status.UNTESTED)
    coded.code.append(CodeRef("src/a.py", 3, "f", 3, "python"))
    ctx.extras["trace"] = trace_of(*TRACE.items.values(), coded)
    assert trace_index(ctx).uncoded == list(TRACE.items.values())


def test_the_entries_with_stale_manual_records(tmp_path: Path) -> None:
    ctx = context(tmp_path)
    stale = entry("SRS-8", Status.STALE)
    stale.manual_stale["TC-1"] = "it changed"
    ctx.extras["trace"] = trace_of(
        entry("SRS-1", Status.STALE), stale, entry("SRS-9", Status.STALE)
    )
    assert trace_index(ctx).manual_stale == [stale]


def test_another_trace_is_indexed_again(tmp_path: Path) -> None:
    ctx = context(tmp_path)
    ctx.extras["trace"] = TRACE
    assert [e.item.id for e in entries_with(ctx, Status.FAILING)] == ["SRS-4"]
    assert list(controls(ctx)) == ["SRS-2", "SRS-3"]
    ctx.extras["trace"] = trace_of(
        entry("SRS-4", Status.VERIFIED), entry("SRS-7", Status.FAILING, controls=["RISK-1"])
    )
    assert [e.item.id for e in entries_with(ctx, Status.FAILING)] == ["SRS-7"]
    assert list(controls(ctx)) == ["SRS-7"]


def test_the_dangling_links_in_the_model_order(tmp_path: Path) -> None:
    ctx = context(tmp_path)
    found = [(link.source, link.field, link.target) for link in dangling(ctx)]
    assert found == [
        ("SRS-1", "parents", "SYS-9"),
        ("SRS-2", "parents", "SRS-7"),
        ("SRS-3", "item", "nowhere"),
    ]
    full = [k for links in ctx.model.outgoing.values() for k in links if not k.resolved]
    assert dangling(ctx) == full


def test_a_memo_is_made_once_per_source_object(tmp_path: Path) -> None:
    ctx = context(tmp_path)
    made: list[int] = []

    def make() -> int:
        made.append(1)
        return len(made)

    first, second = object(), object()
    assert memo(ctx, "k", first, make) == 1
    assert memo(ctx, "k", first, make) == 1  # the same object: kept
    assert memo(ctx, "k", second, make) == 2  # another object: made again
    assert memo(ctx, "k", first, make) == 3


@pytest.mark.parametrize(
    "value", ["SRS-1", "", None, [], ["SRS-1"], [1, "SRS-2"], [1, 2], [None], {"a": 1}, 3, True]
)
def test_names_any_is_whether_the_ids_are_not_empty(value: object) -> None:
    item = Item("SRS-9", "software-requirement", fields={"parents": value})
    assert names_any(item, "parents") == bool(item.ids("parents"))
    assert names_any(Item("SRS-9", "software-requirement"), "parents") is False
