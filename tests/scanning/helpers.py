"""Helpers for the scanner's tests."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from medtrace.scanning import ScanResult

#: ``write(path, text_or_bytes)`` writes a file under the project root and returns its path.
Write = Callable[[str, "str | bytes"], Path]
#: ``scanned(sources=..., tests=..., exclude=..., **options)`` scans the project root.
Scanned = Callable[..., ScanResult]


def owners(result: ScanResult) -> dict[str, str | None]:
    """Each ID with the symbol its tag belongs to."""
    return {i: tag.symbol for tag in result.tags for i in tag.ids}


def line_of(text: str, needle: str) -> int:
    """The 1-based line where ``needle`` first appears in ``text``."""
    return next(n for n, line in enumerate(text.splitlines(), 1) if needle in line)
