"""Rules on IDs: well formed, unique, and one number written one way (``SYS-3`` is ``SYS-003``)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from operator import attrgetter

from medtrace.checks.context import Context
from medtrace.checks.registry import rule
from medtrace.checks.shared import dangling
from medtrace.diagnostics import CODES, Diagnostic, Severity
from medtrace.ids import natural_key, padding_variant, split_number, split_numbers
from medtrace.model import Item

_ID = attrgetter("id")


# @implements SRS-8, SRS-60
@rule("MT004", "id-malformed", Severity.ERROR, "An ID does not have the form of its kind.")
def id_malformed(ctx: Context) -> Iterator[Diagnostic]:
    code = CODES["MT004"]
    for item in ctx.model:
        spec = ctx.config.kinds[item.kind]
        if spec.id_re.fullmatch(item.id):
            continue
        example = ctx.id_example(item.kind)
        if example is not None:
            expected = f"an ID like {example}"
            hint = f"Rename it in the form of {example}."
        else:
            pattern = spec.pattern or spec.id_re.pattern
            expected = f"an ID matching the pattern {pattern}"
            hint = f"Rename it to match the pattern {pattern}."
        if spec.pattern and example is not None:
            expected += f" (pattern {spec.pattern})"
        yield code(
            f"ID '{item.id}' is not a well-formed {spec.title or item.kind} ID",
            expected=expected,
            hint=hint,
            **ctx.at(item),
        )


# @implements SRS-8
@rule("MT005", "id-duplicate", Severity.ERROR, "Two items have the same ID.")
def id_duplicate(ctx: Context) -> Iterator[Diagnostic]:
    code = CODES["MT005"]
    for item in ctx.model.duplicates:
        first = ctx.model.items[item.id]
        where = f"{first.path}:{ctx.locator.item_line(first)}"
        free = _free_id(ctx, item)
        new = free or "NEW"
        move = f"'medtrace renumber {item.id} {new} --file {item.path}'"
        yield code(
            f"ID '{item.id}' is already used at {where}" + _merged(ctx, item, first),
            expected="a unique ID",
            hint=f"Give one of them a new ID, such as this one with {move}, then point the "
            f"links and tags that mean it at {new}.",
            related=(where,),
            **ctx.at(item),
        )


def _free_id(ctx: Context, item: Item) -> str | None:
    """The next free ID of the item's kind, for the hint (``None`` for unnumbered kinds)."""
    from medtrace.errors import UsageError
    from medtrace.review.newid import next_id

    try:
        return next_id(ctx.config, ctx.model, item.kind)
    except UsageError:
        return None


# @implements SRS-255
def _merged(ctx: Context, item: Item, first: Item) -> str:
    """When git tells: the two were added on two branches that a merge joined. Only for a
    project at the top of its own repository (a project inside another one, such as a test
    fixture, is not judged by that repository's history)."""
    from medtrace.vcs.git import commits_changing, is_ancestor, top_level

    root = ctx.config.root
    if top_level(root) != root.resolve():
        return ""
    commits = (commits_changing(root, item.id, sorted({item.path, first.path})) or [])[:8]
    if len(commits) < 2:
        return ""
    for i, a in enumerate(commits):
        for b in commits[i + 1 :]:
            if not is_ancestor(root, b, a) and not is_ancestor(root, a, b):
                return (
                    f" (added on two branches, in commits {b[:12]} and {a[:12]}, that a merge "
                    "joined)"
                )
    return ""


# @implements SRS-60
@rule(
    "MT017",
    "id-near-miss",
    Severity.ERROR,
    "An ID is written with its number padded otherwise than the project writes it (SYS-3, SYS-003).",
)
def id_near_miss(ctx: Context) -> Iterator[Diagnostic]:
    yield from _items_off_form(ctx)
    yield from _links_off_form(ctx)


