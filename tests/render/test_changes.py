"""The diff's formats: text, Markdown, JSON and the HTML page, with hostile text escaped."""

from __future__ import annotations

import json

import pytest
from lxml import html as lxml_html

from medtrace.render.changes import FORMATS, excerpt, shown
from medtrace.vcs.diff import FieldChange, ItemChange, ItemRef, Rechange, SnapshotDiff

pytestmark = pytest.mark.verifies("SRS-285")

HOSTILE = "<script>alert(1)</script> | *x* \x1b[31m"


def sample() -> SnapshotDiff:
    return SnapshotDiff(
        "v1.0.0",
        "HEAD",
        "a" * 40,
        "b" * 40,
        added=[ItemRef("SRS-9", "software-requirement", HOSTILE)],
        removed=[ItemRef("SRS-8", "software-requirement", "Old")],
        changed=[
            ItemChange(
                "SRS-6",
                "software-requirement",
                "Clamp",
                (
                    FieldChange("text", "at most 25 U", "at most 20 U"),
                    FieldChange("parents", ["SYS-1"], None),
                ),
                ("RISK-1",),
            )
        ],
        verification=[Rechange("SRS-6", "status", "verified", "failed")],
        soup=[Rechange("requests", "version", "2.31.0", "2.32.3")],
        notes=["a note"],
    )


def test_text() -> None:
    text = FORMATS["text"](sample())
    assert text.splitlines() == [
        "Changes from v1.0.0 to HEAD",
        "note: a note",
        "added SRS-9 (software-requirement): <script>alert(1)</script> | *x* \\x1b[31m",
        "removed SRS-8 (software-requirement): Old",
        "changed SRS-6 (software-requirement, controls RISK-1): Clamp",
        "    text: - at most 25 U",
        "          + at most 20 U",
        '    parents: - ["SYS-1"]',
        "             + (none)",
        "verification status changed:",
        "    SRS-6 status: verified → failed",
        "soup added, removed or upgraded:",
        "    requests version: 2.31.0 → 2.32.3",
    ]


def test_markdown_cells_are_escaped() -> None:
    text = FORMATS["markdown"](sample())
    row = next(line for line in text.splitlines() if line.startswith("| added"))
    assert row.count(" | ") == 3  # the | in the title does not end a cell
    assert "<script>" not in text
    assert (
        "| SRS-6 (software-requirement, controls RISK-1) | text | at most 25 U | at most 20 U |"
        in text
    )


def test_json_holds_everything() -> None:
    data = json.loads(FORMATS["json"](sample()))
    assert data["old"] == "v1.0.0" and data["new_commit"] == "b" * 40
    assert data["changed"][0]["changes"][1] == {"field": "parents", "old": ["SYS-1"], "new": None}
    assert data["changed"][0]["controls"] == ["RISK-1"]
    assert data["soup"] == [
        {"key": "requests", "what": "version", "old": "2.31.0", "new": "2.32.3"}
    ]


def test_html_is_one_escaped_page() -> None:
    page = FORMATS["html"](sample())
    assert "<script>" not in page and "&lt;script&gt;" in page
    tree = lxml_html.fromstring(page)
    assert tree.xpath("//h1")[0].text_content() == "Changes from v1.0.0 to HEAD"
    headings = [h.text_content() for h in tree.xpath("//h2")]
    assert headings == [
        "Items added and removed",
        "Items changed",
        "Verification status changed",
        "SOUP added, removed or upgraded",
    ]
    assert not tree.xpath("//script") and "http" not in page


def test_no_changes() -> None:
    empty = SnapshotDiff("v1", "v2")
    assert FORMATS["text"](empty) == "Changes from v1 to v2\nno changes\n"
    assert "No changes." in FORMATS["markdown"](empty)
    assert "No changes." in FORMATS["html"](empty)


def test_a_long_text_is_cut_to_the_words_that_changed() -> None:
    words = [f"w{i}" for i in range(60)]
    new = [*words[:30], "NEW", *words[30:]]
    old_cut, new_cut = excerpt(" ".join(words), " ".join(new))
    assert old_cut == "… w24 w25 w26 w27 w28 w29 w30 w31 w32 w33 w34 w35 …"
    assert new_cut == "… w24 w25 w26 w27 w28 w29 NEW w30 w31 w32 w33 w34 w35 …"
    assert excerpt("short", "text") == ("short", "text")
    assert excerpt(None, ["a"]) == ("(none)", '["a"]')
    assert shown("") == "(empty)"
