"""The impact's renderings, from a hand-made impact."""

from __future__ import annotations

import json

import pytest

from medtrace.render.impact import github_lines, render_json, render_markdown, render_text
from medtrace.vcs.changes import FileChange
from medtrace.vcs.impact import Affected, Impact, ItemChange, TestToRun, Unit

pytestmark = pytest.mark.verifies("SRS-237")


def impact() -> Impact:
    return Impact(
        base="a" * 40,
        head="b" * 40,
        label="main...HEAD",
        files=[FileChange("R", "src/old|x.py", "src/new_*x*.py", "1" * 40, "2" * 40)],
        units=[Unit("src/new_*x*.py", "Pump.limit", 3, ("SRS-1",), ())],
        software_items=[Affected("pump", "software-item", "Pump", "C", ["owns src/new_*x*.py"])],
        requirements=[Affected("SRS-1", "software-requirement", "Limit <b>", "C", ["x", "y"])],
        risks=[Affected("RISK-1", "risk", "Overdose | 100%", "C", ["controlled by SRS-1"])],
        tests=[TestToRun("test_limit", "tests/test_x.py", "verifies SRS-1")],
        items=[ItemChange("SRS-1", "renamed", "reqs/b.md", "reqs/a.md")],
        soup=[
            {"package": "idna", "change": "upgraded", "old": "3.6", "new": "3.7", "path": "r.txt"}
        ],
    )


def test_text() -> None:
    text = render_text(impact())
    assert "  R src/new_*x*.py (from src/old|x.py)\n" in text
    assert "  src/new_*x*.py: Pump.limit implements SRS-1\n" in text
    assert "  SRS-1 [class C] Limit <b>: x; y\n" in text
    assert "  SRS-1 renamed reqs/b.md (from reqs/a.md)\n" in text
    assert "  idna upgraded: 3.6 → 3.7 (r.txt)\n" in text


def test_markdown_cells_are_escaped() -> None:
    text = render_markdown(impact())
    assert text.startswith("## Impact of main...HEAD\n\n1 files, 1 requirements, 1 risks, 1 tests")
    assert "| RISK-1 | C | Overdose \\| 100% | controlled by SRS-1 |" in text
    assert "| SRS-1 | C | Limit &lt;b&gt; | x; y |" in text
    assert "<b>" not in text


def test_json_has_every_section() -> None:
    doc = json.loads(render_json(impact()))
    assert doc["files"] == [{"status": "R", "path": "src/new_*x*.py", "old_path": "src/old|x.py"}]
    assert doc["risks"][0] == {
        "id": "RISK-1",
        "kind": "risk",
        "title": "Overdose | 100%",
        "safety_class": "C",
        "why": ["controlled by SRS-1"],
    }
    assert set(doc) >= {"units", "software_items", "requirements", "tests", "items", "soup"}


def test_github_lines_escape_percent_and_newlines() -> None:
    found = impact()
    found.notes.append("50% done\nnext")
    lines = github_lines(found).splitlines()
    assert lines[1] == (
        "::warning title=risk RISK-1 affected::RISK-1 [class C] Overdose | 100%25: controlled by SRS-1"
    )
    assert lines[2] == "::notice title=medtrace impact::50%25 done%0Anext"
