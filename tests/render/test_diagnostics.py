"""Renderers: text (rich markup), JSON, SARIF 2.1.0, GitHub annotations and JUnit XML."""

from __future__ import annotations

import io
import json
import re
import xml.etree.ElementTree as ET

import pytest
from rich.console import Console

from medtrace import __version__
from medtrace.diagnostics import CODES, Diagnostic, Severity
from medtrace.render import FORMATS, Summary, render_diagnostics

SUMMARY = Summary("Bolus Advisor", "C", items=12, files=3)

DANGLING = Diagnostic(
    "MT010",
    "link-dangling",
    Severity.ERROR,
    "'parents' of SRS-1 names SYS-9, which does not exist",
    expected="the ID of an existing system-requirement",
    hint="did you mean SYS-1?",
    path="docs/SRS-1.md",
    line=4,
    column=2,
    item="SRS-1",
)
WARNING = Diagnostic(
    "MT003",
    "item-invalid",
    Severity.WARNING,
    "Markdown file without front matter: not read as an item",
    path="docs/notes.md",
    line=1,
)

pytestmark = pytest.mark.verifies("SRS-14")
PROJECT_NOTE = Diagnostic("MT090", "config-invalid", Severity.NOTE, "a note about the project")
ALL = [DANGLING, WARNING, PROJECT_NOTE]


def console_text(markup: str) -> str:
    out = io.StringIO()
    Console(file=out, no_color=True, highlight=False, soft_wrap=True, emoji=False).print(markup)
    return out.getvalue()


def test_every_format_is_registered() -> None:
    assert sorted(FORMATS) == ["github", "json", "junit", "sarif", "text"]


# --- text ----------------------------------------------------------------------------------------


def test_text() -> None:
    assert console_text(render_diagnostics("text", ALL, SUMMARY)) == (
        "docs/SRS-1.md:4: error MT010 link-dangling: 'parents' of SRS-1 names SYS-9, which does "
        "not exist; expected the ID of an existing system-requirement\n"
        "    hint: Did you mean SYS-1?\n"
        "docs/notes.md:1: warning MT003 item-invalid: Markdown file without front matter: not "
        "read as an item\n"
        "<project>: note MT090 config-invalid: a note about the project\n"
        "FAILED Bolus Advisor (class C): 1 error, 1 warning, 1 note in 12 items from 3 files\n"
    )


def test_text_when_clean() -> None:
    text = console_text(render_diagnostics("text", [], Summary("", "A", 1, 1)))
    assert text == "OK project (class A): 0 errors, 0 warnings in 1 item from 1 file\n"


def test_text_escapes_markup_in_user_strings() -> None:
    d = Diagnostic(
        "MT007",
        "field-unknown",
        Severity.ERROR,
        "unknown field '[bold red]x[/]' and :thumbs_up:",
        hint="[link=http://x]y[/link]",
        path="docs/[a].md",
    )
    text = console_text(render_diagnostics("text", [d], Summary("[red]P[/]", "B", 0, 0)))
    assert "docs/[a].md: error" in text
    assert "unknown field '[bold red]x[/]' and :thumbs_up:" in text
    assert "hint: [link=http://x]y[/link]" in text
    assert "[red]P[/] (class B)" in text


# --- JSON ----------------------------------------------------------------------------------------


def test_json() -> None:
    doc = json.loads(render_diagnostics("json", ALL, SUMMARY))
    assert {k: v for k, v in doc.items() if k != "diagnostics"} == {
        "medtrace": __version__,
        "project": "Bolus Advisor",
        "class": "C",
        "items": 12,
        "files": 3,
        "counts": {"error": 1, "warning": 1, "note": 1},
    }
    assert doc["diagnostics"][0] == {
        "code": "MT010",
        "rule": "link-dangling",
        "severity": "error",
        "path": "docs/SRS-1.md",
        "line": 4,
        "column": 2,
        "item": "SRS-1",
        "found": "'parents' of SRS-1 names SYS-9, which does not exist",
        "expected": "the ID of an existing system-requirement",
        "hint": "Did you mean SYS-1?",
        "message": DANGLING.message,
        "related": [],
    }


def test_json_keeps_unicode() -> None:
    d = Diagnostic("MT012", "derivation-cycle", Severity.ERROR, "cycle: a → b → a")
    assert "a → b → a" in render_diagnostics("json", [d], SUMMARY)


# --- SARIF ---------------------------------------------------------------------------------------


def test_sarif_structure() -> None:
    doc = json.loads(render_diagnostics("sarif", ALL, SUMMARY))
    assert doc["version"] == "2.1.0"
    assert doc["$schema"] == "https://json.schemastore.org/sarif-2.1.0.json"
    (run,) = doc["runs"]
    driver = run["tool"]["driver"]
    assert (driver["name"], driver["version"]) == ("medtrace", __version__)
    assert [r["id"] for r in driver["rules"]] == ["MT003", "MT010", "MT090"]
    assert driver["rules"][1] == {
        "id": "MT010",
        "name": "link-dangling",
        "shortDescription": {"text": CODES["MT010"].summary},
        "defaultConfiguration": {"level": "error"},
    }
    first, second, third = run["results"]
    assert first == {
        "ruleId": "MT010",
        "ruleIndex": 1,
        "level": "error",
        "message": {"text": DANGLING.message + ". Hint: Did you mean SYS-1?"},
        "locations": [
            {
                "physicalLocation": {
                    "artifactLocation": {"uri": "docs/SRS-1.md"},
                    "region": {"startLine": 4, "startColumn": 2},
                }
            }
        ],
        "properties": {"item": "SRS-1"},
    }
    assert second["level"] == "warning"
    assert second["ruleIndex"] == 0
    assert second["locations"][0]["physicalLocation"]["region"] == {"startLine": 1}
    assert third["level"] == "note"
    assert third["locations"] == [
        {
            "physicalLocation": {
                "artifactLocation": {"uri": "medtrace.toml"},
                "region": {"startLine": 1},
            }
        }
    ], "a project-wide finding points at the configuration file"


