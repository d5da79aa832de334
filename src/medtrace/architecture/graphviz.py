"""A view as a Graphviz DOT graph, and its layout by Graphviz run out of process.

Every user string goes into an HTML-like label, XML-escaped (a quoted DOT string would read
``\\N``, ``\\G`` or ``\\l`` in a title as escapes); node and cluster names are generated
(``n0``, ``cluster_g0``), never taken from the model. Graphviz is run as a separate process with
a time budget: a dense clustered graph can make it abort or run for minutes, and that must
not take medtrace down.
"""

from __future__ import annotations

import html
import re
import shutil
import subprocess
import textwrap
from collections.abc import Iterator
from dataclasses import dataclass

from medtrace.architecture.views import Box, Edge, Group, View, page_url
from medtrace.errors import LayoutError

__all__ = ["CLASS_COLOURS", "Names", "engine", "layout", "to_dot"]

#: Fill and border colour by safety class (and for boxes without one).
CLASS_COLOURS = {
    "C": ("#fbe3e1", "#b03a2e"),
    "B": ("#fdf1d6", "#a86b00"),
    "A": ("#e4f2e2", "#2e7d32"),
    "": ("#eef1f5", "#5a6470"),
}
#: Groups are lighter than boxes, so that the boxes inside stand out.
GROUP_FILLS = {"C": "#fdf5f4", "B": "#fefaf0", "A": "#f5faf4"}
ROLE_COLOURS = {
    "external": ("#f4f4f4", "#707070"),
    "actor": ("#e8eef9", "#34568b"),
    "soup": ("#f7f7f7", "#8a8a8a"),
    "interface": ("#ffffff", "#34568b"),
    "neighbour": ("#f7f7f7", "#8a8a8a"),
}
SAFETY_COLOUR = "#b03a2e"
FLOW_COLOUR = "#3b4252"
FONT = "Helvetica"
# @implements SRS-148
#: The graph tunings tried in turn when Graphviz fails ("lost edge"): ranked cluster by
#: cluster, then with other crossing-reduction and spacing settings, last ranked as a whole
#: (``newrank`` is on whenever the attribute is there, in Graphviz 2.43). Since flow labels
#: are nodes of their own (:func:`_label_node`), the twelve generated 40-box, 80-flow models
#: of ``bench/arch`` lay out at the first try under every tuning; the others stay as a guard.
TRIES = (
    "",
    "remincross=false",
    "mclimit=2",
    "ranksep=1.2",
    "remincross=false, ordering=in",
    "newrank=true",
)
#: Seconds a layout may take before it is abandoned.
TIMEOUT_S = 30.0

_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def text(value: str) -> str:
    """``value`` for an HTML-like label: XML-escaped, backslashes doubled, controls dropped,
    lines kept apart."""
    clean = _CONTROL.sub("", value.replace("\r\n", "\n").replace("\t", " "))
    # Graphviz expands \N, \G, \L... even in HTML labels (after entities): a backslash is
    # written doubled, which it reads as one backslash.
    escaped = (html.escape(part, quote=True).replace("\\", "\\\\") for part in clean.split("\n"))
    return "<br/>".join(escaped)


def attribute(value: str) -> str:
    """``value`` as a quoted DOT string (used for URLs): quotes and backslashes escaped."""
    clean = _CONTROL.sub("", value).replace("\n", " ")
    return '"' + clean.replace("\\", "\\\\").replace('"', '\\"') + '"'


@dataclass
class Names:
    """Generated DOT names for the view's keys: ``n<i>`` for boxes, ``cluster_g<i>`` for
    groups (with an invisible anchor node ``a<i>`` that edges to the group attach to)."""

    boxes: dict[str, str]
    groups: dict[str, str]

    @classmethod
    def of(cls, view: View) -> Names:
        return cls(
            {b.key: f"n{i}" for i, b in enumerate(view.boxes)},
            {g.key: f"g{i}" for i, g in enumerate(view.groups)},
        )

    def node(self, key: str) -> str:
        if key in self.boxes:
            return self.boxes[key]
        return "a" + self.groups[key][1:]


