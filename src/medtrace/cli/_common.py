"""Helpers shared by commands: the console and the project directory."""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

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
    """``what…`` on standard error while a long step runs, cleared after; only on a terminal
    (never in CI logs or when the output is piped).

    A line, not an animated spinner: a spinner needs a thread, and while another thread runs
    medtrace does not fork its worker processes (:mod:`medtrace.workers`), so the run at the
    terminal, the one a developer waits for, would use one core."""
    stream = sys.stderr
    if not stream.isatty():
        yield
        return
    line = f"{what}…"
    _status(stream, line)
    try:
        yield
    finally:
        _status(stream, "\r" + " " * len(line) + "\r")


def _status(stream: TextIO, text: str) -> None:
    with contextlib.suppress(OSError, ValueError):  # a terminal gone meanwhile
        stream.write(text)
        stream.flush()


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
