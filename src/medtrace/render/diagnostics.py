"""Render diagnostics as text, JSON, SARIF 2.1.0, GitHub annotations or JUnit XML."""

from __future__ import annotations

import html
import json
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from medtrace import __version__
from medtrace.diagnostics import CODES, Diagnostic, Severity

__all__ = ["FORMATS", "Summary", "render_diagnostics"]


@dataclass(frozen=True)
class Summary:
    """What was checked, for the closing line and report headers."""

    project: str
    safety_class: str
    items: int
    files: int


Renderer = Callable[[Sequence[Diagnostic], Summary], str]
FORMATS: dict[str, Renderer] = {}


def renderer(name: str) -> Callable[[Renderer], Renderer]:
    def register(func: Renderer) -> Renderer:
        FORMATS[name] = func
        return func

    return register


def render_diagnostics(name: str, diagnostics: Sequence[Diagnostic], summary: Summary) -> str:
    return FORMATS[name](diagnostics, summary)


_STYLE = {Severity.ERROR: "bold red", Severity.WARNING: "yellow", Severity.NOTE: "cyan"}


# @implements SRS-14
@renderer("text")
def render_text(diagnostics: Sequence[Diagnostic], summary: Summary) -> str:
    """Rich console markup: one line per finding, its hint below, a summary line last."""
    from rich.markup import escape as rich_escape

    lines = []
    for d in diagnostics:
        style = _STYLE.get(d.severity, "")
        lines.append(
            f"[bold]{rich_escape(d.location)}[/]: [{style}]{d.severity.value}[/] "
            f"[dim]{d.code} {d.rule}:[/] {rich_escape(d.message)}"
        )
        if d.hint:
            lines.append(f"    [dim]hint:[/] {rich_escape(d.hint)}")
    lines.append(_summary_line(diagnostics, summary))
    return "\n".join(lines)


def _summary_line(diagnostics: Sequence[Diagnostic], summary: Summary) -> str:
    from rich.markup import escape as rich_escape

    errors = sum(d.severity is Severity.ERROR for d in diagnostics)
    warnings = sum(d.severity is Severity.WARNING for d in diagnostics)
    notes = sum(d.severity is Severity.NOTE for d in diagnostics)
    counts = [_plural(errors, "error"), _plural(warnings, "warning")]
    if notes:
        counts.append(_plural(notes, "note"))
    verdict = "[bold red]FAILED[/]" if errors else "[bold green]OK[/]"
    name = rich_escape(summary.project or "project")
    return (
        f"{verdict} {name} (class {summary.safety_class}): {', '.join(counts)} in "
        f"{_plural(summary.items, 'item')} from {_plural(summary.files, 'file')}"
    )


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def _as_dict(d: Diagnostic) -> dict[str, object]:
    return {
        "code": d.code,
        "rule": d.rule,
        "severity": d.severity.value,
        "path": d.path,
        "line": d.line,
        "column": d.column,
        "item": d.item,
        "found": d.found,
        "expected": d.expected,
        "hint": d.hint,
        "message": d.message,
        "related": list(d.related),
    }


@renderer("json")
def render_json(diagnostics: Sequence[Diagnostic], summary: Summary) -> str:
    doc = {
        "medtrace": __version__,
        "project": summary.project,
        "class": summary.safety_class,
        "items": summary.items,
        "files": summary.files,
        "counts": {s.value: sum(d.severity is s for d in diagnostics) for s in _SEVERITIES},
        "diagnostics": [_as_dict(d) for d in diagnostics],
    }
    return json.dumps(doc, indent=2, ensure_ascii=False)


_SEVERITIES = (Severity.ERROR, Severity.WARNING, Severity.NOTE)
_SARIF_LEVEL = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.NOTE: "note"}


# @implements SRS-14
@renderer("sarif")
def render_sarif(diagnostics: Sequence[Diagnostic], summary: Summary) -> str:
    """SARIF 2.1.0, as GitHub code scanning and GitLab read it."""
    import medtrace.checks  # noqa: F401  (registers every rule's name and summary)

    used = sorted({d.code for d in diagnostics})
    rules = [
        {
            "id": code,
            "name": CODES[code].name if code in CODES else code,
            "shortDescription": {"text": CODES[code].summary if code in CODES else code},
            "defaultConfiguration": {
                "level": _SARIF_LEVEL.get(CODES[code].severity, "note")
                if code in CODES
                else "error"
            },
        }
        for code in used
    ]
    index = {code: i for i, code in enumerate(used)}
    doc = {
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "medtrace",
                        "version": __version__,
                        "rules": rules,
                    }
                },
                "results": [_sarif_result(d, index[d.code]) for d in diagnostics],
            }
        ],
    }
    return json.dumps(doc, indent=2, ensure_ascii=False)


