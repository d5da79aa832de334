"""The test report: results per suite, every automated test with what it verifies and its
latest results (pages of :data:`ROWS` tests), and the manual test cases."""

from __future__ import annotations

from collections import Counter
from typing import Any

from medtrace.results import Outcome
from medtrace.site.data import SiteData
from medtrace.site.pages.common import Pages, render, site_page
from medtrace.tracing.model import TestRef

__all__ = ["ROWS", "context", "test_pages"]

ROWS = 500


def _ordered(data: SiteData) -> list[TestRef]:
    return sorted(data.trace.tests, key=lambda t: (t.path, t.line, t.key))


def test_pages(data: SiteData) -> dict[str, str]:
    """Test key → the page (from the site root) that lists it."""
    return {t.key: f"tests/tests-{n // ROWS + 1}.html" for n, t in enumerate(_ordered(data))}


def _suites(data: SiteData) -> list[tuple[str, dict[str, int], int]]:
    found: dict[str, Counter[str]] = {}
    for result in data.results.results:
        found.setdefault(result.suite or "(no suite)", Counter())[result.outcome.value] += 1
    names = [o.value for o in Outcome]
    return [
        (suite, {n: counts[n] for n in names}, sum(counts.values()))
        for suite, counts in sorted(found.items())
    ]


def _detail_pages(data: SiteData, tests: list[TestRef]) -> Pages:
    chunks = [tests[i : i + ROWS] for i in range(0, len(tests), ROWS)]
    out: Pages = {}
    for n, chunk in enumerate(chunks, 1):
        path = f"tests/tests-{n}.html"
        out[path] = render(
            "tests-page.html.j2",
            data,
            path,
            "tests",
            f"Tests ({n}/{len(chunks)})",
            tests=chunk,
            page=n,
            pages=len(chunks),
            known=data.model.items,
        )
    return out


# @implements SRS-207
def context(data: SiteData) -> dict[str, Any]:
    count = len(data.trace.tests)
    return {
        "suites": _suites(data),
        "outcomes": [o.value for o in Outcome],
        "count": count,
        "pages": (count + ROWS - 1) // ROWS,
        "manual": data.model.of_kind("test-case"),
        "unmatched": len(data.trace.unmatched_results),
    }


@site_page("tests")
def tests(data: SiteData) -> Pages:
    out = _detail_pages(data, _ordered(data))
    title = "Test report"
    out["tests.html"] = render("tests.html.j2", data, "tests.html", "tests", title, **context(data))
    return out
