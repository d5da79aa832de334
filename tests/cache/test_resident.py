"""Resident caches: a process keeps each cache's entries, and the objects made from them, between
runs; it reads the cache files again when another process wrote them, keeps every check of an
entry against its file, and without :func:`enable` behaves as before."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
from helpers import write_file

from medtrace import cache as cache_module
from medtrace.cache import SUFFIX, FileCache, resident

pytestmark = pytest.mark.verifies("SRS-295", "SRS-296", "SRS-297", "SRS-298")


@pytest.fixture
def reads(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The names of the sealed files read from disk."""
    names: list[str] = []
    real = cache_module.load_value

    def spy(directory: Path | None, name: str, salt: str) -> Any:
        names.append(name)
        return real(directory, name, salt)

    monkeypatch.setattr(cache_module, "load_value", spy)
    return names


class Maker:
    """``make`` for :meth:`FileCache.get_made`: a new object per call, and the calls counted."""

    def __init__(self) -> None:
        self.calls = 0

    def __call__(self, value: Any) -> list[Any]:
        self.calls += 1
        return [value]


def run(folder: Path, root: Path, names: list[str], make: Maker | None = None) -> list[Any]:
    """One run of a stage: each file's objects from the cache, or made from its content (its
    text upper-cased) and kept; then the cache saved."""
    make = make or Maker()
    cache = FileCache(folder, "items", "s1")
    out = []
    for name in names:
        st = (root / name).stat()
        made = cache.get_made(name, st, make, root=str(root))
        if made is None:
            data = (root / name).read_bytes()
            made = [data.decode().upper()]
            cache.put(name, st, data, data.decode().upper(), made)
        out.append(made)
    cache.save()
    return out


def test_enable_is_for_this_process_and_its_children() -> None:
    pid = os.fork()
    if pid == 0:  # a child: whatever happens, it exits with its finding
        code = 1
        try:
            before = resident.enabled()
            resident.enable()
            grandchild = os.fork()
            if grandchild == 0:
                os._exit(0 if resident.enabled() else 1)
            _, status = os.waitpid(grandchild, 0)
            code = 0 if (not before and resident.enabled() and status == 0) else 1
        finally:
            os._exit(code)
    _, status = os.waitpid(pid, 0)
    assert os.waitstatus_to_exitcode(status) == 0
    assert not resident.enabled()  # the test process itself was never made resident


@pytest.mark.usefixtures("resident_caches")
def test_entries_are_kept_between_runs_without_reading_the_files(
    tmp_path: Path, reads: list[str]
) -> None:
    write_file(tmp_path / "a.md", "alpha")
    run(tmp_path / "cache", tmp_path, ["a.md"])
    reads.clear()
    cache = FileCache(tmp_path / "cache", "items", "s1")
    assert reads == []  # neither the cache file nor its changes were read again
    assert cache.resident
    assert cache.get("a.md", (tmp_path / "a.md").stat(), root=str(tmp_path)) == "ALPHA"
    cache.save()


@pytest.mark.usefixtures("resident_caches")
def test_the_objects_made_are_given_again_while_the_entry_is_the_same(tmp_path: Path) -> None:
    write_file(tmp_path / "a.md", "alpha")
    write_file(tmp_path / "b.md", "beta")
    make = Maker()
    first = run(tmp_path / "cache", tmp_path, ["a.md", "b.md"], make)
    second = run(tmp_path / "cache", tmp_path, ["a.md", "b.md"], make)
    assert make.calls == 0  # made when parsed, then given again
    assert [id(x) for x in second] == [id(x) for x in first]
    write_file(tmp_path / "b.md", "bravo")  # a new entry: new objects, the other file's kept
    third = run(tmp_path / "cache", tmp_path, ["a.md", "b.md"], make)
    assert third[0] is first[0] and third[1] is not first[1] and third[1] == ["BRAVO"]


