"""Pausing the cyclic garbage collector while many small objects are made.

Loading a project, reading results and building a matrix allocate hundreds of thousands of
objects and no reference cycle worth collecting; each allocation still counts towards a
collection that scans them all again, which takes a third of the time or more.

Freeing those objects one by one costs too (0.28 s of CPU for the project and trace of 100,000
requirements). When the process is about to end anyway (the ``medtrace`` command, which leaves
through :func:`os._exit` once its output is flushed, see :func:`medtrace.cli.run`), the large
structures are kept until then (:func:`keep_until_exit`); used as a library, nothing is kept.
"""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterator

__all__ = ["exit_soon", "gc_paused", "keep_until_exit"]

_kept: list[object] | None = None


@contextlib.contextmanager
def gc_paused() -> Iterator[None]:
    """Disable the cyclic collector inside the block (nested use is fine)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


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
