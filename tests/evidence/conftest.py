"""Paths of the evidence tests: the samples, the example they were made from, the fixture
project with findings."""

from __future__ import annotations

from pathlib import Path

import pytest

HERE = Path(__file__).parent
SAMPLES = HERE / "samples"
EXAMPLE = HERE.parents[1] / "examples" / "bolus-advisor"
FIXTURE = HERE.parent / "corpus" / "projects" / "class-c-evidence"


@pytest.fixture
def samples() -> Path:
    return SAMPLES
