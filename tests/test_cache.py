"""The caches never serve stale data: per-file ``FileCache`` and whole-result ``ResultCache``;
and they never serve what they did not write themselves (see also ``tests/cache/``)."""

from __future__ import annotations

import datetime as dt
import os
import pickle
from pathlib import Path

import pytest
from helpers import AN_HOUR_AGO, needs_permissions, write_file
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from medtrace import cache as cache_module
from medtrace.cache import RACY_WINDOW_NS, FileCache, ResultCache, digest, files_digest, stat_key
from medtrace.diagnostics import Diagnostic, Severity

pytestmark = pytest.mark.verifies("SRS-6", "SRS-100", "SRS-101")


def saved(directory: Path, root: Path, files: dict[str, str], salt: str = "s1") -> None:
    """A cache of ``files`` (path → value: the upper-cased content), written to disk."""
    cache = FileCache(directory, "items", salt)
    for rel in files:
        data = (root / rel).read_bytes()
        cache.put(rel, (root / rel).stat(), data, data.decode().upper())
    cache.save()


# --- FileCache -------------------------------------------------------------------------------------


def test_a_value_is_served_from_disk(tmp_path: Path) -> None:
    write_file(tmp_path / "a.md", "alpha")
    saved(tmp_path / "cache", tmp_path, {"a.md": ""})
    cache = FileCache(tmp_path / "cache", "items", "s1")
    assert cache.get("a.md", (tmp_path / "a.md").stat(), root=str(tmp_path)) == "ALPHA"
    assert (cache.hits, cache.misses) == (1, 0)


def test_an_unchanged_old_file_is_trusted_without_reading(tmp_path: Path) -> None:
    st = write_file(tmp_path / "a.md", "alpha")
    saved(tmp_path / "cache", tmp_path, {"a.md": ""})
    cache = FileCache(tmp_path / "cache", "items", "s1")
    (tmp_path / "a.md").unlink()  # were it read, the lookup would fail
    assert cache.get("a.md", st, root=str(tmp_path)) == "ALPHA"


def test_an_edit_keeping_size_and_mtime_is_seen(tmp_path: Path) -> None:
    path = tmp_path / "a.md"
    before = write_file(path, "alpha")
    saved(tmp_path / "cache", tmp_path, {"a.md": ""})
    path.write_text("omega")
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    after = path.stat()
    assert (after.st_size, after.st_mtime_ns) == (before.st_size, before.st_mtime_ns)
    cache = FileCache(tmp_path / "cache", "items", "s1")
    assert cache.get("a.md", after, root=str(tmp_path)) is None
    assert cache.misses == 1


def test_an_edit_within_the_racy_window_is_seen_even_with_identical_stat(tmp_path: Path) -> None:
    """A filesystem with coarse timestamps can keep every stat field through an edit: files
    modified just before the cache was written are checked against their content."""
    path = tmp_path / "a.md"
    st = write_file(path, "alpha", old=False)
    saved(tmp_path / "cache", tmp_path, {"a.md": ""})
    path.write_text("omega")
    cache = FileCache(tmp_path / "cache", "items", "s1")
    assert st.st_mtime_ns >= cache._written_at - RACY_WINDOW_NS
    assert cache.get("a.md", st, root=str(tmp_path)) is None, "the old stat, the new content"
    path.write_text("alpha")
    assert cache.get("a.md", st, root=str(tmp_path)) == "ALPHA", "same content: still valid"


def test_content_given_by_the_caller_is_verified(tmp_path: Path) -> None:
    st = write_file(tmp_path / "a.md", "alpha")
    saved(tmp_path / "cache", tmp_path, {"a.md": ""})
    cache = FileCache(tmp_path / "cache", "items", "s1")
    assert cache.get("a.md", st, content=b"alpha") == "ALPHA"
    assert cache.get("a.md", st, content=b"omega") is None


def test_a_file_gone_within_the_racy_window_is_a_miss(tmp_path: Path) -> None:
    st = write_file(tmp_path / "a.md", "alpha", old=False)
    saved(tmp_path / "cache", tmp_path, {"a.md": ""})
    (tmp_path / "a.md").unlink()
    assert FileCache(tmp_path / "cache", "items", "s1").get("a.md", st, root=str(tmp_path)) is None


