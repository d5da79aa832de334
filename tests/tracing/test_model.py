"""The trace's data: ``code_ref``, ``test_ref`` and ``item_traces`` make what the constructors
make."""

from __future__ import annotations

import dataclasses
import pickle

import pytest

from medtrace.model import Item
from medtrace.tracing.model import (
    CodeRef,
    ItemTrace,
    Status,
    TestRef,
    code_ref,
    item_traces,
    test_ref,
)

pytestmark = pytest.mark.verifies("SRS-22")

FIELDS = ("src/dose.py", 12, "Pump.stop", 10, "python")


def test_code_ref_equals_the_constructor() -> None:
    fast, slow = code_ref(*FIELDS), CodeRef(*FIELDS)
    assert type(fast) is CodeRef
    assert fast == slow and hash(fast) == hash(slow) and repr(fast) == repr(slow)
    assert dataclasses.astuple(fast) == FIELDS
    assert fast.label == "src/dose.py:10 Pump.stop"
    assert pickle.loads(pickle.dumps(fast)) == slow


def test_code_ref_is_frozen_and_has_no_dict() -> None:
    fast = code_ref("src/a.c", 3, None, None, "c")
    with pytest.raises(dataclasses.FrozenInstanceError):
        fast.line = 4  # type: ignore[misc]
    assert not hasattr(fast, "__dict__")
    assert fast.label == "src/a.c:3"


def test_test_ref_equals_the_constructor() -> None:
    fields = ("tests/test_dose.py::test_add", "test_add", "tests/test_dose.py", 3, "python")
    fast, slow = test_ref(*fields), TestRef(*fields)
    assert type(fast) is TestRef
    assert fast == slow and repr(fast) == repr(slow)
    assert fast.verifies == [] and fast.results == [] and fast.level is None
    assert fast.verifies is not test_ref(*fields).verifies  # each its own lists


def test_item_traces_equal_the_constructor_with_containers_of_their_own() -> None:
    items = [Item("SRS-1", "software-requirement"), Item("SRS-2", "software-requirement")]
    made = item_traces(items)
    assert made == {item.id: ItemTrace(item) for item in items}
    assert [type(e) for e in made.values()] == [ItemTrace, ItemTrace]
    first, second = made.values()
    for name in ("code", "tests", "manual", "missing", "manual_stale", "results_stale", "suspect"):
        assert getattr(first, name) is not getattr(second, name), name
    assert first.status is Status.UNTESTED and first.approval is None
    assert first.results_missing is False
    assert not hasattr(first, "__dict__")
