"""The HTML matrix: one standalone page, parsed back with lxml."""

from __future__ import annotations

import re
from importlib import resources

import lxml.html
import pytest

from medtrace.render.matrix import FORMATS, MARKER, render_matrix
from medtrace.render.matrix.htmlpage import CAP
from medtrace.tracing.matrix import Matrix, View

pytestmark = pytest.mark.verifies("SRS-23")

EVIL = "<script>alert(1)</script>"


def sample() -> Matrix:
    forward = View(
        "requirements",
        "Software requirements (forward)",
        ("ID", "Title", "Tests", "Status"),
        [
            (
                "SRS-1",
                (
                    ((("SRS-1", "SRS-1"),), None),
                    f'Refuse {EVIL} "quoted" & more',
                    ((("t.py:3 test a", "t.py::test a"), ("SRS-404 gone", "SRS-404")), None),
                    ((("verified", None),), "verified"),
                ),
            ),
            ('SRS-2"><b>', ("x", "y", "", ((("failing", None),), "failing"))),
        ],
    )
    tests = View(
        "tests",
        "Tests (backward)",
        ("Test", "Verifies"),
        [("t.py::test a", ("test a", ((("SRS-1 Refuse", "SRS-1"),), None)))],
    )
    empty = View("code", "Code (backward)", ("Location",), [])
    return Matrix(f"Pump {EVIL}", "C", [forward, tests, empty])


def page() -> lxml.html.HtmlElement:
    return lxml.html.document_fromstring(str(render_matrix("html", sample())))


def test_template_is_package_data() -> None:
    template = resources.files("medtrace.render.matrix") / "templates" / "matrix.html.j2"
    assert template.is_file()
    assert FORMATS["html"].suffix == ".html"


def test_standalone_page_with_marker() -> None:
    text = str(render_matrix("html", sample()))
    assert text.startswith("<!DOCTYPE html>")
    assert MARKER in text[:200]
    root = page()
    assert root.xpath("//meta[@name='generator']/@content")[0].startswith(MARKER)
    assert root.xpath("//style")  # inline CSS
    assert "@media print" in root.xpath("//style")[0].text


def test_user_strings_are_escaped() -> None:
    root = page()
    scripts = root.xpath("//script")
    assert len(scripts) == 1 and "alert" not in (scripts[0].text or "")  # only our own
    assert not root.xpath("//b")
    title = root.xpath("//tr[@id='SRS-1']/td[2]")[0]
    assert title.text_content() == f'Refuse {EVIL} "quoted" & more'
    assert root.xpath("//h1")[0].text_content() == f"Traceability matrix: Pump {EVIL}"
    assert root.xpath("//title")[0].text_content() == f"Traceability matrix: Pump {EVIL}"
    assert root.xpath("//tr[@id='SRS-2\"><b>']")  # an odd key stays one attribute


def test_anchors_and_links_to_rows() -> None:
    root = page()
    assert root.get_element_by_id("SRS-1").tag == "tr"
    assert root.get_element_by_id("t.py::test a").tag == "tr"
    hrefs = root.xpath("//tr[@id='SRS-1']//a/@href")
    assert hrefs == ["#SRS-1", "#t.py::test%20a"]  # SRS-404 is no row: no link
    assert "SRS-404 gone" in root.get_element_by_id("SRS-1").text_content()
    assert root.xpath("//tr[@id='t.py::test a']//a/@href") == ["#SRS-1"]
    nav = root.xpath("//nav//a/@href")
    assert nav == ["#view-requirements", "#view-tests", "#view-code"]
    assert all(root.get_element_by_id(h[1:]) is not None for h in nav)


def test_status_has_colour_and_words() -> None:
    cell = page().xpath("//tr[@id='SRS-1']/td[4]")[0]
    assert cell.get("class") == "st st-verified"
    assert cell.text_content() == "verified"


def test_multi_part_cells_break_lines() -> None:
    cell = page().xpath("//tr[@id='SRS-1']/td[3]")[0]
    assert len(cell.xpath("br")) == 1


def test_no_external_resource() -> None:
    root = page()
    for element in root.iter():
        for name in ("src", "href", "action", "data"):
            value = element.get(name)
            if value is not None:
                assert not value.startswith(("http:", "https:", "//")), (element.tag, value)
    text = str(render_matrix("html", sample()))
    assert "http://" not in text and "https://" not in text
    assert not root.xpath("//link[@rel='stylesheet']") and not root.xpath("//script[@src]")


def test_filter_and_sorting_controls() -> None:
    root = page()
    (box,) = root.xpath("//input[@id='filter']")
    assert box.get("type") == "search"
    assert root.xpath("//label[@for='filter']")
    assert len(root.xpath("//table[@data-view='requirements']//th/button")) == 4
    assert "addEventListener" in root.xpath("//script")[0].text


def test_empty_view_says_none() -> None:
    section = page().get_element_by_id("view-code")
    assert not section.xpath(".//table") and "None." in section.text_content()


def long_matrix(title: str) -> Matrix:
    rows = [("SRS-1", (((("SRS-1", "SRS-1"),), None), title, ((("SRS-1", "SRS-1"),), None)))]
    return Matrix("p", "A", [View("requirements", "R", ("ID", "Title", "Parents"), rows)])


@pytest.mark.verifies("SRS-78")
def test_a_very_long_value_shows_its_start_and_the_rest_on_demand() -> None:
    title = "x" * 100_000
    root = lxml.html.document_fromstring(str(render_matrix("html", long_matrix(title))))
    cell = root.xpath("//tr[@id='SRS-1']/td[2]")[0]
    assert cell.text == "x" * CAP
    (details,) = cell.xpath("details[@class='more']")
    assert not details.get("open"), "closed: the browser does not lay the rest out"
    assert details.xpath("summary")[0].text_content() == f"\u2026 {100_000 - CAP} more characters"
    assert cell.text_content().count("x") == 100_000, "the filter still finds the whole text"


@pytest.mark.verifies("SRS-78")
def test_a_short_value_is_shown_whole() -> None:
    root = lxml.html.document_fromstring(str(render_matrix("html", long_matrix("y" * CAP))))
    assert not root.xpath("//details")


@pytest.mark.verifies("SRS-78")
def test_ids_never_break_and_cells_wrap_within_a_cap() -> None:
    root = lxml.html.document_fromstring(str(render_matrix("html", long_matrix("t"))))
    assert root.xpath("//tr[@id='SRS-1']/td[3]/a/@class") == ["id"]
    css = root.xpath("//style")[0].text
    assert re.search(r"td \{[^}]*max-width: 48rem", css)
    assert "td:first-child, td:first-child a, a.id { white-space: nowrap" in css
