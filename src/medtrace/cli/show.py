"""``medtrace show``, ``medtrace list`` and ``medtrace rules``."""

from __future__ import annotations

import json
from typing import Any

import click
from rich.markup import escape
from rich.table import Table

from medtrace.cli._common import console, directory
from medtrace.errors import ItemNotFound
from medtrace.render.escaping import visible


def _project(ctx: click.Context) -> Any:
    from medtrace.pipeline import load_project

    return load_project(directory(ctx))


# @implements SRS-18, SRS-79
@click.command()
@click.argument("item_id", metavar="ID")
@click.option("--json", "as_json", is_flag=True, help="Print the item as JSON.")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), help="Same as --json.")
@click.pass_context
def show(ctx: click.Context, item_id: str, as_json: bool, fmt: str | None) -> None:
    """Show one item with its fields, its links in both directions and its whole trace: the
    code that implements it, its tests and their latest results, and its status."""
    from medtrace.loading import Locator
    from medtrace.pipeline import trace_project

    traced = trace_project(directory(ctx))
    project = traced.project
    item = project.model.get(item_id)
    if item is None:
        raise ItemNotFound(f"no item {item_id!r}{_closest(item_id, list(project.model.items))}")
    line = Locator(project.config.root).item_line(item)
    outgoing = [(k.field, k.target, k.resolved) for k in project.model.outgoing.get(item.id, [])]
    incoming = [(k.field, k.source) for k in project.model.incoming.get(item.id, [])]
    trace = _trace(traced, item)
    approval = _approval(project, item)
    if as_json or fmt == "json":
        doc = {
            "id": item.id,
            "kind": item.kind,
            "title": item.title,
            "path": item.path,
            "line": line,
            "fields": item.fields,
            "text": item.text,
            "links": [{"field": f, "target": t, "resolved": r} for f, t, r in outgoing],
            "backlinks": [{"field": f, "source": s} for f, s in incoming],
            "trace": trace,
        }
        if approval is not None:
            doc["approval"] = approval
        click.echo(json.dumps(doc, indent=2, ensure_ascii=False, default=str))
        return
    _print(project, item, line, outgoing, incoming, trace)
    if approval is not None:
        out = console()
        out.print()
        out.print(escape(visible(_approval_line(approval))))


# @implements SRS-257
def _approval(project: Any, item: Any) -> dict[str, Any] | None:
    """The item's approval (state, and who approved which content when), when the project
    keeps reviews (a lock file)."""
    from medtrace.review import Fingerprints, approval_of, approval_state, load_lock

    lock = load_lock(project.config.root, project.config.review.lock)
    if not lock.exists:
        return None
    prints = Fingerprints(project.model)
    found = approval_of(item, lock, prints)
    return {
        "state": approval_state(item, lock, prints),
        "fingerprint": prints[item.id],
        "by": found.by if found else None,
        "at": found.at if found else None,
    }


def _approval_line(approval: dict[str, Any]) -> str:
    state = approval["state"]
    if approval["by"]:
        return f"approval: {state} by {approval['by']} at {approval['at']}"
    return f"approval: {state}"


def _closest(item_id: str, known: list[str]) -> str:
    import difflib

    close = difflib.get_close_matches(item_id, known, n=1)
    return f"; did you mean {close[0]}?" if close else ""


def _trace(traced: Any, item: Any) -> dict[str, Any] | None:
    """The item's trace, with the status computed once for every view (a risk's rolled up from
    its controls: :mod:`medtrace.tracing.status`), or None for a kind that is not traced."""
    from medtrace.render.itemtrace import trace_doc

    entry = traced.trace.of(item.id)
    if entry is None:
        return None
    return trace_doc(entry, entry.status.value)


def _print(
    project: Any,
    item: Any,
    line: int,
    outgoing: list[tuple[str, str, bool]],
    incoming: list[tuple[str, str]],
    trace: dict[str, Any] | None,
) -> None:
    from medtrace.render.escaping import visible

    kinds = project.config.kinds

    def written(kind: str, role: str) -> str:  # the field's name in the project's files
        spec = kinds[kind].fields.get(role) if kind in kinds else None
        return spec.name if spec is not None else role

    def esc(text: str) -> str:
        return escape(visible(text))

    out = console()
    out.print(f"[bold]{esc(item.id)}[/] [dim]{esc(item.kind)}[/]  {esc(item.title)}")
    out.print(f"[dim]{esc(item.path)}:{line}[/]")
    for role, value in item.fields.items():
        if role in ("title", "text"):
            continue
        out.print(f"  {esc(written(item.kind, role))}: {esc(_short(value))}")
    if item.text:
        out.print()
        out.print(escape(visible(item.text, keep="\n\t")))
    if outgoing:
        out.print("\n[bold]links[/]")
        for f, t, resolved in outgoing:
            mark = "" if resolved else " [red](missing)[/]"
            out.print(f"  {esc(written(item.kind, f))} → {esc(t)}{mark}")
    if incoming:
        out.print("\n[bold]linked from[/]")
        for f, s in incoming:
            source = project.model.items[s]
            out.print(f"  {esc(s)} ({esc(written(source.kind, f))}) {esc(source.title)}")
    if trace is not None:
        _print_trace(out, trace)


def _print_trace(out: Any, trace: dict[str, Any]) -> None:
    from medtrace.render.itemtrace import trace_lines

    first, *rest = trace_lines(trace)
    out.print(f"\n[bold]{first}[/]")
    for text in rest:
        out.print(escape(text))


def _short(value: Any) -> str:
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    text = str(value)
    return text if len(text) < 100 else text[:97] + "..."


# @implements SRS-18
@click.command("list")
@click.option("--kind", "-k", help="Only items of this kind.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON lines.")
@click.pass_context
def list_items(ctx: click.Context, kind: str | None, as_json: bool) -> None:
    """List items: ID, kind, title and file."""
    project = _project(ctx)
    if kind is not None and kind not in project.config.kinds:
        raise click.BadParameter(
            f"unknown kind {kind!r}; known: {', '.join(project.config.kinds)}", param_hint="--kind"
        )
    items = [i for i in project.model if kind is None or i.kind == kind]
    items.sort(key=_natural)
    if as_json:
        for i in items:
            click.echo(json.dumps({"id": i.id, "kind": i.kind, "title": i.title, "path": i.path}))
        return
    table = Table(box=None, header_style="bold")
    for col in ("ID", "kind", "title", "file"):
        table.add_column(col)
    for i in items:
        table.add_row(*(escape(visible(t)) for t in (i.id, i.kind, i.title, i.path)))
    console().print(table)


def _natural(item: Any) -> tuple[str, tuple[str, int, str, str]]:
    from medtrace.ids import natural_key

    return (item.kind, natural_key(item.id))


@click.command()
def rules() -> None:
    """List every rule: code, name, default severity and what it checks."""
    import medtrace.checks  # noqa: F401  (registers the rules)
    from medtrace.diagnostics import CODES

    table = Table(box=None, header_style="bold")
    for col in ("code", "name", "severity", "checks"):
        table.add_column(col)
    for code in sorted(CODES):
        c = CODES[code]
        table.add_row(c.code, c.name, c.severity.value, escape(c.summary))
    console().print(table)
