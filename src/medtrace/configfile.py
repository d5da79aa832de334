"""Where a project's configuration is: the nearest ``medtrace.toml``, or ``pyproject.toml``
with a ``[tool.medtrace]`` table, in a folder or its parents.

A leaf module (the standard library only): the command line's client of a running server finds
the project with it before anything heavy is imported (see :mod:`medtrace.serve`).
"""

from __future__ import annotations

import tomllib
from pathlib import Path

__all__ = ["CONFIG_FILE", "nearest_config"]

CONFIG_FILE = "medtrace.toml"


def nearest_config(start: Path) -> Path | None:
    """The nearest configuration file at or above ``start`` (resolved), or ``None``."""
    start = start.resolve()
    for folder in (start, *start.parents):
        candidate = folder / CONFIG_FILE
        if candidate.is_file():
            return candidate
        pyproject = folder / "pyproject.toml"
        if pyproject.is_file() and _has_tool_table(pyproject):
            return pyproject
    return None


def _has_tool_table(path: Path) -> bool:
    try:
        tool = tomllib.loads(path.read_text("utf-8-sig")).get("tool")
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError, RecursionError):
        return False
    return isinstance(tool, dict) and "medtrace" in tool
