"""Rules on software items: class and segregation rationale; requirement allocation."""

from __future__ import annotations

from collections.abc import Iterator

from medtrace.checks.context import Context
from medtrace.checks.registry import rule
from medtrace.config import CLASS_RANK
from medtrace.diagnostics import CODES, Diagnostic, Severity


# @implements SRS-11
@rule("MT013", "item-class-missing", Severity.ERROR, "A software item has no safety class.")
def item_class_missing(ctx: Context) -> Iterator[Diagnostic]:
    code = CODES["MT013"]
    for item in ctx.model.of_kind("software-item"):
        if item.get("class") is not None or "class" in item.invalid:
            continue  # a class written wrongly is MT008's
        name = ctx.field_name(item, "class")
        yield code(
            f"software item {item.id} has no safety class",
            expected=f"'{name}: A', 'B' or 'C' (IEC 62304 4.3)",
            hint=f"Add '{name}:' with the class and a 'rationale:'; "
            f"the software system is class {ctx.config.safety_class}.",
            **ctx.at(item),
        )


# @implements SRS-11
@rule(
    "MT014",
    "item-class-rationale",
    Severity.ERROR,
    "A software item has a lower class than its parent without a segregation rationale.",
)
def item_class_rationale(ctx: Context) -> Iterator[Diagnostic]:
    code = CODES["MT014"]
    for item in ctx.model.of_kind("software-item"):
        own = item.get("class")
        if own not in CLASS_RANK or item.get("segregation"):
            continue
        parent_class, parent_name = _parent_class(ctx, item.get("parent"))
        if CLASS_RANK[own] >= CLASS_RANK[parent_class]:
            continue
        yield code(
            f"software item {item.id} is class {own}, below {parent_name} (class {parent_class}), "
            "with no segregation rationale",
            expected=f"a '{ctx.field_name(item, 'segregation')}' field saying how it is "
            "segregated so that it cannot contribute to a hazardous situation (IEC 62304 4.3 d, 5.3.5)",
            hint="Describe the segregation (separate process, hardware, memory protection...) "
            "or raise the class.",
            **ctx.at(item),
        )


def _parent_class(ctx: Context, parent_id: object) -> tuple[str, str]:
    if isinstance(parent_id, str):
        parent = ctx.model.get(parent_id)
        if parent is not None and parent.kind == "software-item":
            return ctx.item_class(parent), f"its parent {parent_id}"
    return ctx.config.safety_class, "the software system"


# @implements SRS-12
@rule(
    "MT015",
    "requirement-unallocated",
    Severity.ERROR,
    "A software requirement is not allocated to a software item.",
    classes="BC",
)
def requirement_unallocated(ctx: Context) -> Iterator[Diagnostic]:
    code = CODES["MT015"]
    for item in ctx.model.of_kind("software-requirement"):
        if item.fields.get("item"):  # Item.get without the call: once per requirement
            continue
        name = ctx.field_name(item, "item")
        yield code(
            f"software requirement {item.id} is not allocated to a software item",
            expected=f"'{name}:' naming the software item that implements it (IEC 62304 5.3.1)",
            hint=f"Add '{name}: <software item>'.",
            **ctx.at(item),
        )
