"""Interface documentation renderers: every string from a spec or the code escaped."""

from __future__ import annotations

import json
import re

import lxml.html
import pytest

from medtrace.interfaces.model import Entry, InterfaceDoc
from medtrace.render.interfaces import FORMATS, render_interfaces

pytestmark = pytest.mark.verifies("SRS-156")

HOSTILE = '<script>alert("x")</script> | `tick` *star* \x1b[31m'


def _docs() -> list[InterfaceDoc]:
    entry = Entry(
        "operation",
        f"GET /pets/{HOSTILE}",
        signature="listPets",
        doc=HOSTILE,
        details=(("parameter", f"limit in query: {HOSTILE}"), ("response 200", "OK")),
    )
    return [
        InterfaceDoc(
            "api",
            "API",
            f"Pets {HOSTILE}",
            "openapi",
            "api.yaml",
            HOSTILE,
            [entry],
            [f"problem {HOSTILE}"],
        )
    ]


def test_every_format_is_registered() -> None:
    assert sorted(FORMATS) == ["html", "json", "markdown", "text"]


def test_html_fragment_escapes_and_reads_back() -> None:
    html = render_interfaces(_docs(), "html")
    assert "<script>" not in html
    tree = lxml.html.fragment_fromstring(html)
    assert tree.xpath("//script") == []
    heading = tree.xpath("//h2")[0].text_content()
    assert heading.startswith('Pets <script>alert("x")</script>')
    assert "\x1b" not in html and "\\x1b[31m" in heading
    cells = [td.text_content() for td in tree.xpath("//td")]
    assert cells[0].startswith("limit in query: <script>")


def test_markdown_escapes_structure() -> None:
    text = render_interfaces(_docs(), "markdown")
    outside_code = re.sub(r"`[^`\n]*`", "", text)  # a code span shows its text literally
    assert "<script>" not in outside_code
    assert "\\<script\\>" in outside_code or "&lt;script" in outside_code
    assert "\x1b" not in text
    table_rows = [line for line in text.splitlines() if line.startswith("| parameter")]
    assert len(table_rows) == 1 and table_rows[0].count(" | ") == 1  # the '|' cannot split a cell


def test_text_shows_controls_and_json_round_trips() -> None:
    text = render_interfaces(_docs(), "text")
    assert "\x1b" not in text and "\\x1b" in text
    data = json.loads(render_interfaces(_docs(), "json"))
    entry = data["interfaces"][0]["entries"][0]
    assert entry["doc"] == HOSTILE
    assert entry["details"][0] == ["parameter", f"limit in query: {HOSTILE}"]
