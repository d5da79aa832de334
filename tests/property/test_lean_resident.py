"""Property: the resident check equals a cold one when every cache drops the packed values of
the entries whose objects it keeps (:meth:`medtrace.cache.FileCache._strip`) and takes them
back from disk whenever it writes its whole file; it parses only the files written; and the
cache files it leaves hold every value (a check that is not resident parses nothing).

The edits and the comparison are those of :mod:`property.test_resident`; here the caches of this
small project count as large (``CHANGES_MIN_ENTRIES`` of 1), so that they are stripped, keep
their changes apart and are written whole again as a project of 100,000 files would be.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from medtrace import cache as cache_module
from medtrace import pipeline
from medtrace.cache import resident

from .test_incremental import Edit, edits
from .test_resident import BACKDATED, _run

pytestmark = pytest.mark.verifies("SRS-361", "SRS-297")


@settings(max_examples=10, deadline=None)
@given(st.lists(st.tuples(edits, st.booleans()), min_size=1, max_size=6))
@example(BACKDATED)
def test_a_lean_resident_check_equals_a_cold_one_and_leaves_whole_caches(
    steps: list[tuple[Edit, bool]],
) -> None:
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(cache_module, "CHANGES_MIN_ENTRIES", 1)
        _with_disk_check(patch)
        _run(steps, patch)


def _with_disk_check(patch: pytest.MonkeyPatch) -> None:
    """After each resident check, a check that is not resident, without the result cache,
    must find every item, code and results file in the per-file caches on disk."""
    from medtrace.loading import load as loading
    from medtrace.results import junit
    from medtrace.scanning import scanner

    real = pipeline.check

    def checked(root: Path, **options: Any) -> Any:
        result = real(root, **options)
        if resident.enabled():
            for name in ("check.mtc",):
                (root / ".medtrace" / "cache" / name).unlink(missing_ok=True)
            parsed: list[str] = []
            with pytest.MonkeyPatch.context() as spy:
                spy.setattr(resident, "_enabled", False)
                spy.setattr(resident, "_tables", {})
                for module, name in (
                    (loading, "_parse"),
                    (scanner, "analyze"),
                    (junit, "parse_junit"),
                ):
                    spy.setattr(module, name, _noting(getattr(module, name), parsed))
                real(root, jobs=1)
            assert parsed == [], "files missing from the per-file caches on disk"
        return result

    import property.test_resident as module

    patch.setattr(module, "check", checked)


def _noting(real: Any, parsed: list[str]) -> Any:
    def wrapper(data: bytes, rel: str, *args: Any) -> Any:
        parsed.append(rel)
        return real(data, rel, *args)

    return wrapper
