"""The linking stage: put items in the model and resolve every link field."""

from __future__ import annotations

from collections.abc import Iterable

from medtrace.config import Config
from medtrace.model import Item, Link, Model

__all__ = ["link_items"]


def link_items(items: Iterable[Item], config: Config) -> Model:
    model = Model()
    for item in items:
        model.add(item)
    link_fields = {
        kind: [role for role, f in spec.fields.items() if f.is_link]
        for kind, spec in config.kinds.items()
    }
    known = model.items
    for item in model.items.values():
        for role in link_fields[item.kind]:
            for target in item.ids(role):
                model.link(Link(item.id, role, target, target in known))
    return model
