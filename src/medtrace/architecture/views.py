"""Views of the architecture: what one diagram shows, independent of its format.

The **system view** draws environments as nested groups holding the software systems that run
there, the external systems and the people, with the flows between them. A **software system
view** draws one system's items and units (an item with children is a group around them), the
``uses`` arrows between them, what they use outside (other items, SOUP), the interfaces they
expose and the flows that reach them. Renderers (:mod:`medtrace.render.arch`) draw a
:class:`View` as SVG, Mermaid, draw.io, DOT or PlantUML.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import quote

from medtrace.architecture.model import Architecture, Element, Flow

__all__ = ["Box", "Edge", "Group", "View", "system_view", "system_views", "view_names"]

#: Box roles with their badge word (software roles add the class).
ROLE_WORDS = {
    "system": "system",
    "item": "item",
    "unit": "unit",
    "external": "external system",
    "actor": "person",
    "soup": "SOUP",
    "interface": "interface",
    "neighbour": "software item",
}


@dataclass(frozen=True)
class Box:
    """One box. ``key`` is the element's ID (an interface: ``ITEM#n``)."""

    key: str
    title: str
    role: str
    badge: str
    cls: str = ""
    group: str | None = None
    link: str | None = None  # the element's ID for its page; None: no page


@dataclass(frozen=True)
class Group:
    """A box holding others: an environment, or an item with children."""

    key: str
    title: str
    badge: str
    parent: str | None = None
    cls: str = ""
    link: str | None = None


@dataclass(frozen=True)
class Edge:
    """An arrow: a flow (``flow``), a dependency (``uses``) or an exposed interface
    (``exposes``). Either end may be a group."""

    source: str
    target: str
    style: str
    label: str = ""
    safety: bool = False
    two_way: bool = False


@dataclass
class View:
    name: str
    title: str
    boxes: list[Box] = field(default_factory=list)
    groups: list[Group] = field(default_factory=list)
    edges: list[Edge] = field(default_factory=list)

    def known(self) -> set[str]:
        return {b.key for b in self.boxes} | {g.key for g in self.groups}


def page_url(link_base: str, key: str) -> str:
    """The address of an element's page, ``<link_base><ID>.html``, percent-encoded so that no
    format has to escape it (Graphviz writes URLs into SVG as they are)."""
    return quote(f"{link_base}{key}.html", safe="/:#?=.,;_~%+@!$()*-")


def badge(element: Element) -> str:
    word = ROLE_WORDS.get(element.role, element.role)
    if element.is_software:
        cls = f"class {element.cls}" if element.cls else "no class"
        return f"{cls} · {word}"
    return f"{word}: {element.type}" if element.type else word


def flow_label(flow: Flow) -> str:
    parts = [p for p in (flow.label, flow.protocol) if p]
    return " · ".join(parts)


def view_names(arch: Architecture) -> list[str]:
    """Every view: ``system``, then one per software system (and per item with children)."""
    return ["system", *system_views(arch)]


def system_views(arch: Architecture) -> list[str]:
    """The software items that get a view of their own: the systems of the system view that
    have parts."""
    return [s for s in arch.systems() if arch.elements[s].children]


# @implements SRS-142
def system_view(arch: Architecture, title: str = "") -> View:
    view = View("system", title or "System view")
    shown: list[str] = [*arch.systems()]
    shown += [e.id for e in arch.elements.values() if not e.is_software]
    for key in shown:
        element = arch.elements[key]
        env = arch.environment_of(key)
        view.boxes.append(
            Box(key, element.title, element.role, badge(element), element.cls, env, key)
        )
    view.groups = _environment_groups(arch, set(arch.environments))  # empty ones too
    keys = view.known()
    for flow in arch.flows:
        source, target = arch.system_of(flow.source), arch.system_of(flow.target)
        if source in keys and target in keys and source != target:  # inside: in its own view
            view.edges.append(
                Edge(source, target, "flow", flow_label(flow), flow.safety, flow.two_way)
            )
    return view


def _environment_groups(arch: Architecture, used: set[str]) -> list[Group]:
    groups = []
    for env_id in sorted(used, key=lambda e: (len(arch.environment_chain(e)), e)):
        env = arch.environments[env_id]
        parent = env.parent if env.parent in used else None
        word = f"environment: {env.type}" if env.type else "environment"
        groups.append(Group(env_id, env.title, word, parent, link=env_id))
    return groups


# @implements SRS-142
def software_view(arch: Architecture, system: str) -> View:
    """The view of one software system (or of any software item with parts)."""
    root = arch.elements[system]
    view = View(system, f"{root.title}: items and units")
    members = [system, *arch.descendants(system)]
    inside = set(members)
    for key in members:
        element = arch.elements[key]
        group = element.parent if key != system else None
        if element.children:
            view.groups.append(Group(key, element.title, badge(element), group, element.cls, key))
        else:
            view.boxes.append(
                Box(key, element.title, element.role, badge(element), element.cls, group, key)
            )
    for key in members:
        _uses_and_interfaces(arch, view, key, inside)
    _flows_into(arch, view, inside)
    return view


def _uses_and_interfaces(arch: Architecture, view: View, key: str, inside: set[str]) -> None:
    element = arch.elements[key]
    below = set(arch.descendants(key))
    for used in element.uses:
        if used in below or used in _ancestors(arch, key):
            continue  # drawn inside it, or around it: containment says it
        if used not in inside:
            _neighbour(arch, view, used)
        if used in view.known():
            view.edges.append(Edge(key, used, "uses"))
    for number, interface in enumerate(element.interfaces, 1):
        box = f"{key}#{number}"
        word = "interface" if interface.public else "internal interface"
        view.boxes.append(
            Box(box, interface.name, "interface", f"{word}: {interface.kind}", group=None)
        )
        view.edges.append(Edge(key, box, "exposes"))


def _ancestors(arch: Architecture, key: str) -> set[str]:
    out: set[str] = set()
    parent = arch.elements[key].parent
    while parent is not None and parent not in out and parent in arch.elements:
        out.add(parent)
        parent = arch.elements[parent].parent
    return out


def _neighbour(arch: Architecture, view: View, key: str) -> None:
    if key in view.known():
        return
    element = arch.elements.get(key)
    if element is not None:
        role = element.role if not element.is_software else "neighbour"
        word = badge(element) if not element.is_software else f"{ROLE_WORDS['neighbour']}"
        view.boxes.append(Box(key, element.title, role, word, element.cls, None, key))
    elif key in arch.soup:
        view.boxes.append(Box(key, arch.soup[key], "soup", "SOUP", link=key))


def _flows_into(arch: Architecture, view: View, inside: set[str]) -> None:
    for flow in arch.flows:
        ends_inside = [flow.source in inside, flow.target in inside]
        if not any(ends_inside):
            continue
        ends = []
        for end, is_inside in zip((flow.source, flow.target), ends_inside, strict=True):
            if not is_inside:
                outer = arch.system_of(end) or end
                _neighbour(arch, view, outer)
                end = outer
            ends.append(end)
        if all(e in view.known() for e in ends):
            view.edges.append(
                Edge(ends[0], ends[1], "flow", flow_label(flow), flow.safety, flow.two_way)
            )


def build_view(arch: Architecture, name: str, title: str = "") -> View:
    """The view called ``name``: ``system`` or a software item's ID (KeyError otherwise)."""
    if name == "system":
        return system_view(arch, title)
    element = arch.elements.get(name)
    if element is None or not element.is_software:
        raise KeyError(name)
    return software_view(arch, name)
