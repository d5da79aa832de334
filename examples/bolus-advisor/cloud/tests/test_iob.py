"""Unit tests of insulin on board (unit iob-model)."""

from __future__ import annotations

import pytest

from bolus_cloud.iob import PastBolus, insulin_on_board, remaining_fraction


@pytest.mark.verifies("SRS-4")
@pytest.mark.parametrize(
    ("minutes_ago", "fraction"),
    [(0, 1.0), (60, 0.75), (120, 0.5), (239, 1 / 240), (240, 0.0), (600, 0.0)],
)
def test_linear_decay_over_insulin_action_time(minutes_ago, fraction):
    assert remaining_fraction(minutes_ago, insulin_action_h=4) == pytest.approx(fraction)


@pytest.mark.verifies("SRS-4", "RISK-4")
def test_future_dated_bolus_counts_in_full():
    assert remaining_fraction(-15, insulin_action_h=4) == 1.0


@pytest.mark.verifies("SRS-4")
def test_insulin_on_board_sums_recent_boluses():
    boluses = [PastBolus(units=4.0, minutes_ago=60), PastBolus(units=2.0, minutes_ago=180)]
    assert insulin_on_board(boluses, insulin_action_h=4) == pytest.approx(4 * 0.75 + 2 * 0.25)
    assert insulin_on_board([], insulin_action_h=4) == 0.0
