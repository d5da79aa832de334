"""The declared interfaces of a model, and their documentation by the registered extractors."""

from __future__ import annotations

from pathlib import Path

from medtrace.interfaces.model import InterfaceDoc
from medtrace.interfaces.registry import EXTRACTORS, Declared, extractor, kind_of
from medtrace.model import Model

__all__ = ["declared_interfaces", "document"]


# @implements SRS-154
def declared_interfaces(
    model: Model, root: Path, items: list[str] | None = None, *, public_only: bool = True
) -> list[Declared]:
    """The ``interfaces`` entries of software items (of ``items`` if given), in model order;
    those with ``public: false`` only when ``public_only`` is false."""
    out = []
    for item in model.of_kind("software-item"):
        if items and item.id not in items:
            continue
        value = item.get("interfaces")
        entries = value if isinstance(value, list) else []
        for entry in entries:
            if not isinstance(entry, dict):
                continue  # not a mapping: the field rules report it
            if public_only and entry.get("public", True) is False:
                continue
            paths = tuple(item.ids("paths")) + tuple(_strings(entry.get("paths")))
            out.append(Declared(item.id, item.title, entry, paths, root))
    return out


# @implements SRS-330
def document(declared: list[Declared]) -> list[InterfaceDoc]:
    """Each declared interface documented by the extractor of its kind."""
    if not declared:
        return []  # (a project without interfaces does not import the extractors)
    from medtrace.interfaces import openapi, python, treesitter  # noqa: F401  (they register)

    return [EXTRACTORS[kind_of(d.fields)](d) for d in declared]


@extractor("prose")
def extract_prose(declared: Declared) -> InterfaceDoc:
    """An interface described in words (a BLE characteristic, a file format): its text."""
    return declared.doc(str(declared.fields.get("kind") or "prose"))


def _strings(value: object) -> list[str]:
    if isinstance(value, str):
        return [value]
    return [v for v in value if isinstance(v, str)] if isinstance(value, list) else []
