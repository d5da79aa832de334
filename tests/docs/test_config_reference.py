"""The configuration reference stays true: every key of the schema, every fixed value and
every default kind and field is in ``medtrace docs config``.

The keys are read from the schema itself (pydantic models), so a key added to the schema and
not to the reference fails here, naming the key.
"""

from __future__ import annotations

import types
import typing
from collections.abc import Iterator
from typing import Any, Literal

import pytest
from pydantic import BaseModel

from medtrace.config import Config, FieldSpec, KindSpec, defaults, validate
from medtrace.docs import read_topic

pytestmark = pytest.mark.verifies("SRS-35")

#: What the reference writes for the key of a table whose keys are the project's own.
PLACEHOLDERS = {"kinds": "<kind>", "fields": "<field>", "rules": "<rule>"}


def _reference() -> str:
    text = read_topic("config")
    assert text is not None
    return text


def _unwrap(annotation: Any) -> list[Any]:
    """The types an annotation allows (``X | None`` is ``X`` and ``None``)."""
    if isinstance(annotation, types.UnionType) or typing.get_origin(annotation) is typing.Union:
        return [a for arg in typing.get_args(annotation) for a in _unwrap(arg)]
    return [annotation]


def _keys(
    model: type[BaseModel], prefix: str = "", above: frozenset[type] = frozenset()
) -> Iterator[tuple[str, Any]]:
    """Every key under ``model``, dotted, with its annotation (a model nested in itself, such
    as a field's entry ``fields``, is walked once)."""
    if model in above:
        return
    above = above | {model}
    for name, field in model.model_fields.items():
        if field.exclude:
            continue
        key = f"{prefix}{field.alias or name}"
        yield key, field.annotation
        for arg in _unwrap(field.annotation):
            if isinstance(arg, type) and issubclass(arg, BaseModel):
                yield from _keys(arg, key + ".", above)
            elif typing.get_origin(arg) is dict:
                value = typing.get_args(arg)[1]
                below = f"{key}.{PLACEHOLDERS.get(name, '<name>')}"
                if isinstance(value, type) and issubclass(value, BaseModel):
                    yield from _keys(value, below + ".", above)
                else:
                    yield below, value


def _literals(annotation: Any) -> list[str]:
    """The fixed values an annotation allows, looking into lists."""
    out: list[str] = []
    for arg in _unwrap(annotation):
        if typing.get_origin(arg) is Literal:
            out += [str(v) for v in typing.get_args(arg)]
        elif typing.get_origin(arg) is list:
            out += _literals(typing.get_args(arg)[0])
    return out


SCHEMA_KEYS = list(_keys(Config))


def test_the_schema_walk_sees_the_nested_tables() -> None:
    """The walk reaches into tables and into the project's own keys (kinds, fields, rules)."""
    keys = [key for key, _ in SCHEMA_KEYS]
    for key in (
        "project.class",
        "paths.items",
        "kinds.<kind>.prefix",
        "kinds.<kind>.fields.<field>.required",
        "risk.matrix",
        "rules.<rule>",
        "limits.max_file_bytes",
    ):
        assert key in keys


@pytest.mark.parametrize(("key", "annotation"), SCHEMA_KEYS, ids=[k for k, _ in SCHEMA_KEYS])
def test_every_key_is_described(key: str, annotation: Any) -> None:
    top = key.split(".")[0]
    reference = _reference()
    assert f"## `[{top}]`" in reference, f"no section for the table [{top}]"
    if key != top:  # a table's own key is its section
        assert f"`{key}`" in reference, f"the key {key} is not in the reference"


@pytest.mark.parametrize(
    ("key", "value"),
    [(k, v) for k, a in SCHEMA_KEYS for v in _literals(a)],
    ids=[f"{k}={v}" for k, a in SCHEMA_KEYS for v in _literals(a)],
)
def test_every_fixed_value_is_named(key: str, value: str) -> None:
    reference = _reference()
    assert f"`{value}`" in reference or f'"{value}"' in reference, f"{key}: {value}"


def _default_rows() -> Iterator[tuple[str, str]]:
    """The reference's table row of every field of every default kind, from the defaults."""
    config = validate({"project": {"class": "B"}})
    common = validate({"project": {"class": "B"}}).kinds["system-requirement"].fields
    for kind_name in defaults.KINDS:
        kind: KindSpec = config.kinds[kind_name]
        for role, spec in kind.fields.items():
            if role in defaults.COMMON_FIELDS and spec == common[role]:
                continue
            yield kind_name, _row(role, spec)


def _row(role: str, spec: FieldSpec) -> str:
    if spec.is_link:
        extra = ", ".join(spec.targets) or "any kind"
        extra += " (derivation)" if spec.derivation else ""
    elif spec.type == "enum":
        extra = ", ".join(spec.values)
    elif spec.type == "scale":
        extra = f"the {spec.scale} scale"
    elif spec.type == "mapping":
        extra = "keys: " + ", ".join(spec.keys)
    elif spec.type == "mapping-list":
        extra = "keys: " + ", ".join(spec.fields)
    else:
        extra = ""
    required = ", ".join(spec.required) or "-"
    return f"| `{role}` | {spec.type} | {required} | {extra} |".replace("|  |", "| |")


ROWS = list(_default_rows())


@pytest.mark.parametrize(("kind", "row"), ROWS, ids=[f"{k}:{r.split('`')[1]}" for k, r in ROWS])
def test_every_default_field_is_described_as_it_is(kind: str, row: str) -> None:
    reference = _reference()
    section = reference.split(f"#### `{kind}`\n", 1)
    assert len(section) == 2, f"no section for the default kind {kind}"
    assert row in section[1].split("\n#### ", 1)[0], f"{kind}: expected the row\n{row}"


@pytest.mark.parametrize("kind", list(defaults.KINDS))
def test_every_default_kind_gives_its_id_form(kind: str) -> None:
    spec = defaults.KINDS[kind]
    section = _reference().split(f"#### `{kind}`\n", 1)[1].split("\n#### ", 1)[0]
    if "prefix" in spec:
        assert f"Prefix `{spec['prefix']}` (`{spec['prefix']}-1`)" in section
    if "pattern" in spec:
        assert f"`{spec['pattern']}`" in section


def test_the_common_fields_are_described() -> None:
    reference = _reference()
    for role, spec in defaults.COMMON_FIELDS.items():
        assert f"`{role}`" in reference
        for value in spec.get("values", []):
            assert f"`{value}`" in reference


@pytest.mark.parametrize("name", ["severity", "probability"])
def test_the_default_scales_are_shown(name: str) -> None:
    levels = getattr(defaults, name.upper())
    assert f"{name} = {str(levels).replace(chr(39), chr(34))}" in _reference()


def test_the_default_matrix_is_shown() -> None:
    reference = _reference()
    for row in defaults.MATRIX:
        assert str(row).replace("'", '"') + "," in reference


def test_the_complete_example_is_a_valid_configuration() -> None:
    """The first complete example of the reference validates (kinds and fields included)."""
    import tomllib

    reference = _reference()
    block = reference.split("# a complete one\n", 1)[1].split("```", 1)[0]
    config = validate(tomllib.loads(block))
    assert config.kinds["software-requirement"].prefix == "SWR"
    assert config.kinds["risk"].fields["detectability"].required == ["C"]
