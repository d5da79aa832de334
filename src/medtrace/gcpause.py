"""Pausing the cyclic garbage collector while many small objects are made.

Loading a project, reading results and building a matrix allocate hundreds of thousands of
objects and no reference cycle worth collecting; each allocation still counts towards a
collection that scans them all again, which takes a third of the time or more.
"""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterator

__all__ = ["gc_paused"]


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
