"""Which profile the hostile corpus runs with, from the environment.

``MEDTRACE_HOSTILE=full``: full sizes, every command as ``python -m medtrace`` (on demand).
Otherwise the short profile: every case, smaller inputs, the fork runner.
``MEDTRACE_HOSTILE_EXEC=1`` uses ``python -m medtrace`` in the short profile too;
``MEDTRACE_HOSTILE_KEEP=1`` keeps the folders of failing cases.
"""

from __future__ import annotations

import os

from hostile.generate import Case, cases
from hostile.project import FULL, SHORT, Sizes

__all__ = ["CASES", "FULL_PROFILE", "KEEP", "MODE", "SIZES"]

FULL_PROFILE = os.environ.get("MEDTRACE_HOSTILE", "short") == "full"
SIZES: Sizes = FULL if FULL_PROFILE else SHORT
MODE = "exec" if FULL_PROFILE or os.environ.get("MEDTRACE_HOSTILE_EXEC") == "1" else "fork"
CASES: dict[str, Case] = {c.name: c for c in cases()}
KEEP = os.environ.get("MEDTRACE_HOSTILE_KEEP") == "1"
