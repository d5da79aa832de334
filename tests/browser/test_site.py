"""The documentation set in a real browser (headless Chromium): the example's site opened from
``file://``, followed by clicks from a risk to its control, test and result, from a box of the
architecture diagram to its item, into an item's history; search through the header's box; no
console error and no request outside the site's folder. A hostile project's site runs nothing
and nothing on its pages is wider than the window. Screenshots of the key pages at 1440 and
1024 pixels go to ``build/screenshots/site/``.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from helpers import write_project

from browser.test_matrix_page import PAYLOADS, PWN, _xml
from medtrace.site.build import build_site

pytestmark = pytest.mark.verifies("SRS-200", "SRS-204", "SRS-205", "SRS-213")

REPO = Path(__file__).resolve().parents[2]
EXAMPLE = REPO / "examples" / "bolus-advisor"
SHOTS = REPO / "build" / "screenshots" / "site"
WIDTHS = (1440, 1024)


@dataclass
class Visit:
    """A browser tab kept inside one folder: what it logged and asked for."""

    page: Any
    folder: Path
    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)
    foreign: list[str] = field(default_factory=list)

    def open(self, rel: str) -> None:
        self.page.goto((self.folder / rel).as_uri(), wait_until="load")

    def clean(self) -> None:
        assert self.console_errors == []
        assert self.page_errors == []
        assert self.dialogs == []
        assert self.foreign == []
        assert self.page.evaluate("() => window.__pwned") is None


@pytest.fixture
def visit(browser: Any) -> Iterator[Any]:
    contexts: list[Any] = []

    def open_folder(folder: Path, width: int = 1440) -> Visit:
        context = browser.new_context(viewport={"width": width, "height": 900})
        contexts.append(context)
        page = context.new_page()
        v = Visit(page, folder.resolve())
        inside = v.folder.as_uri() + "/"

        def route(r: Any) -> None:
            if r.request.url.startswith(inside):
                r.continue_()
            else:
                v.foreign.append(r.request.url)
                r.abort()

        context.route("**/*", route)
        page.on("console", lambda m: m.type == "error" and v.console_errors.append(m.text))
        page.on("pageerror", lambda e: v.page_errors.append(str(e)))
        page.on("dialog", lambda d: (v.dialogs.append(d.message), d.dismiss()))
        return v

    yield open_folder
    for context in contexts:
        context.close()


@pytest.fixture(scope="module")
def example_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("example") / "site"
    build_site(EXAMPLE, out, use_cache=False)
    return out


def test_dashboard_opens_from_file_without_errors(example_site: Path, visit: Any) -> None:
    v = visit(example_site)
    v.open("index.html")
    assert v.page.title() == "Dashboard · Bolus Advisor"
    assert v.page.locator(".stamp").inner_text().count("Bolus Advisor") == 1
    assert v.page.locator("#mt-search").is_visible()
    v.clean()


def test_risk_to_control_to_test_to_result(example_site: Path, visit: Any) -> None:
    v = visit(example_site)
    v.open("risks.html")
    v.page.locator("tr#RISK-1 td").first.locator("a").click()
    assert v.page.url.endswith("/items/RISK-1.html")
    v.page.locator("h2:has-text('Linked from') + table a", has_text="SRS-1").first.click()
    assert v.page.url.endswith("/items/SRS-1.html")
    v.page.locator("table.tests a").first.click()
    v.page.wait_for_url(lambda url: "/tests/tests-" in url)
    v.page.wait_for_load_state()
    row = v.page.locator(":target")
    row.wait_for()  # the fragment's row, once the page has scrolled to it
    assert row.count() == 1
    assert row.locator(".badge").inner_text() == "passed"
    v.clean()


def test_a_box_of_the_diagram_opens_its_item(example_site: Path, visit: Any) -> None:
    v = visit(example_site)
    v.open("architecture.html")
    box = v.page.locator("#system-view svg g.node a").first
    href = box.get_attribute("xlink:href") or box.get_attribute("href")
    assert href and href.startswith("items/")
    box.click()
    assert v.page.url.endswith(href)
    assert href.removeprefix("items/").removesuffix(".html") in v.page.locator("h1").inner_text()
    v.clean()


def test_an_items_history_opens(example_site: Path, visit: Any) -> None:
    v = visit(example_site)
    v.open("items/SRS-1.html")
    changes = v.page.locator("details.change")
    if changes.count() == 0:
        pytest.skip(v.page.locator("#history + .note").inner_text())
    last = changes.last
    last.locator("summary").click()
    assert last.get_attribute("open") is not None
    assert last.locator("summary").inner_text().count("·") >= 3
    v.clean()


def test_search_finds_a_requirement(example_site: Path, visit: Any) -> None:
    v = visit(example_site)
    v.open("items/SRS-2.html")
    v.page.fill("#mt-search", "meal bolus carbohydrate")
    result = v.page.locator("#mt-search-results a", has_text="SRS-1").first
    result.wait_for()
    result.click()
    assert v.page.url.endswith("/items/SRS-1.html")
    v.clean()


def test_the_matrix_filter_hides_rows(example_site: Path, visit: Any) -> None:
    v = visit(example_site)
    v.open("matrix/requirements-1.html")
    rows = v.page.locator("table.matrix tbody tr")
    total = rows.count()
    v.page.fill("#mt-filter", "SRS-1 ")
    shown = v.page.locator("table.matrix tbody tr:not([hidden])").count()
    assert 0 < shown < total
    v.clean()


@pytest.mark.parametrize("width", WIDTHS)
def test_screenshots_of_the_key_pages(example_site: Path, visit: Any, width: int) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    v = visit(example_site, width)
    for rel in ("index.html", "items/SRS-1.html", "matrix/requirements-1.html",
                "architecture.html", "clauses.html", "risks.html"):  # fmt: skip
        v.open(rel)
        name = rel.replace("/", "_").removesuffix(".html")
        v.page.screenshot(path=str(SHOTS / f"{name}-{width}.png"), full_page=True)
        assert v.page.evaluate("document.documentElement.scrollWidth") <= width, rel
    v.clean()


HOSTILE_CONFIG = """\
[project]
name = {name}
class = "C"

