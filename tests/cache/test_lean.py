"""A resident cache drops the packed values of the entries whose objects it keeps, and takes
them back from disk before it writes the whole cache file (never a stale or damaged value)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from helpers import write_file

from medtrace import cache as cache_module
from medtrace.cache import STRIPPED, FileCache, resident

from .test_resident import Maker, run

pytestmark = [pytest.mark.verifies("SRS-361"), pytest.mark.usefixtures("resident_caches")]

NAMES = ["a.md", "b.md", "c.md"]


@pytest.fixture(autouse=True)
def small(monkeypatch: pytest.MonkeyPatch) -> None:
    """Three files make a cache large enough to be stripped (and its changes kept apart)."""
    monkeypatch.setattr(cache_module, "CHANGES_MIN_ENTRIES", 2)


def _entries(folder: Path) -> dict[str, Any]:
    (table,) = resident._tables.values()
    assert table.state is not None
    return table.state[0]


def _on_disk(folder: Path, root: Path) -> list[Any]:
    """What a process that is not resident reads from the cache file for each file."""
    resident._enabled = False
    try:
        cache = FileCache(folder, "items", "s1")
        return [cache.get(n, (root / n).stat(), root=str(root)) for n in NAMES]
    finally:
        resident._enabled = True


def _project(tmp_path: Path) -> tuple[Path, Path]:
    for name in NAMES:
        write_file(tmp_path / name, name[0] * 3)
    return tmp_path / "cache", tmp_path


def test_the_entries_of_the_objects_kept_hold_no_packed_value(tmp_path: Path) -> None:
    folder, root = _project(tmp_path)
    make = Maker()
    first = run(folder, root, NAMES, make)
    assert [e[2] for e in _entries(folder).values()] == [STRIPPED] * 3
    again = run(folder, root, NAMES, make)
    assert make.calls == 0 and [id(x) for x in again] == [id(x) for x in first]
    cache = FileCache(folder, "items", "s1")
    assert cache.get("a.md", (root / "a.md").stat(), root=str(root)) is None  # a miss, no data
    assert _on_disk(folder, root) == ["AAA", "BBB", "CCC"]


def test_a_small_cache_keeps_its_packed_values(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(cache_module, "CHANGES_MIN_ENTRIES", 4)
    folder, root = _project(tmp_path)
    run(folder, root, NAMES)
    assert all(type(e[2]) is bytes and e[2] != STRIPPED for e in _entries(folder).values())


def test_the_whole_cache_written_again_takes_the_values_back_from_disk(tmp_path: Path) -> None:
    folder, root = _project(tmp_path)
    run(folder, root, NAMES)
    write_file(root / "b.md", "bravo")
    write_file(root / "c.md", "charlie")  # two of three changed: the whole file is written
    reads = run(folder, root, NAMES)
    assert reads == [["AAA"], ["BRAVO"], ["CHARLIE"]]
    assert _on_disk(folder, root) == ["AAA", "BRAVO", "CHARLIE"]
    assert [e[2] for e in _entries(folder).values()] == [STRIPPED] * 3  # stripped again


def test_a_value_the_file_on_disk_no_longer_holds_is_dropped_and_made_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder, root = _project(tmp_path)
    run(folder, root, NAMES)
    real = cache_module.load_value

    def without_a(directory: Path | None, name: str, salt: str) -> Any:
        value = real(directory, name, salt)
        if name == "items" and value is not None:
            value[1].pop("a.md")  # as if another process had written it without that entry
        return value

    monkeypatch.setattr(cache_module, "load_value", without_a)
    write_file(root / "b.md", "bravo")
    write_file(root / "c.md", "charlie")
    run(folder, root, NAMES)
    monkeypatch.setattr(cache_module, "load_value", real)
    assert "a.md" not in _entries(folder)  # dropped, with its objects
    assert _on_disk(folder, root) == [None, "BRAVO", "CHARLIE"]  # a miss, never a wrong value
    make = Maker()
    again = run(folder, root, NAMES, make)
    assert again == [["AAA"], ["BRAVO"], ["CHARLIE"]] and make.calls == 0  # a.md parsed again
    assert _on_disk(folder, root) == ["AAA", "BRAVO", "CHARLIE"]
