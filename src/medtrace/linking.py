"""The linking stage: put items in the model and resolve every link field."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from itertools import compress
from operator import is_, is_not

from medtrace.config import Config
from medtrace.model import Item, Link, Model

__all__ = ["keep_model", "kept_model", "link_items", "linked"]

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
    link_fields = _link_fields(config)
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


def _link_fields(config: Config) -> dict[str, tuple[str, ...]]:
    """Each kind's link fields, in the order of its fields."""
    return {
        kind: tuple(role for role, f in spec.fields.items() if f.is_link)
        for kind, spec in config.kinds.items()
    }


@dataclass
class _Kept:
    """A model a resident server linked, with what it was made of."""

    items: list[Item]
    fields: dict[str, tuple[str, ...]]
    model: Model
    #: ID → where the item sits in its kind's list (``model.by_kind``)
    places: dict[str, int]
    #: The IDs of the items the last :func:`keep_model` put in others' places (in the items'
    #: order), or ``None`` when it linked them all
    replaced: list[str] | None = None


#: The model of the items the resident server read last (:func:`keep_model`).
_kept: _Kept | None = None
#: Past this many changed items the model is linked again whole (each costs a few lookups).
_MOST_CHANGED = 256


# @implements SRS-341
def keep_model(items: Sequence[Item], config: Config) -> None:
    """Link ``items`` and keep the model for the check of a process forked from this one
    (:func:`linked`). A resident server calls this when it has read the files. When the kept
    model was made of the same IDs in the same order and every item that is another object has
    the same kind and the same values in its link fields (an edit of a text, a title, a
    status), its links are those already made: the new items only take the old ones' places."""
    global _kept
    items, fields, kept = list(items), _link_fields(config), _kept
    if kept is not None and kept.fields == fields and _replaced(kept, items):
        kept.items = items
        return
    _kept = None  # (a failed link keeps nothing)
    model = link_items(items, config)
    _kept = _Kept(items, fields, model, _places(model))


def linked(items: Sequence[Item], config: Config) -> Model:
    """The model of ``items``: the kept one (:func:`keep_model`) when it was made of these very
    items, in order, with the same link fields, else :func:`link_items`. A kept model is handed
    out once: the process that takes it may change it (a forked child changes only its copy),
    so it is never given again."""
    global _kept
    kept, _kept = _kept, None
    if kept is not None and kept.fields == _link_fields(config) and _same(kept.items, items):
        return kept.model
    return link_items(items, config)


def _same(kept: Sequence[Item], now: Sequence[Item]) -> bool:
    return len(kept) == len(now) and all(map(is_, kept, now))


def _replaced(kept: _Kept, items: list[Item]) -> bool:
    """Put into the kept model the items of ``items`` that replace others with the same ID,
    kind and link fields; ``False`` (and nothing changed) when any differs otherwise."""
    old = kept.items
    if len(old) != len(items):
        return False
    changed = list(compress(range(len(items)), map(is_not, old, items)))  # loops in C
    if len(changed) > _MOST_CHANGED:
        return False
    model = kept.model
    for i in changed:
        before, after = old[i], items[i]
        roles = kept.fields.get(before.kind)
        if roles is None or (after.id, after.kind) != (before.id, before.kind):
            return False
        if model.items.get(before.id) is not before:  # a duplicate ID: linked again whole
            return False
        if any(before.fields.get(role) != after.fields.get(role) for role in roles):
            return False
    for i in changed:
        after = items[i]
        model.items[after.id] = after
        model.by_kind[after.kind][kept.places[after.id]] = after
    kept.replaced = [items[i].id for i in changed]
    return True


def kept_model() -> tuple[Model, list[str] | None] | None:
    """The model :func:`keep_model` keeps (without handing it out) and the IDs of the items
    its last call put in others' places (``None``: it linked them all); ``None`` without one.
    A resident server updates what it made of the model from these."""
    kept = _kept
    return None if kept is None else (kept.model, kept.replaced)


def _places(model: Model) -> dict[str, int]:
    return {item.id: n for same in model.by_kind.values() for n, item in enumerate(same)}
