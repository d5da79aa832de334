"""The architecture as typed data, built from the loaded items (IEC 62304 5.3).

Software items (systems, items, units), environments, external systems, actors and flows are
read from the project's items of those kinds; nothing is guessed from the code. A value of the
wrong type (reported by the field rules) is read as absent, so a diagram is always drawn.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from medtrace.model import Item, Model

__all__ = ["Architecture", "Element", "Environment", "Flow", "Interface", "build_architecture"]


@dataclass(frozen=True)
class Interface:
    """One interface a software item exposes."""

    name: str
    kind: str
    spec: str = ""
    module: str = ""
    public: bool = True
    text: str = ""


@dataclass
class Element:
    """A box of the architecture: a software item, an external system or an actor.

    ``role`` is ``system``, ``item`` or ``unit`` for software items (their ``level``, else
    ``item``), ``external`` or ``actor``.
    """

    id: str
    role: str
    title: str
    cls: str = ""
    parent: str | None = None
    environment: str | None = None
    type: str = ""
    runtime: str = ""
    uses: list[str] = field(default_factory=list)
    interfaces: list[Interface] = field(default_factory=list)
    external_code: bool | str = False
    children: list[str] = field(default_factory=list)

    @property
    def is_software(self) -> bool:
        return self.role in ("system", "item", "unit")


@dataclass
class Environment:
    id: str
    title: str
    type: str = ""
    parent: str | None = None


@dataclass
class Flow:
    id: str
    source: str
    target: str
    label: str = ""
    protocol: str = ""
    data: str = ""
    two_way: bool = False
    safety: bool = False
    interface: str = ""


@dataclass
class Architecture:
    """Every element, environment and flow; ``soup`` maps SOUP IDs to their titles."""

    elements: dict[str, Element] = field(default_factory=dict)
    environments: dict[str, Environment] = field(default_factory=dict)
    flows: list[Flow] = field(default_factory=list)
    soup: dict[str, str] = field(default_factory=dict)
    _systems: list[str] | None = field(default=None, repr=False, compare=False)

    def software(self) -> Iterator[Element]:
        return (e for e in self.elements.values() if e.is_software)

    def environment_of(self, element_id: str) -> str | None:
        """Where a software item runs: its own environment, else its nearest parent's."""
        seen: set[str] = set()
        current: str | None = element_id
        while current is not None and current not in seen:
            seen.add(current)
            element = self.elements.get(current)
            if element is None:
                return None
            if element.environment is not None:
                return element.environment
            current = element.parent if element.is_software else None
        return None

    def environment_chain(self, env_id: str | None) -> list[str]:
        """``env_id`` and the environments it is nested in, innermost first (cycle-safe)."""
        chain: list[str] = []
        while env_id is not None and env_id in self.environments and env_id not in chain:
            chain.append(env_id)
            env_id = self.environments[env_id].parent
        return chain

    def descendants(self, element_id: str) -> list[str]:
        """The software items below ``element_id``, depth first (cycle-safe)."""
        out: list[str] = []
        stack = list(reversed(self.elements[element_id].children))
        while stack:
            child = stack.pop()
            if child in out or child == element_id:
                continue
            out.append(child)
            stack.extend(reversed(self.elements[child].children))
        return out

    def systems(self) -> list[str]:
        """The software systems of the system view: from each top-level software item down,
        the first items that run in an environment (a system spread over several environments
        is shown as its parts); a top-level item with no environment anywhere below is shown
        as it is. Computed once (the architecture is not changed after it is built)."""
        if self._systems is None:
            out: list[str] = []
            roots = [e.id for e in self.software() if e.parent not in self.elements]
            for root in roots:
                self._collect_systems(root, out, set())
            self._systems = out
        return list(self._systems)

    def _collect_systems(self, element_id: str, out: list[str], seen: set[str]) -> None:
        if element_id in seen:
            return
        seen.add(element_id)
        element = self.elements[element_id]
        placed = [d for d in self.descendants(element_id) if self.elements[d].environment]
        if element.environment is not None or not placed or not element.children:
            out.append(element_id)
            return
        for child in element.children:
            self._collect_systems(child, out, seen)

    def _system_set(self) -> set[str]:
        return set(self.systems())

    def system_of(self, element_id: str) -> str | None:
        """The element of the system view that shows ``element_id``: itself, or the software
        system it is part of."""
        systems = self._system_set()
        seen: set[str] = set()
        current: str | None = element_id
        while current is not None and current not in seen:
            if current in systems or current in self.environments:
                return current
            element = self.elements.get(current)
            if element is None:
                return None
            if not element.is_software:
                return current
            seen.add(current)
            current = element.parent
        return element_id if element_id in self.elements else None  # a system spread out


# @implements SRS-141
def build_architecture(model: Model) -> Architecture:
    """The architecture of a loaded project."""
    arch = Architecture()
    for item in model.of_kind("environment"):
        arch.environments[item.id] = Environment(
            item.id, item.title or item.id, _text(item, "type"), _link(item, "parent")
        )
    for item in model.of_kind("software-item"):
        arch.elements[item.id] = _software(item)
    for kind in ("external", "actor"):
        for item in model.of_kind(kind):
            if item.id in arch.elements:
                continue
            arch.elements[item.id] = Element(
                item.id,
                kind,
                item.title or item.id,
                type=_text(item, "type"),
                environment=_link(item, "environment"),
            )
    for item in model.of_kind("soup"):
        arch.soup[item.id] = item.title or item.id
    for element in arch.elements.values():
        if element.environment not in arch.environments:
            element.environment = None
        parent = arch.elements.get(element.parent or "")
        if element.is_software and parent is not None and parent.is_software:
            parent.children.append(element.id)
        elif element.is_software:
            element.parent = None
    arch.flows = [_flow(item) for item in model.of_kind("flow")]
    return arch


def _software(item: Item) -> Element:
    level = _text(item, "level")
    cls = _text(item, "class")
    external = item.get("external_code", False)
    return Element(
        item.id,
        level if level in ("system", "item", "unit") else "item",
        item.title or item.id,
        cls=cls if cls in ("A", "B", "C") else "",
        parent=_link(item, "parent"),
        environment=_link(item, "environment"),
        runtime=_text(item, "runtime"),
        uses=item.ids("uses"),
        interfaces=list(interfaces_of(item)),
        external_code=external if isinstance(external, bool | str) else False,
    )


def interfaces_of(item: Item) -> Iterator[Interface]:
    """The well-formed entries of ``interfaces`` (a malformed one is the field rules')."""
    entries = item.get("interfaces")
    if not isinstance(entries, list):
        return
    for entry in entries:
        if not isinstance(entry, dict):
            continue
        name, kind = entry.get("name"), entry.get("kind")
        if not isinstance(name, str) or not name or not isinstance(kind, str):
            continue
        public = entry.get("public", True)
        yield Interface(
            name,
            kind,
            _str(entry.get("spec")),
            _str(entry.get("module")),
            public if isinstance(public, bool) else True,
            _str(entry.get("text")),
        )


def _flow(item: Item) -> Flow:
    safety = item.get("safety")
    return Flow(
        item.id,
        _link(item, "from") or "",
        _link(item, "to") or "",
        label=_text(item, "label") or item.title,
        protocol=_text(item, "protocol"),
        data=_text(item, "data"),
        two_way=item.get("direction") == "two-way",
        safety=safety is True,
        interface=_text(item, "interface"),
    )


def _text(item: Item, role: str) -> str:
    return _str(item.get(role))


def _str(value: Any) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    return ""


def _link(item: Item, role: str) -> str | None:
    value = item.get(role)
    return value if isinstance(value, str) and value else None
