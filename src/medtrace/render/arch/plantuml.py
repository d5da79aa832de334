"""PlantUML with the C4 library of its standard library (``<C4/C4_Deployment>``, bundled with
PlantUML, read offline): environments as deployment nodes, software as containers, external
systems, people, and flows as relations.

Strings go between double quotes, where PlantUML has no escape: a quote, a backslash and the
characters of its preprocessor (``$``, ``%``, ``!``) are written as ``&#NN;`` character
references; aliases are generated, never taken from the model.
"""

from __future__ import annotations

import re

from medtrace.architecture.views import Box, View, page_url
from medtrace.render.arch.registry import GENERATOR, diagram_format

_SPECIAL = re.compile(r"""["\\$%!<>&]""")
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029]")


def quoted(value: str) -> str:
    clean = _CONTROL.sub(" ", value)
    return '"' + _SPECIAL.sub(lambda m: f"&#{ord(m.group())};", clean) + '"'


_MACROS = {
    "external": "System_Ext",
    "actor": "Person",
    "soup": "Container_Ext",
    "neighbour": "Container_Ext",
    "interface": "Component",
}


# @implements SRS-147
@diagram_format("plantuml", ".puml")
def render_plantuml(view: View, link_base: str | None) -> str:
    names = {b.key: f"n{i}" for i, b in enumerate(view.boxes)}
    names |= {g.key: f"g{i}" for i, g in enumerate(view.groups)}
    lines = [
        "@startuml",
        f"' {GENERATOR}",
        "!include <C4/C4_Deployment>",
        "LAYOUT_LEFT_RIGHT()",
        'AddRelTag("safety", $lineColor="#b03a2e", $textColor="#b03a2e")',
        f"title {quoted(view.title)[1:-1]}",
    ]
    lines += _body(view, names, link_base, None, "")
    for edge in view.edges:
        macro = "BiRel" if edge.two_way else "Rel"
        text = edge.label + (" (safety)" if edge.safety else "")
        if edge.style == "uses":
            text = "uses"
        tags = ', $tags="safety"' if edge.safety else ""
        lines.append(f"{macro}({names[edge.source]}, {names[edge.target]}, {quoted(text)}{tags})")
    lines.append("SHOW_LEGEND()")
    lines.append("@enduml")
    return "\n".join(lines) + "\n"


def _link(key: str | None, link_base: str | None) -> str:
    if key is None or link_base is None:
        return ""
    return f", $link={quoted(page_url(link_base, key))}"


def _body(
    view: View, names: dict[str, str], link_base: str | None, parent: str | None, indent: str
) -> list[str]:
    out = []
    for box in view.boxes:
        if (box.group if box.group in names else None) == parent:
            out.append(indent + _element(box, names[box.key], link_base))
    for group in view.groups:
        if (group.parent if group.parent in names else None) != parent:
            continue
        out.append(
            f"{indent}Deployment_Node({names[group.key]}, {quoted(group.title)}, "
            f"{quoted(group.badge)}{_link(group.link, link_base)}) {{"
        )
        out += _body(view, names, link_base, group.key, indent + "  ")
        out.append(f"{indent}}}")
    return out


def _element(box: Box, name: str, link_base: str | None) -> str:
    macro = _MACROS.get(box.role, "Container")
    link = _link(box.link, link_base)
    if macro in ("Person", "System_Ext"):
        return f"{macro}({name}, {quoted(box.title)}, {quoted(box.badge)}{link})"
    return f'{macro}({name}, {quoted(box.title)}, {quoted(box.badge)}, ""{link})'
