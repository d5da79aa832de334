"""``medtrace init``."""

from __future__ import annotations

import click

from medtrace.cli._common import console, directory
from medtrace.errors import UsageError


# @implements SRS-17
@click.command()
@click.option(
    "--class",
    "safety_class",
    type=click.Choice(["A", "B", "C"]),
    default="B",
    show_default=True,
    help="Software safety class of the software system.",
)
@click.option("--name", default=None, help="Project name (default: the folder's name).")
@click.pass_context
def init(ctx: click.Context, safety_class: str, name: str | None) -> None:
    """Create medtrace.toml and starter items that pass 'medtrace check'.

    Nothing that exists is ever overwritten: if any file to be created is already there,
    nothing is written.
    """
    from medtrace.fsutil import write_atomic
    from medtrace.scaffold import starter_files

    root = directory(ctx).resolve()
    files = starter_files(safety_class, name or root.name)
    existing = [rel for rel in files if (root / rel).exists() or (root / rel).is_symlink()]
    if existing:
        names = ", ".join(p.as_posix() for p in existing)
        raise UsageError(f"not overwriting existing files: {names} (nothing was written)")
    written = []
    try:
        for rel, content in files.items():
            write_atomic(root / rel, content, overwrite=False)
            written.append(rel)
    except FileExistsError as exc:
        raise UsageError(f"{exc.filename} appeared while writing; stopped") from None
    out = console()
    for rel in written:
        out.print(f"created {rel.as_posix()}")
    out.print(
        f"next: edit the items in docs/items/, then run 'medtrace check' (class {safety_class})"
    )
