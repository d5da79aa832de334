"""Pausing the collector, and ending a pause without walking what it made (``promote``)."""

from __future__ import annotations

import gc
import weakref

import pytest

from medtrace.gcpause import gc_paused, promote_young

pytestmark = pytest.mark.verifies("SRS-338")


@pytest.fixture(autouse=True)
def _nothing_frozen() -> None:
    """Objects an earlier test froze (a command run in this process) are thawed: only a
    collection's cost depends on it."""
    gc.unfreeze()


class _Node:
    """An object the collector tracks, that can be part of a cycle."""

    def __init__(self) -> None:
        self.other: object = None


def _in_generation(obj: object, generation: int) -> bool:
    return any(o is obj for o in gc.get_objects(generation=generation))


def _cycle() -> weakref.ref[_Node]:
    first, second = _Node(), _Node()
    first.other, second.other = second, first
    return weakref.ref(first)


def test_promote_moves_what_the_block_made_to_the_oldest_generation() -> None:
    with gc_paused(promote=True):
        kept = [_Node() for _ in range(1000)]
    assert gc.isenabled()
    assert gc.get_count()[0] < 100  # the young count restarted: no collection is due
    assert _in_generation(kept[0], 2)
    assert not _in_generation(kept[0], 0)


def test_a_plain_pause_leaves_what_it_made_to_the_young_collection() -> None:
    gc.collect()  # (the counts zeroed: the collection after the block is a young one)
    with gc_paused():
        kept = [_Node() for _ in range(1000)]
    assert not _in_generation(kept[0], 2)


def test_a_cycle_made_in_a_promoting_pause_is_collected_by_a_full_collection() -> None:
    with gc_paused(promote=True):
        cycle = _cycle()
    gc.collect(0)
    gc.collect(1)
    assert cycle() is not None  # in the oldest generation: the young ones do not see it
    gc.collect()
    assert cycle() is None


def test_nothing_is_kept_alive_by_promoting() -> None:
    with gc_paused(promote=True):
        made = _Node()
        seen = weakref.ref(made)
        del made
    assert seen() is None


def test_frozen_objects_are_never_thawed() -> None:
    gc.freeze()
    try:
        frozen = gc.get_freeze_count()
        assert frozen > 0
        assert promote_young() is False
        with gc_paused(promote=True):
            _Node()
        assert gc.get_freeze_count() == frozen
    finally:
        gc.unfreeze()


def test_promote_without_frozen_objects_leaves_none_frozen() -> None:
    assert gc.get_freeze_count() == 0
    assert promote_young() is True
    assert gc.get_freeze_count() == 0


def test_a_nested_pause_does_not_end_the_outer_one() -> None:
    with gc_paused():
        with gc_paused(promote=True):
            pass
        assert not gc.isenabled()
    assert gc.isenabled()


def test_the_collector_is_back_when_the_block_fails() -> None:
    with pytest.raises(KeyError), gc_paused(promote=True):
        raise KeyError("x")
    assert gc.isenabled()