# @implements SRS-143
def to_dot(view: View, link_base: str | None = "items/", *, tuning: str = "") -> str:
    """The DOT text of ``view``; boxes link to ``<link_base><ID>.html`` unless ``None``.
    ``tuning`` adds graph attributes (``remincross=false``): the later tries of
    :func:`lay_out`."""
    names = Names.of(view)
    rankdir = "TB" if view.name == "system" else "LR"
    lines = [
        "digraph architecture {",
        f"  graph [rankdir={rankdir}, {tuning}{', ' if tuning else ''}compound=true,"
        f' fontname="{FONT}", fontsize=12,'
        ' nodesep=0.35, ranksep=0.9, pad=0.3, labelloc=t, labeljust=l, charset="UTF-8"];',
        f'  node [fontname="{FONT}", fontsize=12, shape=box, style="rounded,filled",'
        ' margin="0.18,0.08", penwidth=1.4];',
        f'  edge [fontname="{FONT}", fontsize=10, color="{FLOW_COLOUR}",'
        f' fontcolor="{FLOW_COLOUR}", arrowsize=0.8];',
        f"  label=<<b>{text(view.title)}</b>>; fontsize=16;",
    ]
    children: dict[str | None, list[Group]] = {}
    for group in view.groups:
        parent = group.parent if group.parent in names.groups else None
        children.setdefault(parent, []).append(group)
    members: dict[str | None, list[Box]] = {}
    for box in view.boxes:
        members.setdefault(box.group if box.group in names.groups else None, []).append(box)
    labels: dict[str | None, list[str]] = {}
    edges: list[str] = []
    for number, edge in enumerate(view.edges):
        label = _label_node(edge, f"l{number}")
        if label is None:
            edges.append(_edge(edge, names))
            continue
        labels.setdefault(_common_group(view, edge), []).append(label)
        edges += _split_edge(edge, names, f"l{number}")
    lines += _contents(None, children, members, labels, names, link_base, "  ")
    lines += ["  " + e for e in edges]
    lines += ["  " + _legend(view)]
    lines.append("}")
    return "\n".join(lines) + "\n"


def _contents(
    key: str | None,
    children: dict[str | None, list[Group]],
    members: dict[str | None, list[Box]],
    labels: dict[str | None, list[str]],
    names: Names,
    link_base: str | None,
    indent: str,
) -> Iterator[str]:
    for box in members.get(key, []):
        yield indent + _node(box, names.boxes[box.key], link_base)
    for label in labels.get(key, []):
        yield indent + label
    for group in children.get(key, []):
        name = names.groups[group.key]
        border = CLASS_COLOURS[group.cls][1] if group.cls else "#6b7a8f"
        fill = GROUP_FILLS.get(group.cls, "#f8fafc")
        yield f"{indent}subgraph cluster_{name} {{"
        yield (
            f"{indent}  label=<{_label(group.title, group.badge, 'left')}>; fontsize=12;"
            ' style="rounded,filled";'
            f' fillcolor="{fill}"; color="{border}"; penwidth=1.4; margin=14;'
            + _url(group.link, link_base)
        )
        yield f'{indent}  a{name[1:]} [shape=point, style=invis, width=0.01, label=""];'
        yield from _contents(group.key, children, members, labels, names, link_base, indent + "  ")
        yield f"{indent}}}"


def _label(title: str, badge: str, align: str = "center") -> str:
    br = f'<br align="{align}"/>' if align != "center" else "<br/>"
    lines = br.join(f"<b>{text(line)}</b>" for line in wrap(title, 30))
    small = br.join(text(line) for line in wrap(badge, 36))
    return f'{lines}{br}<font point-size="10">{small}</font>{br if align != "center" else ""}'


def wrap(value: str, width: int) -> list[str]:
    """``value`` in lines of about ``width`` characters, broken at spaces (a long word is kept
    whole); at least one line."""
    return textwrap.wrap(value, width, break_long_words=False, break_on_hyphens=False) or [""]


def _url(key: str | None, link_base: str | None, sep: str = ";") -> str:
    """The link of a box or group to its item's page (``sep`` ends each attribute)."""
    if key is None or link_base is None:
        return ""
    return f' URL={attribute(page_url(link_base, key))}{sep} target="_top"{sep}'