def project_widths(ctx: Context) -> dict[str, int]:
    """Per kind, how many digits its numbers are padded to: the kind's ``digits``, else the
    form most of its items use (1: not padded)."""
    widths: dict[str, int] = {}
    numbered = _numbered(ctx)
    for name, spec in ctx.config.kinds.items():
        if spec.digits is not None:
            widths[name] = spec.digits
            continue
        numbers = [digits for _, digits in numbered.get(name, {}).values()]
        padded = Counter(len(d) for d in numbers if len(d) > 1 and d[0] == "0")
        if not padded:
            widths[name] = 1
            continue
        width = padded.most_common(1)[0][0]
        short = sum(1 for d in numbers if d[0] != "0" and len(d) < width)
        widths[name] = width if sum(padded.values()) >= short else 1
    return widths


def _numbered(ctx: Context) -> dict[str, dict[str, tuple[str, str]]]:
    """Per kind, item ID → its head and number (IDs ending in a number only); split once per
    check, not once per rule that asks."""
    found: dict[str, dict[str, tuple[str, str]]] | None = ctx.extras.get("numbered_ids")
    if found is None:
        found = ctx.extras["numbered_ids"] = {}
        for name in ctx.config.kinds:
            found[name] = split_numbers(map(_ID, ctx.model.of_kind(name)))
    return found


def _as_written(item_id: str, width: int) -> str:
    split = split_number(item_id)
    if split is None:
        return item_id
    head, digits = split
    return head + (digits.lstrip("0") or "0").zfill(width)


def _form(width: int) -> str:
    return f"numbers padded to {width} digits" if width > 1 else "numbers without leading zeros"


def _items_off_form(ctx: Context) -> Iterator[Diagnostic]:
    code = CODES["MT017"]
    widths = project_widths(ctx)
    off: list[Item] = []
    for name, numbered in _numbered(ctx).items():
        spec, width = ctx.config.kinds[name], widths.get(name, 1)
        if not spec.prefix:
            continue  # names (pump, zlib2) are not numbered
        # in the form of the width? (written out: a call per item costs more than the test)
        for item_id, (_, digits) in numbered.items():
            if digits != (digits.lstrip("0") or "0").zfill(width) and spec.id_re.fullmatch(item_id):
                off.append(ctx.model.items[item_id])  # a malformed ID is MT004's
    for item in sorted(off, key=lambda i: natural_key(i.id)):
        width = widths.get(item.kind, 1)
        right = _as_written(item.id, width)
        twin = ctx.model.get(right) or _twin(ctx, item)
        found = f"ID '{item.id}' is not written as this project writes {item.kind} IDs"
        if twin is not None and twin is not item:
            found = f"IDs '{item.id}' and '{twin.id}' are one number written in two ways"
        yield code(
            found,
            expected=f"{right} ({_form(width)})",
            hint=f"Rename it to {right}, and write links and tags to it that way."
            if twin is None
            else f"Give one of them another number, or merge them; write {right} everywhere.",
            related=(f"{twin.path}:{ctx.locator.item_line(twin)}",) if twin is not None else (),
            **ctx.at(item),
        )


def _twin(ctx: Context, item: Item) -> Item | None:
    other = padding_variant(item.id, ctx.model.items)
    return ctx.model.get(other) if other is not None else None


def _links_off_form(ctx: Context) -> Iterator[Diagnostic]:
    code = CODES["MT017"]
    known = ctx.model.items
    for link in dangling(ctx):
        right = padding_variant(link.target, known)
        if right is None:
            continue  # MT010 says it dangles
        source_id = link.source
        source = known[source_id]
        name = ctx.field_name(source, link.field)
        yield code(
            f"'{name}' of {source_id} names {link.target}, but the item is {right}",
            expected=f"{right}, as the item is written",
            hint=f"Write {right}: {link.target} and {right} name one number written in "
            "two ways, and medtrace never guesses which item a link means.",
            **ctx.at(source, link.field),
        )
