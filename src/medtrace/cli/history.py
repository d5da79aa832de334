"""``medtrace history ID``: every change of one item, from git."""

from __future__ import annotations

import dataclasses
import json
from typing import TYPE_CHECKING

import click

from medtrace.cli._common import console, directory, working
from medtrace.errors import ItemNotFound

if TYPE_CHECKING:
    from rich.console import Console

    from medtrace.vcs.history import Change


# @implements SRS-233
@click.command()
@click.argument("item_id", metavar="ID")
@click.option(
    "--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True
)
@click.pass_context
def history(ctx: click.Context, item_id: str, fmt: str) -> None:
    """Every change of one item: commit, author, date, message and the diff of its fields and
    text, newest first, following the item across renamed files and moves between files."""
    from medtrace.pipeline import load_project
    from medtrace.vcs.history import item_histories

    root = directory(ctx)
    with working("reading the history"):
        project = load_project(root)
        found = item_histories(project.config.root, project.model, project.config, only=item_id)
    changes = found.changes.get(item_id)
    if changes is None:
        known = list(project.model.items)
        raise ItemNotFound(f"no item {item_id!r}{_closest(item_id, known)}")
    if found.note:
        click.echo(f"medtrace: note: {found.note}", err=True)
    item = project.model.get(item_id)
    if fmt == "json":
        doc = {
            "id": item_id,
            "title": item.title if item else None,
            "path": item.path if item else None,
            "note": found.note,
            "changes": [dataclasses.asdict(c) for c in changes],
        }
        click.echo(json.dumps(doc, indent=2, ensure_ascii=False))
        return
    heading = f"{item_id}  {item.title}  ({item.path})" if item else f"{item_id}  (removed)"
    _print(console(), heading, changes)


def _closest(item_id: str, known: list[str]) -> str:
    import difflib

    close = difflib.get_close_matches(item_id, known, n=1)
    return f"; did you mean {close[0]}?" if close else ""


def _print(out: Console, heading: str, changes: list[Change]) -> None:
    from rich.markup import escape

    from medtrace.render.escaping import visible

    def esc(text: str) -> str:
        return escape(visible(text))

    out.print(f"[bold]{esc(heading)}[/]")
    if not changes:
        out.print("no committed change (is the item committed?)")
    for c in changes:
        out.print()
        out.print(f"[yellow]commit {esc(c.commit)}[/]  [bold]{c.kind}[/]  {esc(c.path)}")
        out.print(f"Author: {esc(c.author)} <{esc(c.email)}>")
        out.print(f"Date:   {esc(c.date)}")
        out.print()
        for line in c.message.splitlines():
            out.print("    " + escape(visible(line, keep="\t")) if line else "")
        out.print()
        for line in c.diff.splitlines():
            out.print(_diff_line(escape(visible(line, keep="\t"))))


def _diff_line(line: str) -> str:
    if line.startswith(("+++", "---")):
        return f"[bold]{line}[/]"
    if line.startswith("@@"):
        return f"[cyan]{line}[/]"
    if line.startswith("+"):
        return f"[green]{line}[/]"
    if line.startswith("-"):
        return f"[red]{line}[/]"
    return line