def test_many_files_at_once_are_answered_as_one_by_one(tmp_path: Path) -> None:
    """``get_many`` (the loading stage's warm path) gives what ``get`` gives, file by file:
    trusted, edited with the same size and times, edited or not within the racy window,
    gone, never cached, cached in this run, and a value that could not be packed."""
    stats = {n: write_file(tmp_path / f"{n}.md", n * 3, old=n in "abf") for n in "abcdef"}
    saved(tmp_path / "cache", tmp_path, {f"{n}.md": "" for n in "abcdef"})
    (tmp_path / "b.md").write_text("BBB")
    os.utime(tmp_path / "b.md", ns=(stats["b"].st_atime_ns, stats["b"].st_mtime_ns))
    (tmp_path / "c.md").write_text("CCC")  # asked with its old stat: racy, content differs
    (tmp_path / "e.md").unlink()
    stats["g"] = write_file(tmp_path / "g.md", "ggg")
    stats["b"] = (tmp_path / "b.md").stat()
    files = [(f"{n}.md", stats[n]) for n in "abcdefg"]
    not_data = object()

    def fresh() -> FileCache:
        cache = FileCache(tmp_path / "cache", "items", "s1")
        cache.put("f.md", stats["f"], b"fff", "made in this run")
        cache.put("g.md", stats["g"], b"ggg", not_data)  # a miss once saved
        return cache

    one_by_one = fresh()
    expected = [one_by_one.get(rel, st, root=str(tmp_path)) for rel, st in files]
    assert expected == ["AAA", None, None, "DDD", None, "made in this run", not_data]
    at_once = fresh()
    assert at_once.get_many(files, str(tmp_path)) == expected
    assert (at_once.hits, at_once.misses) == (one_by_one.hits, one_by_one.misses)
    at_once.save()
    reread = FileCache(tmp_path / "cache", "items", "s1")
    assert reread.get_many(files, str(tmp_path))[5:] == ["made in this run", None]


def test_a_renamed_file_is_a_new_entry(tmp_path: Path) -> None:
    write_file(tmp_path / "a.md", "alpha")
    saved(tmp_path / "cache", tmp_path, {"a.md": ""})
    (tmp_path / "a.md").rename(tmp_path / "b.md")
    cache = FileCache(tmp_path / "cache", "items", "s1")
    assert cache.get("b.md", (tmp_path / "b.md").stat(), root=str(tmp_path)) is None


def test_a_file_replaced_by_another_with_the_same_name(tmp_path: Path) -> None:
    write_file(tmp_path / "a.md", "alpha")
    write_file(tmp_path / "b.md", "omega")
    saved(tmp_path / "cache", tmp_path, {"a.md": ""})
    (tmp_path / "b.md").replace(tmp_path / "a.md")  # a new inode, same size, same mtime
    cache = FileCache(tmp_path / "cache", "items", "s1")
    assert cache.get("a.md", (tmp_path / "a.md").stat(), root=str(tmp_path)) is None


def test_entries_of_files_not_seen_are_dropped(tmp_path: Path) -> None:
    write_file(tmp_path / "a.md", "alpha")
    write_file(tmp_path / "b.md", "beta")
    saved(tmp_path / "cache", tmp_path, {"a.md": "", "b.md": ""})
    cache = FileCache(tmp_path / "cache", "items", "s1")
    assert cache.get("a.md", (tmp_path / "a.md").stat(), root=str(tmp_path)) == "ALPHA"
    cache.save()  # b.md was not asked for: it is gone from the project
    again = FileCache(tmp_path / "cache", "items", "s1")
    assert set(again._entries) == {"a.md"}


def test_nothing_is_written_when_nothing_changed(tmp_path: Path) -> None:
    write_file(tmp_path / "a.md", "alpha")
    saved(tmp_path / "cache", tmp_path, {"a.md": ""})
    file = tmp_path / "cache" / "items.mtc"
    os.utime(file, ns=(AN_HOUR_AGO, AN_HOUR_AGO))
    cache = FileCache(tmp_path / "cache", "items", "s1")
    cache.get("a.md", (tmp_path / "a.md").stat(), root=str(tmp_path))
    cache.save()
    assert file.stat().st_mtime_ns == AN_HOUR_AGO


# --- changes kept apart from a large cache ----------------------------------------------------


@pytest.fixture
def small_changes(monkeypatch: pytest.MonkeyPatch) -> None:
    """Changes kept apart from a cache of 4 entries or more, up to half of them."""
    monkeypatch.setattr(cache_module, "CHANGES_MIN_ENTRIES", 4)
    monkeypatch.setattr(cache_module, "CHANGES_SHARE", 2)


def _run(root: Path, texts: dict[str, str]) -> dict[str, object]:
    """One run over the files ``texts`` names (path → text): each file the cache does not
    serve as its text upper-cased is put again; then what the cache, read afresh from disk,
    serves for every file."""
    cache = FileCache(root / "cache", "items", "s1")
    files = [(rel, (root / rel).stat()) for rel in sorted(texts)]
    for (rel, stat), value in zip(files, cache.get_many(files, str(root)), strict=True):
        if value != texts[rel].upper():
            cache.put(rel, stat, (root / rel).read_bytes(), texts[rel].upper())
    cache.save()
    again = FileCache(root / "cache", "items", "s1")
    return dict(zip(sorted(texts), again.get_many(files, str(root)), strict=True))


