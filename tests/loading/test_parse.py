"""Parsing item files into records: Markdown front matter and the three YAML file forms."""

from __future__ import annotations

import textwrap
import time

import pytest

from medtrace.diagnostics import Severity
from medtrace.loading.parse import PARSERS, entry_lines, item_outline, parse_file

pytestmark = pytest.mark.verifies("SRS-3", "SRS-4", "SRS-5")


def md(text: str) -> str:
    return textwrap.dedent(text).lstrip("\n")


# --- Markdown -----------------------------------------------------------------------------


def test_markdown_with_front_matter() -> None:
    parsed = parse_file(
        md(
            """
            ---
            id: SRS-1
            parents: [SYS-1]
            ---
            # Title

            Body text.
            """
        ),
        "docs/SRS-1.md",
    )
    assert parsed.diagnostics == []
    (record,) = parsed.records
    assert record.data == {"id": "SRS-1", "parents": ["SYS-1"]}
    assert (record.index, record.line, record.body_line) == (0, 1, 5)
    assert record.body == "# Title\n\nBody text.\n"
    assert record.file_kind is None


def test_markdown_front_matter_closed_with_dots() -> None:
    (record,) = parse_file("---\nid: SRS-1\n...\nbody\n", "a.md").records
    assert record.data == {"id": "SRS-1"}
    assert record.body == "body\n"


def test_markdown_with_empty_front_matter() -> None:
    (record,) = parse_file("---\n---\n# T\n", "SRS-2.md").records
    assert record.data == {}
    assert record.body == "# T\n"


def test_markdown_with_front_matter_and_no_body() -> None:
    (record,) = parse_file("---\nid: SRS-1\n---", "a.md").records
    assert record.body == ""
    assert record.body_line == 0


def test_markdown_without_front_matter_is_a_warning() -> None:
    (d,) = parse_file("# Notes\n\nnot an item\n", "docs/notes.md").diagnostics
    assert (d.code, d.severity, d.path, d.line) == ("MT003", Severity.WARNING, "docs/notes.md", 1)
    assert d.found == "Markdown file without front matter: not read as an item"
    assert "front matter" in d.hint


@pytest.mark.parametrize("name", ["README.md", "docs/index.md", "docs/Readme.md"])
def test_readme_and_index_are_not_items(name: str) -> None:
    assert parse_file("# Read me\n", name).records == []
    assert parse_file("# Read me\n", name).diagnostics == []


def test_an_empty_markdown_file_is_a_warning() -> None:
    parsed = parse_file("  \n", "docs/empty.md")
    assert parsed.records == []
    (d,) = parsed.diagnostics
    assert (d.code, d.severity, d.found) == ("MT003", Severity.WARNING, "empty file")


def test_unclosed_front_matter() -> None:
    (d,) = parse_file("---\nid: SRS-1\ntitle: x\n# never closed\n", "a.md").diagnostics
    assert (d.code, d.rule, d.line) == ("MT002", "yaml-invalid", 1)
    assert d.found == "front matter is not closed"
    assert d.expected == "a line '---' after the front matter"


@pytest.mark.parametrize("text", ["---", "---title: x\n---\n", "--- \nid: X\n"])
def test_other_unclosed_front_matter(text: str) -> None:
    (d,) = parse_file(text, "a.md").diagnostics
    assert d.found == "front matter is not closed"


def test_malformed_front_matter_points_at_the_file_line() -> None:
    text = md(
        """
        ---
        id: SRS-3
        title: bad: colon
        ---
        """
    )
    (d,) = parse_file(text, "a.md").diagnostics
    assert d.code == "MT002"
    assert d.found == "invalid YAML: mapping values are not allowed in this context"
    assert (d.line, d.column) == (3, 11)
    assert "quote" in d.hint


def test_front_matter_that_is_a_list() -> None:
    (d,) = parse_file("---\n- a\n- b\n---\n", "a.md").diagnostics
    assert (d.code, d.line) == ("MT003", 2)
    assert d.found == "found list ['a', 'b']"
    assert d.expected == "a mapping of fields"


