"""A headless Chromium for tests of medtrace's HTML pages: ``browser_page(path)`` loads a file
and reports what the page did (scripts, console errors, network requests, load time).

Chromium comes from the system (Debian's ``chromium`` package; ``MEDTRACE_CHROMIUM`` names
another binary), driven by the ``playwright`` package; Playwright's own browser download is not
used. Without a browser the tests skip with the reason, except in CI (``CI=true``), where a
missing browser is a failure: the pages' safety must be checked there.
"""

from __future__ import annotations

import os
import shutil
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

#: Arguments for a quiet, offline, sandbox-free (containers) headless Chromium.
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
#: The generous wall-clock bound of a page load (the requirement itself is 3 s; the measured
#: time is in ``PageReport.load_seconds``).
LOAD_TIMEOUT_MS = 30_000


def chromium_path() -> str | None:
    wanted = os.environ.get("MEDTRACE_CHROMIUM")
    if wanted:
        return wanted if Path(wanted).is_file() else None
    for name in ("chromium", "chromium-browser", "google-chrome"):
        found = shutil.which(name)
        if found:
            return found
    return "/usr/bin/chromium" if Path("/usr/bin/chromium").is_file() else None


def _unavailable(reason: str) -> None:
    if os.environ.get("CI") == "true":
        pytest.fail(f"{reason}; CI must run the browser tests (make installs chromium in CI)")
    pytest.skip(reason)


@dataclass
class PageReport:
    """What a page did while it loaded and while the test used it."""

    page: Any
    url: str
    load_seconds: float
    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)

    @property
    def foreign_requests(self) -> list[str]:
        """Requests for anything but the page itself."""
        return [r for r in self.requests if r != self.url]


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    executable = chromium_path()
    if executable is None:
        _unavailable("no Chromium found (install Debian's chromium or set MEDTRACE_CHROMIUM)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _unavailable("the playwright package is not installed (pip install -e '.[dev]')")
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield launched
        launched.close()


@pytest.fixture
def browser_page(browser: Any) -> Iterator[Callable[[Path], PageReport]]:
    """``browser_page(path)`` opens a local file in a fresh, offline browser context."""
    contexts: list[Any] = []

    def open_page(path: Path) -> PageReport:
        context = browser.new_context(java_script_enabled=True)
        contexts.append(context)
        page = context.new_page()
        url = path.resolve().as_uri()
        report = PageReport(page, url, 0.0)
        page.on("request", lambda request: report.requests.append(request.url))
        page.on("console", lambda m: m.type == "error" and report.console_errors.append(m.text))
        page.on("pageerror", lambda error: report.page_errors.append(str(error)))
        page.on("dialog", lambda dialog: (report.dialogs.append(dialog.message), dialog.dismiss()))
        # Nothing leaves the machine: every request but for a local file (the page and the
        # scripts and styles it loads from beside it) is refused (and noted).
        context.route(
            "**/*",
            lambda route: (
                route.continue_() if route.request.url.startswith("file://") else route.abort()
            ),
        )
        started = time.perf_counter()
        page.goto(url, wait_until="load", timeout=LOAD_TIMEOUT_MS)
        report.load_seconds = time.perf_counter() - started
        return report

    yield open_page
    for context in contexts:
        context.close()
