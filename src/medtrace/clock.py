"""Today's date, one for every check that reads it, injectable: ``MEDTRACE_TODAY=YYYY-MM-DD``
fixes it (tests, reproducible runs). The SOUP rules (end of support), the manual test records
(executed in the future) and the result caches' keys all read it here, so that a fixed date
holds for all of them and a cached result is never kept across a change of the date they read."""

from __future__ import annotations

import os
from datetime import date

__all__ = ["today"]


def today() -> date:
    fixed = os.environ.get("MEDTRACE_TODAY", "")
    if fixed:
        try:
            return date.fromisoformat(fixed)
        except ValueError:
            pass
    return date.today()
