"""``medtrace show``, ``medtrace list`` and ``medtrace rules``."""

from __future__ import annotations

import json
from typing import Any

import click
from rich.markup import escape
from rich.table import Table

from medtrace.cli._common import console, directory
from medtrace.errors import ItemNotFound


def _project(ctx: click.Context) -> Any:
    from medtrace.pipeline import load_project

    return load_project(directory(ctx))


# @implements SRS-18
@click.command()
@click.argument("item_id", metavar="ID")
@click.option("--json", "as_json", is_flag=True, help="Print the item as JSON.")
@click.pass_context
def show(ctx: click.Context, item_id: str, as_json: bool) -> None:
    """Show one item with its fields and its links in both directions."""
    from medtrace.loading import Locator

    project = _project(ctx)
    item = project.model.get(item_id)
    if item is None:
        import difflib

        close = difflib.get_close_matches(item_id, list(project.model.items), n=1)
        hint = f"; did you mean {close[0]}?" if close else ""
        raise ItemNotFound(f"no item {item_id!r}{hint}")
    line = Locator(project.config.root).item_line(item)
    outgoing = [(k.field, k.target, k.resolved) for k in project.model.outgoing.get(item.id, [])]
    incoming = [(k.field, k.source) for k in project.model.incoming.get(item.id, [])]
    if as_json:
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
        }
        click.echo(json.dumps(doc, indent=2, ensure_ascii=False, default=str))
        return
    kinds = project.config.kinds

    def written(kind: str, role: str) -> str:  # the field's name in the project's files
        spec = kinds[kind].fields.get(role) if kind in kinds else None
        return spec.name if spec is not None else role

    out = console()
    out.print(f"[bold]{escape(item.id)}[/] [dim]{escape(item.kind)}[/]  {escape(item.title)}")
    out.print(f"[dim]{escape(item.path)}:{line}[/]")
    for role, value in item.fields.items():
        if role in ("title", "text"):
            continue
        out.print(f"  {escape(written(item.kind, role))}: {escape(_short(value))}")
    if item.text:
        out.print()
        out.print(escape(item.text))
    if outgoing:
        out.print("\n[bold]links[/]")
        for f, t, resolved in outgoing:
            mark = "" if resolved else " [red](missing)[/]"
            out.print(f"  {escape(written(item.kind, f))} → {escape(t)}{mark}")
    if incoming:
        out.print("\n[bold]linked from[/]")
        for f, s in incoming:
            source = project.model.items[s]
            field = escape(written(source.kind, f))
            out.print(f"  {escape(s)} ({field}) {escape(source.title)}")


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
        table.add_row(escape(i.id), escape(i.kind), escape(i.title), escape(i.path))
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