def test_sarif_without_a_line() -> None:
    d = Diagnostic("MT001", "file-unreadable", Severity.ERROR, "x", path="docs/a.md")
    (result,) = json.loads(render_diagnostics("sarif", [d], SUMMARY))["runs"][0]["results"]
    assert result["locations"] == [
        {"physicalLocation": {"artifactLocation": {"uri": "docs/a.md"}, "region": {"startLine": 1}}}
    ]


def test_sarif_with_an_unregistered_code() -> None:
    d = Diagnostic("XX001", "other", Severity.ERROR, "x")
    (rule,) = json.loads(render_diagnostics("sarif", [d], SUMMARY))["runs"][0]["tool"]["driver"][
        "rules"
    ]
    assert rule == {
        "id": "XX001",
        "name": "XX001",
        "shortDescription": {"text": "XX001"},
        "defaultConfiguration": {"level": "error"},
    }


def test_sarif_when_clean() -> None:
    (run,) = json.loads(render_diagnostics("sarif", [], SUMMARY))["runs"]
    assert run["results"] == []
    assert run["tool"]["driver"]["rules"] == []


# --- GitHub --------------------------------------------------------------------------------------

ANNOTATION = re.compile(r"^::(error|warning|notice) ((?:[a-z]+=[^,:]*)(?:,[a-z]+=[^,:]*)*)::(.*)$")


def test_github_annotations() -> None:
    lines = render_diagnostics("github", ALL, SUMMARY).splitlines()
    assert lines == [
        "::error file=docs/SRS-1.md,line=4,title=MT010 link-dangling::"
        + DANGLING.message
        + ". Hint: Did you mean SYS-1?",
        "::warning file=docs/notes.md,line=1,title=MT003 item-invalid::" + WARNING.message,
        "::notice title=MT090 config-invalid::a note about the project",
        "FAILED Bolus Advisor (class C): 1 error, 1 warning, 1 note in 12 items from 3 files",
    ]
    for line in lines[:-1]:
        assert ANNOTATION.match(line), line


def test_github_escapes_data_and_properties() -> None:
    d = Diagnostic(
        "MT007",
        "field-unknown",
        Severity.ERROR,
        "100% wrong\nsecond line\r",
        path="docs/a,b:c.md",
        line=3,
    )
    (line, _) = render_diagnostics("github", [d], SUMMARY).splitlines()
    assert (
        line
        == "::error file=docs/a%2Cb%3Ac.md,line=3,title=MT007 field-unknown::100%25 wrong%0Asecond line%0D"
    )
    assert ANNOTATION.match(line)


def test_github_summary_has_no_markup() -> None:
    last = render_diagnostics("github", [], Summary("[b]x[/b] :smile:", "A", 0, 0)).splitlines()[-1]
    assert last == "OK [b]x[/b] :smile: (class A): 0 errors, 0 warnings in 0 items from 0 files"


# --- JUnit ---------------------------------------------------------------------------------------


def test_junit() -> None:
    root = ET.fromstring(render_diagnostics("junit", ALL, SUMMARY))
    assert root.tag == "testsuites"
    assert (root.get("tests"), root.get("failures")) == ("3", "1")
    (suite,) = root
    assert suite.get("name") == "medtrace check Bolus Advisor"
    assert (
        suite.get("tests"),
        suite.get("failures"),
        suite.get("errors"),
        suite.get("skipped"),
    ) == (
        "3",
        "1",
        "0",
        "2",
    )
    cases = suite.findall("testcase")
    assert [c.get("name") for c in cases] == [
        "MT010 link-dangling docs/SRS-1.md:4",
        "MT003 item-invalid docs/notes.md:1",
        "MT090 config-invalid <project>",
    ]
    assert cases[0].get("classname") == "medtrace.link-dangling"
    failure = cases[0].find("failure")
    assert failure is not None
    assert (failure.get("type"), failure.get("message")) == ("MT010", DANGLING.message)
    assert failure.text == f"docs/SRS-1.md:4: {DANGLING.message}\nhint: Did you mean SYS-1?"
    assert cases[1].find("skipped") is not None
    assert cases[2].find("skipped") is not None


def test_junit_when_clean() -> None:
    root = ET.fromstring(render_diagnostics("junit", [], SUMMARY))
    (suite,) = root
    (case,) = suite
    assert (case.get("classname"), case.get("name"), list(case)) == ("medtrace", "check", [])
    assert (root.get("tests"), root.get("failures"), suite.get("skipped")) == ("1", "0", "0")


def test_junit_escapes_xml() -> None:
    d = Diagnostic(
        "MT007",
        "field-unknown",
        Severity.ERROR,
        "unknown field \"<x>\" & 'y'",
        hint="a < b",
        path="docs/a&b.md",
    )
    root = ET.fromstring(render_diagnostics("junit", [d], Summary('P "&" <Q>', "B", 0, 0)))
    (suite,) = root
    assert suite.get("name") == 'medtrace check P "&" <Q>'
    failure = suite.find("testcase/failure")
    assert failure is not None
    assert failure.get("message") == d.message
    assert failure.text == f"docs/a&b.md: {d.message}\nhint: A < b."
