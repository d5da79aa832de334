"""The reviewer's shortcuts on a copy of the example are caught; the example itself is clean."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from helpers import run_check

pytestmark = pytest.mark.verifies("SRS-151", "SRS-150")

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "bolus-advisor"
RULES = {"MT165", "MT166", "MT167", "MT168", "MT169", "MT170", "MT171", "MT172", "MT173"}


@pytest.fixture
def example(tmp_path: Path) -> Path:
    target = tmp_path / "bolus-advisor"
    ignore = shutil.ignore_patterns(
        "node_modules", "build", "__pycache__", ".medtrace", "*.egg-info"
    )
    shutil.copytree(EXAMPLE, target, ignore=ignore)
    return target


def _conformance(root: Path) -> list[tuple[str, str, int, str, tuple[str, ...]]]:
    return [
        (d.code, d.path, d.line, d.item, d.related)
        for d in run_check(root).diagnostics
        if d.code in RULES
    ]


def test_the_example_as_it_is_conforms(example: Path) -> None:
    assert _conformance(example) == []


def test_class_a_audit_importing_the_class_c_calculator(example: Path) -> None:
    audit = example / "cloud/src/bolus_cloud/audit.py"
    lines = audit.read_text().splitlines(keepends=True)
    at = next(i for i, line in enumerate(lines) if line.startswith("from typing"))
    lines.insert(at + 1, "from bolus_cloud.calculator import recommend\n")
    audit.write_text("".join(lines))
    result = run_check(example)
    assert result.failed()
    assert _conformance(example) == [
        ("MT168", "cloud/src/bolus_cloud/audit.py", at + 2, "audit-log", ("bolus-calculator",))
    ]


def test_the_alarm_unit_importing_the_pump_command_unit(example: Path) -> None:
    alarms = example / "app/src/alarms.ts"
    alarms.write_text("import { encodeBolus } from './pumpCommand';\n" + alarms.read_text())
    result = run_check(example)
    assert result.failed()
    found = [d for d in result.diagnostics if d.code == "MT168"]
    assert [(d.path, d.line, d.item, d.related) for d in found] == [
        ("app/src/alarms.ts", 1, "glucose-alarms", ("pump-link",))
    ]
    assert "glucose-alarms" in found[0].found and "pump-link" in found[0].found
