"""The IEC 62304 clause table: which clauses apply to which class."""

from __future__ import annotations

import pytest

from medtrace.site.clauses import CLAUSES, applicable
from medtrace.site.pages.clauses import PROBES

pytestmark = pytest.mark.verifies("SRS-208")


def numbers(safety_class: str) -> list[str]:
    return [c.number for c in applicable(safety_class)]


def test_class_a_needs_no_architecture_nor_risk_analysis() -> None:
    a = numbers("A")
    assert {"5.1", "5.2", "5.5", "5.7", "5.8", "6", "8.1.2", "9"} <= set(a)
    assert not {"5.3", "5.4", "5.6", "7.1", "7.2", "7.3"} & set(a)


def test_class_b_adds_architecture_integration_and_risk() -> None:
    b = numbers("B")
    assert {"5.3", "5.4", "5.6", "7.1", "7.2", "7.3", "5.2.3"} <= set(b)
    assert "5.3.5" not in b


def test_class_c_has_every_clause() -> None:
    assert numbers("C") == [c.number for c in CLAUSES]


def test_every_clause_has_a_probe_and_a_page() -> None:
    for clause in CLAUSES:
        assert clause.probe in PROBES
        assert clause.page.split("#")[0].endswith(".html")
        assert set(clause.classes) <= set("ABC")


def _with_controls(*verified: bool) -> object:
    from types import SimpleNamespace

    controls = [SimpleNamespace(implemented=v) for v in verified]
    risks = [SimpleNamespace(controls=controls)]
    return SimpleNamespace(risks=SimpleNamespace(analysis=SimpleNamespace(risks=risks)))


@pytest.mark.parametrize(
    ("verified", "state"),
    [((True, True), "present"), ((True, False), "incomplete"), ((False, False), "missing")],
)
def test_risk_control_verification_can_be_incomplete(
    verified: tuple[bool, ...], state: str
) -> None:
    from medtrace.site.pages.clauses import _state

    assert _state(PROBES["verified_controls"](_with_controls(*verified))) == state  # type: ignore[arg-type]
