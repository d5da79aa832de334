"""TestResult, its fast constructor, ResultSet and the garbage-collector pause."""

from __future__ import annotations

import dataclasses
import gc
import pickle

import pytest

from medtrace.gcpause import gc_paused
from medtrace.results import Outcome, ResultSet, TestResult
from medtrace.results.model import make_result

VALUES = (
    "suite",
    "pkg.Class",
    "test_x[1]",
    "tests/test_x.py",
    12,
    Outcome.FAILED,
    "boom",
    0.5,
    (("verifies", "SRS-1"),),
    "build/r.xml",
    7,
    "2025-01-01T00:00:00",
    False,
)

pytestmark = pytest.mark.verifies("SRS-20")


def test_make_result_equals_the_constructor() -> None:
    fast, slow = make_result(VALUES), TestResult(*VALUES)
    assert type(fast) is TestResult
    assert fast == slow and hash(fast) == hash(slow) and repr(fast) == repr(slow)
    assert fast.values() == VALUES
    assert dataclasses.astuple(fast) == VALUES


def test_results_are_frozen() -> None:
    with pytest.raises(dataclasses.FrozenInstanceError):
        make_result(VALUES).name = "other"  # type: ignore[misc]
    assert not hasattr(make_result(VALUES), "__dict__")


def test_results_pickle_to_equal_results() -> None:
    result = make_result(VALUES)
    again = pickle.loads(pickle.dumps(result, protocol=pickle.HIGHEST_PROTOCOL))
    assert again == result and type(again) is TestResult


def test_outcomes() -> None:
    assert [o.value for o in Outcome] == ["passed", "failed", "error", "skipped"]
    assert Outcome.ERROR.rank > Outcome.FAILED.rank > Outcome.SKIPPED.rank > Outcome.PASSED.rank


def test_property_values() -> None:
    result = make_result((*VALUES[:8], (("a", "1"), ("b", "2"), ("a", "3")), *VALUES[9:]))
    assert result.property_values("a") == ["1", "3"]
    assert result.property_values("c") == []


def test_result_set_counts() -> None:
    passed = make_result((*VALUES[:5], Outcome.PASSED, *VALUES[6:]))
    found = ResultSet(results=[passed, make_result(VALUES), passed])
    assert found.counts() == {
        Outcome.PASSED: 2,
        Outcome.FAILED: 1,
        Outcome.ERROR: 0,
        Outcome.SKIPPED: 0,
    }


def test_gc_paused_restores_the_collector() -> None:
    assert gc.isenabled()
    with gc_paused():
        assert not gc.isenabled()
        with gc_paused():
            assert not gc.isenabled()
        assert not gc.isenabled()
    assert gc.isenabled()
    with pytest.raises(RuntimeError), gc_paused():
        raise RuntimeError
    assert gc.isenabled()


def test_gc_paused_leaves_a_disabled_collector_disabled() -> None:
    gc.disable()
    try:
        with gc_paused():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()