def _six_files(folder: Path) -> dict[str, str]:
    """Six small files written in ``folder``: name → text."""
    texts = {f"{n}.md": n * 3 for n in "abcdef"}
    for rel, text in texts.items():
        write_file(folder / rel, text)
    return texts


@pytest.mark.usefixtures("small_changes")
def test_a_few_changes_are_written_apart_and_read_over_the_cache(tmp_path: Path) -> None:
    texts = _six_files(tmp_path)
    assert _run(tmp_path, texts) == {rel: text.upper() for rel, text in texts.items()}
    whole = tmp_path / "cache" / "items.mtc"
    written = whole.read_bytes()
    write_file(tmp_path / "a.md", "edited")
    write_file(tmp_path / "g.md", "added")
    (tmp_path / "b.md").unlink()
    texts |= {"a.md": "edited", "g.md": "added"}
    del texts["b.md"]
    assert _run(tmp_path, texts) == {rel: text.upper() for rel, text in texts.items()}
    assert whole.read_bytes() == written, "only the changes were written"
    assert (tmp_path / "cache" / "items-changes.mtc").is_file()
    write_file(tmp_path / "b.md", "bbb")  # back, with another stat: not the dropped entry
    texts["b.md"] = "bbb"
    assert _run(tmp_path, texts)["b.md"] == "BBB"
    for rel in ["c.md", "d.md", "e.md"]:  # now more than half changed: written whole again
        write_file(tmp_path / rel, "changed " + rel)
        texts[rel] = "changed " + rel
    assert _run(tmp_path, texts) == {rel: text.upper() for rel, text in texts.items()}
    assert whole.read_bytes() != written


@pytest.mark.usefixtures("small_changes")
def test_changes_apply_only_to_the_cache_they_were_made_for(tmp_path: Path) -> None:
    """Changes kept apart from a cache file that was written again since are not read: they
    would put back an entry the new cache file no longer has."""
    texts = _six_files(tmp_path)
    _run(tmp_path, texts)
    write_file(tmp_path / "a.md", "first")
    _run(tmp_path, texts | {"a.md": "first"})
    changes = tmp_path / "cache" / "items-changes.mtc"
    first = changes.read_bytes()
    (tmp_path / "cache" / "items.mtc").unlink()  # the next run writes it whole
    write_file(tmp_path / "a.md", "again")
    assert _run(tmp_path, texts | {"a.md": "again"})["a.md"] == "AGAIN"
    changes.write_bytes(first)  # as if left from before
    cache = FileCache(tmp_path / "cache", "items", "s1")
    assert cache.get("a.md", (tmp_path / "a.md").stat(), root=str(tmp_path)) == "AGAIN"


@pytest.mark.usefixtures("small_changes")
def test_damaged_changes_are_ignored(tmp_path: Path) -> None:
    texts = _six_files(tmp_path)
    _run(tmp_path, texts)
    write_file(tmp_path / "a.md", "edited")
    _run(tmp_path, texts | {"a.md": "edited"})
    changes = tmp_path / "cache" / "items-changes.mtc"
    changes.write_bytes(_flipped(changes.read_bytes(), 50, 3))
    cache = FileCache(tmp_path / "cache", "items", "s1")
    files = [(rel, (tmp_path / rel).stat()) for rel in sorted(texts)]
    assert cache.get_many(files, str(tmp_path)) == [None, "BBB", "CCC", "DDD", "EEE", "FFF"]


def test_another_salt_ignores_the_cache(tmp_path: Path) -> None:
    st = write_file(tmp_path / "a.md", "alpha")
    saved(tmp_path / "cache", tmp_path, {"a.md": ""}, salt="s1")
    assert FileCache(tmp_path / "cache", "items", "s2").get("a.md", st, root=str(tmp_path)) is None


def test_namespaces_are_separate_files(tmp_path: Path) -> None:
    assert FileCache(tmp_path, "items", "s").file == tmp_path / "items.mtc"
    assert FileCache(tmp_path, "tags", "s").file == tmp_path / "tags.mtc"
    assert FileCache(None, "items", "s").file is None


