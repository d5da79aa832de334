"""An item: one requirement, risk, software item, SOUP entry, test case or anomaly."""

from __future__ import annotations

from typing import Any

__all__ = ["Item"]


class Item:
    """One item as written in its file.

    ``fields`` holds the item's fields by their role in medtrace (``parents``, ``item``...),
    whatever name the project's configuration gives them; ``unknown`` holds the fields the kind
    does not define, by the name written; ``invalid`` holds, by role, the values that cannot be of
    their field's type at all (a list or a mapping where one value is expected), kept apart so
    that no later stage trips on them (rule MT008 reports them). ``line`` is where the item starts (1-based), or 0 when it
    has not been located yet (items of YAML files are located only when a diagnostic needs it,
    see :mod:`medtrace.loading.locate`); ``index`` is the item's position in its file.
    """

    __slots__ = (
        "fields",
        "id",
        "index",
        "invalid",
        "kind",
        "line",
        "path",
        "text",
        "title",
        "unknown",
    )

    #: The layout of :meth:`to_tuple` (part of the cache's salt).
    LAYOUT = 2

    def __init__(
        self,
        id: str,
        kind: str,
        *,
        title: str = "",
        text: str = "",
        fields: dict[str, Any] | None = None,
        unknown: dict[str, Any] | None = None,
        invalid: dict[str, Any] | None = None,
        path: str = "",
        line: int = 0,
        index: int = 0,
    ) -> None:
        self.id = id
        self.kind = kind
        self.title = title
        self.text = text
        self.fields: dict[str, Any] = fields if fields is not None else {}
        self.unknown: dict[str, Any] = unknown if unknown is not None else {}
        self.invalid: dict[str, Any] = invalid if invalid is not None else {}
        self.path = path
        self.line = line
        self.index = index

    def get(self, field: str, default: Any = None) -> Any:
        return self.fields.get(field, default)

    def ids(self, field: str) -> list[str]:
        """The IDs a link field holds, as a list (a single ID or a list of them)."""
        value = self.fields.get(field)
        if value is None:
            return []
        if isinstance(value, str):
            return [value]
        if isinstance(value, list):
            return [v for v in value if isinstance(v, str)]
        return []

    def __repr__(self) -> str:
        return f"Item({self.id!r}, {self.kind!r}, path={self.path!r}, line={self.line})"

    def to_tuple(self) -> tuple[Any, ...]:
        """Plain data (pickled by C code alone: the cache stays fast to write)."""
        return (
            self.id,
            self.kind,
            self.title,
            self.text,
            self.fields,
            self.unknown,
            self.invalid,
            self.path,
            self.line,
            self.index,
        )

    @classmethod
    def from_tuple(cls, data: tuple[Any, ...]) -> Item:
        item = cls.__new__(cls)
        (
            item.id,
            item.kind,
            item.title,
            item.text,
            item.fields,
            item.unknown,
            item.invalid,
            item.path,
            item.line,
            item.index,
        ) = data
        return item