[paths]
items = ["docs"]
sources = ["src/**"]
tests = ["tests/**"]
results = ["results/*.xml"]
"""


def _hostile_items() -> str:
    rows = [
        "- id: SYS-1\n  title: System\n",
        "- id: app\n  kind: software-item\n  title: App\n  class: C\n",
    ]
    payloads = [*PAYLOADS, "W" * 5000, f"</script><script>{PWN}</script>"]
    for i, payload in enumerate(payloads, start=1):
        text = json.dumps(payload)
        rows.append(
            f"- id: SRS-{i}\n  title: {text}\n  type: functional\n  text: {text}\n"
            f"  rationale: {text}\n  parents: [SYS-1]\n  item: app\n  status: {text}\n"
            f"  {'x' * 40}: {text}\n"
        )
    dangling = f"[SYS-1, SYS-{'9' * 3000}, {'W' * 3000}]"
    rows.append(f"- id: SRS-999\n  title: Dangling\n  parents: {dangling}\n")
    rows.append(
        f"- id: RISK-1\n  title: {json.dumps(PAYLOADS[0])}\n  hazard: {json.dumps(PAYLOADS[1])}\n  harm: x\n  severity: 3\n"
    )
    return "".join(rows)


def _hostile_results() -> str:
    cases = "".join(
        f'<testcase classname="tests.test_x" name="{_xml(p)}" file="tests/{_xml(p)}.py">'
        f'<properties><property name="verifies" value="SRS-{i}"/></properties>'
        f'<failure message="{_xml(p)}">{_xml(p)}</failure></testcase>'
        for i, p in enumerate(PAYLOADS, start=1)
    )
    return f'<?xml version="1.0"?>\n<testsuite name="{_xml(PAYLOADS[0])}">{cases}</testsuite>\n'


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("hostile")
    files = {
        "docs/items.yaml": _hostile_items(),
        "results/r.xml": _hostile_results(),
        f"src/{'p' * 120}/{'q' * 120}.py": "# @implements SRS-1\ndef "
        + "f" * 300
        + "():\n    pass\n",
        "tests/test_x.py": "# @verifies SRS-2\ndef test_x():\n    pass\n",
    }
    name = json.dumps(f"</title><script>{PWN}</script>\u202e")
    project = write_project(root / "p", files, config=HOSTILE_CONFIG.format(name=name))
    out = root / "site"
    build_site(project, out, use_cache=False)
    return out


def test_hostile_text_runs_nothing_and_breaks_no_layout(hostile_site: Path, visit: Any) -> None:
    v = visit(hostile_site, 1024)
    pages = sorted(p.relative_to(hostile_site).as_posix() for p in hostile_site.rglob("*.html"))
    assert "items/SRS-1.html" in pages and "print.html" in pages
    for rel in pages:
        v.open(rel)
        assert v.page.evaluate("() => window.__pwned") is None, rel
        assert v.page.title() != "PWNED", rel
        width = v.page.evaluate("document.documentElement.scrollWidth")
        assert width <= 1024, f"{rel} is {width} px wide"
    v.page.fill("#mt-search", PAYLOADS[0])
    v.clean()