@pytest.mark.parametrize(
    "damage",
    [
        b"",
        b"garbage, not a cache",
        b"MTCACHE\x02" + bytes(32) + b"\x90",  # the right magic, a tag of zeros
        pickle.dumps((1, "s1", "marshal")) + b"\x00\x01 not marshal",
        pickle.dumps("a string header"),
    ],
)
def test_a_corrupted_cache_is_ignored(tmp_path: Path, damage: bytes) -> None:
    st = write_file(tmp_path / "a.md", "alpha")
    (tmp_path / "cache").mkdir()
    (tmp_path / "cache" / "items.mtc").write_bytes(damage)
    cache = FileCache(tmp_path / "cache", "items", "s1")
    assert cache.get("a.md", st, root=str(tmp_path)) is None
    cache.put("a.md", st, b"alpha", "ALPHA")
    cache.save()
    assert FileCache(tmp_path / "cache", "items", "s1").get("a.md", st) == "ALPHA", "rebuilt"


def test_a_truncated_cache_file_is_ignored(tmp_path: Path) -> None:
    st = write_file(tmp_path / "a.md", "alpha")
    saved(tmp_path / "cache", tmp_path, {"a.md": ""})
    file = tmp_path / "cache" / "items.mtc"
    file.write_bytes(file.read_bytes()[:-5])
    assert FileCache(tmp_path / "cache", "items", "s1").get("a.md", st) is None


def test_values_keep_their_types(tmp_path: Path) -> None:
    st = write_file(tmp_path / "a.md", "alpha")
    value = {
        "list": [1, "two", None, True, 2.5, b"\x00"],
        "tuple": ("SRS-1", ("nested",)),
        "sets": (frozenset({"MT010"}), {1, 2}),
        "dates": [dt.date(2026, 1, 2), dt.datetime(2026, 1, 2, 3, 4, tzinfo=dt.UTC)],
        "diagnostic": Diagnostic("MT010", "link-dangling", Severity.ERROR, "x", related=("a",)),
        7: "an integer key",
    }
    cache = FileCache(tmp_path / "cache", "items", "s1")
    cache.put("a.md", st, b"alpha", value)
    cache.save()
    again = FileCache(tmp_path / "cache", "items", "s1").get("a.md", st)
    assert again == value
    assert type(again["list"]) is list and type(again["tuple"][1]) is tuple


@pytest.mark.parametrize("value", [{"path": Path("a.md")}, [object()], 2**70, "\ud800"])
def test_values_that_are_not_plain_data_are_not_cached(tmp_path: Path, value: object) -> None:
    """Nothing but data is ever written: what the codec cannot represent is read again."""
    st = write_file(tmp_path / "a.md", "alpha")
    write_file(tmp_path / "b.md", "beta")
    cache = FileCache(tmp_path / "cache", "items", "s1")
    cache.put("a.md", st, b"alpha", value)
    cache.put("b.md", (tmp_path / "b.md").stat(), b"beta", "BETA")
    cache.save()
    again = FileCache(tmp_path / "cache", "items", "s1")
    assert again.get("a.md", st) is None
    assert again.get("b.md", (tmp_path / "b.md").stat()) == "BETA", "the others are kept"


def test_a_cache_folder_that_cannot_be_made(tmp_path: Path) -> None:
    st = write_file(tmp_path / "a.md", "alpha")
    (tmp_path / "blocker").write_text("a file where the folder should be")
    cache = FileCache(tmp_path / "blocker" / "cache", "items", "s1")
    cache.put("a.md", st, b"alpha", "ALPHA")
    cache.save()  # no error: the cache is only a speed-up
    assert cache.get("a.md", st, root=str(tmp_path)) == "ALPHA", "verified: never written"


@needs_permissions
def test_a_read_only_cache_folder(tmp_path: Path) -> None:
    st = write_file(tmp_path / "a.md", "alpha")
    (tmp_path / "cache").mkdir()
    (tmp_path / "cache").chmod(0o555)
    try:
        cache = FileCache(tmp_path / "cache", "items", "s1")
        cache.put("a.md", st, b"alpha", "ALPHA")
        cache.save()
    finally:
        (tmp_path / "cache").chmod(0o755)
    assert not (tmp_path / "cache" / "items.cache").exists()


def test_no_temporary_files_are_left(tmp_path: Path) -> None:
    write_file(tmp_path / "a.md", "alpha")
    saved(tmp_path / ".medtrace" / "cache", tmp_path, {"a.md": ""})
    names = sorted(p.name for p in (tmp_path / ".medtrace").rglob("*"))
    assert names == [".gitignore", "cache", "items.mtc"]
    assert (tmp_path / ".medtrace" / ".gitignore").read_text().splitlines()[-1] == "*"


def test_stat_key_and_digest(tmp_path: Path) -> None:
    st = write_file(tmp_path / "a.md", "alpha")
    assert stat_key(st) == (st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns)
    assert digest(b"alpha") != digest(b"omega")
    assert len(digest(b"")) == 16


