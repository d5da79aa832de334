"""The trace's data: ``code_ref`` makes the same ``CodeRef`` as its constructor."""

from __future__ import annotations

import dataclasses
import pickle

import pytest

from medtrace.tracing.model import CodeRef, code_ref

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
