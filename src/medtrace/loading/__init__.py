"""Loading: find the item files, parse them and build items."""

from medtrace.loading.discover import Discovered
from medtrace.loading.load import Loaded, find_item_files, load_items, salt
from medtrace.loading.locate import Locator

__all__ = ["Discovered", "Loaded", "Locator", "find_item_files", "load_items", "salt"]
