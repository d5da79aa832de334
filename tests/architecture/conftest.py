"""Fixtures of the architecture tests: the example's and the contact-tracing model."""

from __future__ import annotations

from pathlib import Path

import pytest
from browser.conftest import browser, browser_page  # noqa: F401  (headless Chromium, offline)
from helpers import load

from medtrace.architecture import Architecture, build_architecture

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "bolus-advisor"
CONTACT_TRACING = Path(__file__).resolve().parent / "contact-tracing"


@pytest.fixture(scope="session")
def example() -> Architecture:
    return build_architecture(load(EXAMPLE).model)


@pytest.fixture(scope="session")
def contact_tracing() -> Architecture:
    return build_architecture(load(CONTACT_TRACING).model)
