"""The report: grouped per file, a count summary, JSON, the diff."""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from pathlib import Path

import pytest

from medtrace.adopt.report import diff, json_report, summary, text_report

from .conftest import adopt_plan

pytestmark = pytest.mark.verifies("SRS-81")

Project = Callable[[Mapping[str, str | bytes]], Path]
FILES = {
    "src/pump.c": "// SRS-1: limit pressure\nint limit(int p) {\n    return p; /* SRS-2, SRS-9 */\n}\n"
    "/* `SRS-3` is an example */\n",
    "tests/test_pump.py": 'def test_limit():\n    """Checks SRS-1."""\n',
}


def test_text_report(project: Project) -> None:
    adoption = adopt_plan(project(FILES))
    assert text_report(adoption).splitlines() == [
        "src/pump.c",
        "  1  // SRS-1: limit pressure",
        "     + @implements SRS-1  on limit (line 2)",
        "  3  return p; /* SRS-2, SRS-9 */",
        "     + @implements SRS-2  on limit (line 2)",
        "",
        "tests/test_pump.py",
        '  2  """Checks SRS-1."""',
        "     + @verifies SRS-1  on test_limit (line 1)",
        "",
        "Unknown IDs, not converted:",
        "  src/pump.c:3: SRS-9  (did you mean SRS-3?)  return p; /* SRS-2, SRS-9 */",
        "",
        "Not converted, quoted (inline code, double quotes or a doctest line): an example, not a "
        "reference:",
        "  src/pump.c:5: SRS-3",
        "",
        "3 tags to add for 3 mentions in 2 files; 1 unknown ID not converted; 1 line not converted "
        "(2 files read; kinds: system-requirement, software-requirement, risk)",
    ]


def test_summary_when_nothing_to_adopt(project: Project) -> None:
    adoption = adopt_plan(
        project({"src/a.c": "// SRS-1: limit\n// @implements SRS-1\nint f(void);\n"})
    )
    assert summary(adoption) == (
        "Nothing to adopt; 1 mention already tagged "
        "(1 file read; kinds: system-requirement, software-requirement, risk)"
    )


def test_json_report(project: Project) -> None:
    data = json.loads(json_report(adopt_plan(project(FILES))))
    assert data["summary"] == {
        "files_read": 2,
        "files_to_change": 2,
        "tags": 3,
        "mentions": 3,
        "unknown": 1,
        "not_converted": 1,
        "already_tagged": 0,
        "kinds": ["system-requirement", "software-requirement", "risk"],
    }
    pump = data["files"][0]
    assert pump["tags"][0] == {
        "line": 1,
        "verb": "implements",
        "ids": ["SRS-1"],
        "symbol": "limit",
        "symbol_line": 2,
        "before": "// SRS-1: limit pressure",
        "after": "// SRS-1: limit pressure @implements SRS-1",
    }
    assert pump["unknown"] == [
        {"line": 3, "id": "SRS-9", "closest": "SRS-3", "text": "return p; /* SRS-2, SRS-9 */"}
    ]
    assert data["written"] is False


def test_diff_covers_every_changed_file(project: Project) -> None:
    text = diff(adopt_plan(project(FILES)))
    assert [line for line in text.splitlines() if line[:1] in "+-"] == [
        "--- a/src/pump.c",
        "+++ b/src/pump.c",
        "-// SRS-1: limit pressure",
        "+// SRS-1: limit pressure @implements SRS-1",
        "-    return p; /* SRS-2, SRS-9 */",
        "+    return p; /* SRS-2, SRS-9 @implements SRS-2 */",
        "--- a/tests/test_pump.py",
        "+++ b/tests/test_pump.py",
        '-    """Checks SRS-1."""',
        '+    """Checks SRS-1. @verifies SRS-1"""',
    ]


def test_many_files_skipped_for_one_reason_are_counted(project: Project) -> None:
    files = {f"src/notes{n}.txt": "SRS-1\n" for n in range(7)}
    adoption = adopt_plan(project({**files, "src/data.c": b"\0SRS-1"}))
    assert text_report(adoption).splitlines()[:3] == [
        "Not read:",
        "  src/data.c: note MT109 file-skipped: not scanned for tags: binary file (NUL bytes); "
        "expected a text source file in a known language",
        "  7 files: note MT109 file-skipped: not scanned for tags: no known language for this "
        "file (src/notes0.txt, src/notes1.txt, src/notes2.txt, src/notes3.txt, src/notes4.txt "
        "and 2 more)",
    ]
    assert len(json.loads(json_report(adoption))["not_read"]) == 8