def test_duplicate_key_in_front_matter() -> None:
    (d,) = parse_file("---\nid: SRS-1\ntitle: a\ntitle: b\n---\n", "a.md").diagnostics
    assert d.found == "invalid YAML: duplicate key 'title'"
    assert d.line == 4
    assert d.hint == "Keep one 'title' (YAML does not allow a key twice in one mapping)."


def test_markdown_suffixes_are_case_insensitive() -> None:
    assert PARSERS[".markdown"] is PARSERS[".md"]
    assert parse_file("---\nid: SRS-1\n---\n", "A.MD").records[0].data == {"id": "SRS-1"}


# --- YAML: the three forms ------------------------------------------------------------------


def test_yaml_list_of_items() -> None:
    parsed = parse_file("- id: SYS-1\n  title: a\n- id: SYS-2\n  title: b\n", "s.yaml")
    assert [(r.data["id"], r.index, r.line, r.body) for r in parsed.records] == [
        ("SYS-1", 0, 0, None),
        ("SYS-2", 1, 0, None),
    ]


def test_yaml_kind_and_items() -> None:
    parsed = parse_file("kind: risk\nitems:\n  - id: R-a\n  - id: R-b\n", "r.yml")
    assert [r.file_kind for r in parsed.records] == ["risk", "risk"]
    assert [r.data for r in parsed.records] == [{"id": "R-a"}, {"id": "R-b"}]


def test_yaml_items_without_kind() -> None:
    parsed = parse_file("items:\n  - id: SYS-1\n", "r.yaml")
    assert parsed.records[0].file_kind is None


def test_yaml_single_mapping_is_one_item() -> None:
    (record,) = parse_file("id: bolus-calculator\nkind: software-item\n", "x.yaml").records
    assert record.data == {"id": "bolus-calculator", "kind": "software-item"}


def test_yaml_unknown_top_level_keys_next_to_items() -> None:
    parsed = parse_file("kind: risk\nowner: me\nitems:\n  - id: RISK-1\n", "r.yaml")
    (d,) = parsed.diagnostics
    assert (d.code, d.line) == ("MT003", 1)
    assert d.found == "unknown top-level keys 'owner'"
    assert len(parsed.records) == 1, "the items are still read"


def test_yaml_file_kind_that_is_not_text() -> None:
    parsed = parse_file("kind: [risk]\nitems:\n  - id: RISK-1\n", "r.yaml")
    (d,) = parsed.diagnostics
    assert d.expected == "a kind name for 'kind'"
    assert parsed.records[0].file_kind is None


def test_yaml_items_that_are_not_a_list() -> None:
    (d,) = parse_file("items: 3\n", "r.yaml").diagnostics
    assert (d.code, d.found, d.expected) == ("MT003", "found int 3", "a list of items")


@pytest.mark.verifies("SRS-54")
def test_yaml_scalar_document() -> None:
    """Never quoted: a file of one string is what a token or credentials file looks like."""
    (d,) = parse_file("https://ci:ghp_token@github.com\n", "r.yaml").diagnostics
    assert (d.code, d.line, d.expected) == ("MT003", 1, "a list of items")
    assert d.found == "the whole document is one text value (31 characters, not shown), not items"
    (d,) = parse_file("---\nghp_token\n---\n", "SYS-1.md").diagnostics
    assert (d.code, d.line, d.expected) == ("MT003", 2, "a mapping of fields")
    assert "ghp_token" not in d.found + d.hint


def test_entries_that_are_not_mappings_have_their_lines() -> None:
    text = "- id: SYS-1\n  title: ok\n- [a, b]\n- just text\n- id: SYS-2\n"
    parsed = parse_file(text, "s.yaml")
    assert [(d.line, d.found, d.expected) for d in parsed.diagnostics] == [
        (3, "found list ['a', 'b']", "item 2 as a mapping"),
        (4, "found str 'just text'", "item 3 as a mapping"),
    ]
    assert [r.data["id"] for r in parsed.records] == ["SYS-1", "SYS-2"]
    assert [r.index for r in parsed.records] == [0, 3]


