"""Test levels per class (IEC 62304 5.5 unit, 5.6 integration, 5.7 system): in class C, every
risk control measure is verified at system level, and every software item with interfaces has
an integration test.

A test's level comes from an ``@level`` tag in its comment or docstring (a tag on a file or a
class sets the level of every test in it); a test without one is a unit test. A manual test case
is a system test unless its ``level`` says otherwise.
"""

from __future__ import annotations

from collections.abc import Iterator

from medtrace.checks.context import Context
from medtrace.checks.registry import rule
from medtrace.checks.shared import controls
from medtrace.diagnostics import CODES, Diagnostic, Severity
from medtrace.model import Item
from medtrace.tracing import ItemTrace, Trace

_NEEDS = ("trace",)


def _levels(entry: ItemTrace) -> set[str]:
    """The levels at which an item is verified: its tests' and its test cases'."""
    found = {t.level or "unit" for t in entry.tests}
    return found | {str(c.get("level") or "system") for c in entry.manual}


# @implements SRS-180
@rule(
    "MT210",
    "control-without-system-test",
    Severity.WARNING,
    "A risk control measure of class C has no system-level test.",
    classes="C",
    needs=_NEEDS,
)
def control_without_system_test(ctx: Context) -> Iterator[Diagnostic]:
    code = CODES["MT210"]
    for entry in controls(ctx).values():
        item = entry.item
        if ctx.item_class(item) != "C":
            continue
        if not (entry.tests or entry.manual):
            continue  # untested controls are MT102's
        found = _levels(entry)
        if "system" in found:
            continue
        levels = ", ".join(sorted(found))
        yield code(
            f"risk control {item.id} is verified at {levels} level only, by no system test",
            expected="a system-level test (`@level system`) or a test case that verifies it "
            "(IEC 62304 5.7, ISO 14971 7.2)",
            hint=f"tag a system test '@verifies {item.id}' or add a test case that verifies it",
            **ctx.at(item),
        )


# @implements SRS-180
@rule(
    "MT211",
    "interface-without-integration-test",
    Severity.WARNING,
    "A class C software item with interfaces has no integration test.",
    classes="C",
    needs=_NEEDS,
)
def interface_without_integration_test(ctx: Context) -> Iterator[Diagnostic]:
    code = CODES["MT211"]
    trace = ctx.trace
    for item in ctx.model.of_kind("software-item"):
        if not item.get("interfaces") or ctx.item_class(item) != "C":
            continue
        owned = _owned(ctx, trace, item)
        if any(lv in ("integration", "system") for e in owned for lv in _levels(e)):
            continue
        yield code(
            f"software item {item.id} has interfaces but no integration test verifies its "
            "requirements",
            expected="an integration-level test (`@level integration`) of its interfaces "
            "(IEC 62304 5.6)",
            hint="tag the test that exercises the interface with '@level integration' and "
            "'@verifies' the interface requirement",
            **ctx.at(item, "interfaces"),
        )


def _owned(ctx: Context, trace: Trace, item: Item) -> list[ItemTrace]:
    """The trace of the requirements allocated to ``item`` or to an item below it."""
    below = {item.id}
    todo = [item.id]
    while todo:
        for child in ctx.model.sources(todo.pop(), "parent", "software-item"):
            if child.id not in below:
                below.add(child.id)
                todo.append(child.id)
    return [e for e in trace.items.values() if e.item.get("item") in below]
