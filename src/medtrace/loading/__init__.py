"""Loading: find the item files, parse them and build items."""

from medtrace.loading.load import Loaded, load_items
from medtrace.loading.locate import Locator

__all__ = ["Loaded", "Locator", "load_items"]
