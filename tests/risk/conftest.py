"""A small class C project to hold the risk rules against: two software items (a calculator
and a separate limiter), one risk of the calculator, its controls, tagged code, tagged tests and
their results (newer than everything else)."""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from helpers import write_project

CONFIG = """\
[project]
name = "fixture"
class = "{cls}"

[paths]
items = ["docs"]
sources = ["src/**/*.py"]
tests = ["tests/**/test_*.py"]
results = ["build/results/*.xml"]
"""

ITEMS = """\
- {id: calc, kind: software-item, title: Dose calculator, class: C, paths: ["src/dose.py"]}
- {id: limiter, kind: software-item, title: Dose limiter, class: C, paths: ["src/limit.py"]}
- id: RISK-1
  title: Overdose
  hazard: Excess insulin
  sequence: A defect of the formula doubles the dose.
  situation: The patient receives twice the dose needed.
  harm: Severe hypoglycaemia
  severity: critical
  p1: frequent
  p2: probable
  residual_probability: improbable
  item: calc
  cause: defect
- id: SRS-1
  title: Add the doses
  type: functional
  item: calc
  controls: [RISK-1]
  control_type: inherent-design
- id: SRS-2
  title: Cap the dose
  type: functional
  item: limiter
  controls: [RISK-1]
  control_type: protective
"""

SOURCES = {
    "src/dose.py": 'def add(meal, correction):\n    """@implements SRS-1"""\n    return meal + correction\n',
    "src/limit.py": 'def cap(dose, maximum):\n    """@implements SRS-2"""\n    return min(dose, maximum)\n',
}

TESTS = """\
def test_adds_doses():
    \"\"\"@verifies SRS-1\"\"\"
    assert 1 + 2 == 3


def test_caps_the_dose():
    \"\"\"@verifies SRS-2\"\"\"
    assert min(12, 10) == 10
"""

RESULTS = """\
<?xml version="1.0" encoding="utf-8"?><testsuites><testsuite name="pytest" tests="2">
<testcase classname="tests.test_dose" name="test_adds_doses" time="0.001" />
<testcase classname="tests.test_dose" name="test_caps_the_dose" time="0.001" />
</testsuite></testsuites>
"""

Make = Callable[..., Path]


@pytest.fixture
def make_project(tmp_path: Path) -> Make:
    """``make_project(items=..., files=..., config_extra=..., results=True)``: the project,
    with the results written last so that they are newer than the code and tests."""

    made = iter(range(1000))

    def make(
        items: str = ITEMS,
        *,
        files: dict[str, str] | None = None,
        config_extra: str = "",
        results: bool = True,
        cls: str = "C",
    ) -> Path:
        root = tmp_path / f"project{next(made)}"
        project = {
            "docs/items.yaml": items,
            **SOURCES,
            "tests/test_dose.py": TESTS,
            **(files or {}),
        }
        write_project(root, project, config=CONFIG.format(cls=cls) + config_extra)
        then = time.time() - 1000
        for path in root.rglob("*"):
            if path.is_file():
                os.utime(path, (then, then))
        if results:
            out = root / "build/results/pytest.xml"
            out.parent.mkdir(parents=True)
            out.write_text(RESULTS, encoding="utf-8")
        return root

    return make
