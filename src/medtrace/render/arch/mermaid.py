"""Mermaid: a flowchart with subgraphs, which GitHub and GitLab render in Markdown.

Labels are quoted and every character Mermaid reads specially is written as its entity code
(``#quot;``, ``#lt;``, ``#35;``...); node IDs are generated, never taken from the model.
"""

from __future__ import annotations

import re

from medtrace.architecture.graphviz import CLASS_COLOURS, GROUP_FILLS, ROLE_COLOURS, SAFETY_COLOUR
from medtrace.architecture.views import Group, View, page_url
from medtrace.render.arch.registry import GENERATOR, diagram_format

_SPECIAL = re.compile(r"""[#"<>&`|\[\]{}\\;%]""")
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029]")


def label(value: str) -> str:
    """``value`` inside a quoted Mermaid label: specials as entity codes, one line."""
    clean = _CONTROL.sub(" ", value)
    return _SPECIAL.sub(lambda m: f"#{ord(m.group())};", clean)


# @implements SRS-147, SRS-191
@diagram_format("mermaid", ".mmd")
def render_mermaid(view: View, link_base: str | None) -> str:
    names = {b.key: f"n{i}" for i, b in enumerate(view.boxes)}
    names |= {g.key: f"g{i}" for i, g in enumerate(view.groups)}
    lines = [f"%% {GENERATOR}", "flowchart LR"]
    lines += _classes()
    lines += _body(view, names, None, "  ")
    for number, edge in enumerate(view.edges):
        text = edge.label + (" (safety)" if edge.safety else "")
        arrow = {"uses": "-.->", "exposes": "---"}.get(edge.style, "-->")
        if edge.style == "flow" and edge.safety:
            arrow = "==>"
        if edge.two_way and edge.style == "flow":
            arrow = "<" + arrow
        middle = f'|"{label(text)}"|' if text and edge.style != "exposes" else ""
        lines.append(f"  {names[edge.source]} {arrow}{middle} {names[edge.target]}")
        if edge.safety:
            lines.append(f"  linkStyle {number} stroke:{SAFETY_COLOUR},stroke-width:3px")
    if link_base is not None:
        for box in view.boxes:
            if box.link is not None:
                url = label(page_url(link_base, box.link))
                lines.append(f'  click {names[box.key]} href "{url}"')
    return "\n".join(lines) + "\n"


def _classes() -> list[str]:
    out = []
    for cls, (fill, border) in CLASS_COLOURS.items():
        out.append(f"  classDef class{cls or 'none'} fill:{fill},stroke:{border},color:#1f2328")
    for role, (fill, border) in ROLE_COLOURS.items():
        out.append(f"  classDef {role} fill:{fill},stroke:{border},color:#1f2328")
    return out


def _body(view: View, names: dict[str, str], parent: str | None, indent: str) -> list[str]:
    out = []
    for box in view.boxes:
        if (box.group if box.group in names else None) != parent:
            continue
        style = box.role if box.role in ROLE_COLOURS else f"class{box.cls or 'none'}"
        text = f"<b>{label(box.title)}</b><br/><small>{label(box.badge)}</small>"
        shape = ('(["', '"])') if box.role == "actor" else ('["', '"]')
        out.append(f"{indent}{names[box.key]}{shape[0]}{text}{shape[1]}:::{style}")
    for group in view.groups:
        if (group.parent if group.parent in names else None) != parent:
            continue
        out += _group(view, names, group, indent)
    return out


def _group(view: View, names: dict[str, str], group: Group, indent: str) -> list[str]:
    title = f"{label(group.title)} · {label(group.badge)}"
    out = [f'{indent}subgraph {names[group.key]}["{title}"]']
    out += _body(view, names, group.key, indent + "  ")
    out.append(f"{indent}end")
    if group.cls:
        border = CLASS_COLOURS[group.cls][1]
        fill = GROUP_FILLS.get(group.cls, "#f8fafc")
        out.append(f"{indent}style {names[group.key]} fill:{fill},stroke:{border}")
    return out
