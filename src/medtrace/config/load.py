"""Find, read, merge with the defaults and validate the configuration.

Every problem is collected and reported at once as a :class:`~medtrace.errors.ConfigError`.
"""

from __future__ import annotations

import copy
import difflib
import re
import tomllib
import typing
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from medtrace.config import defaults
from medtrace.config.schema import Config
from medtrace.configfile import CONFIG_FILE, nearest_config
from medtrace.diagnostics import Diagnostic, Severity, define
from medtrace.errors import ConfigError, UsageError

__all__ = [
    "CONFIG_INVALID",
    "find_config",
    "key_line",
    "load_config",
    "parse_config",
    "setting_location",
]

CONFIG_INVALID = define(
    "MT090", "config-invalid", Severity.ERROR, "The configuration file has a problem."
)


def find_config(start: Path) -> Path:
    """The nearest ``medtrace.toml`` or ``pyproject.toml`` with ``[tool.medtrace]``."""
    found = nearest_config(start)
    if found is None:
        raise UsageError(
            f"no {CONFIG_FILE} (or [tool.medtrace] in pyproject.toml) in {start.resolve()} or "
            "its parents; run 'medtrace init' to create one, or pass -C DIR"
        )
    return found


def load_config(start: Path) -> Config:
    path = find_config(start)
    return parse_config(path)


# @implements SRS-1
def parse_config(path: Path) -> Config:
    rel = path.name
    try:
        text = path.read_text("utf-8-sig")  # a byte-order mark, as some editors write, is fine
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(
            [CONFIG_INVALID(f"cannot read the configuration: {exc}", path=rel)]
        ) from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        line = int(m.group(1)) if (m := re.search(r"line (\d+)", str(exc))) else 0
        raise ConfigError(
            [
                CONFIG_INVALID(
                    f"invalid TOML: {exc}",
                    expected="a TOML document",
                    hint="Check quotes, brackets and '=' around that line.",
                    path=rel,
                    line=line,
                )
            ]
        ) from None
    except RecursionError:
        raise ConfigError([_too_deep(text, rel)]) from None
    if path.name == "pyproject.toml":
        data = _tool_table(data, text, rel)
    config = validate(data, text, rel)
    config.root = path.parent
    config.source = path
    config.source_text = text
    return config


def _too_deep(text: str, rel: str) -> Diagnostic:
    depth, line = 0, 0
    for m in re.finditer(r"[\[\]{}]", text):
        depth += 1 if m.group() in "[{" else -1
        if depth > 100:
            line = text.count("\n", 0, m.start()) + 1
            break
    return CONFIG_INVALID(
        "values nested too deeply to read",
        expected="a configuration a few levels deep",
        hint="Flatten the nested lists or tables on that line.",
        path=rel,
        line=line,
    )


# @implements SRS-64
def _tool_table(data: dict[str, Any], text: str, rel: str) -> dict[str, Any]:
    """``[tool.medtrace]`` of ``pyproject.toml``, or a located problem when it is not a table."""
    tool = data.get("tool")
    loc = ["tool"] if not isinstance(tool, dict) else ["tool", "medtrace"]
    value = tool if not isinstance(tool, dict) else tool.get("medtrace")
    if isinstance(value, dict):
        return value
    raise ConfigError(
        [
            CONFIG_INVALID(
                f"'{'.'.join(loc)}' is {_words(value)}",
                expected="a table [tool.medtrace] of medtrace's settings",
                hint="Write the settings under a line [tool.medtrace], as in medtrace.toml.",
                path=rel,
                line=_line_of(text, loc) or _line_of(text, loc[:1]),
            )
        ]
    )


def validate(data: dict[str, Any], text: str = "", source: str = CONFIG_FILE) -> Config:
    merged = _merge_defaults(data)
    try:
        config = Config.model_validate(merged)
    except ValidationError as exc:
        raise ConfigError(_diagnostics(exc, text, source)) from None
    for kind in config.kinds.values():
        for key, spec in list(kind.fields.items()):
            if not spec.name:
                kind.fields[key] = spec.model_copy(update={"name": key})
    return config


# @implements SRS-2
def _merge_defaults(data: dict[str, Any]) -> dict[str, Any]:
    merged = dict(data)
    user_kinds = data.get("kinds", {})
    kinds: dict[str, Any] = copy.deepcopy(defaults.KINDS)
    if isinstance(user_kinds, dict):
        for name, spec in user_kinds.items():
            kinds[name] = _deep_merge(kinds.get(name, {}), spec)
    for spec in kinds.values():
        if isinstance(spec, dict) and isinstance(spec.get("fields", {}), dict):
            spec["fields"] = {**copy.deepcopy(defaults.COMMON_FIELDS), **spec.get("fields", {})}
    merged["kinds"] = kinds
    return merged


