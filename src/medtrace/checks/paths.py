"""Rules on path patterns written in items: a software item's ``paths``."""

from __future__ import annotations

from collections.abc import Iterator

from medtrace.checks.context import Context
from medtrace.checks.registry import rule
from medtrace.diagnostics import CODES, Diagnostic, Severity
from medtrace.fs.globs import normalize_all


# @implements SRS-50
@rule(
    "MT133",
    "paths-invalid",
    Severity.ERROR,
    "A software item's paths entry cannot name files of the project (absolute, or leaving it).",
)
def paths_invalid(ctx: Context) -> Iterator[Diagnostic]:
    code = CODES["MT133"]
    for item in ctx.model.of_kind("software-item"):
        _, problems = normalize_all(item.ids("paths"))
        name = ctx.field_name(item, "paths")
        for problem in problems:
            yield code(
                f"'{name}' of {item.id}: {problem}",
                expected="a glob relative to the project root, inside it ('medtrace docs format', "
                "'Paths and globs')",
                hint="write the path from the project root, without a leading '/' or '..'",
                **ctx.at(item, "paths"),
            )