# --- ResultCache -----------------------------------------------------------------------------------


def stats(root: Path) -> dict[str, os.stat_result]:
    return {p.name: p.stat() for p in sorted(root.glob("*.md"))}


def test_a_result_is_served_while_nothing_changes(tmp_path: Path) -> None:
    write_file(tmp_path / "a.md", "alpha")
    write_file(tmp_path / "b.md", "beta")
    results = ResultCache(tmp_path / "cache", "check")
    results.store("key", files_digest(stats(tmp_path)), {"findings": 3})
    assert results.lookup("key", files_digest(stats(tmp_path))) == {"findings": 3}


def test_a_result_is_not_served_for_another_key(tmp_path: Path) -> None:
    write_file(tmp_path / "a.md", "alpha")
    results = ResultCache(tmp_path / "cache", "check")
    results.store("key", files_digest(stats(tmp_path)), "value")
    assert results.lookup("other", files_digest(stats(tmp_path))) is None


def test_an_edit_keeping_size_and_mtime_invalidates_the_result(tmp_path: Path) -> None:
    path = tmp_path / "a.md"
    before = write_file(path, "alpha")
    results = ResultCache(tmp_path / "cache", "check")
    results.store("key", files_digest(stats(tmp_path)), "value")
    path.write_text("omega")
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert results.lookup("key", files_digest(stats(tmp_path))) is None


def test_a_file_modified_within_the_racy_window_invalidates_the_result(tmp_path: Path) -> None:
    write_file(tmp_path / "a.md", "alpha", old=False)
    results = ResultCache(tmp_path / "cache", "check")
    results.store("key", files_digest(stats(tmp_path)), "value")
    assert results.lookup("key", files_digest(stats(tmp_path))) is None, (
        "identical stat, but too recent"
    )


def test_added_deleted_and_renamed_files_invalidate_the_result(tmp_path: Path) -> None:
    write_file(tmp_path / "a.md", "alpha")
    write_file(tmp_path / "b.md", "beta")
    results = ResultCache(tmp_path / "cache", "check")
    results.store("key", files_digest(stats(tmp_path)), "value")
    write_file(tmp_path / "c.md", "gamma")
    assert results.lookup("key", files_digest(stats(tmp_path))) is None, "added"
    (tmp_path / "c.md").unlink()
    assert results.lookup("key", files_digest(stats(tmp_path))) == "value"
    (tmp_path / "b.md").unlink()
    assert results.lookup("key", files_digest(stats(tmp_path))) is None, "deleted"
    write_file(tmp_path / "b.md", "beta")
    results.store("key", files_digest(stats(tmp_path)), "value")
    (tmp_path / "b.md").rename(tmp_path / "d.md")
    assert results.lookup("key", files_digest(stats(tmp_path))) is None, "renamed"


@pytest.mark.parametrize(
    "damage", [b"", b"junk", pickle.dumps((1, "key")), pickle.dumps((1, "key")) + b"\x80"]
)
def test_a_corrupted_result_is_ignored(tmp_path: Path, damage: bytes) -> None:
    write_file(tmp_path / "a.md", "alpha")
    (tmp_path / "cache").mkdir()
    (tmp_path / "cache" / "check.mtc").write_bytes(damage)
    results = ResultCache(tmp_path / "cache", "check")
    assert results.lookup("key", files_digest(stats(tmp_path))) is None
    results.store("key", files_digest(stats(tmp_path)), "value")
    assert results.lookup("key", files_digest(stats(tmp_path))) == "value"


def test_without_a_folder_nothing_is_kept(tmp_path: Path) -> None:
    write_file(tmp_path / "a.md", "alpha")
    results = ResultCache(None, "check")
    assert results.file is None
    results.store("key", files_digest(stats(tmp_path)), "value")
    assert results.lookup("key", files_digest(stats(tmp_path))) is None


def test_a_result_folder_that_cannot_be_made(tmp_path: Path) -> None:
    write_file(tmp_path / "a.md", "alpha")
    (tmp_path / "blocker").write_text("x")
    results = ResultCache(tmp_path / "blocker" / "cache", "check")
    results.store("key", files_digest(stats(tmp_path)), "value")
    assert results.lookup("key", files_digest(stats(tmp_path))) is None


def test_the_racy_window_is_two_seconds() -> None:
    assert cache_module.RACY_WINDOW_NS == 2_000_000_000