def _deep_merge(base: Any, over: Any) -> Any:
    if isinstance(base, dict) and isinstance(over, dict):
        out = dict(base)
        for key, value in over.items():
            out[key] = _deep_merge(base.get(key), value) if key in base else value
        return out
    return over


def _diagnostics(exc: ValidationError, text: str, source: str) -> list[Diagnostic]:
    out = []
    for err in exc.errors():
        loc = [str(p) for p in err["loc"]]
        where = ".".join(loc) or "(top level)"
        line = _line_of(text, loc)
        # checks across kinds, and of the [risk] tables: one finding each, at its key
        if err["type"] == "value_error" and (not loc or loc == ["risk"]):
            out += _cross_problems(str(err["msg"]).removeprefix("Value error, "), text, source)
        elif err["type"] == "extra_forbidden":
            out.append(_unknown_key(loc, source, line))
        elif err["type"] == "missing":
            out.append(
                CONFIG_INVALID(
                    f"'{where}' is missing",
                    expected=f"a value for '{where}'",
                    hint=_missing_hint(loc),
                    path=source,
                    line=line,
                )
            )
        else:
            found, expected, hint = _problem(where, err)
            out.append(
                CONFIG_INVALID(
                    found,
                    expected=expected,
                    hint=hint,
                    path=source,
                    line=line,
                )
            )
    return sorted(out, key=lambda d: d.line)


#: pydantic's error types, in the words of a TOML file.
_EXPECTED = {
    "dict_type": "a table of keys and values",
    "model_type": "a table of keys and values",
    "model_attributes_type": "a table of keys and values",
    "list_type": 'a list, e.g. ["a", "b"]',
    "string_type": "text in quotes",
    "int_type": "a whole number",
    "int_parsing": "a whole number",
    "int_from_float": "a whole number",
    "bool_type": "true or false",
    "bool_parsing": "true or false",
    "float_type": "a number",
}


def _cross_problems(message: str, text: str, source: str) -> list[Diagnostic]:
    """``kinds.x.prefix: ...; kinds.y.fields.z: ...``: each at the line of its key."""
    out = []
    for problem in message.split("; "):
        where, _, what = problem.partition(": ")
        out.append(
            CONFIG_INVALID(
                f"'{where}' is invalid: {what}" if what else problem,
                hint=_SEE,
                path=source,
                line=_line_of(text, where.split(".")) if what else 0,
            )
        )
    return out


def _problem(where: str, err: Any) -> tuple[str, str, str]:
    """What was found, what was expected and a hint, in words (never pydantic's)."""
    kind = str(err["type"])
    value = err.get("input")
    found = f"'{where}' is {_words(value)}"
    if kind == "value_error":
        return f"'{where}' is invalid: {str(err['msg']).removeprefix('Value error, ')}", "", _SEE
    if kind == "literal_error":
        expected = str((err.get("ctx") or {}).get("expected", ""))
        choices = re.findall(r"'([^']*)'", expected)
        return found, f"one of {expected}", _did_you_mean(value, choices)
    if kind in _EXPECTED:
        return found, _EXPECTED[kind], _SEE
    msg = str(err["msg"]).removeprefix("Input should be ")
    if kind in ("greater_than", "greater_than_equal", "less_than", "less_than_equal"):
        msg = f"a number {msg}"
    return found, msg, _SEE


_SEE = "Every key and its type are described in 'medtrace docs config'."


def _did_you_mean(value: Any, choices: list[str]) -> str:
    if isinstance(value, str) and choices:
        folded = {c.casefold(): c for c in choices}
        close = folded.get(value.strip().casefold()) or next(
            iter(difflib.get_close_matches(value, choices, n=1, cutoff=0.5)), None
        )
        if close is not None:
            return f"Did you mean '{close}'?"
    return f"Write one of {', '.join(repr(c) for c in choices)}." if choices else _SEE


