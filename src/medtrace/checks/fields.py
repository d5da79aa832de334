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
from medtrace.registry import registrar, same

_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


# @implements SRS-10
@rule("MT007", "field-unknown", Severity.ERROR, "An item has a field its kind does not define.")
def field_unknown(ctx: Context) -> Iterator[Diagnostic]:
    code = CODES["MT007"]
    hints: dict[tuple[str, str], tuple[str, str]] = {}  # the same field on many items: once
    for item in ctx.model:
        if not item.unknown:
            continue
        for name in item.unknown:
            key = (item.kind, name)
            if key not in hints:
                hints[key] = _unknown_hint(ctx, item.kind, name)
            expected, hint = hints[key]
            yield code(
                f"unknown field '{name}' on {item.kind} {item.id}",
                expected=expected,
                hint=hint,
                **{**ctx.at(item), "line": ctx.locator.field_line(item, name)},
            )


def _unknown_hint(ctx: Context, kind: str, name: str) -> tuple[str, str]:
    """What was expected and the hint for an unknown field ``name`` of ``kind``."""
    specs = ctx.config.kinds[kind].fields
    known = [s.name for s in specs.values()]
    renamed = {role: s.name for role, s in specs.items() if s.name != role}
    close = difflib.get_close_matches(name, known, n=1, cutoff=0.6)
    if name in renamed:
        hint = f"This project calls it '{renamed[name]}'."
    elif close:
        hint = f"Did you mean '{close[0]}'?"
    else:
        hint = f"Add it to [kinds.{kind}.fields] if the project needs it."
    return f"one of {', '.join(sorted(known))}", hint


Checker = Callable[[Context, FieldSpec, Any], str | None]
_TYPES: dict[str, Checker] = {}


def _type(name: str) -> Callable[[Checker], Checker]:
    return registrar(_TYPES, name, same)


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


@_type("boolean")
def _boolean(ctx: Context, spec: FieldSpec, value: Any) -> str | None:
    return None if isinstance(value, bool) else "true or false"


@_type("flag")
def _flag(ctx: Context, spec: FieldSpec, value: Any) -> str | None:
    return None if isinstance(value, bool | str) else "true, false or a text saying where"


@_type("mapping-list")
def _mapping_list(ctx: Context, spec: FieldSpec, value: Any) -> str | None:
    if isinstance(value, list) and all(isinstance(v, dict) for v in value):
        return None  # each entry is checked key by key (entry_problems)
    return "a list of mappings" + (f" with {', '.join(spec.fields)}" if spec.fields else "")


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


class _Plan:
    """What values of one kind's fields are valid at sight, so that most fields of most items
    need no call of their type's checker: text for a field of a type that takes any text (the
    checkers of ``_ANY_TEXT`` accept every ``str``), one of an enum's values or a scale's
    levels, a list of texts for a list field. Anything else goes to the checker."""

    __slots__ = ("choices", "lists", "text")

    def __init__(self, ctx: Context, specs: dict[str, FieldSpec]) -> None:
        self.text = frozenset(r for r, s in specs.items() if s.type in _ANY_TEXT)
        self.lists = frozenset(r for r, s in specs.items() if s.type in ("links", "list"))
        self.choices = {
            r: frozenset(_choices(ctx, s)) for r, s in specs.items() if _choices(ctx, s)
        }

    def plainly_valid(self, role: str, value: Any) -> bool:
        kind = value.__class__  # exactly str or list: a subclass goes to the checker
        if kind is str:
            return role in self.text or value in self.choices.get(role, ())
        return kind is list and role in self.lists and {*map(type, value)} <= _STR


_ANY_TEXT = frozenset({"string", "text", "link", "links", "list", "flag", "any"})
_STR = {str}


# @implements SRS-10, SRS-63
@rule("MT008", "field-invalid", Severity.ERROR, "A field's value has the wrong type or value.")
def field_invalid(ctx: Context) -> Iterator[Diagnostic]:
    code = CODES["MT008"]
    plans = {kind: _Plan(ctx, spec.fields) for kind, spec in ctx.config.kinds.items()}
    for item in ctx.model:
        specs = ctx.config.kinds[item.kind].fields
        plan = plans[item.kind]
        values = {**item.fields, **item.invalid} if item.invalid else item.fields
        for role, value in values.items():
            if value is None or plan.plainly_valid(role, value):
                continue
            spec = specs[role]
            expected = _TYPES[spec.type](ctx, spec, value)
            if expected is None:
                if spec.type == "mapping-list":
                    yield from _entries_invalid(ctx, item, role, spec, value)
                continue
            yield code(
                f"'{spec.name}' of {item.id} is {_show(value)}",
                expected=expected,
                hint=_hint(ctx, spec, value),
                **ctx.at(item, role),
            )


# @implements SRS-140
def _entries_invalid(
    ctx: Context, item: Item, role: str, spec: FieldSpec, entries: list[dict[Any, Any]]
) -> Iterator[Diagnostic]:
    """Each entry of a ``mapping-list`` against its key schema: unknown keys (with the closest
    name), missing required keys, values of the wrong type."""
    code = CODES["MT008"]
    cls = ctx.item_class(item)
    for number, entry in enumerate(entries, 1):
        name = entry.get("name")
        which = f"entry {number}" + (f" ({name!r})" if isinstance(name, str) else "")
        for found, expected, hint in _entry_problems(ctx, spec, entry, cls):
            yield code(
                f"'{spec.name}' of {item.id}, {which}: {found}",
                expected=expected,
                hint=hint,
                **ctx.at(item, role),
            )


