"""``medtrace diff`` as text, Markdown, JSON or one HTML page (Jinja2, every string escaped).

Formats register by name in :data:`FORMATS`; each takes a :class:`SnapshotDiff` and returns
text. Values that are not text (lists, mappings) are shown as compact JSON.
"""

from __future__ import annotations

import difflib
import json
from collections.abc import Callable
from typing import Any

from medtrace import __version__
from medtrace.registry import registrar, same
from medtrace.render.escaping import visible
from medtrace.render.matrix.markdown import escape
from medtrace.vcs.diff import ItemChange, Rechange, SnapshotDiff

__all__ = ["FORMATS", "diff_format", "excerpt", "shown"]

Renderer = Callable[[SnapshotDiff], str]
FORMATS: dict[str, Renderer] = {}


def diff_format(name: str) -> Callable[[Renderer], Renderer]:
    return registrar(FORMATS, name, same)


def shown(value: Any) -> str:
    """A field's value as one line: text as it is, anything else as compact JSON."""
    if value is None:
        return "(none)"
    if isinstance(value, str):
        return " ".join(value.split()) or "(empty)"
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


#: Text longer than this many words is shown as the words that changed, with some context.
LONG = 24
CONTEXT = 6


# @implements SRS-285
def excerpt(old: Any, new: Any) -> tuple[str, str]:
    """The two values as shown side by side: long texts cut to the words that changed and
    :data:`CONTEXT` words around them (``…`` where words are left out)."""
    a, b = shown(old), shown(new)
    if not (isinstance(old, str) and isinstance(new, str)):
        return a, b
    wa, wb = a.split(" "), b.split(" ")
    if max(len(wa), len(wb)) <= LONG:
        return a, b
    matcher = difflib.SequenceMatcher(None, wa, wb, autojunk=False)
    keep_a: set[int] = set()
    keep_b: set[int] = set()
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag != "equal":
            keep_a.update(range(max(0, i1 - CONTEXT), min(len(wa), i2 + CONTEXT)))
            keep_b.update(range(max(0, j1 - CONTEXT), min(len(wb), j2 + CONTEXT)))
    return _cut(wa, keep_a), _cut(wb, keep_b)


def _cut(words: list[str], keep: set[int]) -> str:
    out: list[str] = []
    for i, word in enumerate(words):
        if i in keep:
            out.append(word)
        elif not out or out[-1] != "…":
            out.append("…")
    return " ".join(out)


def _kind(item: ItemChange) -> str:
    """The kind, and the risks the item controls: ``software-requirement, controls RISK-1``."""
    return item.kind + (f", controls {', '.join(item.controls)}" if item.controls else "")


def _title(d: SnapshotDiff) -> str:
    return f"Changes from {d.old} to {d.new}"


def _sections(d: SnapshotDiff) -> list[tuple[str, list[Rechange]]]:
    return [
        ("Verification status changed", d.verification),
        ("Risks re-estimated", d.risks),
        ("SOUP added, removed or upgraded", d.soup),
        ("Interfaces changed", d.interfaces),
    ]


def _change(r: Rechange) -> str:
    if r.old is None:
        return f"added: {r.new}"
    if r.new is None:
        return f"removed (was {r.old})"
    return f"{r.old} → {r.new}"


# @implements SRS-285
@diff_format("text")
def render_text(d: SnapshotDiff) -> str:
    out = [visible(_title(d))]
    out += [f"note: {visible(n)}" for n in d.notes]
    if d.empty:
        return "\n".join([*out, "no changes"]) + "\n"
    groups = (("added", d.added), ("removed", d.removed))
    for label, refs in groups:
        for ref in refs:
            out.append(visible(f"{label} {ref.id} ({ref.kind}): {ref.title}"))
    for item in d.changed:
        out.append(visible(f"changed {item.id} ({_kind(item)}): {item.title}"))
        for c in item.changes:
            old, new = excerpt(c.old, c.new)
            out.append(visible(f"    {c.field}: - {old}"))
            out.append(visible(f"    {' ' * len(c.field)}  + {new}"))
    for heading, rows in _sections(d):
        if rows:
            out.append(heading.lower() + ":")
            out += [visible(f"    {r.key} {r.what}: {_change(r)}") for r in rows]
    return "\n".join(out) + "\n"