def _words(value: Any) -> str:
    """A TOML value as a user would write it (short)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return "missing"
    if isinstance(value, dict):
        return "a table" if value else "an empty table"
    if isinstance(value, list):
        return "an empty list" if not value else f"the list {_clip(repr(value))}"
    if isinstance(value, str):
        return _clip(repr(value))
    return _clip(repr(value))


def _clip(text: str) -> str:
    return text if len(text) <= 60 else text[:57] + "..."


def _unknown_key(loc: list[str], source: str, line: int) -> Diagnostic:
    key = loc[-1]
    known = _known_keys(loc[:-1])
    close = difflib.get_close_matches(key, known, n=1, cutoff=0.5)
    hint = (
        f"Did you mean '{close[0]}'?"
        if close
        else f"The known keys here are {', '.join(sorted(known))}."
        if known
        else "Remove it; 'medtrace docs config' lists the configuration keys."
    )
    return CONFIG_INVALID(
        f"unknown key '{'.'.join(loc)}'",
        expected="one of the known keys",
        hint=hint,
        path=source,
        line=line,
    )


def _known_keys(parent: list[str]) -> list[str]:
    """The keys valid under ``parent`` (a path of keys from the top of the configuration)."""
    annotation: Any = Config
    for part in parent:
        if isinstance(annotation, type) and issubclass(annotation, BaseModel):
            field = annotation.model_fields.get(part) or next(
                (f for f in annotation.model_fields.values() if f.alias == part), None
            )
            annotation = field.annotation if field else None
        elif typing.get_origin(annotation) is dict:
            annotation = typing.get_args(annotation)[1]
        else:
            return []
    if not (isinstance(annotation, type) and issubclass(annotation, BaseModel)):
        return []
    return [f.alias or name for name, f in annotation.model_fields.items() if not f.exclude]


# @implements SRS-34
def _missing_hint(loc: list[str]) -> str:
    if loc == ["project", "class"] or loc == ["project"]:
        return 'Add [project] with class = "A", "B" or "C" (the software safety class).'
    return "Add the key; 'medtrace docs config' describes it."


# @implements SRS-64
def setting_location(config: Config, loc: list[str], value: str | None = None) -> dict[str, Any]:
    """``path`` and ``line`` of a setting (``["paths", "items"]``), for a finding about it; the
    line of ``value`` when it is one entry of a list written over several lines."""
    if config.source is None:
        return {"path": "", "line": 0}
    path = config.source.name
    text = _source_text(config)
    if text is None:
        return {"path": path, "line": 0}
    start = _key_offset(text, loc)
    if start is None:
        return {"path": path, "line": _line_of(text, loc)}
    if value is not None:
        m = re.compile(rf"""["']{re.escape(value)}["']""").search(text, start)
        if m is not None and "\n[" not in text[start : m.start()]:
            start = m.start()
    return {"path": path, "line": text.count("\n", 0, start) + 1}


def _key_offset(text: str, loc: list[str]) -> int | None:
    """Where ``a.b`` is written: ``b =`` under a table ``[a]`` (or ``[tool.medtrace.a]``), or
    ``a.b =`` at the top."""
    *tables, key = loc
    name = rf"\"?{re.escape(key)}\"?"
    if tables:
        table = r"\.".join(map(re.escape, tables))
        header = re.compile(rf"^[ \t]*\[[ \t]*(?:tool\.medtrace\.)?{table}[ \t]*\][ \t]*$", re.M)
        m = header.search(text)
        if m is not None:
            end = re.compile(r"^[ \t]*\[", re.M).search(text, m.end())
            stop = end.start() if end else len(text)
            k = re.compile(rf"^[ \t]*{name}[ \t]*=", re.M).search(text, m.end(), stop)
            if k is not None:
                return k.start()
        dotted = re.compile(rf"^[ \t]*{table}\.{name}[ \t]*=", re.M).search(text)
        return dotted.start() if dotted else None
    k = re.compile(rf"^[ \t]*{name}[ \t]*=", re.M).search(text)
    return k.start() if k else None


def key_line(config: Config, loc: list[str]) -> int:
    """The line of the configuration file where the key at ``loc`` is written (0 if unknown)."""
    text = _source_text(config)
    return 0 if text is None else _line_of(text, loc)


def _source_text(config: Config) -> str | None:
    """The text the configuration was parsed from: a finding's line is counted in what was
    read, not in the file as it may be now (an editor may have saved it since); read only for a
    configuration made otherwise."""
    if config.source is None:
        return None
    if config.source_text is not None:
        return config.source_text
    try:
        return config.source.read_text("utf-8-sig")
    except (OSError, UnicodeDecodeError):
        return None


def _line_of(text: str, loc: list[str]) -> int:
    """Best effort: the line where the last key of ``loc`` is written, looked for first within
    the table of ``loc``'s first key (``risk.severity.1.class`` is not ``project.class``)."""
    keys = [part for part in reversed(loc) if not part.isdigit()]
    start = 0
    if len(loc) > 1:
        header = re.compile(
            rf"^[ \t]*\[[ \t]*(?:tool\.medtrace\.)?{re.escape(loc[0])}[ \t]*\]", re.M
        )
        table = header.search(text)
        start = table.start() if table is not None else 0
    for offset in dict.fromkeys((start, 0)):
        for part in keys:
            pattern = re.compile(
                rf"^[ \t]*(?:\[[^\]]*\b{re.escape(part)}\b[^\]]*\]|\"?{re.escape(part)}\"?\s*=)",
                re.M,
            )
            m = pattern.search(text, offset)
            if m:
                return text.count("\n", 0, m.start()) + 1
    return 0
