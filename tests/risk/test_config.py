"""``[risk]`` of the configuration: scales with definitions and classes, the matrix, the P1 × P2
table and the policy, validated with each problem located at its key (MT090)."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers import write_project

from medtrace.config import load_config
from medtrace.config.load import validate
from medtrace.errors import ConfigError

pytestmark = pytest.mark.verifies("SRS-160")

HEAD = '[project]\nclass = "C"\n\n[risk]\n'


def problems(tmp_path: Path, risk: str) -> list[tuple[int, str]]:
    write_project(tmp_path, config=HEAD + risk)
    with pytest.raises(ConfigError) as caught:
        load_config(tmp_path)
    return [(d.line, d.code + " " + d.message) for d in caught.value.diagnostics]


def test_defaults_keep_working() -> None:
    risk = validate({"project": {"class": "B"}}).risk
    assert risk.severity == ["negligible", "minor", "serious", "critical", "catastrophic"]
    assert risk.p1 == risk.p2 == risk.probability
    assert risk.policy == "afap"
    assert risk.acceptability(4, 4) == "unacceptable"
    assert [risk.class_for(s) for s in range(5)] == [None, None, "B", "C", "C"]


def test_levels_with_definitions_and_classes(tmp_path: Path) -> None:
    write_project(
        tmp_path,
        config=HEAD
        + 'policy = "alarp"\n'
        + 'severity = [{name = "minor", class = "B", definition = "Self-treated."}, '
        + '{name = "major", class = "C", definition = "Needs a doctor."}]\n'
        + 'probability = ["rare", "often"]\n'
        + 'matrix = [["acceptable", "review"], ["review", "unacceptable"]]\n',
    )
    risk = load_config(tmp_path).risk
    assert risk.severity == ["minor", "major"]
    assert risk.severity_levels[1].definition == "Needs a doctor."
    assert [risk.class_for(0), risk.class_for(1)] == ["B", "C"]
    assert risk.policy == "alarp"


def test_matrix_with_a_missing_cell_is_located(tmp_path: Path) -> None:
    found = problems(
        tmp_path,
        'severity = ["low", "high"]\nprobability = ["rare", "often"]\n'
        'matrix = [\n  ["acceptable", "review"],\n  ["review"],\n]\n',
    )
    assert found == [
        (
            7,
            "MT090 'risk.matrix' is invalid: row 2 (high) has 1 cells, not 2: one per "
            "probability level from the lowest (rare, often)",
        )
    ]


def test_matrix_of_the_wrong_shape_and_an_unknown_cell(tmp_path: Path) -> None:
    found = problems(
        tmp_path,
        'severity = ["low", "high"]\nprobability = ["rare", "often"]\n'
        'matrix = [["acceptable", "fine"]]\n',
    )
    messages = [m for _, m in found]
    assert {line for line, _ in found} == {7}
    assert any("has 1 rows, not 2: one per severity level" in m for m in messages)
    assert any("row 1 (low) has the cell 'fine', which is not acceptable" in m for m in messages)


def test_combine_naming_an_unknown_level(tmp_path: Path) -> None:
    found = problems(
        tmp_path,
        'probability = ["rare", "often"]\nseverity = ["low", "high"]\n'
        'matrix = [["acceptable", "review"], ["review", "unacceptable"]]\n'
        'combine = [["rare", "rare"], ["rare", "sometimes"]]\n',
    )
    assert found == [
        (
            8,
            "MT090 'risk.combine' is invalid: row 2 (P1 often) names 'sometimes', which is "
            "not a probability level (rare, often)",
        )
    ]


def test_a_level_written_twice(tmp_path: Path) -> None:
    found = problems(tmp_path, 'severity = ["low", "Low", "high"]\n')
    assert found == [(5, "MT090 'risk.severity' is invalid: the level 'Low' is written twice")]


def test_a_level_with_an_unknown_class(tmp_path: Path) -> None:
    found = problems(tmp_path, 'severity = ["low", {name = "high", class = "D"}]\n')
    assert len(found) == 1
    line, message = found[0]
    assert line == 5
    assert message.startswith("MT090 'risk.severity.1.class' is 'D'")


def test_default_combination_is_the_product_of_positions() -> None:
    risk = validate({"project": {"class": "B"}}).risk
    assert risk.combined(4, 2) == 2  # P1 at the top level leaves P2
    assert risk.combined(4, 4) == 4
    assert risk.combined(0, 0) == 0
    assert risk.combined(2, 2) == 0  # 0.5 x 0.5: the lowest band


def test_combine_table_is_used() -> None:
    risk = validate(
        {
            "project": {"class": "B"},
            "risk": {
                "severity": ["low", "high"],
                "probability": ["rare", "often"],
                "p1": ["unlikely", "certain"],
                "matrix": [["acceptable", "review"], ["review", "unacceptable"]],
                "combine": [["rare", "rare"], ["rare", "often"]],
            },
        }
    ).risk
    assert risk.p1 == ["unlikely", "certain"]
    assert [risk.combined(1, 0), risk.combined(1, 1)] == [0, 1]
