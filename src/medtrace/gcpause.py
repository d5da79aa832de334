"""Pausing the cyclic garbage collector while many small objects are made.

Loading a project, reading results and building a matrix allocate hundreds of thousands of
objects and no reference cycle worth collecting; each allocation still counts towards a
collection that scans them all again, which takes a third of the time or more.

A collection also ends a pause: the first allocation after it starts a young collection over
every object the block made. A block whose objects outlive it (a scan's tags and tests) can move
them to the oldest generation instead (``promote``): no object is freed later or kept longer by
that, only a reference cycle among them waits for the next full collection.

Freeing those objects one by one costs too (0.28 s of CPU for the project and trace of 100,000
requirements). When the process is about to end anyway (the ``medtrace`` command, which leaves
through :func:`os._exit` once its output is flushed, see :func:`medtrace.cli.run`), the large
structures are kept until then (:func:`keep_until_exit`); used as a library, nothing is kept.
"""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterator

__all__ = ["exit_soon", "gc_paused", "keep_until_exit", "promote_young"]

_kept: list[object] | None = None


@contextlib.contextmanager
def gc_paused(*, promote: bool = False) -> Iterator[None]:
    """Disable the cyclic collector inside the block (nested use is fine). With ``promote``,
    the objects the block made are moved to the oldest generation as it ends (see
    :func:`promote_young`), instead of being walked by the young collection that the first
    allocation after the block would start (a warm scan of 20,000 files: about 0.09 s)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            if promote:
                promote_young()
            gc.enable()


# @implements SRS-338
def promote_young() -> bool:
    """Move every object the collector tracks to the oldest generation, and zero the young
    generation's count, without a collection: :func:`gc.freeze` then :func:`gc.unfreeze`, two
    list splices. Refused (``False``) while objects are frozen, which the unfreeze would thaw
    (:func:`keep_until_exit`, the server's forks): the young collection then runs as usual.

    Nothing is freed later than reference counting frees it, nor kept: a cycle among the
    promoted objects is collected by the next full collection instead of a young one."""
    if gc.get_freeze_count():
        return False
    gc.freeze()
    gc.unfreeze()
    return True


def exit_soon() -> None:
    """Declare that this process ends when its command does (only the command line does)."""
    global _kept
    if _kept is None:
        _kept = []


def keep_until_exit(value: object) -> None:
    """Keep ``value`` alive until the process ends, if it ends soon; else let it go now.

    What is kept is also moved out of the collector's sight (:func:`gc.freeze`): a full
    collection would otherwise walk those millions of objects again whenever the rest of the
    command (the report) allocates enough to start one, which cost more than freeing them."""
    if _kept is not None:
        _kept.append(value)
        gc.freeze()
