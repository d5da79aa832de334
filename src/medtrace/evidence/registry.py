"""Readers of report formats, registered by name, and which one reads a given file.

Each reader module registers itself with :func:`reader`: a name (``cobertura``), the kind of
evidence (``coverage`` or ``analysis``), a test on the first bytes of a file and the function
that reads the whole file. :func:`detect` picks the reader of a file by its content, not its
name: tools name their reports freely (``coverage.xml``, ``lcov.info``, ``results.sarif``).
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass

from medtrace.evidence.model import ReportData
from medtrace.registry import registrar

__all__ = ["READERS", "Reader", "detect", "reader"]

Read = Callable[[bytes, str], ReportData]
Sniff = Callable[[bytes], bool]

#: How many bytes :func:`detect` looks at.
HEAD = 4096


@dataclass(frozen=True, slots=True)
class Reader:
    name: str
    kind: str
    sniff: Sniff
    read: Read


READERS: dict[str, Reader] = {}

#: The modules that register readers, imported on first use.
_MODULES = (
    "medtrace.evidence.cobertura",
    "medtrace.evidence.lcov",
    "medtrace.evidence.gcov",
    "medtrace.evidence.sarif",
    "medtrace.evidence.gccjson",
)


def reader(name: str, kind: str, sniff: Sniff) -> Callable[[Read], Read]:
    """Register ``read`` as the reader of format ``name``, chosen for files ``sniff`` accepts."""

    return registrar(READERS, name, lambda read: Reader(name, kind, sniff, read))


def detect(data: bytes) -> Reader | None:
    """The reader of ``data`` (a whole report), or None for an unknown format."""
    for module in _MODULES:
        importlib.import_module(module)
    head = data[:HEAD].removeprefix(b"\xef\xbb\xbf").lstrip()
    return next((r for r in READERS.values() if r.sniff(head)), None)
