"""Renderers of interface documentation, by format name. Every string from a spec or from the
code is escaped for its output: Markdown punctuation, HTML (Jinja2 autoescape), controls."""

from __future__ import annotations

import json
from collections.abc import Callable

from medtrace.interfaces.model import Entry, InterfaceDoc
from medtrace.registry import registrar, same
from medtrace.render.escaping import visible
from medtrace.render.matrix.markdown import escape as _escape_markdown

__all__ = ["FORMATS", "render_interfaces"]

Renderer = Callable[[list[InterfaceDoc]], str]
FORMATS: dict[str, Renderer] = {}


def _format(name: str) -> Callable[[Renderer], Renderer]:
    return registrar(FORMATS, name, same)


# @implements SRS-156
def render_interfaces(docs: list[InterfaceDoc], fmt: str = "markdown") -> str:
    """The documentation of ``docs`` in ``fmt`` (``markdown``, ``html``, ``text``, ``json``)."""
    return FORMATS[fmt](docs)


@_format("markdown")
def _markdown(docs: list[InterfaceDoc]) -> str:
    lines = ["# Interfaces", ""]
    if not docs:
        lines.append("No software item declares a public interface.")
    for doc in docs:
        lines += [f"## {escape(doc.name)} ({escape(doc.item)})", ""]
        lines.append(
            f"Kind: {escape(doc.kind)}; source: `{_code(doc.source)}`."
            if doc.source
            else f"Kind: {escape(doc.kind)}."
        )
        lines += [""] + ([escape(doc.text), ""] if doc.text else [])
        lines += [f"> **Problem:** {escape(p)}" for p in doc.problems]
        lines += [""] if doc.problems else []
        for entry in doc.entries:
            lines += _markdown_entry(entry)
    return "\n".join(lines).rstrip() + "\n"


def _markdown_entry(entry: Entry) -> list[str]:
    lines = [f"### {escape(entry.kind)} `{_code(entry.name)}`", ""]
    if entry.signature and entry.signature != entry.name:
        lines += [f"`{_code(entry.signature)}`", ""]
    if entry.doc:
        lines += [escape(entry.doc), ""]
    if entry.path:
        where = f"{entry.path}:{entry.line}" if entry.line else entry.path
        lines += [f"Defined in `{_code(where)}`.", ""]
    if entry.details:
        lines += ["| | |", "|---|---|"]
        lines += [f"| {escape(label)} | {escape(value)} |" for label, value in entry.details]
        lines.append("")
    return lines


def escape(text: str) -> str:
    """Markdown text: controls made visible, then Markdown punctuation and HTML escaped."""
    return _escape_markdown(visible(text))


def _code(text: str) -> str:
    """Text inside a Markdown code span: no backtick can end it, no line can break it."""
    return visible(text).replace("`", "'")


@_format("text")
def _text(docs: list[InterfaceDoc]) -> str:
    lines: list[str] = []
    for doc in docs:
        lines.append(visible(f"{doc.item}: {doc.name} [{doc.kind}] {doc.source}".rstrip()))
        lines += [visible(f"  problem: {p}") for p in doc.problems]
        for entry in doc.entries:
            shown = entry.signature or entry.name
            label = shown if shown.startswith(entry.kind) else f"{entry.kind} {shown}"
            lines.append(visible(f"  {label}"))
            lines += [visible(f"    {label}: {value}") for label, value in entry.details]
    return "\n".join(lines) + "\n" if lines else "No public interface is declared.\n"


@_format("json")
def _json(docs: list[InterfaceDoc]) -> str:
    return json.dumps({"interfaces": [d.to_json() for d in docs]}, indent=2) + "\n"


_HTML = """\
<section class="medtrace-interfaces">
{% for doc in docs %}
<article class="interface" id="interface-{{ doc.item }}-{{ loop.index }}">
<h2>{{ doc.name }} <small>{{ doc.item }}</small></h2>
<p class="meta">{{ doc.kind }}{% if doc.source %}: <code>{{ doc.source }}</code>{% endif %}</p>
{% if doc.text %}<p>{{ doc.text }}</p>{% endif %}
{% for problem in doc.problems %}<p class="problem">{{ problem }}</p>{% endfor %}
{% for e in doc.entries %}
<section class="entry {{ e.kind }}">
<h3><span class="kind">{{ e.kind }}</span> <code>{{ e.name }}</code></h3>
{% if e.signature and e.signature != e.name %}<pre><code>{{ e.signature }}</code></pre>{% endif %}
{% if e.doc %}<p>{{ e.doc }}</p>{% endif %}
{% if e.details %}<table>
{% for label, value in e.details %}<tr><th>{{ label }}</th><td>{{ value }}</td></tr>
{% endfor %}</table>{% endif %}
</section>
{% endfor %}
</article>
{% endfor %}
</section>
"""


@_format("html")
def _html(docs: list[InterfaceDoc]) -> str:
    """An HTML fragment (no page around it) that the documentation site embeds."""
    import jinja2

    environment = jinja2.Environment(
        autoescape=True, trim_blocks=True, lstrip_blocks=True, finalize=_visible_value
    )
    return environment.from_string(_HTML).render(docs=docs)


def _visible_value(value: object) -> object:
    """Every string shown in HTML with its control characters made visible (then escaped)."""
    return visible(value) if isinstance(value, str) else value
