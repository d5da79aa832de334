"""Loading: find the item files, parse them and build items.

Finding files is light; parsing imports the YAML parsers, so it is imported on first use.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from medtrace.lazy import lazy_attributes
from medtrace.loading.discover import Discovered, find_item_files, salt

if TYPE_CHECKING:
    from medtrace.loading.load import Helper, Loaded, help_load, load_items
    from medtrace.loading.locate import Locator

__all__ = [
    "Discovered",
    "Helper",
    "Loaded",
    "Locator",
    "find_item_files",
    "help_load",
    "load_items",
    "salt",
]

_LAZY = {
    "Helper": "medtrace.loading.load",
    "Loaded": "medtrace.loading.load",
    "help_load": "medtrace.loading.load",
    "load_items": "medtrace.loading.load",
    "Locator": "medtrace.loading.locate",
}


__getattr__ = lazy_attributes(__name__, _LAZY)