def _node(box: Box, name: str, link_base: str | None) -> str:
    fill, border = ROLE_COLOURS.get(box.role) or CLASS_COLOURS[box.cls]
    style = {"interface": "rounded", "external": "rounded,filled,dashed"}.get(
        box.role, "rounded,filled"
    )
    if box.role == "interface":
        shape = ', shape=box, style="rounded", fontsize=11'
    else:
        shape = f', style="{style}"'
    url = _url(box.link, link_base, ",").rstrip(",")
    url = f",{url}" if url else ""
    return (
        f'{name} [label=<{_label(box.title, box.badge)}>, fillcolor="{fill}", '
        f'color="{border}"{shape}{url}];'
    )


def _label_text(edge: Edge) -> str:
    """The text of an edge's label as HTML-like label content ("" for none)."""
    label = edge.label + (" (safety)" if edge.safety else "")
    if not label or edge.style == "exposes":
        return ""
    return "<br/>".join(text(line) for line in wrap(label, 26))


# @implements SRS-190
def _label_node(edge: Edge, name: str) -> str | None:
    """A flow's label as a node of its own (``shape=plain``) that the flow passes through, or
    ``None`` for an edge without a label. Graphviz places an edge label as a virtual node that
    clusters do not keep clear of, so on dense clustered graphs a label could land on a box;
    a real node is never placed over another node, nor inside a cluster it is not in."""
    label = _label_text(edge)
    if not label:
        return None
    colour = SAFETY_COLOUR if edge.safety and edge.style == "flow" else FLOW_COLOUR
    return (
        f'{name} [shape=plain, class="flowlabel", style="", fillcolor="", fontsize=10,'
        f' fontcolor="{colour}", label=<{label}>];'
    )


def _ancestors(view: View, key: str) -> list[str | None]:
    """The groups around ``key`` from the innermost out, ending with ``None`` (the graph). A
    group's own chain starts at its parent: a label of an edge to a group stays outside it."""
    parents = {g.key: g.parent for g in view.groups}
    boxes = {b.key: b.group for b in view.boxes}
    chain: list[str | None] = []
    current = boxes.get(key) if key in boxes else parents.get(key)
    while current is not None and current in parents and current not in chain:
        chain.append(current)
        current = parents[current]
    return [*chain, None]


def _common_group(view: View, edge: Edge) -> str | None:
    """The innermost group holding both ends of ``edge`` (``None``: the graph itself)."""
    target = _ancestors(view, edge.target)
    return next(g for g in _ancestors(view, edge.source) if g in target)


# @implements SRS-190
def _split_edge(edge: Edge, names: Names, label: str) -> list[str]:
    """``edge`` drawn through its label node: the first half without an arrowhead (with an
    arrow at its tail when the flow goes both ways), the second half with it."""
    first, second = _edge_attrs(edge, names)
    source, target = names.node(edge.source), names.node(edge.target)
    back = "dir=back" if edge.two_way else "dir=none"
    head = [a for a in second if a != "dir=both"]
    return [
        f"{source} -> {label} [{', '.join([*first, back])}];",
        f"{label} -> {target} [{', '.join(head)}];",
    ]


def _edge_attrs(edge: Edge, names: Names) -> tuple[list[str], list[str]]:
    """The attributes of the tail half and the head half of ``edge`` (style, colour, and the
    cluster each end is clipped to)."""
    style: list[str] = []
    if edge.style == "uses":
        style += ["style=dashed", 'color="#6b7a8f"', "arrowhead=vee"]
    elif edge.style == "exposes":
        style += ["style=dotted", "arrowhead=none", 'color="#34568b"']
    else:
        if edge.safety:
            style += [f'color="{SAFETY_COLOUR}"', f'fontcolor="{SAFETY_COLOUR}"', "penwidth=2.2"]
        if edge.two_way:
            style.append("dir=both")
    first, second = list(style), list(style)
    if edge.source in names.groups:
        first.append(f"ltail=cluster_{names.groups[edge.source]}")
    if edge.target in names.groups:
        second.append(f"lhead=cluster_{names.groups[edge.target]}")
    return [a for a in first if a != "dir=both"], second


