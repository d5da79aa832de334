"""The in-memory project model: items and the graph of their links."""

from medtrace.model.graph import Link, Model
from medtrace.model.item import Item

__all__ = ["Item", "Link", "Model"]
