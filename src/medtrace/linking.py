"""The linking stage: put items in the model and resolve every link field."""

from __future__ import annotations

from collections.abc import Iterable

from medtrace.config import Config
from medtrace.model import Item, Link, Model

__all__ = ["link_items"]


# @implements SRS-7
def link_items(items: Iterable[Item], config: Config) -> Model:
    model = Model()
    for item in items:
        model.add(item)
    link_fields = {
        kind: [role for role, f in spec.fields.items() if f.is_link]
        for kind, spec in config.kinds.items()
    }
    known = model.items
    outgoing, incoming = model.outgoing, model.incoming
    make = Link._make
    for item in known.values():
        fields = item.fields
        links = []
        for role in link_fields[item.kind]:
            value = fields.get(role)
            if value is None:
                continue
            for target in (
                (value,) if isinstance(value, str) else value if isinstance(value, list) else ()
            ):
                if target.__class__ is not str:
                    continue
                resolved = target in known
                link = make((item.id, role, target, resolved))
                links.append(link)
                if resolved:
                    incoming[target].append(link)
        if links:
            outgoing[item.id] = links
    return model