def _sarif_result(d: Diagnostic, rule_index: int) -> dict[str, object]:
    text = d.message + (f" Hint: {d.hint}" if d.hint else "")
    result: dict[str, object] = {
        "ruleId": d.code,
        "ruleIndex": rule_index,
        "level": _SARIF_LEVEL.get(d.severity, "note"),
        "message": {"text": text},
    }
    if d.path:
        region = {"startLine": d.line} if d.line else {}
        if d.line and d.column:
            region["startColumn"] = d.column
        physical: dict[str, object] = {"artifactLocation": {"uri": d.path}}
        if region:
            physical["region"] = region
        result["locations"] = [{"physicalLocation": physical}]
    if d.item:
        result["properties"] = {"item": d.item}
    return result


# @implements SRS-14
@renderer("github")
def render_github(diagnostics: Sequence[Diagnostic], summary: Summary) -> str:
    """GitHub Actions workflow commands: annotations on the pull request's files."""
    lines = []
    for d in diagnostics:
        level = {Severity.ERROR: "error", Severity.WARNING: "warning"}.get(d.severity, "notice")
        props = [f"title={_gh_prop(f'{d.code} {d.rule}')}"]
        if d.path:
            props.insert(0, f"file={_gh_prop(d.path)}")
            if d.line:
                props.insert(1, f"line={d.line}")
        body = d.message + (f". Hint: {d.hint}" if d.hint else "")
        lines.append(f"::{level} {','.join(props)}::{_gh_data(body)}")
    lines.append(_strip_markup(_summary_line(diagnostics, summary)))
    return "\n".join(lines)


def _gh_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _gh_prop(text: str) -> str:
    return _gh_data(text).replace(":", "%3A").replace(",", "%2C")


def _strip_markup(text: str) -> str:
    from rich.text import Text

    return Text.from_markup(text, emoji=False).plain


# @implements SRS-14
@renderer("junit")
def render_junit(diagnostics: Sequence[Diagnostic], summary: Summary) -> str:
    """JUnit XML: one test case per rule that ran into findings, one failure per finding file.

    Jenkins and GitLab show each finding as a failed test named after its rule and location.
    """
    failures = [d for d in diagnostics if d.severity is Severity.ERROR]
    cases = []
    for d in diagnostics:
        kind = "failure" if d.severity is Severity.ERROR else "skipped"
        body = _xml_text(f"{d.location}: {d.message}\nhint: {d.hint}")
        name = _xml_attr(f"{d.code} {d.rule} {d.location}")
        cases.append(
            f"    <testcase classname={_xml_attr('medtrace.' + d.rule)} name={name}>\n"
            f"      <{kind} message={_xml_attr(d.message)} type={_xml_attr(d.code)}>{body}</{kind}>\n"
            "    </testcase>"
        )
    if not diagnostics:
        cases.append('    <testcase classname="medtrace" name="check"/>')
    skipped = len(diagnostics) - len(failures)
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<testsuites name="medtrace" tests="{max(len(diagnostics), 1)}" failures="{len(failures)}">\n'
        f"  <testsuite name={_xml_attr('medtrace check ' + summary.project)} "
        f'tests="{max(len(diagnostics), 1)}" failures="{len(failures)}" errors="0" skipped="{skipped}">\n'
        + "\n".join(cases)
        + "\n  </testsuite>\n</testsuites>\n"
    )


_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _xml_text(text: str) -> str:
    """Escaped XML character data; characters XML 1.0 cannot hold become U+FFFD."""
    return html.escape(_NOT_XML.sub("\ufffd", text), quote=False)


def _xml_attr(text: str) -> str:
    """A quoted, escaped XML attribute value (new lines kept as character references)."""
    escaped = html.escape(_NOT_XML.sub("\ufffd", text), quote=False).replace('"', "&quot;")
    return '"' + escaped.replace("\n", "&#10;").replace("\r", "&#13;").replace("\t", "&#9;") + '"'
