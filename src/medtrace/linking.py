"""The linking stage: put items in the model and resolve every link field."""

from __future__ import annotations

from collections.abc import Iterable

from medtrace.config import Config
from medtrace.model import Item, Link, Model

__all__ = ["link_items"]

#: Makes a :class:`Link` in C: its generated ``__new__`` and ``_make`` are Python calls, and a
#: project of 100,000 requirements has a few hundred thousand links.
_link = tuple.__new__


# @implements SRS-7
def link_items(items: Iterable[Item], config: Config) -> Model:
    """The model of ``items``: each one by ID, and the links of its link fields (an ID or a
    list of IDs; anything else names nothing), forward in field order and backward in item
    order. One pass over the items, with no Python call per link."""
    model = Model()
    model.add_all(items)
    link_fields = {
        kind: tuple(role for role, f in spec.fields.items() if f.is_link)
        for kind, spec in config.kinds.items()
    }
    known = model.items
    outgoing, incoming = model.outgoing, model.incoming
    for source, item in known.items():
        fields = item.fields
        links: list[Link] = []
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
                link = _link(Link, (source, role, target, resolved))
                links.append(link)
                if resolved:
                    incoming[target].append(link)
        if links:
            outgoing[source] = links
    return model
