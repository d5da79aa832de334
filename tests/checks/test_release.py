"""MT222 anomaly-unevaluated: an anomaly that is not closed needs an evaluation."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers import findings, write_project

from medtrace.diagnostics import Severity

pytestmark = pytest.mark.verifies("SRS-283")

ANOMALIES = """\
- {id: ANOM-1, title: open, severity: low, status: open}
- {id: ANOM-2, title: deferred, severity: low, status: deferred, evaluation: "  "}
- {id: ANOM-3, title: evaluated, severity: low, status: open, evaluation: No effect.}
- {id: ANOM-4, title: closed, severity: low, status: closed, fixed_in: "1.1"}
"""


def test_open_and_deferred_anomalies_without_evaluation(tmp_path: Path) -> None:
    write_project(tmp_path, {"docs/anomalies.yaml": ANOMALIES}, cls="A")
    found = findings(tmp_path, "MT222")
    assert [(d.item, d.path, d.line, d.severity) for d in found] == [
        ("ANOM-1", "docs/anomalies.yaml", 1, Severity.WARNING),
        ("ANOM-2", "docs/anomalies.yaml", 2, Severity.WARNING),
    ]
    assert found[0].found == "anomaly ANOM-1 (open) has no evaluation"
    assert found[1].hint.endswith("'medtrace release' refuses a release while one is missing.")


def test_a_renamed_anomaly_kind_is_found_by_its_fields(tmp_path: Path) -> None:
    config = """\
[project]
name = "fixture"
class = "A"

[paths]
items = ["docs"]

[kinds.problem-report]
prefix = "PR"

[kinds.problem-report.fields.status]
type = "enum"
values = ["open", "closed"]

[kinds.problem-report.fields.evaluation]
type = "text"
"""
    write_project(
        tmp_path,
        {"medtrace.toml": config, "docs/pr.yaml": "- {id: PR-1, title: crash, status: open}\n"},
    )
    assert [d.item for d in findings(tmp_path, "MT222")] == ["PR-1"]