def test_long_values_are_shortened_in_messages() -> None:
    (d,) = parse_file("- " + "x" * 200 + "\n", "s.yaml").diagnostics
    assert d.found.endswith("...")
    assert len(d.found) < 80


@pytest.mark.parametrize("text", ["", "   \n\n"])
def test_empty_yaml_file(text: str) -> None:
    (d,) = parse_file(text, "e.yaml").diagnostics
    assert (d.code, d.found, d.expected, d.line) == ("MT003", "empty file", "one or more items", 0)


def test_yaml_file_of_comments_only() -> None:
    (d,) = parse_file("# nothing here yet\n", "e.yaml").diagnostics
    assert d.code == "MT003"
    assert d.expected == "one or more items"
    assert "comments" in d.found


# --- YAML: errors ----------------------------------------------------------------------------


def test_malformed_yaml_line_and_column() -> None:
    (d,) = parse_file("- id: SYS-2\n  title: bad: yes\n", "b.yaml").diagnostics
    assert (d.code, d.line, d.column) == ("MT002", 2, 13)
    assert d.found == "invalid YAML: mapping values are not allowed in this context"
    assert d.expected == "well-formed YAML"


@pytest.mark.parametrize(
    ("text", "line", "column"),
    [
        ("[0\x85-", 1, 5),  # NEL breaks a YAML line, not an editor's
        ("a: 1\u2028b: [\nc: 2", 2, 5),
        ("a: 1\r\nb: [\r\nc", 3, 2),  # the end of the text, not a line past it
    ],
)
def test_a_yaml_error_is_placed_on_the_file_s_own_lines(text: str, line: int, column: int) -> None:
    (d,) = parse_file(text, "b.yaml").diagnostics
    assert (d.code, d.line, d.column) == ("MT002", line, column)


@pytest.mark.parametrize("odd", ["\x85", "\u2028", "\u2029"])
def test_field_lines_are_the_file_s_own_lines(odd: str) -> None:
    text = f'- id: SYS-1\n  title: "Record{odd} readings"\n  text: t\n- id: SRS-1\n  parents: [SYS-9]\n'
    assert item_outline(text) == [
        (1, {"id": 1, "title": 2, "text": 3}),
        (4, {"id": 4, "parents": 5}),
    ]


def test_a_duplicate_key_is_placed_on_the_file_s_own_line() -> None:
    text = '- id: SYS-1\n  title: "a\u2028b"\n  title: c\n'
    (d,) = parse_file(text, "b.yaml").diagnostics
    assert (d.code, d.line) == ("MT002", 3)


def test_a_yaml_error_after_old_mac_line_ends_is_on_its_line() -> None:
    (d,) = parse_file("a: 1\rb: [\rc", "b.yaml").diagnostics
    assert (d.code, d.line, d.column) == ("MT002", 3, 2)


def test_unclosed_flow_sequence() -> None:
    (d,) = parse_file("- id: SYS-2\n  text: [unclosed\n", "b.yaml").diagnostics
    assert d.found.startswith("invalid YAML: while parsing a flow sequence")
    assert d.line == 3


def test_duplicate_key_in_yaml() -> None:
    (d,) = parse_file("- id: SYS-5\n  title: a\n  title: b\n", "d.yaml").diagnostics
    assert (d.found, d.line) == ("invalid YAML: duplicate key 'title'", 3)


def test_duplicate_key_nested() -> None:
    text = "- id: SYS-5\n  title: a\n  anomalies:\n    where: x\n    where: y\n"
    (d,) = parse_file(text, "d.yaml").diagnostics
    assert (d.found, d.line) == ("invalid YAML: duplicate key 'where'", 5)


