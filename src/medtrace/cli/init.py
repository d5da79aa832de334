"""``medtrace init``."""

from __future__ import annotations

from pathlib import Path

import click

from medtrace.cli._common import console, directory, output_log
from medtrace.errors import UsageError


# @implements SRS-17, SRS-77
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

    All or nothing: the name is checked and every file made before the first is written, and
    nothing that exists is ever overwritten: if any file to be created is already there,
    nothing is written. A run that was killed half way is completed by the next one.
    """
    from medtrace.fsutil import write_outputs
    from medtrace.scaffold import starter_files

    root = directory(ctx).resolve()
    project = _checked_name(name, root)
    files = {root / rel: content for rel, content in starter_files(safety_class, project).items()}
    log = output_log(root)

    def leftover(path: Path) -> bool:  # the same file, written by an init that was killed
        return not path.is_symlink() and log.owns(path) and path.read_text("utf-8") == files[path]

    existing = [p for p in files if (p.exists() or p.is_symlink()) and not leftover(p)]
    if existing:
        names = ", ".join(p.relative_to(root).as_posix() for p in existing)
        raise UsageError(f"not overwriting existing files: {names} (nothing was written)")
    write_outputs(files, ours=leftover, log=log, keep=False)
    out = console()
    for path in files:
        out.print(f"created {path.relative_to(root).as_posix()}", markup=False, highlight=False)
    out.print(
        f"next: edit the items in docs/items/, then run 'medtrace check' (class {safety_class})"
    )


def _checked_name(name: str | None, root: Path) -> str:
    """The project's name, which must be text the files can hold (UTF-8, no lone surrogate,
    as a name that is not valid UTF-8 arrives from the command line)."""
    given = name if name is not None else root.name
    try:
        given.encode("utf-8")
    except UnicodeEncodeError:
        what = "--name" if name is not None else f"the folder's name {given!r}"
        raise UsageError(
            f"{what}: not valid UTF-8 text; give the project's name with --name (nothing was "
            "written)"
        ) from None
    if not given.strip():
        raise UsageError("--name: the project's name is empty (nothing was written)")
    return given
