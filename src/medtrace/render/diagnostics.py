"""Render diagnostics as text, JSON, SARIF 2.1.0, GitHub annotations or JUnit XML."""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from medtrace import __version__
from medtrace.diagnostics import CODES, Diagnostic, Severity
from medtrace.registry import registrar, same
from medtrace.render.escaping import sentence, visible
from medtrace.render.jsontext import indented

__all__ = ["FORMATS", "Summary", "render_diagnostics", "summary_line"]


@dataclass(frozen=True)
class Summary:
    """What was checked, for the closing line and report headers.

    ``strict``: warnings fail the check too (``--strict``), so they are reported as failing.
    ``config``: the configuration file (relative to the project root), where findings about the
    whole project point in formats that need a location (SARIF).
    """

    project: str
    safety_class: str
    items: int
    files: int
    strict: bool = False
    config: str = "medtrace.toml"
    #: item ID → verification status (``medtrace.tracing.status``), for the JSON report
    statuses: tuple[tuple[str, str], ...] = ()

    def fails(self, d: Diagnostic) -> bool:
        """Whether the finding makes ``check`` exit 1."""
        return d.severity is Severity.ERROR or (self.strict and d.severity is Severity.WARNING)


Renderer = Callable[[Sequence[Diagnostic], Summary], str]
FORMATS: dict[str, Renderer] = {}


def renderer(name: str) -> Callable[[Renderer], Renderer]:
    return registrar(FORMATS, name, same)


def render_diagnostics(name: str, diagnostics: Sequence[Diagnostic], summary: Summary) -> str:
    return FORMATS[name](diagnostics, summary)


_STYLE = {Severity.ERROR: "bold red", Severity.WARNING: "yellow", Severity.NOTE: "cyan"}


# @implements SRS-14, SRS-75, SRS-76
@renderer("text")
def render_text(diagnostics: Sequence[Diagnostic], summary: Summary) -> str:
    """Rich console markup: one line per finding, its hint below, a summary line last. Control
    characters in names are shown escaped: a file name cannot forge a finding line."""
    from rich.markup import escape as rich_escape

    lines = []
    for d in diagnostics:
        style = _STYLE.get(d.severity, "")
        lines.append(
            f"[bold]{rich_escape(visible(d.location))}[/]: [{style}]{d.severity.value}[/] "
            f"[dim]{d.code} {d.rule}:[/] {rich_escape(visible(d.message))}"
        )
        if d.hint:
            lines.append(f"    [dim]hint:[/] {rich_escape(visible(sentence(d.hint)))}")
    lines.append(_summary_markup(diagnostics, summary))
    return "\n".join(lines)


def _summary_markup(diagnostics: Sequence[Diagnostic], summary: Summary) -> str:
    """The closing line, in Rich markup: FAILED whenever ``check`` exits 1 (with ``--strict``,
    warnings too), else OK."""
    from rich.markup import escape as rich_escape

    errors = sum(d.severity is Severity.ERROR for d in diagnostics)
    warnings = sum(d.severity is Severity.WARNING for d in diagnostics)
    notes = sum(d.severity is Severity.NOTE for d in diagnostics)
    counts = [_plural(errors, "error"), _plural(warnings, "warning")]
    if notes:
        counts.append(_plural(notes, "note"))
    failed = any(summary.fails(d) for d in diagnostics)
    verdict = "[bold red]FAILED[/]" if failed else "[bold green]OK[/]"
    name = rich_escape(visible(summary.project or "project"))
    return (
        f"{verdict} {name} (class {rich_escape(visible(summary.safety_class))}): "
        f"{', '.join(counts)} in "
        f"{_plural(summary.items, 'item')} from {_plural(summary.files, 'file')}"
    )


def summary_line(diagnostics: Sequence[Diagnostic], summary: Summary) -> str:
    """The closing line as plain text (``FAILED Bolus Advisor (class C): 1 error, ...``)."""
    return _strip_markup(_summary_markup(diagnostics, summary))


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
        "hint": sentence(d.hint) if d.hint else "",
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
    if summary.statuses:
        doc["statuses"] = dict(summary.statuses)
    return indented(doc)


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
                "results": [_sarif_result(d, index[d.code], summary.config) for d in diagnostics],
            }
        ],
    }
    return indented(doc)