@pytest.mark.usefixtures("resident_caches")
def test_objects_are_made_once_from_an_entry_read_from_disk(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_file(tmp_path / "a.md", "alpha")
    monkeypatch.setattr(resident, "_enabled", False)
    run(tmp_path / "cache", tmp_path, ["a.md"])  # another, not resident, run wrote the cache
    monkeypatch.setattr(resident, "_enabled", True)
    make = Maker()
    first = run(tmp_path / "cache", tmp_path, ["a.md"], make)
    second = run(tmp_path / "cache", tmp_path, ["a.md"], make)
    assert make.calls == 1 and first == [["ALPHA"]] and second[0] is first[0]


@pytest.mark.usefixtures("resident_caches")
def test_many_files_at_once_are_answered_as_one_by_one(tmp_path: Path) -> None:
    names = [f"f{n}.md" for n in range(6)]
    for n, name in enumerate(names):
        write_file(tmp_path / name, f"file {n}", old=n != 5)  # the last one in the racy window
    first = run(tmp_path / "cache", tmp_path, names)
    write_file(tmp_path / "f2.md", "changed")
    (tmp_path / "f3.md").unlink()
    write_file(tmp_path / "f3.md", "file 3")  # the same content, another file: a new entry
    files = [(name, (tmp_path / name).stat()) for name in names]
    cache = FileCache(tmp_path / "cache", "items", "s1")
    many = cache.get_many_made(names, [st for _, st in files], Maker(), root=str(tmp_path))
    assert [m is f for m, f in zip(many, first, strict=True)] == [1, 1, 0, 0, 1, 1]
    assert many[2] is None and many[3] is None
    assert (cache.hits, cache.misses) == (4, 2)
    one = FileCache(tmp_path / "cache", "items", "s1")
    assert [one.get_made(n, st, Maker(), str(tmp_path)) for n, st in files] == many


@pytest.mark.usefixtures("resident_caches")
def test_a_file_in_the_racy_window_is_still_read_and_verified(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_file(tmp_path / "new.md", "fresh", old=False)  # modified just now: before the cache write
    write_file(tmp_path / "old.md", "stale")
    run(tmp_path / "cache", tmp_path, ["new.md", "old.md"])
    verified: list[str] = []
    real = FileCache._verified

    def spy(self: FileCache, entry: Any, path: str, *args: Any) -> bool:
        verified.append(path)
        return real(self, entry, path, *args)

    monkeypatch.setattr(FileCache, "_verified", spy)
    files = [(n, (tmp_path / n).stat()) for n in ("new.md", "old.md")]
    cache = FileCache(tmp_path / "cache", "items", "s1")
    stats = [st for _, st in files]
    assert cache.get_many_made(["new.md", "old.md"], stats, Maker(), str(tmp_path)) == [
        ["FRESH"],
        ["STALE"],
    ]
    assert verified == ["new.md"]
    (tmp_path / "new.md").write_text("FRESH")  # what a same-stat edit would do: the digest tells
    assert (
        cache._verified(cache._entries["new.md"], "new.md", files[0][1], None, str(tmp_path))
        is False
    )


@pytest.mark.usefixtures("resident_caches")
def test_another_process_writing_the_cache_makes_it_read_again(
    tmp_path: Path, reads: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    write_file(tmp_path / "a.md", "alpha")
    run(tmp_path / "cache", tmp_path, ["a.md"])
    monkeypatch.setattr(resident, "_enabled", False)  # a command-line run, meanwhile
    write_file(tmp_path / "b.md", "beta")
    run(tmp_path / "cache", tmp_path, ["a.md", "b.md"])
    monkeypatch.setattr(resident, "_enabled", True)
    reads.clear()
    cache = FileCache(tmp_path / "cache", "items", "s1")
    assert reads == ["items", "items-changes"]
    assert cache.get("b.md", (tmp_path / "b.md").stat(), root=str(tmp_path)) == "BETA"


def saved_with_changes_apart(root: Path, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """80 files run once into ``root/cache``, a cache large enough for its changes to be written
    apart from it; their names."""
    monkeypatch.setattr(cache_module, "CHANGES_MIN_ENTRIES", 4)
    names = [f"f{n}.md" for n in range(80)]
    for name in names:
        write_file(root / name, name)
    run(root / "cache", root, names)
    return names


@pytest.mark.usefixtures("resident_caches")
def test_changes_written_apart_by_another_process_are_seen(
    tmp_path: Path, reads: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    names = saved_with_changes_apart(tmp_path, monkeypatch)
    main = resident.identity(tmp_path / "cache" / f"items{SUFFIX}")
    monkeypatch.setattr(resident, "_enabled", False)
    write_file(tmp_path / "f1.md", "edited elsewhere")
    run(tmp_path / "cache", tmp_path, names)
    monkeypatch.setattr(resident, "_enabled", True)
    assert resident.identity(tmp_path / "cache" / f"items{SUFFIX}") == main  # only the changes
    reads.clear()
    cache = FileCache(tmp_path / "cache", "items", "s1")
    assert reads == ["items-changes"]  # read over the entries kept, the cache file not again
    assert cache.get("f1.md", (tmp_path / "f1.md").stat(), root=str(tmp_path)) == "EDITED ELSEWHERE"
    # (its packed value was dropped beside the objects kept: those are what it gives)
    f2 = (tmp_path / "f2.md").stat()
    assert cache.get_made("f2.md", f2, Maker(), root=str(tmp_path)) == ["F2.MD"]


@pytest.mark.usefixtures("resident_caches")
def test_changes_that_miss_this_process_changes_make_it_read_both_files(
    tmp_path: Path, reads: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    names = saved_with_changes_apart(tmp_path, monkeypatch)
    monkeypatch.setattr(resident, "_enabled", False)
    other = FileCache(tmp_path / "cache", "items", "s1")  # another process starts...
    monkeypatch.setattr(resident, "_enabled", True)
    write_file(tmp_path / "f1.md", "edited here")
    run(tmp_path / "cache", tmp_path, names)  # ...this one writes its changes (f1)...
    st = write_file(tmp_path / "f2.md", "edited there")
    for name in names:  # ...and the other writes its own, without f1's
        if name != "f2.md":
            other.get(name, (tmp_path / name).stat(), root=str(tmp_path))
    other.put("f2.md", st, b"edited there", "EDITED THERE")
    other.save()
    reads.clear()
    cache = FileCache(tmp_path / "cache", "items", "s1")
    # the changes first (they lack f1's), then both files, as a new process reads them
    assert reads == ["items-changes", "items", "items-changes"]
    assert cache.get("f2.md", st, root=str(tmp_path)) == "EDITED THERE"
    assert cache.get("f1.md", (tmp_path / "f1.md").stat(), root=str(tmp_path)) is None


@pytest.mark.usefixtures("resident_caches")
def test_a_forked_child_that_saves_is_noticed(tmp_path: Path, reads: list[str]) -> None:
    write_file(tmp_path / "a.md", "alpha")
    first = run(tmp_path / "cache", tmp_path, ["a.md"])
    pid = os.fork()
    if pid == 0:  # the child inherits the table, parses the edited file and saves, as a request
        code = 1
        try:
            write_file(tmp_path / "a.md", "altered")
            made = run(tmp_path / "cache", tmp_path, ["a.md"])
            code = 0 if made == [["ALTERED"]] else 1
        finally:
            os._exit(code)
    _, status = os.waitpid(pid, 0)
    assert os.waitstatus_to_exitcode(status) == 0
    reads.clear()
    make = Maker()
    again = run(tmp_path / "cache", tmp_path, ["a.md"], make)
    assert reads  # the files the child wrote were read
    assert again == [["ALTERED"]] and again[0] is not first[0] and make.calls == 1


@pytest.mark.usefixtures("resident_caches")
def test_a_run_that_did_not_save_leaves_nothing_kept(tmp_path: Path, reads: list[str]) -> None:
    write_file(tmp_path / "a.md", "alpha")
    run(tmp_path / "cache", tmp_path, ["a.md"])
    unsaved = FileCache(tmp_path / "cache", "items", "s1")  # a run that failed half-way
    write_file(tmp_path / "a.md", "altered")
    st = (tmp_path / "a.md").stat()
    unsaved.put("a.md", st, b"altered", "ALTERED", ["ALTERED"])
    reads.clear()
    cache = FileCache(tmp_path / "cache", "items", "s1")
    assert reads == ["items", "items-changes"]  # read from disk: the table was not handed back
    assert cache.get_made("a.md", st, Maker(), str(tmp_path)) is None  # the file changed


@pytest.mark.usefixtures("resident_caches")
def test_a_save_that_fails_leaves_the_entries_to_be_read_again(
    tmp_path: Path, reads: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    write_file(tmp_path / "a.md", "alpha")
    run(tmp_path / "cache", tmp_path, ["a.md"])
    monkeypatch.setattr(cache_module, "write_sealed", lambda *args: False)
    write_file(tmp_path / "b.md", "beta")
    run(tmp_path / "cache", tmp_path, ["a.md", "b.md"])
    reads.clear()
    cache = FileCache(tmp_path / "cache", "items", "s1")
    assert reads == ["items", "items-changes"]
    assert cache.get("b.md", (tmp_path / "b.md").stat(), root=str(tmp_path)) is None


@pytest.mark.usefixtures("resident_caches")
def test_removed_files_lose_their_objects(tmp_path: Path) -> None:
    write_file(tmp_path / "a.md", "alpha")
    write_file(tmp_path / "b.md", "beta")
    run(tmp_path / "cache", tmp_path, ["a.md", "b.md"])
    run(tmp_path / "cache", tmp_path, ["a.md"])
    table = resident._tables[(str(tmp_path / "cache" / f"items{SUFFIX}"), "s1")]
    assert set(table.made) == {"a.md"}


def test_not_resident_every_run_reads_the_files_and_makes_new_objects(
    tmp_path: Path, reads: list[str]
) -> None:
    assert not resident.enabled()
    write_file(tmp_path / "a.md", "alpha")
    run(tmp_path / "cache", tmp_path, ["a.md"])
    reads.clear()
    make = Maker()
    first = run(tmp_path / "cache", tmp_path, ["a.md"], make)
    second = run(tmp_path / "cache", tmp_path, ["a.md"], make)
    assert reads == ["items", "items-changes"] * 2
    assert make.calls == 2 and first == second and first[0] is not second[0]
    assert not FileCache(tmp_path / "cache", "items", "s1").resident
    assert resident._tables == {}


@pytest.mark.usefixtures("resident_caches")
def test_a_write_by_another_process_during_a_run_is_read_after_it(
    tmp_path: Path, reads: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    write_file(tmp_path / "a.md", "alpha")
    write_file(tmp_path / "b.md", "beta")
    run(tmp_path / "cache", tmp_path, ["a.md"])
    during = FileCache(tmp_path / "cache", "items", "s1")  # a run with nothing to write...
    assert during.get("a.md", (tmp_path / "a.md").stat(), root=str(tmp_path)) == "ALPHA"
    monkeypatch.setattr(resident, "_enabled", False)
    run(tmp_path / "cache", tmp_path, ["a.md", "b.md"])  # ...while another process writes
    monkeypatch.setattr(resident, "_enabled", True)
    during.save()
    reads.clear()
    after = FileCache(tmp_path / "cache", "items", "s1")
    assert reads == ["items", "items-changes"]
    assert after.get("b.md", (tmp_path / "b.md").stat(), root=str(tmp_path)) == "BETA"


def run_many(folder: Path, root: Path, names: list[str], make: Maker) -> list[Any]:
    """:func:`run` with every file asked at once (:meth:`FileCache.get_many_made`)."""
    return run_kept(folder, root, names, [(root / name).stat() for name in names], make)


@pytest.mark.usefixtures("resident_caches")
def test_files_asked_at_once_again_see_each_change_in_between(tmp_path: Path) -> None:
    names = [f"f{n}.md" for n in range(8)]
    for name in names:
        write_file(tmp_path / name, name)
    make = Maker()
    first = run_many(tmp_path / "cache", tmp_path, names, make)
    assert run_many(tmp_path / "cache", tmp_path, names, make) == first
    write_file(tmp_path / "f2.md", "two")
    second = run_many(tmp_path / "cache", tmp_path, names, make)  # f2 parsed and kept
    third = run_many(tmp_path / "cache", tmp_path, names, make)  # f2's new objects given
    assert second[2] == ["TWO"] and third[2] is second[2]
    assert [x is y for x, y in zip(third, first, strict=True)] == [n != 2 for n in range(8)]
    write_file(tmp_path / "f5.md", "five")
    del names[3]  # other files: each looked up
    fourth = run_many(tmp_path / "cache", tmp_path, names, make)
    assert fourth == [[name.upper()] for name in names[:2]] + [["TWO"]] + [
        ["F4.MD"],
        ["FIVE"],
        ["F6.MD"],
        ["F7.MD"],
    ]
    assert make.calls == 0  # every object was made when its file was parsed
    table = resident._tables[(str(tmp_path / "cache" / f"items{SUFFIX}"), "s1")]
    assert "f3.md" not in table.made and table.state is not None
    assert "f3.md" not in table.state[0]  # the entry of a file not asked for is dropped
    assert set(table.state[0]) == set(names)


@pytest.mark.usefixtures("resident_caches")
def test_objects_given_at_once_are_those_of_the_entry_even_of_the_same_stat(
    tmp_path: Path,
) -> None:
    names = [f"f{n}.md" for n in range(4)]
    for name in names:
        write_file(tmp_path / name, name)
    make = Maker()
    run_many(tmp_path / "cache", tmp_path, names, make)
    run_many(tmp_path / "cache", tmp_path, names, make)
    cache = FileCache(tmp_path / "cache", "items", "s1")  # a new entry for the same stat, as
    st = (tmp_path / "f1.md").stat()  # after a content check of a file in the racy window
    cache.get("f1.md", st, root=str(tmp_path))
    for name in names:
        cache.get(name, (tmp_path / name).stat(), root=str(tmp_path))
    cache.put("f1.md", st, b"other", "OTHER", ["OTHER"])
    cache.save()
    assert run_many(tmp_path / "cache", tmp_path, names, make)[1] == ["OTHER"]


def run_kept(
    folder: Path,
    root: Path,
    names: list[str],
    stats: list[os.stat_result],
    make: Maker | None = None,
) -> list[Any]:
    """:func:`run_many` with the stat objects given, as a resident walk keeps them."""
    cache = FileCache(folder, "items", "s1")
    out = cache.get_many_made(names, stats, make or Maker(), root=str(root))
    for index, made in enumerate(out):
        if made is None:
            data = (root / names[index]).read_bytes()
            out[index] = [data.decode().upper()]
            cache.put(names[index], stats[index], data, data.decode().upper(), out[index])
    cache.save()
    return out


@pytest.mark.verifies("SRS-328")
@pytest.mark.usefixtures("resident_caches")
def test_the_same_stat_objects_again_are_compared_not_checked_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    names = [f"f{n}.md" for n in range(16)]
    stats = [write_file(tmp_path / name, name, old=name != "f9.md") for name in names]
    run_kept(tmp_path / "cache", tmp_path, names, stats)  # every file parsed
    first = run_kept(tmp_path / "cache", tmp_path, names, stats)  # every file's key compared
    verified: list[str] = []
    real_verified = FileCache._verified

    def spy(self: FileCache, entry: Any, path: str, *args: Any) -> bool:
        verified.append(path)
        return real_verified(self, entry, path, *args)

    def refuse(*_: Any) -> None:
        raise AssertionError("every file's stat key compared again")

    monkeypatch.setattr(FileCache, "_verified", spy)
    monkeypatch.setattr(FileCache, "_unchanged", refuse)
    again = run_kept(tmp_path / "cache", tmp_path, names, list(stats))
    assert all(x is y for x, y in zip(again, first, strict=True))
    assert verified == ["f9.md"]  # in the racy window: its content is read every time
    stats[2] = write_file(tmp_path / "f2.md", "two")
    third = run_kept(tmp_path / "cache", tmp_path, names, list(stats))
    assert third[2] == ["TWO"]
    assert [x is y for x, y in zip(third, first, strict=True)] == [n != 2 for n in range(16)]
    assert verified == ["f9.md", "f9.md"]


@pytest.mark.verifies("SRS-328")
@pytest.mark.usefixtures("resident_caches")
def test_many_changed_stat_objects_are_all_compared_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    names = [f"f{n}.md" for n in range(8)]
    stats = [write_file(tmp_path / name, name) for name in names]
    first = run_kept(tmp_path / "cache", tmp_path, names, stats)
    compared: list[int] = []
    real = FileCache._unchanged

    def spy(self: FileCache, records: list[Any], *args: Any) -> Any:
        compared.append(len(records))
        return real(self, records, *args)

    monkeypatch.setattr(FileCache, "_unchanged", spy)
    fresh = [(tmp_path / name).stat() for name in names]  # equal keys, other objects
    assert run_kept(tmp_path / "cache", tmp_path, names, fresh) == first
    assert compared == [8]
    edited = [write_file(tmp_path / name, name.upper() + "!") for name in names]
    assert run_kept(tmp_path / "cache", tmp_path, names, edited) == [
        [name.upper() + "!"] for name in names
    ]
