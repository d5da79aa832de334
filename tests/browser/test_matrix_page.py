"""The HTML matrix in a real browser: item text carrying script, event-handler,
``javascript:``, SVG, markup-breaking and right-to-left payloads is shown as text, runs
nothing, logs no console error, requests nothing from the network, and renders quickly.

Each payload, if it ran, would set ``window.__pwned`` or change ``document.title``; the test
also types in the filter and sorts the columns (the page's own script) before looking again.
The 3 s render bound is the requirement: the load is given a generous wall-clock timeout (see
``LOAD_TIMEOUT_MS``), and the measured time is asserted against 3 s only as the requirement
says, with the figure in the test's output.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from helpers import run_subprocess, write_project

from browser.conftest import PageReport

pytestmark = pytest.mark.verifies("SRS-94")

PWN = "window.__pwned=1;document.title='PWNED'"
PAYLOADS = [
    f"<script>{PWN}</script>",
    f'<img src=x onerror="{PWN}">',
    f'<svg onload="{PWN}"><script>{PWN}</script></svg>',
    f'<svg><a xlink:href="javascript:{PWN}"><text>x</text></a></svg>',
    f'<a href="javascript:{PWN}">click</a>',
    f"[link](javascript:{PWN})",
    f'"><script>{PWN}</script>',
    f"' onmouseover='{PWN}' x='",
    f"</script><script>{PWN}</script><!--",
    f"</title><script>{PWN}</script>",
    f'<iframe src="javascript:{PWN}"></iframe>',
    f'<body onload="{PWN}">',
    f'<details open ontoggle="{PWN}">',
    '<meta http-equiv="refresh" content="0;url=http://127.0.0.1:9/">',
    '<link rel="stylesheet" href="http://127.0.0.1:9/x.css">',
    '<base href="http://127.0.0.1:9/">',
    "<style>@import 'http://127.0.0.1:9/y.css';</style>",
    "{{ 7*7 }} ${7*7} <%= 7*7 %>",
    "\u202egnp.exe \u202d mixed \u200f",
]


def _items(long_title: int) -> str:
    rows = [
        "- id: SYS-1\n  title: System\n",
        "- id: app\n  kind: software-item\n  title: App\n  class: B\n",
    ]
    for i, payload in enumerate(PAYLOADS, start=1):
        rows.append(
            f"- id: SRS-{i}\n  title: {json.dumps(payload)}\n  type: functional\n"
            f"  text: {json.dumps(payload)}\n  rationale: {json.dumps(payload)}\n"
            f"  parents: [SYS-1]\n  item: app\n"
        )
    rows.append(
        f"- id: SRS-{len(PAYLOADS) + 1}\n  title: {'W' * long_title}\n  type: functional\n"
        "  parents: [SYS-1]\n  item: app\n"
    )
    return "".join(rows)


def _results() -> str:
    cases = "".join(
        f'<testcase classname="tests.test_x" name="{_xml(p)}">'
        f'<properties><property name="verifies" value="SRS-{i}"/></properties>'
        f'<failure message="{_xml(p)}">{_xml(p)}</failure></testcase>'
        for i, p in enumerate(PAYLOADS, start=1)
    )
    return f'<?xml version="1.0"?>\n<testsuite name="s">{cases}</testsuite>\n'


def _xml(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace('"', "&quot;")


CONFIG = """\
[project]
name = {name}
class = "B"

[paths]
items = ["docs"]
sources = ["src/**"]
results = ["results/*.xml"]
"""


def _matrix(root: Path) -> Path:
    run = run_subprocess("matrix", "--format", "html", "-o", "matrix.html", cwd=root)
    assert run.code == 0, run.err
    return root / "matrix.html"


@pytest.fixture
def hostile_page(tmp_path: Path) -> Path:
    name = json.dumps(f"</title><script>{PWN}</script>")
    files = {
        "docs/items.yaml": _items(100_000),
        "results/r.xml": _results(),
        "src/app.py": f"# @implements SRS-1\ndef {'f' * 200}():\n    pass\n",
    }
    return _matrix(write_project(tmp_path, files, config=CONFIG.format(name=name)))


def _inert(report: PageReport) -> None:
    page = report.page
    assert page.evaluate("() => window.__pwned") is None, "a payload ran"
    assert page.title().startswith("Traceability matrix: "), "the title was changed"
    assert report.dialogs == []
    assert report.console_errors == []
    assert report.page_errors == []
    assert report.foreign_requests == []


def test_payloads_stay_text(hostile_page: Path, browser_page: Callable[[Path], PageReport]) -> None:
    report = browser_page(hostile_page)
    _inert(report)
    page = report.page
    shown = page.inner_text("main")
    for payload in PAYLOADS[:3]:
        assert payload in shown, "a payload is shown as the text it is"
    page.fill("#filter", "<script> onerror javascript:")
    page.fill("#filter", "SRS")
    for button in page.query_selector_all("th button")[:4]:
        button.click()
    page.goto(report.url + "#SRS-1")
    _inert(report)


def test_the_page_renders_within_three_seconds(
    hostile_page: Path, browser_page: Callable[[Path], PageReport], tmp_path: Path
) -> None:
    big = "".join(
        f"- id: SRS-{i}\n  title: Requirement {i}\n  type: functional\n  parents: [SYS-1]\n"
        for i in range(1, 2001)
    )
    root = write_project(
        tmp_path / "big", {"docs/a.yaml": "- id: SYS-1\n  title: S\n", "docs/b.yaml": big}
    )
    timings = {}
    for name, path in {"payloads": hostile_page, "2,000 requirements": _matrix(root)}.items():
        report = browser_page(path)
        _inert(report)
        timings[name] = report.load_seconds
    print("page load:", ", ".join(f"{k} {v:.2f} s" for k, v in timings.items()))
    assert max(timings.values()) < 3.0, timings
