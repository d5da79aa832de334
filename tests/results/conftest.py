"""Fixtures: the real JUnit samples, read in place from the shared data folder."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from medtrace.results import parse_junit

from .helpers import JUNIT, Parsed


@pytest.fixture
def junit_dir() -> Path:
    if not JUNIT.is_dir():
        pytest.skip(f"the shared JUnit samples are not at {JUNIT}")
    return JUNIT


@pytest.fixture
def sample(junit_dir: Path) -> Callable[[str], Parsed]:
    """Parse one sample by file name; its source is ``junit/NAME``."""

    def parse(name: str) -> Parsed:
        return parse_junit((junit_dir / name).read_bytes(), f"junit/{name}")

    return parse
