"""Today's date, injectable: ``MEDTRACE_TODAY=YYYY-MM-DD`` fixes it (tests, reproducible runs)."""

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
