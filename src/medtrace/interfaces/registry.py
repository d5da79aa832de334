"""Extractors by interface kind (``openapi``, ``python``, ``typescript``, ``c-header``,
``prose``): each reads a declared interface statically and returns its entries."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from medtrace.interfaces.model import InterfaceDoc
from medtrace.registry import registrar, same

__all__ = ["EXTRACTORS", "Declared", "extractor", "kind_of"]


@dataclass(frozen=True)
class Declared:
    """One ``interfaces`` entry of a software item, with what locating its code needs."""

    item: str
    item_title: str
    fields: dict[str, Any]
    item_paths: tuple[str, ...]
    root: Path

    @property
    def name(self) -> str:
        return str(self.fields.get("name") or "")

    @property
    def spec(self) -> str:
        value = self.fields.get("spec")
        return value if isinstance(value, str) else ""

    def doc(self, kind: str, source: str = "") -> InterfaceDoc:
        text = self.fields.get("text")
        return InterfaceDoc(
            self.item,
            self.item_title,
            self.name,
            kind,
            source or self.spec,
            text if isinstance(text, str) else "",
        )


Extractor = Callable[[Declared], InterfaceDoc]
EXTRACTORS: dict[str, Extractor] = {}


def extractor(kind: str) -> Callable[[Extractor], Extractor]:
    """Register ``function`` as the extractor of interfaces of ``kind``."""

    return registrar(EXTRACTORS, kind, same)


_HINTS = (
    ("openapi", "openapi"),
    ("rest", "openapi"),
    ("typescript", "typescript"),
    ("python", "python"),
    ("c-header", "c-header"),
    ("c header", "c-header"),
)


# @implements SRS-154
def kind_of(fields: dict[str, Any]) -> str:
    """The extractor kind of an interface: its ``kind`` when it names one, else read from the
    words written (``REST, HTTPS/JSON`` → ``openapi``) or the spec's extension, else ``prose``."""
    written = str(fields.get("kind") or "").strip().lower()
    if written in EXTRACTORS:
        return written
    spec = str(fields.get("spec") or "")
    for word, kind in _HINTS:
        if word in written and (kind != "openapi" or spec.endswith((".yaml", ".yml", ".json"))):
            return kind
    if fields.get("module"):
        return "python"
    if spec.endswith((".h", ".hpp", ".hh")):
        return "c-header"
    if spec.endswith((".ts", ".tsx", ".d.ts")):
        return "typescript"
    return "prose"