# @implements SRS-285
@diff_format("markdown")
def render_markdown(d: SnapshotDiff) -> str:
    out = [f"# {escape(_title(d))}", ""]
    out += [f"> {escape(n)}" for n in d.notes]
    if d.notes:
        out.append("")
    if d.empty:
        return "\n".join([*out, "No changes.", ""])
    if d.added or d.removed:
        out += ["## Items added and removed", "", "| | ID | kind | title |", "|---|---|---|---|"]
        for label, refs in (("added", d.added), ("removed", d.removed)):
            out += [
                f"| {label} | {escape(r.id)} | {escape(r.kind)} | {escape(r.title)} |" for r in refs
            ]
        out.append("")
    if d.changed:
        out += ["## Items changed", "", "| ID | field | before | after |", "|---|---|---|---|"]
        for item in d.changed:
            for c in item.changes:
                cells = (f"{item.id} ({_kind(item)})", c.field, *excerpt(c.old, c.new))
                out.append("| " + " | ".join(escape(x) for x in cells) + " |")
        out.append("")
    for heading, rows in _sections(d):
        if rows:
            out += [f"## {heading}", "", "| | | before | after |", "|---|---|---|---|"]
            for r in rows:
                cells = (r.key, r.what, r.old or "(none)", r.new or "(none)")
                out.append("| " + " | ".join(escape(x) for x in cells) + " |")
            out.append("")
    return "\n".join(out)


# @implements SRS-285
@diff_format("json")
def render_json(d: SnapshotDiff) -> str:
    doc = {"medtrace": __version__, **d.to_data()}
    return json.dumps(doc, indent=2, ensure_ascii=False) + "\n"


_PAGE = """\
<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="generator" content="generated by medtrace {{ version }}">
<title>{{ title }}</title>
<style>
body { font-family: system-ui, sans-serif; margin: 2rem; color: #222; }
table { border-collapse: collapse; margin-bottom: 1.5rem; }
th, td { border: 1px solid #ccc; padding: .3rem .5rem; vertical-align: top; text-align: left; }
th { background: #f3f3f3; }
.old { background: #fdecea; } .new { background: #e8f5e9; }
.note { color: #8a5a00; }
</style>
</head>
<body>
<h1>{{ title }}</h1>
<p>{{ d.old }}{% if d.old_commit %} ({{ d.old_commit[:12] }}){% endif %} →
{{ d.new }}{% if d.new_commit %} ({{ d.new_commit[:12] }}){% endif %}</p>
{% for note in d.notes %}<p class="note">{{ note }}</p>
{% endfor %}
{% if d.empty %}<p>No changes.</p>{% endif %}
{% if d.added or d.removed %}
<h2>Items added and removed</h2>
<table><tr><th></th><th>ID</th><th>kind</th><th>title</th></tr>
{% for r in d.added %}<tr class="new"><td>added</td><td>{{ r.id }}</td><td>{{ r.kind }}</td><td>{{ r.title }}</td></tr>
{% endfor %}{% for r in d.removed %}<tr class="old"><td>removed</td><td>{{ r.id }}</td><td>{{ r.kind }}</td><td>{{ r.title }}</td></tr>
{% endfor %}</table>
{% endif %}
{% if d.changed %}
<h2>Items changed</h2>
<table><tr><th>ID</th><th>field</th><th>before</th><th>after</th></tr>
{% for item in d.changed %}{% for c in item.changes %}{% set cut = excerpt(c.old, c.new) %}
<tr><td>{{ item.id }} ({{ kind(item) }})</td><td>{{ c.field }}</td>
<td class="old">{{ cut[0] }}</td><td class="new">{{ cut[1] }}</td></tr>
{% endfor %}{% endfor %}</table>
{% endif %}
{% for heading, rows in sections %}{% if rows %}
<h2>{{ heading }}</h2>
<table><tr><th></th><th></th><th>before</th><th>after</th></tr>
{% for r in rows %}<tr><td>{{ r.key }}</td><td>{{ r.what }}</td><td class="old">{{ r.old or "(none)" }}</td><td class="new">{{ r.new or "(none)" }}</td></tr>
{% endfor %}</table>
{% endif %}{% endfor %}
</body>
</html>
"""


# @implements SRS-285
@diff_format("html")
def render_html(d: SnapshotDiff) -> str:
    """One self-contained page (no script, no network), every string escaped."""
    import jinja2

    env = jinja2.Environment(autoescape=True, trim_blocks=True, lstrip_blocks=True)
    page = env.from_string(_PAGE)
    return page.render(
        d=d,
        title=_title(d),
        sections=_sections(d),
        excerpt=excerpt,
        kind=_kind,
        version=__version__,
    )
