"""Writing the planned tags: each file atomically, in place, with its mode kept.

A file that changed since it was read is left alone (its plan is stale), and a symbolic link is
followed so that the file it points to is updated, not replaced by a copy.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterable
from pathlib import Path

from medtrace.adopt.model import FilePlan
from medtrace.fsutil import write_atomic

__all__ = ["write_plans"]


# @implements SRS-83
def write_plans(plans: Iterable[FilePlan], root: Path) -> list[tuple[str, str]]:
    """Write each plan's new content; the files that could not be written, with the reason."""
    failed: list[tuple[str, str]] = []
    for plan in plans:
        if not plan.changes:
            continue
        problem = _write(plan, root)
        if problem:
            failed.append((plan.path, problem))
    return failed


def _write(plan: FilePlan, root: Path) -> str:
    path = Path(os.path.realpath(root / plan.path))
    try:
        if path.read_bytes() != plan.original:
            return "changed since it was read; run adopt again"
        mode = stat.S_IMODE(path.stat().st_mode)
        write_atomic(path, plan.updated, mode=mode)
    except OSError as error:
        return error.strerror or type(error).__name__
    return ""
