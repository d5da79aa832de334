"""The content of the pages on a project with every kind of evidence: the dashboard's figures,
the test report, the anomalies, the clause map and the print version."""

from __future__ import annotations

import os
import re
from datetime import UTC, datetime
from pathlib import Path

import pytest
from helpers import write_project

from medtrace.site.build import build_site
from medtrace.site.pages.printing import content, rebase

CONFIG = """\
[project]
name = "Pump"
class = "C"
version = "3.0"

[paths]
items = ["docs"]
sources = ["src/**"]
tests = ["tests/**"]
results = ["results/*.xml"]
"""

ITEMS = """\
- id: SYS-1
  title: Deliver insulin
- id: pump
  kind: software-item
  title: Pump firmware
  class: C
- id: ui
  kind: software-item
  title: Display
  class: B
- id: SRS-1
  title: Stop on occlusion
  type: functional
  parents: [SYS-1]
  item: pump
  controls: [RISK-1]
- id: SRS-2
  title: Show the dose
  type: functional
  parents: [SYS-1]
  item: ui
- id: SRS-3
  title: Beep
  type: alarms
  parents: [SYS-1]
  item: ui
- id: RISK-1
  title: Overdose
  hazard: Excess insulin
  harm: Hypoglycaemia
  severity: catastrophic
  probability: frequent
  residual_severity: catastrophic
  residual_probability: improbable
- id: ANOM-1
  kind: anomaly
  title: Display flickers
  severity: low
  status: closed
  evaluation: Cosmetic.
- id: ANOM-2
  kind: anomaly
  title: Alarm late
  severity: high
  status: open
  evaluation: Under analysis.
"""

TESTS = """\
# @verifies SRS-1
def test_stop():
    pass


# @verifies SRS-2
def test_dose():
    pass
"""

RESULTS = """\
<?xml version="1.0"?>
<testsuite name="unit">
<testcase classname="tests.test_pump" name="test_stop" file="tests/test_pump.py"/>
<testcase classname="tests.test_pump" name="test_dose" file="tests/test_pump.py"><failure message="dose shown as 0"/></testcase>
</testsuite>
"""

NOW = datetime(2026, 3, 4, 5, 6, 7, tzinfo=UTC)


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("pages")
    files = {
        "docs/items.yaml": ITEMS,
        "tests/test_pump.py": TESTS,
        "results/unit.xml": RESULTS,
        "src/pump.py": "# @implements SRS-1\ndef stop():\n    pass\n",
    }
    project = write_project(root / "p", files, config=CONFIG)
    results = project / "results" / "unit.xml"
    later = results.stat().st_mtime + 60
    os.utime(results, (later, later))  # the results come after the code they test
    out = root / "site"
    build_site(project, out, now=NOW, use_cache=False)
    return out


def text(site: Path, rel: str) -> str:
    return (site / rel).read_text(encoding="utf-8")


def cells(html: str, row_start: str) -> list[str]:
    """The text of the cells of the first table row that starts with ``row_start``."""
    for row in re.findall(r"<tr[^>]*>(.*?)</tr>", html, re.S):
        found = [
            re.sub(r"<[^>]+>", "", c).strip() for c in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)
        ]
        if found and found[0] == row_start:
            return found
    raise AssertionError(f"no row {row_start!r}")


@pytest.mark.verifies("SRS-202")
def test_dashboard_counts_coverage_findings_results_and_risks(site: Path) -> None:
    page = text(site, "index.html")
    card = re.search(
        r"<h3>Software requirement</h3>\s*<div class=\"big\">(\d+)%</div>\s*<div>(\d+) of (\d+) verified",
        page,
    )
    assert card is not None and card.groups() == ("33", "1", "3")
    assert cells(page, "Class C")[1:4] == ["1", "1", "100"]
    assert cells(page, "Class B")[1:4] == ["2", "0", "0"]
    errors = re.search(r"<h3>errors</h3><div class=\"big sev-error\">(\d+)</div>", page)
    assert errors is not None and int(errors.group(1)) >= 2  # SRS-3 untested, SRS-2 failing
    assert "MT101" in page and "SRS-3" in page
    assert re.search(r"<h3>passed</h3><div class=\"big\"><span class=\"st-passed\">1</span>", page)
    assert re.search(r"<h3>failed</h3><div class=\"big\"><span class=\"st-failed\">1</span>", page)
    assert cells(page, "unacceptable")[1:] == ["1", "0"]
    assert cells(page, "review")[1:] == ["0", "1"]


