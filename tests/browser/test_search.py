"""The site's search in headless Chromium, on a page laid out as the site lays out its pages
(``<html data-root>``, the input and results in the page, the index and ``search.js`` as
deferred scripts from ``assets/``), loading the real assets of the package.

A typo, an ID written either way and a word prefix find their items; the keyboard moves through
the results and opens one; links are relative to the page's root; hostile item text is shown as
text, runs nothing (``window.__pwned`` stays undefined) and a ``javascript:`` URL is not linked;
nothing is logged as an error and nothing but local files is requested.
"""

from __future__ import annotations

from collections.abc import Callable
from importlib.resources import files
from pathlib import Path

import pytest

from browser.conftest import PageReport
from medtrace.site.search import SearchEntry, search_index_js

pytestmark = pytest.mark.verifies("SRS-221")

PWN = "window.__pwned=1"
HOSTILE = [
    SearchEntry("HAZ-1", f"<img src=x onerror={PWN}> pwned image", "risk", "items/HAZ-1.html", ""),
    SearchEntry("HAZ-2", f"</script><script>{PWN}</script> pwned script", "risk", "items/HAZ-2.html", ""),
    SearchEntry("HAZ-3", "pwned link", "risk", f"javascript:{PWN}", f"<svg onload={PWN}>"),
    SearchEntry("HAZ-4", "pwned \u2028 separator \u202e override", "risk", "items/HAZ-4.html", "\"'\\"),
]  # fmt: skip
ENTRIES = [
    SearchEntry("SRS-12", "Detect an occlusion of the infusion line", "software-requirement",
                "items/SRS-12.html", "The pump shall stop within 3 s and raise an alarm."),
    SearchEntry("SRS-120", "Limit the bolus dose", "software-requirement", "items/SRS-120.html",
                "The bolus calculator shall refuse a dose above the configured maximum."),
    SearchEntry("SRS-2", "Record every therapy event", "software-requirement", "items/SRS-2.html",
                "Each event is written to the therapy log with its temperature."),
    SearchEntry("RISK-1", "Insulin over-delivery", "risk", "items/RISK-1.html",
                "An occlusion released at once delivers a bolus."),
    *HOSTILE,
]  # fmt: skip

PAGE = """<!doctype html>
<html lang="en" data-root="{root}"><head><meta charset="utf-8"><title>search test</title>
<script src="{root}assets/search-index.js" defer></script>
<script src="{root}assets/search.js" defer></script></head>
<body><header><input id="mt-search" type="search" aria-label="Search">
<div id="mt-search-results"></div></header><main>{body}</main></body></html>
"""


def write_site(folder: Path) -> Path:
    """The assets, a page at the root and one in ``items/`` (each item page links home)."""
    assets = folder / "assets"
    assets.mkdir(parents=True)
    script = files("medtrace.site").joinpath("assets/search.js").read_text(encoding="utf-8")
    (assets / "search.js").write_text(script, encoding="utf-8")
    (assets / "search-index.js").write_text(search_index_js(ENTRIES), encoding="utf-8")
    (folder / "items").mkdir()
    for entry in ENTRIES:
        page = PAGE.format(root="../", body=f"<h1 id='item'>{entry.id}</h1>")
        if entry.url.startswith("items/"):
            (folder / entry.url).write_text(page, encoding="utf-8")
    home = folder / "index.html"
    home.write_text(PAGE.format(root="", body="<h1>Dashboard</h1>"), encoding="utf-8")
    return home


def type_query(report: PageReport, query: str) -> list[str]:
    """Type ``query`` into the search box; the IDs shown, in order."""
    page = report.page
    page.fill("#mt-search", query)
    page.wait_for_selector("#mt-search-results:not([hidden])")
    ids: list[str] = page.eval_on_selector_all(
        "#mt-search-results .mt-search-id", "nodes => nodes.map(n => n.textContent)"
    )
    return ids


def assert_clean(report: PageReport) -> None:
    assert report.console_errors == [] and report.page_errors == []
    assert report.dialogs == []
    assert [r for r in report.requests if not r.startswith("file://")] == []
    assert report.page.evaluate("typeof window.__pwned") == "undefined"


@pytest.fixture
def site(tmp_path: Path, browser_page: Callable[[Path], PageReport]) -> Callable[[str], PageReport]:
    home = write_site(tmp_path)

    def open_page(relative: str = "index.html") -> PageReport:
        report = browser_page(tmp_path / relative if relative else home)
        report.page.wait_for_function("window.MedtraceSearch !== undefined")
        return report

    return open_page