def _entry_problems(
    ctx: Context, spec: FieldSpec, entry: dict[Any, Any], cls: str
) -> Iterator[tuple[str, str, str]]:
    keys = spec.fields
    for key, value in entry.items():
        sub = keys.get(str(key))
        if sub is None:
            close = difflib.get_close_matches(str(key), list(keys), n=1, cutoff=0.6)
            hint = f"Did you mean '{close[0]}'?" if close else f"Use only {', '.join(keys)}."
            yield f"unknown key '{key}'", f"one of {', '.join(keys)}", hint
            continue
        if value is None:
            continue
        expected = _TYPES[sub.type](ctx, sub, value)
        if expected is not None:
            sub = sub.model_copy(update={"name": str(key)})
            yield f"'{key}' is {_show(value)}", expected, _hint(ctx, sub, value)
    for key, sub in keys.items():
        if cls in sub.required and entry.get(key) in (None, "", [], {}):
            what = f" ({sub.description})" if sub.description else ""
            yield f"no '{key}'", f"'{key}'{what}", f"Add '{key}:' to the entry."


def _hint(ctx: Context, spec: FieldSpec, value: Any) -> str:
    """How to fix the value, in the words of the file (never the schema's types)."""
    name = spec.name
    if isinstance(value, float) and spec.type in ("string", "text"):
        return (
            f'Quote it as written ({name}: "..."): unquoted, YAML reads it as the '
            f"number {value!r} and drops digits (1.10 becomes 1.1)."
        )
    choices = _choices(ctx, spec)
    if choices:
        close = _closest_value(value, choices)
        if close is not None:
            return f"Did you mean '{close}'?"
        if isinstance(value, list | dict):
            return f"Write one value without brackets, e.g. '{name}: {choices[0]}'."
        return f"Write one of {', '.join(choices)}."
    return _HINTS.get(spec.type, "Write {name} as described in the project's kinds.").format(
        name=name, keys=", ".join(spec.keys) or "its keys"
    )


_HINTS = {
    "string": "Write one line of text, e.g. '{name}: some words'.",
    "text": "Write text, e.g. '{name}: some words' (a list or a mapping is not text).",
    "link": "Write one ID without brackets, e.g. '{name}: <ID>'.",
    "links": "Write an ID or a list of IDs, e.g. '{name}: [<ID>, <ID>]'.",
    "list": "Write a value or a list of values, e.g. '{name}: [a, b]'.",
    "mapping": "Write a mapping with {keys}, one 'key: value' per line under '{name}:'.",
    "integer": "Write a whole number, e.g. '{name}: 3'.",
    "boolean": "Write '{name}: true' or '{name}: false'.",
    "flag": "Write '{name}: true', or a text saying where, e.g. '{name}: in the vendor SDK'.",
    "mapping-list": "Write a list of mappings, one '- key: value' entry per line under '{name}:'.",
    "date": "Write the date as year-month-day, e.g. '{name}: 2026-01-31'.",
}


def _choices(ctx: Context, spec: FieldSpec) -> list[str]:
    if spec.type == "enum":
        return list(spec.values)
    if spec.type == "scale":
        return list(getattr(ctx.config.risk, spec.scale or "severity"))
    return []


def _closest_value(value: Any, choices: list[str]) -> str | None:
    """The choice a value most likely means: the same in another case, or a close spelling (a
    one-element list counts as its element: ``[C]`` means ``C``)."""
    if isinstance(value, list) and len(value) == 1:
        value = value[0]
    if isinstance(value, bool) or not isinstance(value, str | int):
        return None
    text = str(value).strip()
    folded = {c.casefold(): c for c in choices}
    if text.casefold() in folded:
        return folded[text.casefold()]
    close = difflib.get_close_matches(text, choices, n=1, cutoff=0.5)
    return close[0] if close else None


def _show(value: Any) -> str:
    if isinstance(value, float):
        return f"the number {value!r}"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return "an empty list" if not value else f"the list {_short(value)}"
    if isinstance(value, dict):
        return "an empty mapping" if not value else f"the mapping {_short(value)}"
    return _short(value)


def _short(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


# @implements SRS-10
@rule("MT009", "field-missing", Severity.ERROR, "A field required for the safety class is missing.")
def field_missing(ctx: Context) -> Iterator[Diagnostic]:
    code = CODES["MT009"]
    required = {
        kind: [(role, spec) for role, spec in kind_spec.fields.items() if spec.required]
        for kind, kind_spec in ctx.config.kinds.items()
    }
    for item in ctx.model:
        cls = ""
        for role, spec in required[item.kind]:  # a few of the kind's fields: not all
            if _present(item, role):
                continue
            cls = cls or ctx.item_class(item)
            if cls not in spec.required:
                continue
            yield code(
                f"{item.kind} {item.id} has no '{spec.name}'",
                expected=f"'{spec.name}' (required for class {cls})",
                hint=f"Add '{spec.name}:'"
                + (f" with {spec.description}." if spec.description else "."),
                **ctx.at(item),
            )


def _present(item: Item, role: str) -> bool:
    if role in item.invalid:  # written, but wrong: MT008 says so (an empty one is missing too)
        return bool(item.invalid[role])
    if role == "title":
        return bool(item.title)
    if role == "text":
        return bool(item.text)
    value = item.fields.get(role)
    return value is not None and value != "" and value != [] and value != {}
