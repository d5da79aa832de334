"""Estimates (medtrace.risk.estimate) and the analysis of a project's risks, without files."""

from __future__ import annotations

import pytest
from helpers import DEFAULT_CONFIG

from medtrace.model import Item, Model
from medtrace.risk import Verification, analyse, chain_of, estimate, level_of

pytestmark = pytest.mark.verifies("SRS-161", "SRS-163")

SPEC = DEFAULT_CONFIG.risk


def risk(**fields: object) -> Item:
    return Item("RISK-1", "risk", title="Overdose", fields=dict(fields))


@pytest.mark.parametrize(
    ("value", "level"),
    [
        ("critical", 3),
        ("Critical", 3),
        (" critical ", 3),
        (4, 3),
        ("4", 3),
        (0, None),
        (6, None),
        ("deadly", None),
        (True, None),
        (None, None),
        (2.0, None),
    ],
)
def test_level_of(value: object, level: int | None) -> None:
    assert level_of(value, SPEC.severity) == level


def test_single_probability() -> None:
    found = estimate(risk(severity="critical", probability="remote"), SPEC)
    assert (found.severity, found.probability, found.split) == (3, 1, False)
    assert found.acceptability == "review"


def test_p1_p2_combined() -> None:
    found = estimate(risk(severity="critical", p1="frequent", p2="remote"), SPEC)
    assert (found.p1, found.p2, found.probability, found.split) == (4, 1, 1, True)
    assert found.acceptability == "review"


def test_missing_probability_is_not_estimated() -> None:
    found = estimate(risk(severity="critical", p1="frequent"), SPEC)
    assert found.probability is None and found.acceptability is None and not found.complete


def test_residual_severity_defaults_to_the_initial() -> None:
    model = Model()
    model.add(risk(severity="critical", probability="frequent", residual_probability="improbable"))
    analysis = analyse(DEFAULT_CONFIG, model, {})
    [info] = analysis.risks
    assert (info.residual.severity, info.residual.acceptability) == (3, "acceptable")


def test_controls_carry_their_verification() -> None:
    from medtrace.linking import link_items

    items = [
        risk(severity="critical", probability="frequent", situation="x", item="calc"),
        Item("SRS-1", "software-requirement", title="Cap", fields={"controls": ["RISK-1"]}),
        Item("SRS-2", "software-requirement", title="Alarm", fields={"controls": ["RISK-1"]}),
    ]
    model = link_items(items, DEFAULT_CONFIG)
    verification = {"SRS-1": Verification("verified", frozenset({"limiter"}))}
    [info] = analyse(DEFAULT_CONFIG, model, verification).risks
    assert [(c.id, c.status, c.code_items) for c in info.controls] == [
        ("SRS-1", "verified", frozenset({"limiter"})),
        ("SRS-2", "untested", frozenset()),
    ]
    links = {link.name: (link.ok, link.missing) for link in chain_of(info)}
    assert links["cause"] == (False, "no cause")
    assert links["verification"] == (False, "no test of SRS-2")
    assert links["result"][0] is True
