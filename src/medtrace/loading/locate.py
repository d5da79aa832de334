"""Find lines lazily: where an item of a YAML file starts and where a field is written.

Items are read with a parser that does not keep positions (it is several times faster); the
positions are found only for the files a diagnostic is about, in one pass over each file's
parser events that keeps only line numbers (see :func:`medtrace.loading.parse.item_outline`).
"""

from __future__ import annotations

import re
from pathlib import Path

from medtrace.fs.read import read_regular
from medtrace.loading.parse import Outline, item_outline
from medtrace.model import Item

__all__ = ["Locator"]

_FENCE = re.compile(r"(?:---|\.\.\.)[ \t]*$")
#: A top-level key: not indented, not a comment or a list entry, then ':'.
_KEY = re.compile(r"""((?:"[^"]*"|'[^']*'|[^\s#'"\-?][^:#]*?|-[^\s:][^:#]*?))[ \t]*:(?:[ \t]|$)""")
#: Item files were loaded within ``limits.max_file_bytes``; this only bounds a file swapped since.
_MAX_BYTES = 1 << 26


class Locator:
    """Lines of items and fields, read from the files under ``root`` on demand (each file once)."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self._outlines: dict[str, Outline | None] = {}
        self._front_keys: dict[str, dict[str, int]] = {}

    def item_line(self, item: Item) -> int:
        if item.line:
            return item.line
        entry = self._entry(item)
        return entry[0] if entry is not None else 0

    # @implements SRS-66
    def field_line(self, item: Item, name: str) -> int:
        """Where ``name`` is written in ``item``; each file is read once for all its keys, so
        many findings on one item cost one pass, not one each."""
        if item.path.endswith((".md", ".markdown")):
            return self._front_matter_keys(item.path).get(name) or item.line or 1
        entry = self._entry(item)
        if entry is None:
            return 0
        return entry[1].get(name) or entry[0]

    def _front_matter_keys(self, path: str) -> dict[str, int]:
        """The line of each top-level key of a Markdown file's front matter (first wins)."""
        keys = self._front_keys.get(path)
        if keys is None:
            keys = {}
            text = self._text(path) or ""
            for number, line in enumerate(text.split("\n")[1:], 2):
                if _FENCE.match(line):
                    break
                m = _KEY.match(line)
                if m:
                    keys.setdefault(m.group(1).strip("'\""), number)
            self._front_keys[path] = keys
        return keys

    def _entry(self, item: Item) -> tuple[int, dict[str, int]] | None:
        if item.path not in self._outlines:
            text = self._text(item.path)
            self._outlines[item.path] = item_outline(text) if text is not None else None
        outline = self._outlines[item.path]
        if outline is None or item.index >= len(outline):
            return None
        return outline[item.index]

    def _text(self, path: str) -> str | None:
        """An item file again (a regular file, bounded), or ``None``."""
        content = read_regular(str(self.root / path), _MAX_BYTES)
        try:
            return content.data.decode("utf-8-sig") if content.ok else None
        except UnicodeDecodeError:
            return None