def _edge(edge: Edge, names: Names) -> str:
    """An edge without a label, drawn directly."""
    first, second = _edge_attrs(edge, names)
    attrs = second + [a for a in first if a.startswith("ltail=")]
    source, target = names.node(edge.source), names.node(edge.target)
    return f"{source} -> {target} [{', '.join(attrs)}];"


def _legend(view: View) -> str:
    rows = []
    roles = {b.role for b in view.boxes}
    classes = sorted({b.cls for b in view.boxes if b.cls} | {g.cls for g in view.groups if g.cls})
    for cls in reversed(classes):
        fill, border = CLASS_COLOURS[cls]
        rows.append((fill, border, f"software, class {cls}"))
    for role, word in (
        ("external", "external system"),
        ("actor", "person"),
        ("soup", "SOUP"),
        ("interface", "interface"),
        ("neighbour", "outside this system"),
    ):
        if role in roles:
            fill, border = ROLE_COLOURS[role]
            rows.append((fill, border, word))
    cells = "".join(
        f'<tr><td bgcolor="{fill}" color="{border}" width="22" border="1"> </td>'
        f'<td align="left">{text(word)}</td></tr>'
        for fill, border, word in rows
    )
    edges = {e.style for e in view.edges}
    arrows = []
    if "flow" in edges:
        arrows.append((FLOW_COLOUR, "→ flow: label · protocol"))
    if any(e.safety for e in view.edges):
        arrows.append((SAFETY_COLOUR, "→ safety-relevant flow"))
    if "uses" in edges:
        arrows.append(("#6b7a8f", "⇢ uses"))
    cells += "".join(
        f'<tr><td colspan="2" align="left"><font color="{c}">{text(w)}</font></td></tr>'
        for c, w in arrows
    )
    return (
        'legend [shape=plain, style="", fontsize=10, label=<<table border="0" '
        'cellborder="0" cellspacing="3" cellpadding="2" bgcolor="#ffffff">'
        f'<tr><td colspan="2" align="left"><b>Legend</b></td></tr>{cells}</table>>];'
    )


# @implements SRS-143
def lay_out(view: View, link_base: str | None, output: str = "svg") -> str:
    """``view`` laid out by Graphviz. Graphviz 2.43 sometimes loses edges of dense clustered
    graphs ("lost edge", an error): the layout is tried again with the graph tuned otherwise
    (:data:`TRIES`); the first that succeeds is kept."""
    failure: LayoutError | None = None
    for tuning in TRIES:
        try:
            return layout(to_dot(view, link_base, tuning=tuning), output)
        except LayoutError as exc:
            if "failed" not in str(exc):
                raise  # missing or too slow: another try would be too
            failure = failure or exc
    assert failure is not None
    raise failure


def engine() -> str | None:
    """The path of Graphviz's ``dot``, or ``None`` when it is not installed."""
    return shutil.which("dot")


# @implements SRS-143
def layout(dot: str, output: str = "svg", timeout: float = TIMEOUT_S) -> str:
    """Run ``dot -T<output>`` on ``dot`` in another process; :class:`LayoutError` when Graphviz
    is missing, fails, or runs past ``timeout`` seconds."""
    program = engine()
    if program is None:
        raise LayoutError(
            "Graphviz is not installed (the 'dot' program): SVG diagrams need it; "
            "install Graphviz (Debian/Ubuntu: apt-get install graphviz), or choose "
            "--format mermaid, drawio, dot or plantuml"
        )
    try:
        done = subprocess.run(
            [program, f"-T{output}"],
            input=dot.encode("utf-8"),
            capture_output=True,
            timeout=timeout,
            check=False,
        )
    except subprocess.TimeoutExpired:
        raise LayoutError(f"Graphviz took more than {timeout:g} s to lay out the diagram") from None
    except OSError as exc:
        raise LayoutError(f"cannot run Graphviz ({program}): {exc.strerror or exc}") from None
    if done.returncode != 0:
        message = done.stderr.decode("utf-8", "replace").strip().splitlines()
        detail = message[-1] if message else f"exit status {done.returncode}"
        raise LayoutError(f"Graphviz failed to lay out the diagram: {detail}")
    return done.stdout.decode("utf-8", "replace")
