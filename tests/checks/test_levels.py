"""Test levels (``@level``) and the class C rules on them (MT210, MT211), through ``check``."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers import load, run_check, write_project

from medtrace.pipeline import trace_project

pytestmark = pytest.mark.verifies("SRS-180")

CONFIG = """\
[project]
name = "fixture"
class = "C"

[paths]
items = ["docs"]
sources = ["src/**/*.py"]
tests = ["tests/**/test_*.py"]
"""

ITEMS = """\
- {id: calc, kind: software-item, title: Calculator, class: C, paths: ["src/**"],
   interfaces: "REST, see openapi.yaml"}
- {id: RISK-1, title: Overdose, hazard: Too much, harm: Hypoglycaemia, severity: critical,
   probability: remote}
- {id: SRS-1, title: Cap, type: functional, item: calc, controls: [RISK-1]}
"""

TESTS = '''\
"""@level integration"""


def test_cap():
    """@verifies SRS-1"""


class TestSystem:
    """@level system"""

    def test_end_to_end(self):
        """@verifies SRS-1"""


def test_typo():
    """@level sytem"""
'''


def project(root: Path, tests: str = TESTS) -> Path:
    files = {"docs/items.yaml": ITEMS, "src/calc.py": "", "tests/test_calc.py": tests}
    return write_project(root, files, config=CONFIG)


def test_levels_come_from_tags_on_the_file_and_the_class(tmp_path: Path) -> None:
    traced = trace_project(project(tmp_path), use_cache=False)
    levels = {t.name: t.level for t in traced.trace.tests}
    assert levels == {
        "test_cap": "integration",
        "TestSystem.test_end_to_end": "system",
        "test_typo": "integration",  # the file's tag; its own is no level
    }
    assert load(tmp_path).model.get("SRS-1") is not None


def test_a_misspelt_level_is_reported(tmp_path: Path) -> None:
    found = [d for d in run_check(project(tmp_path)).diagnostics if d.code == "MT104"]
    assert [(d.path, d.line, d.found, d.hint) for d in found] == [
        (
            "tests/test_calc.py",
            16,
            "@level names sytem, which is not a test level",
            "Did you mean system?",
        )
    ]


def test_class_c_control_without_a_system_test(tmp_path: Path) -> None:
    tests = 'def test_cap():\n    """@verifies SRS-1"""\n'
    found = {d.code: d for d in run_check(project(tmp_path, tests)).diagnostics}
    assert found["MT210"].found == (
        "risk control SRS-1 is verified at unit level only, by no system test"
    )
    assert found["MT211"].item == "calc"
    assert found["MT211"].found == (
        "software item calc has interfaces but no integration test verifies its requirements"
    )


def test_system_and_integration_tests_satisfy_both(tmp_path: Path) -> None:
    codes = {d.code for d in run_check(project(tmp_path)).diagnostics}
    assert not codes & {"MT210", "MT211"}


def test_a_path_convention_gives_the_level_and_a_tag_wins(tmp_path: Path) -> None:
    config = CONFIG + '\n[levels]\nsystem = ["tests/system/**"]\n'
    files = {
        "docs/items.yaml": ITEMS,
        "src/calc.py": "",
        "tests/system/test_e2e.py": 'def test_e2e():\n    """@verifies SRS-1"""\n',
        "tests/system/test_part.py": '"""@level integration"""\n\n\ndef test_part():\n    pass\n',
        "tests/test_unit.py": "def test_unit():\n    pass\n",
    }
    traced = trace_project(write_project(tmp_path, files, config=config), use_cache=False)
    assert {t.name: t.level for t in traced.trace.tests} == {
        "test_e2e": "system",
        "test_part": "integration",
        "test_unit": None,  # a unit test
    }
    assert "MT210" not in {d.code for d in run_check(tmp_path).diagnostics}
