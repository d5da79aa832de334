"""Property: the item parsers (Markdown front matter, YAML) and the item builder take any text
and give records or located diagnostics, never an exception."""

from __future__ import annotations

import pytest
from helpers import DEFAULT_CONFIG
from hypothesis import given
from hypothesis import strategies as st

from medtrace.loading.build import Builder
from medtrace.loading.parse import Record, parse_markdown, parse_yaml
from property.strategies import item_mapping, syntax_text, yaml_text

pytestmark = pytest.mark.verifies("SRS-93")

BUILDER = Builder(DEFAULT_CONFIG)


def _located(diagnostics: list, path: str, text: str) -> None:
    last = text.count("\n") + text.count("\r") + 2
    for d in diagnostics:
        assert d.path == path, d
        assert 0 <= d.line <= last, d
        if d.code == "MT002":  # malformed YAML always has a place
            assert d.line >= 1, d


def _build_all(records: list[Record], path: str) -> None:
    for record in records:
        item, diagnostics = BUILDER.build(record, path)
        assert item is not None or diagnostics, "an item that is not built is reported"
        for d in diagnostics:
            assert d.path == path


@given(yaml_text())
def test_yaml_files_parse_or_are_reported(text: str) -> None:
    parsed = parse_yaml(text, "docs/x.yaml")
    _located(parsed.diagnostics, "docs/x.yaml", text)
    _build_all(parsed.records, "docs/x.yaml")


@given(st.one_of(yaml_text(), syntax_text), syntax_text)
def test_markdown_files_parse_or_are_reported(front: str, body: str) -> None:
    text = f"---\n{front}\n---\n{body}"
    parsed = parse_markdown(text, "docs/SRS-3.md")
    _located(parsed.diagnostics, "docs/SRS-3.md", text)
    _build_all(parsed.records, "docs/SRS-3.md")


@given(syntax_text)
def test_any_text_as_markdown(text: str) -> None:
    parsed = parse_markdown(text, "docs/note.md")
    _located(parsed.diagnostics, "docs/note.md", text)


@given(item_mapping, st.booleans())
def test_any_mapping_builds_an_item_or_a_located_diagnostic(data: dict, markdown: bool) -> None:
    record = Record(data, 0, 3, body="# Title\n" if markdown else None)
    item, diagnostics = BUILDER.build(record, "docs/SRS-4.md")
    if item is None:
        assert diagnostics
    for d in diagnostics:
        assert (d.path, d.line) == ("docs/SRS-4.md", 3)
