"""Rules on fields: unknown names, values of the wrong type, required fields by class."""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Iterator
from typing import Any

from medtrace.checks.context import Context
from medtrace.checks.registry import rule
from medtrace.config import FieldSpec
from medtrace.diagnostics import CODES, Diagnostic, Severity
from medtrace.model import Item

_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


# @implements SRS-10
@rule("MT007", "field-unknown", Severity.ERROR, "An item has a field its kind does not define.")
def field_unknown(ctx: Context) -> Iterator[Diagnostic]:
    code = CODES["MT007"]
    for item in ctx.model:
        if not item.unknown:
            continue
        specs = ctx.config.kinds[item.kind].fields
        known = [s.name for s in specs.values()]
        renamed = {role: s.name for role, s in specs.items() if s.name != role}
        for name in item.unknown:
            close = difflib.get_close_matches(name, known, n=1, cutoff=0.6)
            if name in renamed:
                hint = f"this project calls it '{renamed[name]}'"
            elif close:
                hint = f"did you mean '{close[0]}'?"
            else:
                hint = f"add it to [kinds.{item.kind}.fields] if the project needs it"
            yield code(
                f"unknown field '{name}' on {item.kind} {item.id}",
                expected=f"one of {', '.join(sorted(known))}",
                hint=hint,
                **{**ctx.at(item), "line": ctx.locator.field_line(item, name)},
            )


Checker = Callable[[Context, FieldSpec, Any], str | None]
_TYPES: dict[str, Checker] = {}


def _type(name: str) -> Callable[[Checker], Checker]:
    def register(func: Checker) -> Checker:
        _TYPES[name] = func
        return func

    return register


@_type("string")
@_type("text")
def _text(ctx: Context, spec: FieldSpec, value: Any) -> str | None:
    if isinstance(value, float):
        return "text (a number must be quoted to keep it exact)"
    if isinstance(value, str | int) and not isinstance(value, bool):
        return None
    return "text"


@_type("enum")
def _enum(ctx: Context, spec: FieldSpec, value: Any) -> str | None:
    return (
        None
        if isinstance(value, str) and value in spec.values
        else f"one of {', '.join(spec.values)}"
    )


@_type("link")
def _link(ctx: Context, spec: FieldSpec, value: Any) -> str | None:
    return None if isinstance(value, str) else "one ID"


@_type("links")
@_type("list")
def _list(ctx: Context, spec: FieldSpec, value: Any) -> str | None:
    if isinstance(value, str):
        return None
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return None
    return "one value or a list of values" if spec.type == "list" else "an ID or a list of IDs"


@_type("mapping")
def _mapping(ctx: Context, spec: FieldSpec, value: Any) -> str | None:
    if not isinstance(value, dict):
        return "a mapping" + (f" with {', '.join(spec.keys)}" if spec.keys else "")
    missing = [k for k in spec.keys if k not in value]
    return (
        f"a mapping with {', '.join(spec.keys)} (missing {', '.join(missing)})" if missing else None
    )


@_type("integer")
def _integer(ctx: Context, spec: FieldSpec, value: Any) -> str | None:
    return None if isinstance(value, int) and not isinstance(value, bool) else "a whole number"


@_type("date")
def _date(ctx: Context, spec: FieldSpec, value: Any) -> str | None:
    return None if isinstance(value, str) and _DATE.fullmatch(value) else "a date YYYY-MM-DD"


@_type("scale")
def _scale(ctx: Context, spec: FieldSpec, value: Any) -> str | None:
    levels = getattr(ctx.config.risk, spec.scale or "severity")
    if isinstance(value, str) and value in levels:
        return None
    if isinstance(value, int) and not isinstance(value, bool) and 1 <= value <= len(levels):
        return None
    return f"a level of the {spec.scale} scale: {', '.join(levels)} (or 1 to {len(levels)})"


@_type("any")
def _any(ctx: Context, spec: FieldSpec, value: Any) -> str | None:
    return None


# @implements SRS-10
@rule("MT008", "field-invalid", Severity.ERROR, "A field's value has the wrong type or value.")
def field_invalid(ctx: Context) -> Iterator[Diagnostic]:
    code = CODES["MT008"]
    for item in ctx.model:
        specs = ctx.config.kinds[item.kind].fields
        for role, value in item.fields.items():
            if value is None:
                continue
            spec = specs[role]
            expected = _TYPES[spec.type](ctx, spec, value)
            if expected is None:
                continue
            yield code(
                f"'{spec.name}' of {item.id} is {_show(value)}",
                expected=expected,
                hint=_hint(spec, value),
                **ctx.at(item, role),
            )


def _hint(spec: FieldSpec, value: Any) -> str:
    if isinstance(value, float) and spec.type in ("string", "text"):
        return (
            f'quote it as written ({spec.name}: "..."): unquoted, YAML reads it as the '
            f"number {value!r} and drops digits (1.10 becomes 1.1)"
        )
    if spec.type == "enum" and isinstance(value, str):
        close = difflib.get_close_matches(value, spec.values, n=1, cutoff=0.5)
        if close:
            return f"did you mean '{close[0]}'?"
    return f"write '{spec.name}' as {spec.type}" + (
        f": {spec.description}" if spec.description else ""
    )


def _show(value: Any) -> str:
    if isinstance(value, float):
        return f"the number {value!r}"
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


# @implements SRS-10
@rule("MT009", "field-missing", Severity.ERROR, "A field required for the safety class is missing.")
def field_missing(ctx: Context) -> Iterator[Diagnostic]:
    code = CODES["MT009"]
    for item in ctx.model:
        cls = ""
        for role, spec in ctx.config.kinds[item.kind].fields.items():
            if not spec.required or _present(item, role):
                continue
            cls = cls or ctx.item_class(item)
            if cls not in spec.required:
                continue
            yield code(
                f"{item.kind} {item.id} has no '{spec.name}'",
                expected=f"'{spec.name}' (required for class {cls})",
                hint=f"add '{spec.name}:'" + (f": {spec.description}" if spec.description else ""),
                **ctx.at(item),
            )


def _present(item: Item, role: str) -> bool:
    if role == "title":
        return bool(item.title)
    if role == "text":
        return bool(item.text)
    value = item.fields.get(role)
    return value is not None and value != "" and value != [] and value != {}