@pytest.mark.parametrize(
    ("query", "first"),
    [
        ("occlsuion", "SRS-12"),  # two letters swapped
        ("ocllusion infusoin", "SRS-12"),  # a typo in each of two words
        ("temprature", "SRS-2"),  # a letter left out of a word of the text
        ("SRS-12", "SRS-12"),
        ("srs12", "SRS-12"),
        ("srs 120", "SRS-120"),
        ("calcul", "SRS-120"),  # a prefix of a word of the text
        ("insulin", "RISK-1"),
        ("limit the bolus dose to the maximum", "SRS-120"),  # stop words are not required
        ("RISK-1 bolus", "RISK-1"),  # an ID and a word
    ],
)
def test_a_query_finds_its_item_first(
    site: Callable[[str], PageReport], query: str, first: str
) -> None:
    report = site("index.html")
    assert type_query(report, query)[0] == first
    assert_clean(report)


def test_ranking_id_over_title_over_text(site: Callable[[str], PageReport]) -> None:
    report = site("index.html")
    assert type_query(report, "SRS-12")[:2] == ["SRS-12", "SRS-120"]
    assert type_query(report, "occlusion") == ["SRS-12", "RISK-1"]  # title, then text


def test_words_found_in_a_title_are_marked(site: Callable[[str], PageReport]) -> None:
    report = site("index.html")
    assert type_query(report, "limit bol")[0] == "SRS-120"
    marked = report.page.eval_on_selector_all(
        "#mt-search-option-0 mark", "nodes => nodes.map(n => n.textContent)"
    )
    assert marked == ["Limit", "bolus"]
    assert report.page.inner_text("#mt-search-option-0 .mt-search-title") == "Limit the bolus dose"


def test_nothing_found_says_so(site: Callable[[str], PageReport]) -> None:
    report = site("index.html")
    assert type_query(report, "zzzzqqqq") == []
    assert "No item matches" in report.page.inner_text("#mt-search-results")


def test_keyboard_moves_through_results_and_opens_one(
    site: Callable[[str], PageReport], tmp_path: Path
) -> None:
    report = site("items/SRS-2.html")  # a page one folder down: links go through data-root
    page = report.page
    page.focus("#mt-search")
    page.keyboard.type("srs12")
    page.wait_for_selector("#mt-search-results .mt-active")
    assert page.get_attribute("#mt-search-option-0", "aria-selected") == "true"
    page.keyboard.press("ArrowDown")
    assert page.get_attribute("#mt-search-option-1", "aria-selected") == "true"
    active = page.eval_on_selector("#mt-search", "n => n.getAttribute('aria-activedescendant')")
    assert active == "mt-search-option-1"
    page.keyboard.press("ArrowUp")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.url == (tmp_path / "items" / "SRS-12.html").as_uri()
    assert page.inner_text("#item") == "SRS-12"
    assert_clean(report)


def test_escape_clears_and_slash_focuses(site: Callable[[str], PageReport]) -> None:
    report = site("index.html")
    page = report.page
    page.keyboard.press("/")
    assert page.evaluate("document.activeElement.id") == "mt-search"
    page.keyboard.type("bolus")
    page.wait_for_selector("#mt-search-results:not([hidden])")
    page.keyboard.press("Escape")
    assert page.input_value("#mt-search") == ""
    assert page.is_hidden("#mt-search-results")


def test_hostile_entries_are_shown_as_text_and_run_nothing(
    site: Callable[[str], PageReport],
) -> None:
    report = site("index.html")
    page = report.page
    shown = type_query(report, "pwned")
    assert sorted(shown) == ["HAZ-1", "HAZ-2", "HAZ-3", "HAZ-4"]
    titles = page.eval_on_selector_all(
        "#mt-search-results .mt-search-title", "nodes => nodes.map(n => n.textContent)"
    )
    assert f"<img src=x onerror={PWN}> pwned image" in titles
    assert f"</script><script>{PWN}</script> pwned script" in titles
    markup = page.eval_on_selector_all("#mt-search-results img, #mt-search-results script", "n => n.length")  # fmt: skip
    assert markup == 0
    hrefs = page.eval_on_selector_all("#mt-search-results a", "nodes => nodes.map(n => n.href)")
    assert len(hrefs) == 3 and all(h.startswith("file://") for h in hrefs)
    for _ in range(shown.index("HAZ-3")):
        page.keyboard.press("ArrowDown")
    assert page.inner_text(".mt-active .mt-search-id") == "HAZ-3"
    page.keyboard.press("Enter")  # not a link: nothing happens
    assert page.url == report.url
    assert_clean(report)
