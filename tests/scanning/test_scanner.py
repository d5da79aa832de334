"""The scan as a whole: unreadable files, engine failures, the cache."""

from __future__ import annotations

import gc
import multiprocessing
import os
import re
from pathlib import Path

import pytest

from medtrace import workers
from medtrace.cache import FileCache
from medtrace.diagnostics import Severity
from medtrace.fs.read import Content, Refusal
from medtrace.scanning import scanner
from medtrace.scanning.languages import LANGUAGES, Language
from medtrace.scanning.tags import DEFAULT_ID_PATTERN

from .helpers import Scanned, Write, owners

pytestmark = pytest.mark.verifies("SRS-19")


def test_an_unreadable_file_is_reported_and_the_rest_scanned(
    write: Write, scanned: Scanned, monkeypatch: pytest.MonkeyPatch
) -> None:
    write("src/a.c", "// @implements SRS-1\n")
    secret = write("src/b.c", "// @implements SRS-2\n")
    real = scanner.read_regular

    def read_regular(path: str, limit: int, expect: os.stat_result | None = None) -> Content:
        if path == str(secret):
            return Content(refusal=Refusal.UNREADABLE, reason="Permission denied")
        return real(path, limit, expect)

    monkeypatch.setattr(scanner, "read_regular", read_regular)
    result = scanned()
    assert [t.ids for t in result.tags] == [("SRS-1",)]
    [problem] = result.diagnostics
    assert (problem.code, problem.rule, problem.severity) == (
        "MT110",
        "code-unreadable",
        Severity.WARNING,
    )
    assert problem.path == "src/b.c" and "Permission denied" in problem.found


def test_a_broken_symbolic_link(write: Write, scanned: Scanned, tmp_path: Path) -> None:
    write("src/a.c", "// @implements SRS-1\n")
    (tmp_path / "src" / "gone.c").symlink_to(tmp_path / "nowhere.c")
    result = scanned()
    assert [t.ids for t in result.tags] == [("SRS-1",)]
    assert [(d.code, d.path) for d in result.diagnostics] == [("MT110", "src/gone.c")]
    assert "broken symbolic link" in result.diagnostics[0].found


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads any file")
def test_a_file_without_read_permission(write: Write, scanned: Scanned) -> None:
    write("src/a.c", "// @implements SRS-1\n").chmod(0)
    assert [d.code for d in scanned().diagnostics] == ["MT110"]


def test_a_failing_engine_falls_back_to_comments(
    write: Write, scanned: Scanned, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*_: object) -> None:
        raise RuntimeError("a bug")

    write("src/a.py", "# @implements SRS-1\ndef f():\n    pass\n")
    assert owners(scanned()) == {"SRS-1": "f"}
    python = LANGUAGES["python"]
    monkeypatch.setitem(LANGUAGES, "python", Language("python", python.suffixes, broken))
    monkeypatch.setattr("medtrace.scanning.languages._BY_SUFFIX", {".py": LANGUAGES["python"]})
    assert owners(scanned()) == {"SRS-1": None}


@pytest.mark.parametrize("suffix", [".py", ".c", ".ts", ".js", ".java", ".go", ".rs", ".swift"])
def test_garbage_never_raises(suffix: str, write: Write, scanned: Scanned) -> None:
    noise = bytes(range(1, 256)) * 8 + b"\n// @implements SRS-1 {{{ ((( '''\"\"\"`/*"
    write(f"src/a{suffix}", noise)
    write(f"tests/b{suffix}", noise[::-1] + b"\n# @verifies SRS-2")
    scanned()


def test_results_are_sorted_and_every_scanned_file_listed(write: Write, scanned: Scanned) -> None:
    write("src/b.py", "# @implements SRS-2\n")
    write("src/a.py", "x = 1\n")
    write("tests/test_c.py", "def test_c():\n    pass\n")
    result = scanned()
    assert result.files == ["src/a.py", "src/b.py", "tests/test_c.py"]
    assert [t.name for t in result.tests] == ["test_c"]


# --- the cache ----------------------------------------------------------------------------------


@pytest.fixture
def cached(scanned: Scanned, tmp_path: Path) -> Scanned:
    def run(**options: object) -> object:
        return scanned(cache_dir=tmp_path / ".medtrace" / "cache", **options)

    return run  # type: ignore[return-value]


