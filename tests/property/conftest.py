"""Hypothesis profiles for the property tests of every parser and of the whole pipeline.

``ci`` (the default): few examples, no deadline, for every ``make test``. ``long``: many
examples per run, for the on-demand fuzzing (``make fuzz``, which repeats each parser's test
with new seeds for a time budget; see ``bench/fuzz.py``). Choose with ``HYPOTHESIS_PROFILE``.
Failing examples are kept in ``.pytest_cache/hypothesis`` and replayed first.
"""

from __future__ import annotations

import os
from pathlib import Path

from hypothesis import HealthCheck, settings
from hypothesis.database import DirectoryBasedExampleDatabase

_DATABASE = DirectoryBasedExampleDatabase(
    str(Path(__file__).resolve().parents[2] / ".pytest_cache" / "hypothesis")
)
_SLOW = [HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much]

settings.register_profile(
    "ci", max_examples=40, deadline=None, database=_DATABASE, suppress_health_check=_SLOW
)
settings.register_profile(
    "long",
    max_examples=1_000,
    deadline=None,
    database=_DATABASE,
    suppress_health_check=_SLOW,
    print_blob=True,
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))
