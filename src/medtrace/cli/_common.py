"""Helpers shared by commands: the console and the project directory."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click

if TYPE_CHECKING:
    from rich.console import Console


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
