"""What the interface extractors return: plain data the renderers and rules read."""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field
from typing import Any

__all__ = ["Entry", "InterfaceDoc", "without_tags"]

_TAG = re.compile(r"\s*@(?:implements|verifies)\s+[\w.-]+(?:\s*,\s*[\w.-]+)*")


def without_tags(text: str) -> str:
    """Documentation text without medtrace's ``@implements``/``@verifies`` tags."""
    return _TAG.sub("", text).strip()


@dataclass(frozen=True)
class Entry:
    """One documented element: an operation (``GET /pets``), a function, a class, a type.

    ``details`` are labelled rows (``parameter``, ``request``, ``response 200``, ``security``,
    ``member``...) in the order a reader wants them.
    """

    kind: str
    name: str
    signature: str = ""
    doc: str = ""
    path: str = ""
    line: int = 0
    details: tuple[tuple[str, str], ...] = ()


@dataclass
class InterfaceDoc:
    """The documentation of one declared interface of one software item.

    ``problems`` are what made it incomplete (a spec that does not validate, a module that is
    not found), each as a sentence; ``source`` is the spec file or module read.
    """

    item: str
    item_title: str
    name: str
    kind: str
    source: str = ""
    text: str = ""
    entries: list[Entry] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["entries"] = [
            {**asdict(e), "details": [list(row) for row in e.details]} for e in self.entries
        ]
        return data
