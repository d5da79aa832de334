"""The risk rules (MT180-MT194) on a small class C project, through ``check``: each finding
names the risk and what is missing, at the line of the field concerned."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import ITEMS, Make
from helpers import run_check

from medtrace.diagnostics import Diagnostic, Severity

pytestmark = pytest.mark.verifies("SRS-162", "SRS-163", "SRS-164", "SRS-161")

RISK_CODES = {f"MT{n}" for n in range(180, 200)}


def risk_findings(root: Path) -> list[Diagnostic]:
    return [d for d in run_check(root).diagnostics if d.code in RISK_CODES]


def line_of(root: Path, text: str) -> int:
    lines = (root / "docs/items.yaml").read_text(encoding="utf-8").splitlines()
    return next(n for n, line in enumerate(lines, 1) if text in line)


def test_fixture_is_clean(make_project: Make) -> None:
    root = make_project()
    result = run_check(root)
    # no risk finding and no error (the class C notes on provenance and test levels are the
    # verification rules' business, tested with them)
    found = [d for d in result.diagnostics if d.code in RISK_CODES or d.severity is Severity.ERROR]
    assert [(d.code, d.found) for d in found] == []


def test_uncontrolled_unacceptable_risk_fails(make_project: Make) -> None:
    """The issue's case: catastrophic × frequent before and after, no control, class C."""
    items = ITEMS.replace("controls: [RISK-1]", "controls: []").replace(
        "  severity: critical\n  p1: frequent\n  p2: probable\n  residual_probability: improbable",
        "  severity: catastrophic\n  probability: frequent\n  residual_probability: frequent\n"
        "  p1_rationale: the failure is a hardware one",
    )
    root = make_project(items)
    found = risk_findings(root)
    uncontrolled = [d for d in found if d.code == "MT181"]
    assert [(d.line, d.item, d.found) for d in uncontrolled] == [
        (
            line_of(root, "severity: catastrophic"),
            "RISK-1",
            "risk RISK-1 is unacceptable before control (catastrophic × frequent) and no "
            "requirement controls it",
        )
    ]
    residual = [d for d in found if d.code == "MT184"]
    assert len(residual) == 1
    assert residual[0].found == (
        "the residual risk of RISK-1 is unacceptable (catastrophic × frequent) and has no "
        "benefit-risk analysis"
    )
    assert run_check(root).failed()


def test_written_initial_must_agree(make_project: Make) -> None:
    root = make_project(ITEMS.replace("  p2: probable\n", "  p2: probable\n  initial: review\n"))
    [finding] = risk_findings(root)
    assert finding.code == "MT180"
    assert finding.line == line_of(root, "initial: review")
    assert "says its initial risk is review, but the matrix of [risk] makes it unacceptable" in (
        finding.found
    )


def test_written_probability_must_agree_with_p1_p2(make_project: Make) -> None:
    root = make_project(
        ITEMS.replace("  p2: probable\n", "  p2: probable\n  probability: remote\n")
    )
    [finding] = risk_findings(root)
    assert finding.code == "MT180"
    assert "gives probability remote but P1 × P2 combine to probable" in finding.found


def test_risk_without_probability(make_project: Make) -> None:
    root = make_project(ITEMS.replace("  p1: frequent\n  p2: probable\n", ""))
    codes = [d.code for d in risk_findings(root)]
    assert codes == ["MT180"]


def test_control_without_results(make_project: Make) -> None:
    """Class A: MT123 (not run) is for class B and C; MT182 says it for risk controls."""
    root = make_project(results=False, cls="A")
    found = [d for d in risk_findings(root) if d.code == "MT182"]
    assert [d.found for d in found] == [
        "risk control SRS-1 (of RISK-1) has tests but no result",
        "risk control SRS-2 (of RISK-1) has tests but no result",
    ]


