"""Fixtures: the real JUnit samples, read in place from the shared data folder."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from helpers import shared_data

from medtrace.results import parse_junit

from .helpers import Parsed


@pytest.fixture
def junit_dir() -> Path:
    """The shared JUnit samples; a skip without them, a failure in CI."""
    return shared_data("junit")


@pytest.fixture
def sample(junit_dir: Path) -> Callable[[str], Parsed]:
    """Parse one sample by file name; its source is ``junit/NAME``."""

    def parse(name: str) -> Parsed:
        return parse_junit((junit_dir / name).read_bytes(), f"junit/{name}")

    return parse
