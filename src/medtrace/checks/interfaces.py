"""Rules on declared interfaces: specs that read and validate, OpenAPI operations covered by
requirements, and Python APIs that match the API recorded at the last release.

The extractors (OpenAPI validator, griffe, tree-sitter) are imported only when a project
declares an interface of their kind.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from medtrace.checks.context import Context
from medtrace.checks.registry import rule
from medtrace.diagnostics import CODES, Diagnostic, Severity

if TYPE_CHECKING:
    from medtrace.interfaces import Declared, InterfaceDoc


# @implements SRS-155
@rule(
    "MT171",
    "interface-invalid",
    Severity.ERROR,
    "A declared interface cannot be documented: its spec is invalid or its module not found.",
)
def interface_invalid(ctx: Context) -> Iterator[Diagnostic]:
    code = CODES["MT171"]
    for declared, doc in _documented(ctx):
        if declared.spec and not (ctx.config.root / declared.spec).is_file():
            continue  # a missing spec file is interface-spec-missing (MT166)
        for problem in doc.problems:
            yield code(
                f"interface '{declared.name}' of {declared.item} ({doc.kind}): {problem}",
                expected="a spec that validates, or a module that can be read",
                hint="fix the spec or the 'module' of the interface",
                **_at(ctx, declared),
            )


# @implements SRS-155
@rule(
    "MT172",
    "operation-uncovered",
    Severity.WARNING,
    "An operation of a public OpenAPI interface is named by no software requirement.",
    classes="BC",
)
def operation_uncovered(ctx: Context) -> Iterator[Diagnostic]:
    code = CODES["MT172"]
    documented = [(declared, doc) for declared, doc in _documented(ctx) if doc.kind == "openapi"]
    if not documented:
        return  # no OpenAPI interface: the requirements' operations need not be read
    covered = _covered_operations(ctx)
    kind = ctx.config.kinds.get("software-requirement")
    field = kind.fields.get("operations") if kind is not None else None
    name = field.name if field is not None and field.name else "operations"
    for declared, doc in documented:
        for entry in doc.entries:
            if entry.name.lower() in covered or (entry.signature and entry.signature in covered):
                continue
            shown = f"{entry.signature} ({entry.name})" if entry.signature else entry.name
            yield code(
                f"operation {shown} of {declared.spec} ({declared.item}) is named by no "
                "software requirement",
                expected=f"an interface requirement naming it in '{name}' "
                "(its operationId or 'METHOD /path'; IEC 62304 5.2.2)",
                hint=f"add '{entry.signature or entry.name}' to '{name}' of the requirement "
                "that specifies it",
                **_at(ctx, declared),
            )


# @implements SRS-157
@rule(
    "MT173",
    "api-changed",
    Severity.ERROR,
    "A Python interface differs from the API recorded at the last release.",
)
def api_changed(ctx: Context) -> Iterator[Diagnostic]:
    python = _python(ctx)
    if not python:
        return
    from medtrace.interfaces.record import drift, record_file

    code = CODES["MT173"]
    folder = ctx.config.conformance.api_records
    for declared in python:
        found = drift(declared, folder)
        if found is None:
            continue
        record = record_file(folder, declared.item)
        changes = [found] if isinstance(found, str) else _changes(found)
        for change in changes:
            yield code(
                f"interface '{declared.name}' of {declared.item}: {change}",
                expected=f"the public API recorded in {record}",
                hint="review the change, then record it with 'medtrace interfaces --record' "
                "and commit the record",
                **_at(ctx, declared),
            )


# @implements SRS-157
@rule(
    "MT174",
    "api-unrecorded",
    Severity.WARNING,
    "A public Python interface has no recorded API to compare with.",
    classes="BC",
)
def api_unrecorded(ctx: Context) -> Iterator[Diagnostic]:
    python = _python(ctx)
    if not python:
        return
    from medtrace.interfaces.record import record_file

    code = CODES["MT174"]
    folder = ctx.config.conformance.api_records
    for declared in python:
        record = record_file(folder, declared.item)
        if (ctx.config.root / record).is_file():
            continue
        yield code(
            f"interface '{declared.name}' of {declared.item} has no recorded API ({record})",
            expected="the API recorded at the last release, so that a change is reviewed",
            hint="run 'medtrace interfaces --record' and commit the record",
            **_at(ctx, declared),
        )


def _changes(found: Any) -> list[str]:
    breaking = [f"breaking change in {found.module}: {b}" for b in found.breaking]
    return breaking + [f"unrecorded change in {found.module}: {o}" for o in found.other]


def _declared(ctx: Context) -> list[Declared]:
    if "interfaces_declared" not in ctx.extras:
        from medtrace.interfaces import declared_interfaces

        declared = declared_interfaces(ctx.model, ctx.config.root)
        ctx.extras["interfaces_declared"] = declared
        _note_reads(ctx, declared)
    found: list[Declared] = ctx.extras["interfaces_declared"]
    return found


def _note_reads(ctx: Context, declared: list[Declared]) -> None:
    """Tell the result cache which files these rules read besides the code and items: each
    spec with the specs beside it (references), each recorded API, each Python package."""
    if not declared:
        return  # (and the extractors are not imported)
    from medtrace.interfaces.python import search_path
    from medtrace.interfaces.record import record_file

    reads: set[str] = ctx.extras.setdefault("read_files", set())
    root = ctx.config.root
    for d in declared:
        if d.spec:
            reads.add(d.spec)
            reads.update(_files_under(root, str(Path(d.spec).parent), (".yaml", ".yml", ".json")))
        module = d.fields.get("module")
        if isinstance(module, str) and module:
            reads.add(record_file(ctx.config.conformance.api_records, d.item))
            base = search_path(root, module, d.item_paths)
            if base is not None:
                package = (base / module.replace(".", "/")).relative_to(root).as_posix()
                reads.update({f"{package}.py", *_files_under(root, package, (".py", ".pyi"))})


def _files_under(root: Path, folder: str, suffixes: tuple[str, ...]) -> set[str]:
    """Files with ``suffixes`` under ``folder`` (not the whole root: a spec at the root names
    only itself), at most a few thousand; hidden and dependency folders left out."""
    if folder in ("", "."):
        return set()
    found: set[str] = set()
    for path, folders, files in os.walk(root / folder):
        folders[:] = [f for f in folders if not f.startswith(".") and f != "node_modules"]
        base = Path(path).relative_to(root).as_posix()
        found.update(f"{base}/{name}" for name in files if name.endswith(suffixes))
        if len(found) > _MAX_READS:
            break
    return found


_MAX_READS = 5000


def _documented(ctx: Context) -> list[tuple[Declared, InterfaceDoc]]:
    """Each public interface with its documentation (made once per check)."""
    if "interfaces_documented" not in ctx.extras:
        from medtrace.interfaces import document

        declared = _declared(ctx)
        ctx.extras["interfaces_documented"] = list(zip(declared, document(declared), strict=True))
    found: list[tuple[Declared, InterfaceDoc]] = ctx.extras["interfaces_documented"]
    return found


def _python(ctx: Context) -> list[Declared]:
    from medtrace.interfaces import kind_of

    return [d for d in _declared(ctx) if kind_of(d.fields) == "python" and d.fields.get("module")]


def _covered_operations(ctx: Context) -> set[str]:
    out: set[str] = set()
    for item in ctx.model.of_kind("software-requirement"):
        for name in item.ids("operations"):
            out.add(name)
            out.add(" ".join(name.split()).lower())
    return out


def _at(ctx: Context, declared: Declared) -> dict[str, Any]:
    item = ctx.model.get(declared.item)
    if item is None:
        return {"item": declared.item}
    return ctx.at(item, "interfaces")