def test_a_result_that_is_not_data_is_not_stored(tmp_path: Path) -> None:
    write_file(tmp_path / "a.md", "alpha")
    results = ResultCache(tmp_path / "cache", "check")
    results.store("key", files_digest(stats(tmp_path)), object())
    assert not (tmp_path / "cache" / "check.mtc").exists()


# --- damage at any place gives the cold result -------------------------------------------------


def _valid_caches(root: Path) -> tuple[os.stat_result, bytes, bytes]:
    """A file cache and a result cache for ``a.md``, and their bytes."""
    st = write_file(root / "a.md", "alpha")
    cache = FileCache(root / "cache", "items", "s1")
    cache.put("a.md", st, b"alpha", ["SRS-568", ("SYS-1",)])
    cache.save()
    ResultCache(root / "cache", "check").store("key", files_digest(stats(root)), ["SRS-568"])
    return (
        st,
        (root / "cache" / "items.mtc").read_bytes(),
        (root / "cache" / "check.mtc").read_bytes(),
    )


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(where=st.floats(0, 1, exclude_max=True), bit=st.integers(0, 7), cut=st.booleans())
def test_a_flipped_bit_or_a_cut_anywhere_gives_the_cold_result(
    tmp_path: Path, where: float, bit: int, cut: bool
) -> None:
    """Before, a flipped bit could turn SRS-568 into SRC-568, or crash: now every damaged byte
    is caught by the tag, and the value is made again from the file."""
    root = tmp_path / "flip"
    st_a, items, check = _valid_caches(root)
    for name, data in (("items.mtc", items), ("check.mtc", check)):
        offset = int(where * len(data))
        damaged = data[:offset] if cut else _flipped(data, offset, bit)
        (root / "cache" / name).write_bytes(damaged)
    assert FileCache(root / "cache", "items", "s1").get("a.md", st_a) is None
    assert ResultCache(root / "cache", "check").lookup("key", files_digest(stats(root))) is None


def _flipped(data: bytes, offset: int, bit: int) -> bytes:
    return data[:offset] + bytes([data[offset] ^ (1 << bit)]) + data[offset + 1 :]


def test_undamaged_caches_are_served(tmp_path: Path) -> None:
    """The counterpart of the property test: the same caches, untouched, are read."""
    st, _, _ = _valid_caches(tmp_path)
    assert FileCache(tmp_path / "cache", "items", "s1").get("a.md", st) == ["SRS-568", ("SYS-1",)]
    assert ResultCache(tmp_path / "cache", "check").lookup(
        "key", files_digest(stats(tmp_path))
    ) == ["SRS-568"]


def test_a_cache_copied_from_another_folder_is_ignored(tmp_path: Path) -> None:
    st, items, _ = _valid_caches(tmp_path)
    (tmp_path / "other").mkdir()
    (tmp_path / "other" / "items.mtc").write_bytes(items)
    assert FileCache(tmp_path / "other", "items", "s1").get("a.md", st) is None


def test_a_cache_of_another_namespace_is_ignored(tmp_path: Path) -> None:
    st, items, _ = _valid_caches(tmp_path)
    (tmp_path / "cache" / "tags.mtc").write_bytes(items)
    assert FileCache(tmp_path / "cache", "tags", "s1").get("a.md", st) is None


def test_a_cache_of_another_medtrace_version_is_ignored(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import medtrace

    st, _, _ = _valid_caches(tmp_path)
    monkeypatch.setattr(medtrace, "__version__", "99.0")
    assert FileCache(tmp_path / "cache", "items", "s1").get("a.md", st) is None
    assert (
        ResultCache(tmp_path / "cache", "check").lookup("key", files_digest(stats(tmp_path)))
        is None
    )


def test_a_cache_written_with_another_users_key_is_ignored(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from medtrace.cache import key

    st, _, _ = _valid_caches(tmp_path)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "another-home"))
    monkeypatch.setattr(key, "_loaded", {})
    assert FileCache(tmp_path / "cache", "items", "s1").get("a.md", st) is None
    assert (
        ResultCache(tmp_path / "cache", "check").lookup("key", files_digest(stats(tmp_path)))
        is None
    )


# --- caches committed to a repository -----------------------------------------------------------

