"""REST interfaces from an OpenAPI 3.0/3.1 file: validated by ``openapi-spec-validator``, every
``$ref`` (in the file or in other files beside it) resolved by ``jsonschema-path``, offline."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from medtrace.interfaces.model import Entry, InterfaceDoc
from medtrace.interfaces.registry import Declared, extractor

__all__ = ["METHODS", "extract_openapi", "operations", "validate"]

METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")


# @implements SRS-154
@extractor("openapi")
def extract_openapi(declared: Declared) -> InterfaceDoc:
    doc = declared.doc("openapi")
    spec = _load(declared, doc)
    if spec is None:
        return doc
    problem = validate(spec, declared.spec)
    if problem:
        doc.problems.append(problem)
    doc.entries = list(operations(spec, doc.problems))
    return doc


def _offline(uri: str) -> Any:
    raise OSError(f"the remote reference {uri} is not fetched (medtrace works offline)")


def _handlers() -> dict[str, Any]:
    """Local files only: a reference to a URL is reported, never fetched."""
    from jsonschema_path.handlers.urllib import UrllibHandler

    return {"file": UrllibHandler("file"), "http": _offline, "https": _offline}


def _load(declared: Declared, doc: InterfaceDoc) -> Any:
    from jsonschema_path import SchemaPath
    from openapi_spec_validator.readers import read_from_filename

    if not declared.spec:
        doc.problems.append("the interface names no 'spec' file")
        return None
    try:
        data, base = read_from_filename(str(declared.root / declared.spec))
    except Exception as error:  # missing, unreadable or not YAML/JSON
        doc.problems.append(f"{declared.spec} cannot be read: {_reason(error)}")
        return None
    if not isinstance(data, dict):
        doc.problems.append(f"{declared.spec} is not an OpenAPI document (no mapping)")
        return None
    return SchemaPath.from_dict(data, base_uri=base, handlers=_handlers())


# @implements SRS-155
def validate(spec: Any, name: str) -> str:
    """The first validation error of the spec, as a sentence, or ``""``."""
    from openapi_spec_validator.shortcuts import get_validator_cls

    try:
        with spec.open() as data:
            validator = get_validator_cls(data)(spec)
        validator.validate()
    except Exception as error:
        return f"{name} is not a valid OpenAPI document: {_reason(error)}"
    return ""


def operations(spec: Any, problems: list[str]) -> Iterator[Entry]:
    """Every operation of ``paths`` and (3.1) ``webhooks``, with resolved details; what cannot
    be read (a reference to a missing file or a URL) is added to ``problems``."""
    security = _guard(problems, _plain, spec, "security")
    for section, prefix in (("paths", ""), ("webhooks", "webhook ")):
        group = spec / section
        for key in _guard(problems, _keys, spec, section) or []:
            yield from _path_item(group / key, f"{prefix}{key}", security, problems)


def _keys(node: Any, key: str) -> list[str]:
    return list((node / key).keys()) if key in node else []


def _path_item(item: Any, path: str, security: Any, problems: list[str]) -> Iterator[Entry]:
    shared = _guard(problems, _parameters, item)
    if shared is None:
        return
    for method in METHODS:
        if method in item:
            entry = _guard(problems, _operation, item / method, path, method, shared, security)
            yield entry or Entry(
                "operation", f"{method.upper()} {path}", doc="(not read completely)"
            )


def _guard(problems: list[str], read: Any, *args: Any) -> Any:
    """``read(*args)``, or ``None`` with the reason added to ``problems``."""
    try:
        return read(*args)
    except Exception as error:  # a reference to a missing file, a URL, a malformed part
        problem = f"part of the spec cannot be read: {_reason(error)}"
        if problem not in problems:
            problems.append(problem)
        return None


def _operation(op: Any, path: str, method: str, shared: list[str], security: Any) -> Entry:
    rows = [("parameter", p) for p in [*shared, *_parameters(op)]]
    if "requestBody" in op:
        rows.extend(("request", c) for c in _content(op / "requestBody"))
    for status in (op / "responses").keys() if "responses" in op else ():
        response = op / "responses" / status
        text = _text(response, "description")
        contents = _content(response) or [""]
        rows.extend((f"response {status}", _join(text, c)) for c in contents)
    rows.append(("security", _security(_plain(op, "security", security))))
    return Entry(
        "operation",
        f"{method.upper()} {path}",
        signature=_text(op, "operationId"),
        doc=_text(op, "summary") or _text(op, "description"),
        details=tuple(rows),
    )


def _parameters(node: Any) -> list[str]:
    if "parameters" not in node:
        return []
    out = []
    for param in node / "parameters":
        name, where = _text(param, "name"), _text(param, "in")
        required = " (required)" if _plain(param, "required") else ""
        kind = _schema(param / "schema") if "schema" in param else ""
        out.append(_join(f"{name} in {where}{required}", kind))
    return out


def _content(node: Any) -> list[str]:
    if "content" not in node:
        return []
    content = node / "content"
    return [
        _join(media, _schema(content / media / "schema") if "schema" in content / media else "")
        for media in content.keys()  # noqa: SIM118  (a SchemaPath, not a dict)
    ]


def _schema(schema: Any, depth: int = 0) -> str:
    """A one-line summary: ``object {id: string, tags: array of string}``."""
    title = _text(schema, "title")
    kind = _plain(schema, "type")
    kind = "|".join(map(str, kind)) if isinstance(kind, list) else str(kind or "")
    if "items" in schema:
        kind = f"{kind or 'array'} of {_schema(schema / 'items', depth + 1)}"
    elif "properties" in schema and depth < 1:
        names = list((schema / "properties").keys())
        fields = ", ".join(f"{n}: {_schema(schema / 'properties' / n, depth + 1)}" for n in names)
        kind = f"{kind or 'object'} {{{fields}}}"
    for combinator in ("oneOf", "anyOf", "allOf"):
        if combinator in schema and depth < 2:
            parts = [_schema(s, depth + 1) for s in schema / combinator]
            kind = _join(kind, f"{combinator}({', '.join(parts)})")
    return _join(title, kind) if title and title != kind else (kind or title or "any")


def _security(requirements: Any) -> str:
    if not requirements:
        return "none"
    names = [" + ".join(r) if r else "anonymous" for r in requirements if isinstance(r, dict)]
    return " or ".join(names) or "none"


def _plain(node: Any, key: str, default: Any = None) -> Any:
    if key not in node:
        return default
    with (node / key).open() as value:
        return value


def _text(node: Any, key: str) -> str:
    value = _plain(node, key)
    return " ".join(str(value).split()) if value is not None else ""


def _join(first: str, second: str) -> str:
    return f"{first}: {second}" if first and second else first or second


def _reason(error: BaseException) -> str:
    """The first line of the error, or of the local-only handler's refusal it was caused by."""
    cause: BaseException | None = error
    while cause is not None:
        if isinstance(cause, OSError) and "not fetched" in str(cause):
            return str(cause)
        cause = cause.__cause__ or cause.__context__
    text = str(error).strip().splitlines()
    return text[0] if text else type(error).__name__
