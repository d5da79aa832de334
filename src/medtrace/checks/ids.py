"""Rules on IDs: well formed and unique."""

from __future__ import annotations

from collections.abc import Iterator

from medtrace.checks.context import Context
from medtrace.checks.registry import rule
from medtrace.diagnostics import CODES, Diagnostic, Severity


# @implements SRS-8
@rule("MT004", "id-malformed", Severity.ERROR, "An ID does not have the form of its kind.")
def id_malformed(ctx: Context) -> Iterator[Diagnostic]:
    code = CODES["MT004"]
    for item in ctx.model:
        spec = ctx.config.kinds[item.kind]
        if spec.id_re.fullmatch(item.id):
            continue
        form = f"{spec.prefix}-<number>" if spec.prefix else f"a name matching {spec.pattern}"
        yield code(
            f"ID '{item.id}' is not a well-formed {spec.title or item.kind} ID",
            expected=form,
            hint=f"rename it, e.g. {spec.prefix}-1" if spec.prefix else "use lower case and '-'",
            **ctx.at(item),
        )


# @implements SRS-8
@rule("MT005", "id-duplicate", Severity.ERROR, "Two items have the same ID.")
def id_duplicate(ctx: Context) -> Iterator[Diagnostic]:
    code = CODES["MT005"]
    for item in ctx.model.duplicates:
        first = ctx.model.items[item.id]
        where = f"{first.path}:{ctx.locator.item_line(first)}"
        yield code(
            f"ID '{item.id}' is already used at {where}",
            expected="a unique ID",
            hint="give one of them a new ID (links to it may need updating)",
            related=(where,),
            **ctx.at(item),
        )