HOSTILE_PROJECT = {
    "docs/requirements.yaml": """\
        kind: software-requirement
        items:
          - {id: SRS-1, title: Add the doses, type: functional}
          - {id: SRS-2, title: Log the doses, type: data}
        """,
    "src/dose.py": "# @implements SRS-1\ndef add(a: int, b: int) -> int:\n    return a + b\n",
    "tests/test_dose.py": "# @verifies SRS-1\ndef test_add() -> None:\n    assert True\n",
    "build/results/junit.xml": """\
        <testsuites><testsuite name="pytest" tests="1">
        <testcase classname="tests.test_dose" name="test_add" file="tests/test_dose.py" time="0.1"/>
        </testsuite></testsuites>
        """,
}
HOSTILE_CONFIG = """\
[project]
name = "hostile"
class = "B"

[paths]
items = ["docs"]
sources = ["src/**/*.py"]
tests = ["tests/**/test_*.py"]
results = ["build/results/*.xml"]
"""
#: Every name a cache file has or had.
CACHE_NAMES = [
    *(f"{n}.cache" for n in ("items", "tags", "results")),
    "check.pickle",
    *(f"{n}.mtc" for n in ("items", "tags", "results", "check", "digests", "provenance")),
]
COMMANDS = [
    ("check",),
    ("matrix", "--format", "json"),
    ("show", "SRS-1"),
    ("list",),
]


class _Hostile:
    """Unpickled, it writes a file: what a cache committed to a repository could do."""

    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self) -> tuple[object, ...]:
        return (exec, (f"open({str(self.marker)!r}, 'w').write('pwned')",))


def test_the_hostile_pickle_does_run_code_when_unpickled(tmp_path: Path) -> None:
    """The counterpart of the test below: the payload is really hostile."""
    marker = tmp_path / "proof"
    pickle.loads(pickle.dumps(_Hostile(marker)))
    assert marker.read_text() == "pwned"


def test_a_committed_hostile_cache_does_nothing(tmp_path: Path) -> None:
    from helpers import run_subprocess, write_project

    root = write_project(tmp_path / "repo", HOSTILE_PROJECT, config=HOSTILE_CONFIG)
    expected = {args: run_subprocess("-C", str(root), *args, "--no-cache") for args in COMMANDS[:2]}
    marker = tmp_path / "pwned"
    payload = pickle.dumps(_Hostile(marker))
    cache = root / ".medtrace" / "cache"
    cache.mkdir(parents=True, exist_ok=True)
    for name in CACHE_NAMES:
        (cache / name).write_bytes(payload)
    for args in COMMANDS:
        run = run_subprocess("-C", str(root), *args)
        assert not marker.exists(), f"medtrace {' '.join(args)} ran the committed pickle"
        assert run.code in (0, 1), run.err
        assert "Traceback" not in run.err
        if args in expected:
            assert (run.code, run.out) == (expected[args].code, expected[args].out)
    assert "SRS-2" in expected[("check",)].out, "a real finding, the same with the cache"


def test_a_linked_cache_folder_is_not_written_through_by_check(tmp_path: Path) -> None:
    from helpers import run_subprocess, write_project

    root = write_project(tmp_path / "repo", HOSTILE_PROJECT, config=HOSTILE_CONFIG)
    outside = tmp_path / "outside"
    outside.mkdir()
    (root / ".medtrace").mkdir()
    (root / ".medtrace" / "cache").symlink_to(outside, target_is_directory=True)
    expected = run_subprocess("-C", str(root), "check", "--no-cache")
    for _ in range(2):
        run = run_subprocess("-C", str(root), "check")
        assert (run.code, run.out) == (expected.code, expected.out)
    assert list(outside.iterdir()) == []


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    which=st.integers(0, 50),
    where=st.floats(0, 1, exclude_max=True),
    bit=st.integers(0, 7),
    cut=st.booleans(),
)
def test_damage_in_any_cache_file_gives_the_findings_of_a_cold_check(
    tmp_path: Path, which: int, where: float, bit: int, cut: bool
) -> None:
    """The whole check, with one cache file damaged at any byte: the same findings as without
    cache (the requirement IDs in them included)."""
    from helpers import write_project

    from medtrace.pipeline import check

    root = tmp_path / "project"
    if not root.exists():
        write_project(root, HOSTILE_PROJECT, config=HOSTILE_CONFIG)
        for path in root.rglob("*"):
            os.utime(path, ns=(AN_HOUR_AGO, AN_HOUR_AGO))
    cold = [d.to_tuple() for d in check(root, use_cache=False).diagnostics]
    assert any("SRS-2" in d[3] for d in cold)
    check(root)  # writes every cache
    files = sorted((root / ".medtrace" / "cache").glob("*.mtc"))
    assert {f.name for f in files} >= {"check.mtc", "items.mtc", "tags.mtc", "results.mtc"}
    target = files[which % len(files)]
    data = target.read_bytes()
    offset = int(where * len(data))
    target.write_bytes(data[:offset] if cut else _flipped(data, offset, bit))
    if target.name != "check.mtc":  # the check then reads the damaged file
        (target.parent / "check.mtc").unlink()
    try:
        assert [d.to_tuple() for d in check(root).diagnostics] == cold
    finally:
        target.write_bytes(data)  # each example damages one intact file


