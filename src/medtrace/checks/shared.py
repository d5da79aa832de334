"""Indexes that several rules read, made once per check instead of once per rule.

Each index is kept in ``ctx.extras`` together with the object it was made from, and is used
only while that very object (``is``) is still the context's: a check makes a new context, a
model or a trace of its own, so an index never outlives what it indexes. Rules only read the
model and the trace, so within one check an index stays what a fresh pass would give.
"""

from __future__ import annotations

from collections.abc import Callable
from itertools import chain, filterfalse
from operator import attrgetter
from typing import Any, TypeVar

from medtrace.checks.context import Context
from medtrace.model import Item, Link, Model
from medtrace.tracing import ItemTrace, Status, Trace

__all__ = ["controls", "dangling", "entries_with", "memo", "names_any"]

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


def entries_with(ctx: Context, status: Status) -> list[ItemTrace]:
    """The trace entries of ``status``, in the trace's order (one pass for every status)."""
    trace = ctx.trace
    return memo(ctx, "entries_by_status", trace, lambda: _by_status(trace)).get(status, [])


def _by_status(trace: Trace) -> dict[Status, list[ItemTrace]]:
    out: dict[Status, list[ItemTrace]] = {}
    for entry in trace.items.values():
        out.setdefault(entry.status, []).append(entry)
    return out


def controls(ctx: Context) -> dict[str, ItemTrace]:
    """The trace entries whose item names risks in ``controls`` (of any kind), by ID, in the
    trace's order."""
    trace = ctx.trace
    return memo(ctx, "control_entries", trace, lambda: _controls(trace))


def _controls(trace: Trace) -> dict[str, ItemTrace]:
    out: dict[str, ItemTrace] = {}
    for entry in trace.items.values():
        item = entry.item
        if names_any(item, "controls"):
            out[item.id] = entry
    return out


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
