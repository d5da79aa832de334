"""Item text as HTML and the names of item pages."""

from __future__ import annotations

import pytest

from medtrace.site.markup import environment, markdown
from medtrace.site.names import document_page, item_href, item_path, page_name

pytestmark = pytest.mark.verifies("SRS-206", "SRS-213")


def test_markdown_renders_commonmark_with_tables() -> None:
    html = str(markdown("# Title\n\n*em* and `code`\n\n| a | b |\n|---|---|\n| 1 | 2 |\n"))
    assert "<h1>Title</h1>" in html
    assert "<em>em</em>" in html
    assert "<code>code</code>" in html
    assert "<td>1</td>" in html


@pytest.mark.parametrize(
    "text",
    [
        "<script>window.__pwned=1</script>",
        '<img src=x onerror="window.__pwned=1">',
        "[x](javascript:window.__pwned=1)",
        "[x](JaVaScRiPt:alert(1))",
        '<a href="javascript:alert(1)">x</a>',
        "![i](javascript:alert(1))",
    ],
)
def test_markdown_keeps_raw_html_and_unsafe_links_as_text(text: str) -> None:
    html = str(markdown(text))
    assert "<script" not in html
    assert "<img src=x" not in html
    assert 'href="javascript' not in html.lower()
    assert "onerror=" not in html or "&quot;" in html or "&lt;" in html


def test_markdown_makes_bidi_overrides_visible() -> None:
    assert "\\u202e" in str(markdown("abc \u202e def"))
    assert "\u202e" not in str(markdown("abc \u202e def"))


def test_templates_escape_every_string() -> None:
    template = environment().from_string("<p title='{{ t }}'>{{ t }}</p>")
    out = template.render(t="'><script>x</script>\u202e")
    assert "<script>" not in out
    assert "&#39;&gt;&lt;script&gt;" in out
    assert "\\u202e" in out


@pytest.mark.parametrize("item_id", ["SRS-1", "bolus-calculator", "RISK_2.1"])
def test_plain_ids_name_their_pages(item_id: str) -> None:
    assert page_name(item_id) == f"{item_id}.html"
    assert item_path(item_id) == f"items/{item_id}.html"
    assert item_href(item_id) == f"items/{item_id}.html"


@pytest.mark.parametrize(
    "item_id", ["../../etc/passwd", "a/b", "x\u202ey", "..", "index", "a b", "-x", "a" * 200]
)
def test_other_ids_get_a_digest_name(item_id: str) -> None:
    name = page_name(item_id)
    assert name.startswith("id-") and name.endswith(".html")
    assert "/" not in name and ".." not in name
    assert page_name(item_id) == name  # stable
    assert page_name(item_id + "x") != name


def test_document_pages_are_unique_and_safe() -> None:
    a, b = document_page("docs/a b.yaml"), document_page("docs/a-b.yaml")
    assert a != b
    for name in (a, b, document_page("../../x.yaml"), document_page("\u202e.md")):
        assert "/" not in name and not name.startswith(".")


@pytest.mark.parametrize(
    "text",
    [
        "The pump shall stop.",
        "Line one\nline two, with (parens) and 2.5 U.\n\nSecond paragraph: 60 g / 10 g/U = 6 U.",
        "Quotes \"double\" and 'single'; percent 5% and degrees 37°C.",
        "Ends with a newline\n",
        "Uses \u00e9t\u00e9 and \u65e5\u672c.",
        "# Restore the history\n\nThe monitor shall restore it.",
        "## Second level\n\nText.\n\n### Third\n\nMore text.",
    ],
)
def test_plain_prose_renders_as_commonmark_does(text: str) -> None:
    from markdown_it import MarkdownIt

    from medtrace.site.markup import _prose

    expected = MarkdownIt("commonmark", {"html": False}).render(text)
    assert _prose(text) == expected
    assert str(markdown(text)) == expected


@pytest.mark.parametrize(
    "text",
    [
        "- item",
        "1. item",
        "Title\n=====",
        "a  \nb",
        "  indented",
        "a <b>",
        "x *y*",
        "a\n    b",
        "# Title\nand text",
        "####### seven",
        "#no space",
        "# Title #",
    ],
)
def test_anything_else_goes_through_the_parser(text: str) -> None:
    from medtrace.site.markup import _prose

    assert _prose(text) is None