def test_declared_effectiveness_needs_passing_evidence(make_project: Make) -> None:
    items = ITEMS.replace(
        "  control_type: protective\n",
        "  control_type: protective\n  effectiveness: Users stop at the warning.\n"
        "  effectiveness_evidence: [TC-1]\n",
    ) + (
        "- id: TC-1\n  title: Usability\n  type: usability\n  steps: [Show the warning]\n"
        "  expected: Users stop.\n  result: fail\n"
    )
    root = make_project(items)
    [finding] = [d for d in risk_findings(root) if d.code == "MT183"]
    assert (
        finding.found
        == "risk control SRS-2 (of RISK-1): its effectiveness evidence TC-1 has result fail"
    )
    assert finding.line == line_of(root, "effectiveness: Users")
    passing = make_project(items.replace("result: fail", "result: pass"))
    assert [d for d in risk_findings(passing) if d.code == "MT183"] == []


def test_information_for_safety_without_effectiveness_warns(make_project: Make) -> None:
    root = make_project(ITEMS.replace("control_type: protective", "control_type: information"))
    [finding] = risk_findings(root)
    assert (finding.code, finding.severity.value) == ("MT194", "warning")


@pytest.mark.parametrize(
    ("policy", "missing"),
    [("afap", "benefit_risk and reduction_rationale"), ("alarp", "reduction_rationale")],
)
def test_review_zone_residual_follows_the_policy(
    make_project: Make, policy: str, missing: str
) -> None:
    items = ITEMS.replace("residual_probability: improbable", "residual_probability: remote")
    root = make_project(items, config_extra=f'\n[risk]\npolicy = "{policy}"\n')
    [finding] = risk_findings(root)
    assert finding.code == "MT185"
    assert finding.found == (
        f"the residual risk of RISK-1 is in the review zone (critical × remote) without {missing}"
    )
    assert finding.line == line_of(root, "residual_probability: remote")
    justified = items.replace(
        "  item: calc\n  cause",
        "  benefit_risk: The therapy outweighs it.\n  reduction_rationale: Nothing more is "
        "possible.\n  item: calc\n  cause",
    )
    assert (
        risk_findings(make_project(justified, config_extra=f'\n[risk]\npolicy = "{policy}"\n'))
        == []
    )


def test_residual_worse_than_initial(make_project: Make) -> None:
    root = make_project(
        ITEMS.replace(
            "residual_probability: improbable",
            "residual_probability: improbable\n  residual_severity: catastrophic",
        )
    )
    found = [d for d in risk_findings(root) if d.code == "MT186"]
    assert [d.found for d in found] == [
        "risk RISK-1 has a residual severity (catastrophic) higher than its initial severity "
        "(critical)"
    ]


def test_item_class_below_what_the_harm_calls_for(make_project: Make) -> None:
    root = make_project(
        ITEMS.replace("title: Dose limiter, class: C", "title: Dose limiter, class: B")
    )
    [finding] = risk_findings(root)
    assert finding.code == "MT187"
    assert finding.found == (
        "risk RISK-1's harm is rated critical, which calls for class C, but the software item "
        "of its control SRS-2, limiter is class B"
    )
    assert finding.line == line_of(root, "severity: critical")


def test_soup_cause_names_the_soup(make_project: Make) -> None:
    root = make_project(ITEMS.replace("cause: defect", "cause: soup"))
    [finding] = risk_findings(root)
    assert (finding.code, finding.line) == ("MT188", line_of(root, "cause: soup"))


def test_chain_one_finding_per_broken_link(make_project: Make) -> None:
    items = ITEMS.replace("  situation: The patient receives twice the dose needed.\n", "")
    items = items.replace("  cause: defect\n", "")
    root = make_project(items)
    found = sorted(d.found for d in risk_findings(root) if d.code == "MT189")
    assert found == [
        "risk RISK-1 has no cause: the chain hazardous situation → software item → cause → "
        "control → verification → result breaks at its cause",
        "risk RISK-1 has no hazardous situation: the chain hazardous situation → software item "
        "→ cause → control → verification → result breaks at its hazardous situation",
    ]