def _count_analyses(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    seen: list[str] = []
    real = scanner.analyze

    def analyze(data: bytes, rel: str, *args: object) -> object:
        seen.append(rel)
        return real(data, rel, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(scanner, "analyze", analyze)
    return seen


def test_a_second_scan_reads_nothing_and_finds_the_same(
    write: Write, cached: Scanned, monkeypatch: pytest.MonkeyPatch
) -> None:
    write("src/a.py", "# @implements SRS-1\ndef f():\n    pass\n")
    write("src/b.c", "/* @implements SRS-2. */\n")
    write("tests/test_a.py", "def test_a():\n    '''@verifies SRS-1'''\n")
    first = cached()
    seen = _count_analyses(monkeypatch)
    second = cached()
    assert seen == []
    assert second == first
    assert [d.code for d in second.diagnostics] == ["MT107"]


def test_an_edited_file_of_same_size_and_time_is_read_again(
    write: Write, cached: Scanned, tmp_path: Path
) -> None:
    path = write("src/a.py", "# @implements SRS-1\n")
    before = path.stat()
    assert [t.ids for t in cached().tags] == [("SRS-1",)]
    path.write_text("# @implements SRS-2\n", encoding="utf-8")
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert path.stat().st_size == before.st_size
    assert path.stat().st_mtime_ns == before.st_mtime_ns
    assert [t.ids for t in cached().tags] == [("SRS-2",)]


def test_a_deleted_file_disappears(write: Write, cached: Scanned) -> None:
    write("src/a.py", "# @implements SRS-1\n")
    gone = write("src/b.py", "# @implements SRS-2\n")
    assert len(cached().tags) == 2
    gone.unlink()
    result = cached()
    assert [t.path for t in result.tags] == ["src/a.py"]
    assert result.files == ["src/a.py"]


def test_another_id_pattern_does_not_use_the_cache(write: Write, cached: Scanned) -> None:
    write("src/a.py", "# @implements SRS-1, bolus\n")
    assert cached().diagnostics == []
    strict = cached(id_pattern=re.compile(r"SRS-\d+"))
    assert [t.ids for t in strict.tags] == [("SRS-1",)]
    assert [d.code for d in strict.diagnostics] == ["MT107"]


def test_a_file_that_becomes_a_test_file_is_read_again(write: Write, cached: Scanned) -> None:
    write("src/test_a.py", "def test_a():\n    pass\n")
    assert cached().tests == []
    assert [t.name for t in cached(tests=["src/test_*.py"]).tests] == ["test_a"]


def test_an_unwritable_cache_folder_only_costs_speed(
    write: Write, scanned: Scanned, tmp_path: Path
) -> None:
    write("src/a.py", "# @implements SRS-1\n")
    blocker = tmp_path / "blocker"
    blocker.write_text("not a folder", encoding="utf-8")
    assert [t.ids for t in scanned(cache_dir=blocker / "cache").tags] == [("SRS-1",)]


def test_the_walk_and_the_cache_save_run_with_the_collector_paused(
    write: Write, cached: Scanned, monkeypatch: pytest.MonkeyPatch
) -> None:
    write("src/a.py", "# @implements SRS-1\n")
    enabled: dict[str, bool] = {}
    walk, save = scanner.discover, FileCache.save

    def discover(*args: object, **options: object) -> object:
        enabled["walk"] = gc.isenabled()
        return walk(*args, **options)  # type: ignore[arg-type]

    def saving(cache: FileCache) -> None:
        enabled["save"] = gc.isenabled()
        save(cache)

    monkeypatch.setattr(scanner, "discover", discover)
    monkeypatch.setattr(FileCache, "save", saving)
    assert gc.isenabled()
    assert [t.ids for t in cached().tags] == [("SRS-1",)]
    assert enabled == {"walk": False, "save": False}
    assert gc.isenabled()  # as it was


@pytest.mark.verifies("SRS-338")
def test_the_tags_a_scan_made_leave_it_in_the_oldest_generation(
    write: Write, cached: Scanned
) -> None:
    write("src/a.py", "# @implements SRS-1\ndef f():\n    pass\n")
    gc.unfreeze()  # (what an earlier test froze, which promoting would not thaw)
    for _ in range(2):  # cold, then warm (the tags made from the cache)
        tags = cached().tags
        assert [(t.ids, t.symbol) for t in tags] == [(("SRS-1",), "f")]
        assert gc.isenabled()
        assert any(o is tags[0] for o in gc.get_objects(generation=2))


# --- resident caches (medtrace.cache.resident) ------------------------------------------------


@pytest.mark.verifies("SRS-298")
@pytest.mark.usefixtures("resident_caches")
def test_a_resident_scan_gives_the_tags_and_tests_of_unchanged_files_again(
    write: Write, cached: Scanned, scanned: Scanned, monkeypatch: pytest.MonkeyPatch
) -> None:
    write("src/a.py", "# @implements SRS-1\ndef f():\n    pass\n")
    edited = write("src/b.c", "/* @implements SRS-2. */\n")
    write("tests/test_a.py", "def test_a():\n    '''@verifies SRS-1'''\n")
    first = cached()
    seen = _count_analyses(monkeypatch)
    second = cached()
    assert seen == [] and second == first
    assert [id(t) for t in second.tags] == [id(t) for t in first.tags]
    assert [id(t) for t in second.tests] == [id(t) for t in first.tests]
    edited.write_text("/* @implements SRS-3 */\n", encoding="utf-8")
    third = cached()
    assert seen == ["src/b.c"] and third == scanned()
    assert [t.ids for t in third.tags if t.path == "src/b.c"] == [("SRS-3",)]
    assert third.tags[0] is first.tags[0]  # src/a.py's


@pytest.mark.verifies("SRS-298")
@pytest.mark.usefixtures("resident_caches")
def test_a_resident_scan_reads_a_file_selected_otherwise_again(
    write: Write, cached: Scanned
) -> None:
    write("src/test_a.py", "def test_a():\n    pass\n")
    assert cached().tests == []
    assert [t.name for t in cached(tests=["src/test_*.py"]).tests] == ["test_a"]
    assert cached().tests == []


# --- worker processes: scans packed where they are made ---------------------------------------


def _many_files(write: Write) -> None:
    """Files of three languages with tags, tests, a finding and a file without a tag."""
    for n in range(12):
        write(
            f"src/m{n}.py", f"# @implements SRS-{n}\ndef f{n}():\n    '''@implements SRS-9{n}'''\n"
        )
        write(f"src/c{n}.c", f"/* @implements SRS-{n}. */\nint g{n}(void) {{ return 0; }}\n")
        write(f"tests/t{n}.test.ts", f"// @verifies SRS-{n}\nit('does {n}', () => {{}});\n")
        write(f"tests/test_{n}.py", f"def test_{n}():\n    '''@verifies SRS-{n}'''\n")
    write("src/plain.py", "x = 1\n")


def _entries(cache_dir: Path) -> dict[str, tuple[bytes, bytes]]:
    """Each file's cache entry as saved: its content digest and packed scan."""
    salt = scanner._salt(DEFAULT_ID_PATTERN, {}, None)
    cache = FileCache(cache_dir, scanner.CACHE_NAMESPACE, salt)
    return {path: (entry[1], bytes(entry[2])) for path, entry in cache._entries.items()}


@pytest.fixture
def workers_for_any_batch(monkeypatch: pytest.MonkeyPatch) -> None:
    """Worker processes for a batch of two files or more, even while another test's thread
    still runs."""
    monkeypatch.setattr(scanner, "_MIN_FILES", 2)
    monkeypatch.setattr(workers.threading, "active_count", lambda: 1)


def _worker_scans_first(monkeypatch: pytest.MonkeyPatch) -> None:
    """This process scans its first file only once a worker process has scanned one."""
    parent, real = os.getpid(), scanner.analyze
    scanning = multiprocessing.get_context("fork").Event()

    def analyze(*args: object) -> object:
        if os.getpid() != parent:
            scanning.set()
        else:
            assert scanning.wait(60), "no worker process scanned a file"
        return real(*args)  # type: ignore[arg-type]

    monkeypatch.setattr(scanner, "analyze", analyze)


@pytest.mark.verifies("SRS-332")
@pytest.mark.usefixtures("workers_for_any_batch")
def test_scans_packed_in_worker_processes_give_the_scan_and_cache_of_one_process(
    write: Write, scanned: Scanned, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _many_files(write)
    one = scanned(cache_dir=tmp_path / "one", jobs=1)
    read_back: list[bytes] = []
    real = scanner.unpack

    def unpack(data: bytes) -> object:
        read_back.append(data)
        return real(data)

    monkeypatch.setattr(scanner, "unpack", unpack)
    _worker_scans_first(monkeypatch)
    two = scanned(cache_dir=tmp_path / "two", jobs=2)
    assert two == one and len(one.tags) == 48 and len(one.tests) == 24 and one.diagnostics
    assert _entries(tmp_path / "two") == _entries(tmp_path / "one")
    assert len(_entries(tmp_path / "one")) == 49
    assert read_back and all(isinstance(data, bytes) for data in read_back)  # from a worker
    warm = scanned(cache_dir=tmp_path / "two", jobs=2)
    assert warm == one


@pytest.mark.verifies("SRS-355")
def test_the_scanning_process_makes_the_tags_of_its_files_as_it_scans(
    write: Write, scanned: Scanned, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write("src/a.py", "# @implements SRS-1\ndef f():\n    pass\n")
    write("tests/test_a.py", "def test_f():\n    pass\n")
    records: list[object] = []
    real = scanner.share_chunks

    def share_chunks(*args: object, **options: object) -> list[object]:
        done: list[object] = real(*args, **options)  # type: ignore[arg-type]
        records.extend(done)
        return done

    monkeypatch.setattr(scanner, "share_chunks", share_chunks)
    result = scanned(cache_dir=tmp_path / "cache", jobs=1)
    kept = [record[0] for record in records]  # type: ignore[index]
    assert all(isinstance(one, scanner.Scanned) for one in kept)
    assert [one.rel for one in kept] == ["src/a.py", "tests/test_a.py"]
    assert [t for one in kept for t in one.tags] == result.tags
    assert result.tags[0] is kept[0].tags[0]  # collected, not made again
    assert result.tests[0] is kept[1].tests[0]
    assert [(t.symbol, t.ids) for t in result.tags] == [("f", ("SRS-1",))]
    assert [t.name for t in result.tests] == ["test_f"]


@pytest.mark.verifies("SRS-332")
@pytest.mark.usefixtures("workers_for_any_batch")
@pytest.mark.parametrize("failing", ["pack", "unpack"])
def test_a_scan_not_packed_or_not_read_back_is_still_the_scan(
    failing: str, write: Write, scanned: Scanned, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _many_files(write)
    one = scanned(cache_dir=tmp_path / "one", jobs=1)

    def fails(value: object) -> bytes:
        raise TypeError("not data") if failing == "pack" else ValueError("not a cached value")

    monkeypatch.setattr(scanner, failing, fails)
    _worker_scans_first(monkeypatch)
    two = scanned(cache_dir=tmp_path / "two", jobs=2)
    assert two == one
    assert _entries(tmp_path / "two") == _entries(tmp_path / "one")  # packed when saved


def test_without_a_cache_folder_nothing_is_packed(
    write: Write, scanned: Scanned, monkeypatch: pytest.MonkeyPatch
) -> None:
    write("src/a.py", "# @implements SRS-1\n")
    monkeypatch.setattr(scanner, "pack", None)  # called, it would fail
    assert [t.ids for t in scanned(jobs=1).tags] == [("SRS-1",)]


def test_a_cold_scan_asks_an_empty_cache_nothing(
    write: Write, cached: Scanned, monkeypatch: pytest.MonkeyPatch
) -> None:
    write("src/a.py", "# @implements SRS-1\n")
    asked: list[int] = []
    real = FileCache.get_many

    def get_many(cache: FileCache, files: list[tuple[str, os.stat_result]]) -> list[object]:
        asked.append(len(files))
        return real(cache, files)

    monkeypatch.setattr(FileCache, "get_many", get_many)
    first, second = cached(), cached()
    assert asked == [1]  # the second scan only: the first found the cache empty
    assert first == second and [t.ids for t in second.tags] == [("SRS-1",)]


@pytest.mark.verifies("SRS-19")
@pytest.mark.parametrize("comment", ["# ", '"""', "// "])
def test_a_level_is_its_first_word_in_every_language(
    comment: str, write: Write, scanned: Scanned
) -> None:
    # the fast path for well-formed tags read `@level system extra words` as three levels in
    # Python (with the default ID pattern every word is ID-shaped), one elsewhere
    name = {"# ": "src/test_a.py", '"""': "src/test_b.py", "// ": "src/a.test.ts"}[comment]
    if comment == '"""':
        write(name, 'def test_b():\n    """@level system extra words"""\n')
    elif comment == "# ":
        write(name, "# @level system extra words\ndef test_a():\n    pass\n")
    else:
        write(name, '// @level system extra words\ntest("a", () => {});\n')
    result = scanned()
    assert [(t.verb, t.ids) for t in result.tags] == [("level", ("system",))]
    assert result.diagnostics == []