@pytest.mark.verifies("SRS-207")
def test_test_report_per_suite_and_per_test(site: Path) -> None:
    page = text(site, "tests.html")
    assert cells(page, "unit")[1:3] == ["1", "1"]  # passed, failed
    tests = text(site, "tests/tests-1.html")
    row = re.search(r'<tr id="[^"]*test_dose">(.*?)</tr>', tests, re.S)
    assert row is not None
    assert "st-failed" in row.group(1) and "dose shown as 0" in row.group(1)
    assert 'href="../items/SRS-2.html"' in row.group(1)


@pytest.mark.verifies("SRS-207")
def test_anomalies_open_first(site: Path) -> None:
    page = text(site, "anomalies.html")
    assert page.index("ANOM-2") < page.index("ANOM-1")
    assert cells(page, "ANOM-2")[2:4] == ["high", "open"]


@pytest.mark.verifies("SRS-208")
def test_clause_map_says_what_is_missing(site: Path) -> None:
    page = text(site, "clauses.html")
    assert cells(page, "5.2")[-1] == "present"
    assert cells(page, "7.1")[-1] == "present"
    assert cells(page, "8.1.2")[-1] == "missing"  # no SOUP item
    assert cells(page, "5.6")[-1] == "missing"  # no integration test
    assert cells(page, "7.3")[-1] == "present"  # the one control, SRS-1, is verified
    assert cells(page, "5.7")[-1] == "missing"  # no system test, no test case
    assert "5.3.5" in page  # class C


@pytest.mark.verifies("SRS-209")
def test_print_version_holds_every_section_with_a_contents(site: Path) -> None:
    page = text(site, "print.html")
    toc = re.findall(r'<li><a href="#(print-[^"]+)">', page)
    for anchor in ("print-index", "print-clauses", "print-architecture", "print-risks",
                   "print-soup", "print-matrix-requirements-1", "print-tests", "print-anomalies"):  # fmt: skip
        assert anchor in toc
        assert re.search(f'<section class="print-section( wide)?" id="{anchor}">', page)
    assert any(a.startswith("print-documents-docs-items") for a in toc)
    assert 'class="title-page"' in page
    assert '<section class="print-section wide" id="print-risks">' in page  # landscape
    assert 'href="items/SRS-1.html"' in page  # links rebased to the site root
    assert 'href="../' not in page
    css = text(site, "assets/site.css")
    assert "@page wide { size: A4 landscape;" in css
    assert re.search(r"@media print \{[^@]*\.site-header, \.site-nav", css)


@pytest.mark.verifies("SRS-209")
def test_rebase_moves_links_to_the_root() -> None:
    html = '<a href="../items/A.html">A</a> <a href="b-2.html#x">b</a> <a href="#y">y</a>'
    assert rebase(html, "matrix/") == (
        '<a href="items/A.html">A</a> <a href="matrix/b-2.html#x">b</a> <a href="#y">y</a>'
    )
    assert rebase(html, "") == html
    assert content('<main id="content">\nX\n</main>') == "X"


@pytest.mark.verifies("SRS-205")
def test_matrix_pages_stay_within_their_budget() -> None:
    from medtrace.site.pages.matrix import BUDGET, ROWS, pages_of
    from medtrace.tracing.matrix import View

    long = ((("x" * 5000, None),), None)
    view = View("v", "V", ("a",), [(f"K-{i}", (long,)) for i in range(1000)])
    pages = pages_of(view)
    assert [k for page in pages for k, _ in page] == [f"K-{i}" for i in range(1000)]
    assert all(len(page) <= ROWS for page in pages)
    assert all(sum(len(r[1][0][0][0][0]) for r in page) <= BUDGET for page in pages)
    short = View("s", "S", ("a",), [(f"K-{i}", ("x",)) for i in range(1200)])
    assert [len(p) for p in pages_of(short)] == [500, 500, 200]
    assert pages_of(View("e", "E", ("a",), [])) == [[]]


@pytest.mark.verifies("SRS-203", "SRS-251")
def test_an_items_approval_shows_who_approved_which_content_and_when(tmp_path: Path) -> None:
    from helpers import run_subprocess

    root = write_project(tmp_path / "p", {"docs/items.yaml": ITEMS}, config=CONFIG)
    assert run_subprocess("review", "--all", cwd=root).code == 0
    assert (
        run_subprocess("approve", "SRS-1", "--by", "Q. Reviewer <q@example.org>", cwd=root).code
        == 0
    )
    site = tmp_path / "site"
    build_site(root, site, now=datetime(2026, 1, 2, tzinfo=UTC))
    page = text(site, "items/SRS-1.html")
    approval = re.search(r'<p class="approval">(.*?)</p>', page, re.S)
    assert approval is not None
    said = " ".join(re.sub(r"<[^>]+>", "", approval.group(1)).split())
    assert said.startswith("approved last approved by Q. Reviewer &lt;q@example.org&gt; on 20")
    assert "never approved" in text(site, "items/SRS-2.html")
