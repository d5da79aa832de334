"""What the risk rules read of a risk without building its whole chain."""

from __future__ import annotations

import itertools

import pytest

from medtrace.checks.risk import CHAIN_FIELDS, _first_links_hold
from medtrace.model import Item
from medtrace.risk import RiskInfo, chain_of
from medtrace.risk.estimate import Estimate

pytestmark = pytest.mark.verifies("SRS-163")


@pytest.mark.parametrize("written", list(itertools.product(["text", "  ", None, 3], repeat=3)))
def test_the_first_links_of_the_chain_are_its_fields(written: tuple[object, ...]) -> None:
    """MT189 reports the first three links of :func:`chain_of` and builds the chain only when
    one of :data:`CHAIN_FIELDS` has no text: the two must say the same of every risk."""
    fields = {
        role: value for role, value in zip(CHAIN_FIELDS, written, strict=True) if value is not None
    }
    estimate = Estimate(severity=1, probability=1, acceptability="unacceptable")
    risk = RiskInfo(Item("RISK-1", "risk", fields=fields), estimate, estimate)
    first = chain_of(risk)[:3]
    assert [link.field for link in first] == list(CHAIN_FIELDS)
    assert _first_links_hold(risk) == all(link.ok for link in first)
