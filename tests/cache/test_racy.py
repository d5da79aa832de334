"""A whole result stored within the racy window of its inputs: kept with the content digests
of the files modified in it, as this process read them, and found only while those files hold
that content (never by their stat keys alone)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from helpers import write_file

from medtrace.cache import FileCache, ResultCache, digest, files_digest, racy

pytestmark = pytest.mark.verifies("SRS-6", "SRS-346")


@pytest.fixture(autouse=True)
def no_notes() -> Iterator[None]:
    """Each test starts and ends with no note of this process (other tests read files too)."""
    racy.forget()
    yield
    racy.forget()


def read(root: Path, *names: str) -> dict[str, os.stat_result]:
    """The files read through a file cache, as a check reads them; path → stat."""
    cache = FileCache(None, "items", "s")
    stats = {name: (root / name).stat() for name in names}
    for name, st in stats.items():
        cache.put(name, st, (root / name).read_bytes(), name)
    return stats


def stored(root: Path, stats: dict[str, os.stat_result]) -> ResultCache:
    results = ResultCache(root / "cache", "check")
    results.store("key", files_digest(stats), "value", (stats,))
    return results


def test_a_result_stored_just_after_an_edit_is_found_by_its_content(tmp_path: Path) -> None:
    write_file(tmp_path / "old.md", "old")
    write_file(tmp_path / "new.md", "new", old=False)
    stats = read(tmp_path, "old.md", "new.md")
    results = stored(tmp_path, stats)
    assert results.lookup("key", files_digest(stats)) is None, "no folder to read them in"
    assert results.lookup("key", files_digest(stats), str(tmp_path)) == "value"
    assert results.verified == [["new.md", digest(b"new")]], "only the recent file is read"


def test_an_edit_that_keeps_every_stat_field_is_seen(tmp_path: Path) -> None:
    """A filesystem with coarse timestamps may keep the stat of an edited file: the stats of
    the lookup are the very ones of the store, the content is not."""
    write_file(tmp_path / "new.md", "new", old=False)
    stats = read(tmp_path, "new.md")
    results = stored(tmp_path, stats)
    (tmp_path / "new.md").write_text("NEW")
    assert results.lookup("key", files_digest(stats), str(tmp_path)) is None
    (tmp_path / "new.md").write_text("new")
    assert results.lookup("key", files_digest(stats), str(tmp_path)) == "value"
    (tmp_path / "new.md").unlink()
    assert results.lookup("key", files_digest(stats), str(tmp_path)) is None, "gone"


def test_a_recent_file_this_process_did_not_read_leaves_the_result_unfound(
    tmp_path: Path,
) -> None:
    write_file(tmp_path / "new.md", "new", old=False)
    write_file(tmp_path / "unread.md", "unread", old=False)
    stats = read(tmp_path, "new.md")
    stats["unread.md"] = (tmp_path / "unread.md").stat()
    results = stored(tmp_path, stats)
    assert results.lookup("key", files_digest(stats), str(tmp_path)) is None


def test_a_file_read_with_two_contents_under_one_stat_leaves_the_result_unfound(
    tmp_path: Path,
) -> None:
    """What the result was made of is then unknown: it is stored without digests."""
    write_file(tmp_path / "new.md", "new", old=False)
    stats = read(tmp_path, "new.md")
    FileCache(None, "tags", "s").put("new.md", stats["new.md"], b"other", "other")
    results = stored(tmp_path, stats)
    assert results.lookup("key", files_digest(stats), str(tmp_path)) is None


def test_a_content_verified_by_a_file_cache_is_noted(tmp_path: Path) -> None:
    write_file(tmp_path / "new.md", "new", old=False)
    stats = read(tmp_path, "new.md")
    racy.forget()
    cache = FileCache(tmp_path / "items", "items", "s")
    cache.put("new.md", stats["new.md"], b"new", "v")
    cache.save()
    racy.forget()  # now only what the next process verifies
    again = FileCache(tmp_path / "items", "items", "s")
    assert again.get("new.md", stats["new.md"], root=str(tmp_path)) == "v"
    results = stored(tmp_path, stats)
    assert results.lookup("key", files_digest(stats), str(tmp_path)) == "value"


def test_too_many_recent_files_leave_the_result_unfound(tmp_path: Path) -> None:
    names = [f"{n}.md" for n in range(racy.MAX_FILES + 1)]
    for name in names:
        write_file(tmp_path / name, name, old=False)
    stats = read(tmp_path, *names)
    results = stored(tmp_path, stats)
    assert results.lookup("key", files_digest(stats), str(tmp_path)) is None
    del stats[names[-1]]
    results = stored(tmp_path, stats)
    assert results.lookup("key", files_digest(stats), str(tmp_path)) == "value"


def test_old_files_are_not_noted_and_notes_are_bounded(tmp_path: Path) -> None:
    old = write_file(tmp_path / "old.md", "old")
    racy.note("old.md", b"k", old.st_mtime_ns, b"d", racy_window())
    assert racy.contents([{"old.md": old}], 0, lambda st: b"k") is None
    new = write_file(tmp_path / "new.md", "new", old=False)
    for n in range(racy.MAX_NOTES + 10):
        racy.note(f"{n}.md", b"k", new.st_mtime_ns, b"d", racy_window())
    assert len(racy._seen) == racy.MAX_NOTES
    racy.note("0.md", b"k", new.st_mtime_ns, b"other", racy_window())  # full: noted all the same
    assert racy.contents([{"0.md": new}], 0, lambda st: b"k") is None, "two contents"


def test_notes_of_files_no_longer_recent_make_room(tmp_path: Path) -> None:
    hour = 3600 * 1_000_000_000
    old = write_file(tmp_path / "old.md", "old")  # an hour ago: recent within two hours
    for n in range(racy.MAX_NOTES):
        racy.note(f"{n}.md", b"k", old.st_mtime_ns, b"d", 2 * hour)
    new = write_file(tmp_path / "new.md", "new", old=False)
    racy.note("new.md", b"k", new.st_mtime_ns, b"d", racy_window())
    assert list(racy._seen) == [("new.md", b"k")]


def racy_window() -> int:
    from medtrace.cache import RACY_WINDOW_NS

    return RACY_WINDOW_NS


@pytest.mark.parametrize("recent", [None, [], "junk", [["a.md"]], [[1, b"d"]], [["a.md", 1]]])
def test_what_is_not_a_list_of_digests_is_never_the_same(tmp_path: Path, recent: object) -> None:
    write_file(tmp_path / "a.md", "a", old=False)
    assert not racy.same(str(tmp_path), recent, digest)


def test_a_file_noted_by_its_absolute_path_is_found_under_the_root(tmp_path: Path) -> None:
    """The results cache names its files by their absolute path."""
    st = write_file(tmp_path / "r.xml", "<r/>", old=False)
    FileCache(None, "results", "s").put(str(tmp_path / "r.xml"), st, b"<r/>", "v")
    stats = {"r.xml": st}
    results = ResultCache(tmp_path / "cache", "check")
    results.store("key", files_digest(stats), "value", (stats,))
    assert results.lookup("key", files_digest(stats), str(tmp_path)) is None, "no root: no note"
    results.store("key", files_digest(stats), "value", (stats,), str(tmp_path))
    assert results.lookup("key", files_digest(stats), str(tmp_path)) == "value"