def test_same_harm_at_two_severities(make_project: Make) -> None:
    items = ITEMS + (
        "- id: RISK-2\n  title: Stacking\n  hazard: Excess insulin\n  situation: Two doses.\n"
        "  harm: severe hypoglycaemia.\n  severity: serious\n  probability: improbable\n"
        "  item: calc\n  cause: hardware\n"
    )
    root = make_project(items)
    [finding] = risk_findings(root)
    assert finding.code == "MT190"
    assert (
        "RISK-2 rates the harm 'severe hypoglycaemia.' serious, but RISK-1 rates it critical"
        in (finding.found)
    )


def test_software_cause_without_p1_p2(make_project: Make) -> None:
    items = ITEMS.replace("  p1: frequent\n  p2: probable\n", "  probability: probable\n")
    root = make_project(items)
    [finding] = risk_findings(root)
    assert finding.code == "MT191"
    below = make_project(ITEMS.replace("p1: frequent", "p1: remote"))
    assert [d.code for d in risk_findings(below)] == ["MT191"]
    justified = ITEMS.replace("p1: frequent", "p1: remote\n  p1_rationale: A hardware watchdog.")
    assert risk_findings(make_project(justified)) == []


def test_control_in_the_same_item_as_its_cause(make_project: Make) -> None:
    """The protective control's code moves into the calculator: common mode."""
    files = {
        "src/dose.py": 'def add(meal, correction):\n    """@implements SRS-1, SRS-2"""\n'
        "    return min(meal + correction, 10)\n",
        "src/limit.py": "def cap(dose, maximum):\n    return min(dose, maximum)\n",
    }
    root = make_project(files=files)
    [finding] = risk_findings(root)
    assert finding.code == "MT192"
    assert finding.found.startswith(
        "risk control SRS-2 of RISK-1 is implemented in calc, the software item whose failure "
        "causes the risk"
    )
    assert finding.line == line_of(root, "item: calc")
    rationale = ITEMS.replace(
        "  cause: defect\n", "  cause: defect\n  common_mode_rationale: Two checks.\n"
    )
    assert risk_findings(make_project(rationale, files=files)) == []


def test_introduced_by_names_a_control(make_project: Make) -> None:
    items = ITEMS + (
        "- {id: SRS-3, title: Log, type: functional, item: calc}\n"
        "- id: RISK-2\n  title: Refused bolus\n  hazard: Too little insulin\n"
        "  situation: A meal without insulin.\n  harm: Hyperglycaemia\n  severity: minor\n"
        "  probability: improbable\n  item: limiter\n  cause: hardware\n"
        "  introduced_by: [SRS-3]\n"
    )
    root = make_project(items)
    [finding] = risk_findings(root)
    assert (finding.code, finding.found) == (
        "MT193",
        "risk RISK-2 is introduced by SRS-3, which controls no risk",
    )


def test_bad_scale_values_are_located_and_the_rest_still_checked(make_project: Make) -> None:
    items = ITEMS.replace("severity: critical", "severity: deadly") + (
        "- id: RISK-2\n  title: Other\n  hazard: Excess insulin\n  situation: Two doses.\n"
        "  harm: Coma\n  severity: catastrophic\n  probability: frequent\n"
        "  item: calc\n  cause: hardware\n"
    )
    root = make_project(items)
    result = run_check(root)
    invalid = [d for d in result.diagnostics if d.code == "MT008"]
    assert [(d.item, d.line) for d in invalid] == [("RISK-1", line_of(root, "severity: deadly"))]
    assert sorted((d.code, d.item) for d in result.diagnostics if d.code in RISK_CODES) == [
        ("MT181", "RISK-2"),
        ("MT184", "RISK-2"),
    ]


def test_rules_are_configurable(make_project: Make) -> None:
    items = ITEMS.replace("controls: [RISK-1]", "controls: []")
    root = make_project(items, config_extra='\n[rules]\nrisk-uncontrolled = "warning"\n')
    found = {d.code: d.severity.value for d in risk_findings(root)}
    assert found["MT181"] == "warning"


def test_control_without_a_type_warns(make_project: Make) -> None:
    root = make_project(ITEMS.replace("  control_type: protective\n", ""))
    [finding] = risk_findings(root)
    assert (finding.code, finding.severity.value) == ("MT195", "warning")
    assert finding.found == "risk control SRS-2 (of RISK-1) has no control_type"