# @implements SRS-74
def _sarif_result(d: Diagnostic, rule_index: int, config: str) -> dict[str, object]:
    """One result, always with a location (code scanning rejects results without one): a
    finding about the whole project points at the configuration file, line 1."""
    text = d.message + (f". Hint: {sentence(d.hint)}" if d.hint else "")
    result: dict[str, object] = {
        "ruleId": d.code,
        "ruleIndex": rule_index,
        "level": _SARIF_LEVEL.get(d.severity, "note"),
        "message": {"text": text},
    }
    region = {"startLine": max(d.line, 1) if d.path else 1}
    if d.path and d.line and d.column:
        region["startColumn"] = d.column
    physical = {"artifactLocation": {"uri": _uri(d.path or config)}, "region": region}
    result["locations"] = [{"physicalLocation": physical}]
    if d.item:
        result["properties"] = {"item": d.item}
    return result


def _uri(path: str) -> str:
    """A relative URI reference for a POSIX path: characters a URI cannot hold are %-escaped."""
    from urllib.parse import quote

    return quote(path, safe="/!$&'()*+,;=:@-._~")


# @implements SRS-14, SRS-73, SRS-76
@renderer("github")
def render_github(diagnostics: Sequence[Diagnostic], summary: Summary) -> str:
    """GitHub Actions workflow commands: annotations on the pull request's files. A finding
    that fails the job is an ``::error`` (with ``--strict``, a warning too)."""
    lines = []
    for d in diagnostics:
        level = "error" if summary.fails(d) else _GH_LEVEL.get(d.severity, "notice")
        props = [f"title={_gh_prop(f'{d.code} {d.rule}')}"]
        if d.path:
            props.insert(0, f"file={_gh_prop(d.path)}")
            if d.line:
                props.insert(1, f"line={d.line}")
        body = d.message + (f". Hint: {sentence(d.hint)}" if d.hint else "")
        lines.append(f"::{level} {','.join(props)}::{_gh_data(body)}")
    lines.append(_gh_line(summary_line(diagnostics, summary)))
    return "\n".join(lines)


_GH_LEVEL = {Severity.ERROR: "error", Severity.WARNING: "warning"}


def _gh_data(text: str) -> str:
    """A workflow command's data: ``%``, CR and LF %-escaped as GitHub decodes them, every other
    control character shown escaped (an escape sequence would recolour the log)."""
    text = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    return visible(text)


def _gh_line(text: str) -> str:
    """A plain log line: no control character, and never read as a workflow command."""
    text = visible(text)
    return " " + text if text.startswith("::") else text


def _gh_prop(text: str) -> str:
    return _gh_data(text).replace(":", "%3A").replace(",", "%2C")


def _strip_markup(text: str) -> str:
    from rich.text import Text

    return Text.from_markup(text, emoji=False).plain


# @implements SRS-14, SRS-76
@renderer("junit")
def render_junit(diagnostics: Sequence[Diagnostic], summary: Summary) -> str:
    """JUnit XML: one test case per finding, named after its rule and location.

    Jenkins and GitLab show each finding that fails the check (errors; warnings too with
    ``--strict``) as a failed test, the others as skipped ones. Control characters in names and
    messages are shown escaped.
    """
    failures = [d for d in diagnostics if summary.fails(d)]
    cases = []
    for d in diagnostics:
        kind = "failure" if summary.fails(d) else "skipped"
        hint = sentence(d.hint) if d.hint else ""
        body = _xml_text(f"{visible(d.location)}: {visible(d.message)}\nhint: {visible(hint)}")
        name = _xml_attr(visible(f"{d.code} {d.rule} {d.location}"))
        cases.append(
            f"    <testcase classname={_xml_attr('medtrace.' + d.rule)} name={name}>\n"
            f"      <{kind} message={_xml_attr(visible(d.message))} type={_xml_attr(d.code)}>"
            f"{body}</{kind}>\n"
            "    </testcase>"
        )
    if not diagnostics:
        cases.append('    <testcase classname="medtrace" name="check"/>')
    skipped = len(diagnostics) - len(failures)
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<testsuites name="medtrace" tests="{max(len(diagnostics), 1)}" failures="{len(failures)}">\n'
        f"  <testsuite name={_xml_attr('medtrace check ' + visible(summary.project))} "
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