def test_tab_indentation() -> None:
    (d,) = parse_file("- id: SYS-1\n\ttitle: x\n", "t.yaml").diagnostics
    assert d.code == "MT002"
    assert d.line == 2


def test_several_documents() -> None:
    (d,) = parse_file("id: SYS-1\n---\nid: SYS-2\n", "t.yaml").diagnostics
    assert d.code == "MT002"
    assert "single document" in d.found
    assert d.line == 2


def test_unknown_alias() -> None:
    (d,) = parse_file("- id: SYS-1\n  title: *nope\n", "t.yaml").diagnostics
    assert d.code == "MT002"
    assert "undefined alias" in d.found
    assert d.line == 2


def test_aliases_that_are_fine() -> None:
    (record,) = parse_file("- id: SYS-1\n  title: &t x\n  text: *t\n", "t.yaml").records
    assert record.data["text"] == "x"


BOMB = """\
- id: SYS-1
  title: lol
  a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]
  b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]
  c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]
  d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]
  e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]
  f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]
  g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]
  h: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]
  i: &i [*h,*h,*h,*h,*h,*h,*h,*h,*h]
"""


def test_billion_laughs_is_refused_quickly() -> None:
    started = time.perf_counter()
    parsed = parse_file(BOMB, "bomb.yaml")
    assert time.perf_counter() - started < 2
    (d,) = parsed.diagnostics
    assert d.code == "MT002"
    assert d.found == "invalid YAML: anchors and aliases (*name) expand to too much data"
    assert d.line == 4, "the first alias"
    assert parsed.records == []


def test_billion_laughs_in_front_matter() -> None:
    entries = BOMB.splitlines()[2:]
    text = "---\nid: SYS-1\n" + "\n".join(line.strip() for line in entries) + "\n---\n"
    started = time.perf_counter()
    (d,) = parse_file(text, "bomb.md").diagnostics
    assert time.perf_counter() - started < 2
    assert d.found == "invalid YAML: anchors and aliases (*name) expand to too much data"
    assert d.line == 4


@pytest.mark.parametrize("depth", [128, 100_000])
def test_deep_nesting_is_refused_quickly(depth: int) -> None:
    text = "- id: SYS-1\n  text: " + "[" * depth + "]" * depth + "\n"
    started = time.perf_counter()
    (d,) = parse_file(text, "deep.yaml").diagnostics
    assert time.perf_counter() - started < 2
    assert d.found == "invalid YAML: nested too deeply"
    assert (d.line, d.column) == (2, 9 + 127)


def test_deep_nesting_after_a_duplicate_key_does_not_crash() -> None:
    depth = 100_000
    text = "a: 1\na: 2\nb: " + "[" * depth + "]" * depth + "\n"
    started = time.perf_counter()
    (d,) = parse_file(text, "deep.yaml").diagnostics
    assert time.perf_counter() - started < 2
    assert d.code == "MT002"


def test_nesting_within_the_limit_is_read() -> None:
    text = "- id: SYS-1\n  text: " + "[" * 100 + "]" * 100 + "\n"
    assert parse_file(text, "ok.yaml").diagnostics == []


def test_many_flat_lists_are_not_nesting() -> None:
    text = "".join(f"- id: SYS-{n}\n  parents: [SYS-0]\n" for n in range(1, 500))
    parsed = parse_file(text, "ok.yaml")
    assert parsed.diagnostics == []
    assert len(parsed.records) == 499


def test_entry_lines() -> None:
    assert entry_lines("- a: 1\n\n- b: 2\n") == [1, 3]
    assert entry_lines("kind: risk\nitems:\n  - id: R\n  - id: S\n") == [3, 4]
    assert entry_lines("id: x\n") == [1]
    assert entry_lines("[unclosed\n") == []
    assert entry_lines("3\n") == []


# --- valid YAML the fast parser refuses, and lines for what is really broken (SRS-65) ---------


