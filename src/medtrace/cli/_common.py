"""Helpers shared by commands: the console and the project directory."""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import click

if TYPE_CHECKING:
    from rich.console import Console

    from medtrace.fsutil import OutputLog


def directory(ctx: click.Context) -> Path:
    obj = ctx.find_root().obj or {}
    path = obj.get("directory", Path())
    assert isinstance(path, Path)
    if not path.is_dir():
        raise click.UsageError(f"-C {path}: no such directory")
    return path


def console(stderr: bool = False) -> Console:
    from rich.console import Console

    return Console(stderr=stderr, highlight=False, soft_wrap=True, emoji=False)


@contextlib.contextmanager
def working(what: str) -> Iterator[None]:
    """A spinner on standard error while a long step runs, only on a terminal (never in CI
    logs or when the output is piped)."""
    if not sys.stderr.isatty():
        yield
        return
    with console(stderr=True).status(f"{what}…", spinner="dots"):
        yield


def output_log(root: Path) -> OutputLog:
    """The record of the files medtrace wrote for the project at ``root``."""
    from medtrace.fsutil import OutputLog

    return OutputLog(root / ".medtrace" / "outputs.json")


def note_problems(count: int) -> None:
    """One line on standard error when reading the project met problems that this command does
    not report itself ('medtrace check' does)."""
    if count:
        click.echo(
            f"medtrace: note: {count} problem{'s' if count != 1 else ''} found while reading the "
            "project; run 'medtrace check' for details",
            err=True,
        )
