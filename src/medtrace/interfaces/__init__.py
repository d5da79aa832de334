"""Interface documentation generated from the architecture model: each public interface a
software item declares is read statically by the extractor of its kind (``openapi``,
``python``, ``typescript``, ``c-header``, ``prose``)."""

from medtrace.interfaces.collect import declared_interfaces, document
from medtrace.interfaces.model import Entry, InterfaceDoc
from medtrace.interfaces.registry import EXTRACTORS, Declared, extractor, kind_of

__all__ = [
    "EXTRACTORS",
    "Declared",
    "Entry",
    "InterfaceDoc",
    "declared_interfaces",
    "document",
    "extractor",
    "kind_of",
]
