"""A fixture project for the adoption tests: requirements SRS-1..3, RISK-1, sources and tests."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from pathlib import Path

import pytest
from helpers import write_project

from medtrace.adopt import Adoption, id_forms, plan, select_kinds
from medtrace.config import load_config

ITEMS = """\
kind: software-requirement
items:
  - {id: SRS-1, title: Limit pressure, type: functional}
  - {id: SRS-2, title: Log pressure, type: functional}
  - {id: SRS-3, title: Alarm, type: alarms}
  - {id: RISK-1, kind: risk, title: Overpressure}
"""

CONFIG = """\
[project]
name = "fixture"
class = "A"

[paths]
items = ["docs"]
sources = ["src"]
tests = ["tests"]
"""

KNOWN = {
    "SRS-1": "software-requirement",
    "SRS-2": "software-requirement",
    "SRS-3": "software-requirement",
    "RISK-1": "risk",
}

Planner = Callable[..., Adoption]


@pytest.fixture
def project(tmp_path: Path) -> Callable[[Mapping[str, str | bytes]], Path]:
    """Write a fixture project with ``files`` (relative path → content) and return its root."""

    def make(files: Mapping[str, str | bytes]) -> Path:
        return write_project(tmp_path, {"docs/items.yaml": ITEMS, **files}, config=CONFIG)

    return make


def adopt_plan(root: Path, only: Sequence[str] = (), kinds: Sequence[str] = ()) -> Adoption:
    config = load_config(root)
    forms = id_forms(config, select_kinds(config, kinds, ()))
    return plan(config, KNOWN, forms, only)
