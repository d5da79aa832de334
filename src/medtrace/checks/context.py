"""What rules look at: the configuration, the model and (later stages) the trace."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from medtrace.config import CLASS_RANK, Config
from medtrace.ids import CloseIds, natural_key
from medtrace.loading import Locator
from medtrace.model import Item, Model

if TYPE_CHECKING:
    from medtrace.tracing import Trace

__all__ = ["Context"]


@dataclass
class Context:
    config: Config
    model: Model
    locator: Locator
    extras: dict[str, Any] = field(default_factory=dict)

    @property
    def trace(self) -> Trace:
        """The trace of the check (rules that need ``"trace"`` run only when it is there)."""
        from medtrace.tracing import Trace

        trace = self.extras["trace"]
        assert isinstance(trace, Trace)
        return trace

    def at(self, item: Item, field: str | None = None) -> dict[str, Any]:
        """Keyword arguments locating a diagnostic on ``item`` (or on one of its fields)."""
        if field is None:
            line = self.locator.item_line(item)
        else:
            line = self.locator.field_line(item, self.field_name(item, field))
        return {"path": item.path, "line": line, "item": item.id}

    def field_name(self, item: Item, role: str) -> str:
        spec = self.config.kinds[item.kind].fields.get(role)
        return spec.name if spec is not None else role

    def item_class(self, item: Item) -> str:
        """The safety class that applies to ``item``: its software item's, else the system's."""
        if item.kind == "software-item":
            return self._software_item_class(item, set())
        allocated = item.get("item")
        if isinstance(allocated, str):
            classes = self._allocated_classes()
            found = classes.get(allocated)
            if found is None:
                found = classes[allocated] = self._allocated_class(allocated)
            return found
        return self.config.safety_class

    def _allocated_classes(self) -> dict[str, str]:
        """The class of each software item ID requirements were allocated to, asked for so
        far: 100,000 requirements share a hundred items, whose classes (through their
        ``parent`` chain) depend on the model and the configuration only, so they are kept
        while the context has the same model and configuration (``is``)."""
        kept: tuple[Model, Config, dict[str, str]] | None = self.extras.get("allocated_classes")
        if kept is None or kept[0] is not self.model or kept[1] is not self.config:
            kept = self.extras["allocated_classes"] = (self.model, self.config, {})
        return kept[2]

    def _allocated_class(self, allocated: str) -> str:
        target = self.model.get(allocated)
        if target is not None and target.kind == "software-item":
            return self._software_item_class(target, set())
        return self.config.safety_class

    def _software_item_class(self, item: Item, seen: set[str]) -> str:
        value = item.get("class")
        if isinstance(value, str) and value in CLASS_RANK:
            return value
        parent = item.get("parent")
        if isinstance(parent, str) and parent not in seen:
            target = self.model.get(parent)
            if target is not None and target.kind == "software-item":
                return self._software_item_class(target, seen | {item.id})
        return self.config.safety_class

    def id_example(self, kind: str) -> str | None:
        """An ID of ``kind`` as this project writes it, for messages ("an ID like RW-SW-12"):
        its first well-formed item's, else one made from the kind's prefix and digits."""
        examples: dict[str, str | None] = self.extras.setdefault("id_examples", {})
        if kind not in examples:
            spec = self.config.kinds[kind]
            ids = sorted((i.id for i in self.model.of_kind(kind)), key=natural_key)
            found = next((i for i in ids if spec.id_re.fullmatch(i)), None)
            examples[kind] = found or spec.example_id()
        return examples[kind]

    def closest_id(self, wanted: str, kinds: list[str] | None = None) -> str | None:
        """The known ID closest to ``wanted`` (among ``kinds``), for hints: answers and pools
        kept while the context has the same model (a retired ID named by many links is
        looked for once)."""
        kept: tuple[Model, CloseIds] | None = self.extras.get("close_ids")
        if kept is None or kept[0] is not self.model:
            kept = self.extras["close_ids"] = (self.model, CloseIds(self.model.items))
        if not kinds:
            return kept[1].closest(wanted)
        model = self.model
        return kept[1].closest(
            wanted, tuple(kinds), lambda: [i.id for kind in kinds for i in model.of_kind(kind)]
        )
