"""Indexes that several rules read, made once per check instead of once per rule.

Each index is kept in ``ctx.extras`` together with the object it was made from, and is used
only while that very object (``is``) is still the context's: a check makes a new context, a
model or a trace of its own, so an index never outlives what it indexes. Rules only read the
model and the trace, so within one check an index stays what a fresh pass would give.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from itertools import chain, filterfalse
from operator import attrgetter
from typing import Any, TypeVar

from medtrace.checks.context import Context
from medtrace.model import Item, Link, Model
from medtrace.tracing import ItemTrace, Status, Trace

__all__ = [
    "TraceIndex",
    "controls",
    "dangling",
    "entries_with",
    "memo",
    "names_any",
    "trace_index",
]

T = TypeVar("T")


def memo(ctx: Context, key: str, source: object, make: Callable[[], T]) -> T:
    """``make()``, once per ``source`` object: the index ``key`` of ``ctx`` made from it."""
    found: tuple[object, Any] | None = ctx.extras.get(key)
    if found is not None and found[0] is source:
        value: T = found[1]
        return value
    made = make()
    ctx.extras[key] = (source, made)
    return made


@dataclass(frozen=True, slots=True)
class TraceIndex:
    """The trace entries as rules look for them, from one pass over the trace (a pass over
    100,000 entries costs as much as most rules' own work), each list in the trace's order."""

    by_status: dict[Status, list[ItemTrace]]
    #: The entries whose item names risks in ``controls`` (of any kind), by ID.
    controls: dict[str, ItemTrace]
    #: The entries without implementing code.
    uncoded: list[ItemTrace]
    #: The entries with manual test cases whose record is stale for them.
    manual_stale: list[ItemTrace]


def trace_index(ctx: Context) -> TraceIndex:
    trace = ctx.trace
    return memo(ctx, "trace_index", trace, lambda: _index(trace))


def _index(trace: Trace) -> TraceIndex:
    index = TraceIndex({status: [] for status in Status}, {}, [], [])
    controls, uncoded = index.controls, index.uncoded
    # the lists by the statuses' ids: an enum member hashes in Python, id() is one C call
    by_id = {id(status): found for status, found in index.by_status.items()}
    for entry in trace.items.values():
        by_id[id(entry.status)].append(entry)
        item = entry.item
        if "controls" in item.fields and names_any(item, "controls"):
            controls[item.id] = entry
        if not entry.code:
            uncoded.append(entry)
        if entry.manual_stale:
            index.manual_stale.append(entry)
    return index


def entries_with(ctx: Context, status: Status) -> list[ItemTrace]:
    """The trace entries of ``status``."""
    return trace_index(ctx).by_status[status]


def controls(ctx: Context) -> dict[str, ItemTrace]:
    """The trace entries whose item names risks in ``controls``, by ID."""
    return trace_index(ctx).controls


def names_any(item: Item, role: str) -> bool:
    """Whether ``item.ids(role)`` is not empty, without making the list for the usual values
    (an ID, or a list that starts with one)."""
    value = item.fields.get(role)
    if value.__class__ is str or (value.__class__ is list and value and value[0].__class__ is str):
        return True
    return bool(item.ids(role))


def dangling(ctx: Context) -> list[Link]:
    """The links that name no item, in the model's order (MT010 reports them, MT017 those that
    name an item's number padded another way): one pass over every link, at C speed."""
    model = ctx.model
    return memo(ctx, "dangling_links", model, lambda: _dangling(model))


def _dangling(model: Model) -> list[Link]:
    every = chain.from_iterable(model.outgoing.values())
    return list(filterfalse(attrgetter("resolved"), every))
