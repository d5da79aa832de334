"""Every format escapes every user string: hostile titles, labels and IDs cannot change the
structure of a diagram."""

from __future__ import annotations

import html
import json
import re
import shutil
from pathlib import Path

import pytest
from helpers import load, write_project
from lxml import etree

from medtrace.architecture import Architecture, build_architecture, build_view
from medtrace.render.arch import FORMATS

pytestmark = pytest.mark.verifies("SRS-147")

needs_dot = pytest.mark.skipif(shutil.which("dot") is None, reason="Graphviz is not installed")

HOSTILE = 'Evil "quote" <script>alert(1)</script> & ]]> \\N \\G {x} [y] |z| %% $v !w #35; `t`'


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> Architecture:
    root = tmp_path_factory.mktemp("hostile")
    write_project(
        root,
        {
            "docs/arch.yaml": "kind: software-item\nitems:\n"
            + "".join(
                f"  - {json.dumps(item)}\n"
                for item in [
                    {"id": "sys", "title": HOSTILE, "class": "B", "environment": "env"},
                    {
                        "id": "part",
                        "title": HOSTILE + " part",
                        "parent": "sys",
                        "class": "B",
                        "paths": ["x"],
                        "interfaces": [{"name": HOSTILE, "kind": "prose"}],
                    },
                    {"id": "env", "kind": "environment", "title": HOSTILE, "type": "cloud"},
                    {"id": "ext", "kind": "external", "title": HOSTILE, "type": HOSTILE},
                    {"id": "who", "kind": "actor", "title": HOSTILE},
                    {
                        "id": "FLOW-1",
                        "kind": "flow",
                        "from": "who",
                        "to": "part",
                        "label": HOSTILE,
                        "protocol": HOSTILE,
                        "safety": True,
                    },
                    {
                        "id": "FLOW-2",
                        "kind": "flow",
                        "from": "part",
                        "to": "ext",
                        "label": "line one\nline two",
                        "direction": "two-way",
                    },
                ]
            ),
        },
    )
    return build_architecture(load(root).model)


def _render(arch: Architecture, fmt: str, view: str = "system") -> str:
    return FORMATS[fmt].render(build_view(arch, view), 'items/"><x y="')


def test_dot_keeps_every_string_inside_html_labels(hostile: Architecture) -> None:
    dot = _render(hostile, "dot")
    assert "<script>" not in dot
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in dot
    assert 'URL="items/%22%3E%3Cx%20y=%22sys.html"' in dot  # percent-encoded


@needs_dot
@pytest.mark.parametrize("view", ["system", "sys"])
def test_svg_is_well_formed_and_shows_the_strings_as_written(
    hostile: Architecture, view: str
) -> None:
    svg = _render(hostile, "svg", view)
    tree = etree.fromstring(svg.encode("utf-8"))
    texts = " ".join(t.text or "" for t in tree.iter("{http://www.w3.org/2000/svg}text"))
    assert "<script>alert(1)</script>" in texts  # as text, not as markup
    assert not list(tree.iter("script", "{http://www.w3.org/2000/svg}script"))
    assert "\\N" in texts and "\\G" in texts  # not Graphviz's name escapes
    links = [a.get("{http://www.w3.org/1999/xlink}href") for a in tree.iter("{*}a")]
    assert "items/%22%3E%3Cx%20y=%22sys.html" in links


def test_drawio_is_well_formed_and_escaped_twice(hostile: Architecture) -> None:
    text = _render(hostile, "drawio", "sys")
    tree = etree.fromstring(text.split("\n", 1)[1].encode("utf-8"))
    labels = [c.get("value") or c.get("label") or "" for c in tree.iter("mxCell", "UserObject")]
    # draw.io reads the value as HTML: the user's markup is escaped inside it
    assert any("&lt;script&gt;alert(1)&lt;/script&gt;" in v for v in labels)
    assert not any("<script>" in v for v in labels)
    assert tree.find(".//diagram").get("name") == f"{HOSTILE}: items and units"


def test_mermaid_labels_hold_no_special_character(hostile: Architecture) -> None:
    for view in ("system", "sys"):
        text = _render(hostile, "mermaid", view)
        labels = " ".join(re.findall(r'"([^"]*)"', text))
        clean = re.sub(r"</?(b|small)>|<br/>", "", labels)
        assert not set(clean) & set('<>[]{}|`\\"')
        assert "#lt;" in text or "#60;" in text


def test_plantuml_strings_hold_no_quote_or_preprocessor_character(hostile: Architecture) -> None:
    text = _render(hostile, "plantuml")
    for quoted in re.findall(r'"([^"]*)"', text):
        assert not set(quoted) & set("\\$%!<>")
    assert "&#34;quote&#34;" in text


@pytest.mark.parametrize("fmt", sorted(FORMATS))
def test_a_line_break_in_a_label_does_not_break_the_format(hostile: Architecture, fmt: str) -> None:
    if FORMATS[fmt].layout == "required" and shutil.which("dot") is None:
        pytest.skip("Graphviz is not installed")
    text = _render(hostile, fmt)
    assert "line one" in text and "line two" in text
    if fmt in ("mermaid", "plantuml"):
        assert not any(line.endswith("line one") for line in text.splitlines())


def test_the_markers_say_who_wrote_the_file(hostile: Architecture, tmp_path: Path) -> None:
    from medtrace.render.arch import is_ours

    for fmt in sorted(set(FORMATS) - {"svg"}):
        path = tmp_path / f"d{FORMATS[fmt].suffix}"
        path.write_text(_render(hostile, fmt), encoding="utf-8")
        assert is_ours(path), fmt
    (tmp_path / "mine.dot").write_text("digraph { a }\n", encoding="utf-8")
    assert not is_ours(tmp_path / "mine.dot")


def _words(text: str) -> str:
    """The text a format shows: markup and entity codes undone, lines joined."""
    for _ in range(2):  # draw.io's labels are HTML inside XML
        text = html.unescape(re.sub(r"#(\d+);", lambda m: chr(int(m.group(1))), text))
        text = re.sub(r"<br[^>]*>", " ", text)
        text = re.sub(r"<[^>]+>", " ", text)
    return re.sub(r"\s+", " ", text)


@pytest.mark.parametrize("fmt", sorted(FORMATS))
def test_the_contact_tracing_backend_in_every_format(
    contact_tracing: Architecture, fmt: str
) -> None:
    """A real shape (a public contact-tracing backend) drawn in every format: every box, group
    and flow is in the output."""
    if FORMATS[fmt].layout == "required" and shutil.which("dot") is None:
        pytest.skip("Graphviz is not installed")
    for name in ("system", "app-server"):
        view = build_view(contact_tracing, name)
        text = FORMATS[fmt].render(view, "items/")
        shown = _words(text)
        for title in [b.title for b in view.boxes] + [g.title for g in view.groups]:
            assert title in shown, (name, title)
        if fmt == "drawio":
            tree = etree.fromstring(text.split("\n", 1)[1].encode("utf-8"))
            assert len(tree.findall(".//mxCell[@edge='1']")) == len(view.edges)
            vertices = tree.findall(".//mxCell[@vertex='1']")
            assert len(vertices) == len(view.boxes) + len(view.groups)
        if fmt == "mermaid":
            assert sum(
                1
                for line in text.splitlines()
                if " --> " in line
                or "==>" in line
                or "-.->" in line
                or " --- " in line
                or "-->|" in line
            ) == len(view.edges)
