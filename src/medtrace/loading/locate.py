"""Find lines lazily: where an item of a YAML file starts and where a field is written.

Items are read with a parser that does not keep positions (it is several times faster); the
positions are found only for the few items a diagnostic is about, by composing the file with
PyYAML's safe loader.
"""

from __future__ import annotations

import re
from pathlib import Path

import yaml

from medtrace.fs.read import read_regular
from medtrace.loading.parse import item_nodes, safe_loader
from medtrace.model import Item

__all__ = ["Locator"]

#: Item files were loaded within ``limits.max_file_bytes``; this only bounds a file swapped since.
_MAX_BYTES = 1 << 26


class Locator:
    """Lines of items and fields, read from the files under ``root`` on demand."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self._nodes: dict[str, list[yaml.Node] | None] = {}

    def item_line(self, item: Item) -> int:
        if item.line:
            return item.line
        node = self._item_node(item)
        return int(node.start_mark.line) + 1 if node is not None else 0

    def field_line(self, item: Item, name: str) -> int:
        if item.path.endswith((".md", ".markdown")):
            return self._markdown_field_line(item, name) or item.line or 1
        node = self._item_node(item)
        if node is None:
            return 0
        if not isinstance(node, yaml.MappingNode):
            return int(node.start_mark.line) + 1
        for key, _value in node.value:
            if str(key.value) == name:
                return int(key.start_mark.line) + 1
        return int(node.start_mark.line) + 1

    def _markdown_field_line(self, item: Item, name: str) -> int:
        text = self._text(item.path)
        if text is None:
            return 0
        m = re.search(rf"^{re.escape(name)}[ \t]*:", text, re.M)
        return text.count("\n", 0, m.start()) + 1 if m else 0

    def _item_node(self, item: Item) -> yaml.Node | None:
        if item.path not in self._nodes:
            self._nodes[item.path] = self._compose(item.path)
        nodes = self._nodes[item.path]
        if nodes is None or item.index >= len(nodes):
            return None
        return nodes[item.index]

    def _compose(self, path: str) -> list[yaml.Node] | None:
        text = self._text(path)
        if text is None:
            return None
        try:
            loader = safe_loader()(text)
            try:
                root = loader.get_single_node()
            finally:
                loader.dispose()
        except yaml.YAMLError:
            return None
        return item_nodes(root)

    def _text(self, path: str) -> str | None:
        """An item file again (a regular file, bounded), or ``None``."""
        content = read_regular(str(self.root / path), _MAX_BYTES)
        try:
            return content.data.decode("utf-8-sig") if content.ok else None
        except UnicodeDecodeError:
            return None
