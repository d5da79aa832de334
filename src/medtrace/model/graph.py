"""The project model: items by ID, with their links forward and backward."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import NamedTuple

from medtrace.model.item import Item

__all__ = ["Link", "Model"]


class Link(NamedTuple):
    """``source`` names ``target`` in its field ``field``; ``resolved`` if the target exists."""

    source: str
    field: str
    target: str
    resolved: bool


@dataclass
class Model:
    """Every item by ID (the first one, when an ID is duplicated) and every link."""

    items: dict[str, Item] = field(default_factory=dict)
    duplicates: list[Item] = field(default_factory=list)
    outgoing: dict[str, list[Link]] = field(default_factory=lambda: defaultdict(list))
    incoming: dict[str, list[Link]] = field(default_factory=lambda: defaultdict(list))
    by_kind: dict[str, list[Item]] = field(default_factory=lambda: defaultdict(list))

    def add(self, item: Item) -> bool:
        """Add an item; ``False`` (and it is kept in ``duplicates``) if its ID is taken."""
        if item.id in self.items:
            self.duplicates.append(item)
            return False
        self.items[item.id] = item
        self.by_kind[item.kind].append(item)
        return True

    def add_all(self, items: Iterable[Item]) -> None:
        """:meth:`add` for each item, in order (one loop, no call per item)."""
        known, duplicates, by_kind = self.items, self.duplicates, self.by_kind
        for item in items:
            if item.id in known:
                duplicates.append(item)
            else:
                known[item.id] = item
                by_kind[item.kind].append(item)

    def link(self, link: Link) -> None:
        self.outgoing[link.source].append(link)
        if link.resolved:
            self.incoming[link.target].append(link)

    def get(self, id: str) -> Item | None:
        return self.items.get(id)

    def of_kind(self, kind: str) -> list[Item]:
        return self.by_kind.get(kind, [])

    def targets(self, id: str, field: str) -> Iterator[Item]:
        """Resolved items that ``id`` names in ``field``."""
        for link in self.outgoing.get(id, ()):
            if link.field == field and link.resolved:
                yield self.items[link.target]

    def sources(self, id: str, field: str | None = None, kind: str | None = None) -> Iterator[Item]:
        """Items that name ``id`` (in ``field``, when given; of ``kind``, when given)."""
        for link in self.incoming.get(id, ()):
            if field is not None and link.field != field:
                continue
            source = self.items[link.source]
            if kind is None or source.kind == kind:
                yield source

    def __len__(self) -> int:
        return len(self.items)

    def __iter__(self) -> Iterator[Item]:
        return iter(self.items.values())
