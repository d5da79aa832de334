"""Loading: find the item files, parse them and build items.

Finding files is light; parsing imports the YAML parsers, so it is imported on first use.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from medtrace.loading.discover import Discovered, find_item_files, salt

if TYPE_CHECKING:
    from medtrace.loading.load import Loaded, load_items
    from medtrace.loading.locate import Locator

__all__ = ["Discovered", "Loaded", "Locator", "find_item_files", "load_items", "salt"]

_LAZY = {
    "Loaded": "medtrace.loading.load",
    "load_items": "medtrace.loading.load",
    "Locator": "medtrace.loading.locate",
}


def __getattr__(name: str) -> Any:
    import importlib

    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(module), name)
