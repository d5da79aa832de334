"""The impact of a change as text, JSON, Markdown (a pull-request comment) and GitHub output
(a step summary in Markdown, and ``::notice``/``::warning`` lines for the log)."""

from __future__ import annotations

import json
from collections.abc import Callable

from medtrace.render.escaping import visible
from medtrace.render.matrix.markdown import escape
from medtrace.vcs.impact import Affected, Impact

__all__ = ["FORMATS", "github_lines", "render_json", "render_markdown", "render_text"]


def md(text: str) -> str:
    """Text safe in a Markdown table cell, control characters shown escaped."""
    return escape(visible(text))


def _affected_line(a: Affected) -> str:
    cls = f" [class {a.safety_class}]" if a.safety_class else ""
    return f"{a.id}{cls} {a.title}: {'; '.join(a.why)}"


def _sections(impact: Impact) -> list[tuple[str, list[str]]]:
    """Each section's heading and plain lines (shared by text and the log)."""
    units = [
        f"{u.path}: {u.symbol or '(file)'} {_tagged(u.implements, u.verifies)}"
        for u in impact.units
    ]
    return [
        (
            "files changed",
            [
                f"{f.status} {f.path}" + (f" (from {f.old_path})" if f.status == "R" else "")
                for f in impact.files
            ],
        ),
        ("code units touched", units),
        ("software items", [_affected_line(a) for a in impact.software_items]),
        ("requirements", [_affected_line(a) for a in impact.requirements]),
        ("risks", [_affected_line(a) for a in impact.risks]),
        ("tests to re-run", [f"{t.path}::{t.name} ({t.why})" for t in impact.tests]),
        (
            "items changed",
            [
                f"{i.id} {i.change} {i.path}"
                + (f" (from {i.old_path})" if i.change == "renamed" else "")
                for i in impact.items
            ],
        ),
        (
            "interfaces changed",
            [
                f"{i['item']} {i['interface']}: {i['entry']} {i['change']}"
                + (f" ({i['detail']})" if i.get("detail") else "")
                for i in impact.interfaces
            ],
        ),
        (
            "SOUP changed",
            [
                f"{s['package']} {s['change']}: {s['old'] or '-'} → {s['new'] or '-'} ({s['path']})"
                for s in impact.soup
            ],
        ),
    ]


def _tagged(implements: tuple[str, ...], verifies: tuple[str, ...]) -> str:
    said = [f"implements {', '.join(implements)}"] if implements else []
    said += [f"verifies {', '.join(verifies)}"] if verifies else []
    return "; ".join(said)


# @implements SRS-237
def render_text(impact: Impact) -> str:
    out = [f"impact of {visible(impact.label)}"]
    out += [f"note: {visible(n)}" for n in impact.notes]
    for heading, lines in _sections(impact):
        if lines:
            out.append(f"\n{heading} ({len(lines)})")
            out += [f"  {visible(line)}" for line in lines]
    if impact.empty:
        out.append("\nno change")
    return "\n".join(out) + "\n"


def render_json(impact: Impact) -> str:
    return json.dumps(impact.to_json(), indent=2, ensure_ascii=False) + "\n"


def _md_affected(title: str, rows: list[Affected]) -> list[str]:
    if not rows:
        return []
    out = [f"\n### {title} ({len(rows)})\n", "| ID | class | title | why |", "|---|---|---|---|"]
    out += [
        f"| {md(a.id)} | {md(a.safety_class or '')} | {md(a.title)} | {md('; '.join(a.why))} |"
        for a in rows
    ]
    return out


# @implements SRS-237
def render_markdown(impact: Impact) -> str:
    """A pull-request comment: the chain first (risks, requirements, tests), then the rest."""
    out = [f"## Impact of {md(impact.label)}"]
    counts = (
        f"{len(impact.files)} files, {len(impact.requirements)} requirements, "
        f"{len(impact.risks)} risks, {len(impact.tests)} tests to re-run"
    )
    out.append(f"\n{counts}")
    out += [f"\n> {md(n)}" for n in impact.notes]
    out += _md_affected("Risks", impact.risks)
    out += _md_affected("Requirements", impact.requirements)
    out += _md_affected("Software items", impact.software_items)
    if impact.tests:
        out += [
            f"\n### Tests to re-run ({len(impact.tests)})\n",
            "| test | file | why |",
            "|---|---|---|",
        ]
        out += [f"| {md(t.name)} | {md(t.path)} | {md(t.why)} |" for t in impact.tests]
    for heading, lines in _sections(impact):
        if (
            heading
            in (
                "items changed",
                "interfaces changed",
                "SOUP changed",
                "code units touched",
                "files changed",
            )
            and lines
        ):
            out.append(f"\n<details><summary>{md(heading)} ({len(lines)})</summary>\n")
            out += [f"- {md(line)}" for line in lines]
            out.append("\n</details>")
    return "\n".join(out) + "\n"


def github_lines(impact: Impact) -> str:
    """Log lines for a CI step: a notice with the counts, a warning per risk reached."""

    def data(text: str) -> str:
        return visible(text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A"))

    lines = [
        f"::notice title=medtrace impact::{data(impact.label)}: {len(impact.files)} files, "
        f"{len(impact.requirements)} requirements, {len(impact.risks)} risks, "
        f"{len(impact.tests)} tests to re-run"
    ]
    for risk in impact.risks:
        title = data(f"risk {risk.id} affected").replace(":", "%3A").replace(",", "%2C")
        lines.append(f"::warning title={title}::{data(_affected_line(risk))}")
    lines += [f"::notice title=medtrace impact::{data(n)}" for n in impact.notes]
    return "\n".join(lines) + "\n"


FORMATS: dict[str, Callable[[Impact], str]] = {
    "text": render_text,
    "json": render_json,
    "markdown": render_markdown,
    "github": github_lines,
}