@pytest.mark.verifies("SRS-65")
def test_a_complex_key_is_read_as_its_text() -> None:
    (record,) = parse_file("- id: SYS-1\n  ? [a, b]\n  : c\n", "c.yaml").records
    assert record.data == {"id": "SYS-1", "[a, b]": "c"}


@pytest.mark.verifies("SRS-65")
def test_an_integer_above_2_64_is_read() -> None:
    (record,) = parse_file("- id: SYS-1\n  n: 123456789012345678901234567890\n", "n.yaml").records
    assert record.data["n"] == 123456789012345678901234567890


@pytest.mark.verifies("SRS-65")
def test_an_anchor_defined_again_names_the_latest() -> None:
    text = "- id: SYS-1\n  title: &t a\n  n: 123456789012345678901234567890\n"
    text += "- id: SYS-2\n  title: &t b\n  text: *t\n"
    records = parse_file(text, "a.yaml").records
    assert [r.data.get("text") for r in records] == [None, "b"]


@pytest.mark.verifies("SRS-65")
def test_a_duplicate_key_is_still_refused_after_the_fallback() -> None:
    text = "- id: SYS-1\n  n: 123456789012345678901234567890\n  n: 2\n"
    (d,) = parse_file(text, "d.yaml").diagnostics
    assert (d.code, d.line, d.found) == ("MT002", 3, "invalid YAML: duplicate key 'n'")


@pytest.mark.verifies("SRS-65")
@pytest.mark.parametrize(
    ("text", "path", "line"),
    [
        ("- id: SYS-1\n  title: t\n- id: SYS-2\n  title: a\x07b\n", "c.yaml", 4),
        ("---\nid: SYS-1\ntitle: \x01\n---\n", "SYS-1.md", 3),
    ],
)
def test_a_control_character_is_located(text: str, path: str, line: int) -> None:
    (d,) = parse_file(text, path).diagnostics
    assert (d.code, d.line) == ("MT002", line)
    assert d.found.startswith("invalid YAML: a control character (#x00")


@pytest.mark.verifies("SRS-65")
@pytest.mark.parametrize(
    ("text", "path", "line", "alias"),
    [
        ("- &a\n  id: SYS-1\n  x: *a\n", "r.yaml", 3, "a"),
        ("a: &x\n  b:\n    c: [1, *x]\n", "r.yaml", 3, "x"),
        ("---\ntitle: t\nx: &loop [*loop]\n---\n", "SYS-1.md", 3, "loop"),
    ],
)
def test_a_recursive_alias_is_located(text: str, path: str, line: int, alias: str) -> None:
    (d,) = parse_file(text, path).diagnostics
    assert (d.code, d.line) == ("MT002", line)
    assert d.found == f"invalid YAML: the alias *{alias} is inside the node it names (a loop)"


@pytest.mark.verifies("SRS-67")
def test_top_level_keys_that_are_not_text() -> None:
    parsed = parse_file("~: 1\n3: x\nb: 2\nitems:\n  - id: SYS-1\n", "t.yaml")
    (d,) = parsed.diagnostics
    assert d.found == "unknown top-level keys 3, ~, 'b'"
    assert [r.data["id"] for r in parsed.records] == ["SYS-1"]


@pytest.mark.verifies("SRS-66")
def test_item_outline() -> None:
    text = "kind: risk\nitems:\n  - id: R\n    hazard: h\n    nested: {hazard: x}\n  - s\n"
    text += "  - {id: T,\n     harm: y}\n"
    assert item_outline(text) == [
        (3, {"id": 3, "hazard": 4, "nested": 5}),
        (6, {}),
        (7, {"id": 7, "harm": 8}),
    ]
    assert item_outline("id: x\ntitle: t\n") == [(1, {"id": 1, "title": 2})]
    assert item_outline("? [a, b]\n: 1\nid: x\n") == [(1, {"id": 3})]
    assert item_outline("[unclosed\n") is None
