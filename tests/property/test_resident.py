"""Property: in a process whose caches are resident, ``check`` after any edits equals a cold one,
and reads again only the files that changed.

The project of :mod:`test_incremental` grows code in a file per requirement (so that code files
are added and removed too). After each random edit (items, code, tests and results files added,
edited or removed), ``check`` runs in this process with resident caches (kept from the previous
checks, see :mod:`medtrace.cache.resident`) and must give exactly what a cold ``check`` gives
(no cache, not resident, see ``test_incremental.cold_check``); and the item, code and results
files it parsed must be exactly those written since the previous check. Half the edits set the
written files' modification times back to one moment well in the past (the same after each edit,
so that an edit may keep a file's size and modification time), so that the caches trust their
stat identities instead of reading them again.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Any

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from medtrace.cache import resident
from medtrace.loading import load as loading
from medtrace.pipeline import check
from medtrace.results import junit
from medtrace.scanning import scanner

from .test_incremental import (
    PAST_NS,
    Edit,
    Requirement,
    State,
    _files,
    apply,
    cold_check,
    edits,
    observed,
)

pytestmark = pytest.mark.verifies("SRS-295", "SRS-296", "SRS-297", "SRS-298", "SRS-299")


class Files(State):
    """The project of ``test_incremental`` with each requirement's code in its own file."""

    def files(self) -> dict[str, str]:
        out = super().files()
        del out["src/mod.py"]
        out["src/base.py"] = "VALUE = 1\n"
        for n, r in self.requirements.items():
            if r.implemented:
                out[f"src/req_{n}.py"] = f"# @implements SRS-{n}\ndef f{n}():\n    return {n}\n"
        return out


def write(root: Path, state: State, backdate: bool) -> set[str]:
    """Write the files whose content changed and delete those gone; the files written. With
    ``backdate``, the written files get the one fixed past modification time."""
    wanted = state.files()
    written: set[str] = set()
    for rel, text in wanted.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if not path.exists() or path.read_text(encoding="utf-8") != text:
            path.write_text(text, encoding="utf-8")
            written.add(rel)
            if backdate:
                os.utime(path, ns=(PAST_NS, PAST_NS))
    for path in _files(root):
        if path.relative_to(root).as_posix() not in wanted:
            path.unlink()
    return written


#: Edits of files that exist (and have objects kept) with their times set back, one of each kind.
BACKDATED = [
    (Edit(kind, target, value), True)
    for kind, target, value in [
        ("same-size", 1, 0),
        ("text", 2, 0),
        ("code", 1, 0),
        ("code", 1, 0),
        ("test", 2, 0),
        ("outcome", 1, 1),
        ("junit", 1, 0),
        ("parent", 2, 2),
    ]
]


@settings(max_examples=12, deadline=None)
@given(st.lists(st.tuples(edits, st.booleans()), min_size=1, max_size=6))
@example(BACKDATED)
def test_a_resident_check_equals_a_cold_one_and_reads_only_what_changed(
    steps: list[tuple[Edit, bool]],
) -> None:
    with pytest.MonkeyPatch.context() as patch:
        _run(steps, patch)


def _run(steps: list[tuple[Edit, bool]], patch: pytest.MonkeyPatch) -> None:
    parsed = _spies(patch)
    patch.setattr(resident, "_tables", {})
    state = Files({1: Requirement("Stop delivery"), 2: Requirement("Raise the alarm", "SYS-2")})
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        write(root, state, backdate=True)
        patch.setattr(resident, "_enabled", True)
        check(root, jobs=1)  # fills the caches and this process's tables
        for edit, backdate in steps:
            apply(state, edit)
            written = write(root, state, backdate)
            parsed.clear()
            result = check(root, jobs=1)
            assert parsed == written, edit
            patch.setattr(resident, "_enabled", False)
            assert observed(result) == observed(cold_check(root)), edit
            patch.setattr(resident, "_enabled", True)


def _spies(patch: pytest.MonkeyPatch) -> set[str]:
    """The item, code and results files parsed (in this process: checks run with one job)."""
    seen: set[str] = set()

    def spy(module: Any, name: str) -> None:
        real = getattr(module, name)

        def wrapper(data: bytes, rel: str, *args: Any) -> Any:
            seen.add(rel)
            return real(data, rel, *args)

        patch.setattr(module, name, wrapper)

    spy(loading, "_parse")
    spy(scanner, "analyze")
    spy(junit, "parse_junit")
    return seen