def test_stat_fields_out_of_the_usual_ranges(tmp_path: Path) -> None:
    """An inode beyond 64 bits or a time before 1970 is still a key (of the same length)."""
    st = write_file(tmp_path / "a.md", "alpha")

    def with_inode(inode: int) -> os.stat_result:
        times = {"st_mtime_ns": st.st_mtime_ns, "st_ctime_ns": st.st_ctime_ns}
        return os.stat_result((st.st_mode, inode, *tuple(st)[2:]), times)

    odd = with_inode(2**64 + 5)
    cache = FileCache(tmp_path / "cache", "items", "s1")
    cache.put("a.md", odd, b"alpha", "ALPHA")
    cache.save()
    assert FileCache(tmp_path / "cache", "items", "s1").get("a.md", odd) == "ALPHA"
    other = with_inode(2**64 + 6)
    assert FileCache(tmp_path / "cache", "items", "s1").get("a.md", other) is None
    results = ResultCache(tmp_path / "cache", "check")
    results.store("key", files_digest({"a.md": odd}), "value")
    assert results.lookup("key", files_digest({"a.md": odd})) == "value"
    assert results.lookup("key", files_digest({"a.md": other})) is None


# --- the digest of stat records, kept between calls ------------------------------------------------


@pytest.mark.verifies("SRS-328")
def test_the_same_stat_objects_are_answered_from_the_kept_digest(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_file(tmp_path / "a.md", "alpha")
    write_file(tmp_path / "b.md", "beta")
    files = stats(tmp_path)
    first = files_digest(files, remember=True)
    assert first == files_digest(files)

    def refuse(_: object) -> None:
        raise AssertionError("digested again")

    monkeypatch.setattr(cache_module, "_files_digest", refuse)
    assert files_digest(dict(files), remember=True) == first  # the very same objects


@pytest.mark.verifies("SRS-328")
def test_another_stat_object_name_or_order_is_digested_again(tmp_path: Path) -> None:
    before = write_file(tmp_path / "a.md", "alpha")
    write_file(tmp_path / "b.md", "beta")
    files = stats(tmp_path)
    kept = files_digest(files, remember=True)
    # The same values in another object: digested again, and equal.
    assert files_digest({**files, "a.md": (tmp_path / "a.md").stat()}, remember=True) == kept
    # One nanosecond later (stat results compare equal on whole seconds): another digest.
    os.utime(tmp_path / "a.md", ns=(before.st_atime_ns, before.st_mtime_ns + 1))
    changed = {**files, "a.md": (tmp_path / "a.md").stat()}
    assert files_digest(changed, remember=True) != kept
    assert files_digest({"b.md": files["b.md"], "a.md": files["a.md"]}, remember=True) != kept
    assert files_digest({"a.md": files["a.md"], "c.md": files["b.md"]}, remember=True) != kept


def _stat(ino: int, mtime_ns: int, size: int = 10) -> os.stat_result:
    """A stat record (only the fields the digest reads matter)."""
    seconds = mtime_ns / 1e9
    whole = int(seconds)
    fields = (0o100644, ino, 7, 1, 0, 0, size, 0, whole, whole, 0.0, seconds, seconds)
    return os.stat_result((*fields, 0, mtime_ns, mtime_ns + 1))


@pytest.mark.verifies("SRS-328", "SRS-342")
@settings(max_examples=200)
@given(
    st.integers(1, 12),
    st.lists(
        st.lists(st.tuples(st.integers(0, 11), st.integers(-(10**12), 2**64)), max_size=6),
        min_size=1,
        max_size=6,
    ),
)
def test_a_kept_digest_patched_for_other_stat_objects_is_the_digest_made_afresh(
    count: int, rounds: list[list[tuple[int, int]]]
) -> None:
    """Rounds of calls where some files' stat objects are others (with new or the same
    values, times before 1970 and past 2262 too, names of any length and alphabet): each answer
    is the digest made from nothing, whether the kept bytes were patched (a quarter of the files
    or fewer) or digested again."""
    cache_module._remembered[:] = [[], [], (b"", 0), None]
    names = [f"docs/{'é' * (n % 3)}{n}.md" for n in range(count)]
    files = {names[n]: _stat(n, n * 10**9) for n in range(count)}
    assert files_digest(files, remember=True) == files_digest(files)
    for changes in rounds:
        files = dict(files)
        for n, mtime in changes:
            if n < count:
                files[names[n]] = _stat(n, mtime, size=n + 1)
        assert files_digest(files, remember=True) == files_digest(files)
    assert files_digest({}, remember=True) == files_digest({}) == (files_digest({})[0], 0)
