"""load_results: globs, missing and unreadable files, the per-file cache."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from medtrace.cache import FileCache
from medtrace.diagnostics import Severity
from medtrace.fs import read as reading
from medtrace.fs.globs import PatternError
from medtrace.results import Outcome, load_results
from medtrace.results import loader as loader_module

from .helpers import DATA, counts, junit

pytestmark = pytest.mark.verifies("SRS-20")

PASSING = junit('<testcase classname="c" name="ok"/>')
FAILING = junit('<testcase classname="c" name="ko"><failure message="boom"/></testcase>')
HOUR_AGO = time.time() - 3600


def write(path: Path, data: bytes, mtime: float = HOUR_AGO) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    os.utime(path, (mtime, mtime))
    return path


def test_the_shared_samples_in_place(junit_dir: Path) -> None:
    found = load_results(DATA, ["junit/*.xml"])
    assert found.diagnostics == []
    assert len(found.files) == 16 and found.files[0] == "junit/ctest-user-example.xml"
    assert len(found.results) == 241
    assert found.counts() == {
        Outcome.PASSED: 162,
        Outcome.FAILED: 59,
        Outcome.ERROR: 2,
        Outcome.SKIPPED: 18,
    }
    newest = max(path.stat().st_mtime for path in junit_dir.iterdir())
    assert found.newest == newest


def test_sources_are_relative_posix_paths(tmp_path: Path) -> None:
    write(tmp_path / "build" / "unit" / "TEST-a.xml", PASSING)
    found = load_results(tmp_path, ["build/**/*.xml"])
    assert found.files == ["build/unit/TEST-a.xml"]
    assert [(r.source, r.source_line) for r in found.results] == [("build/unit/TEST-a.xml", 4)]


def test_a_pattern_matching_nothing_is_a_warning_and_the_rest_is_read(tmp_path: Path) -> None:
    write(tmp_path / "a.xml", PASSING)
    found = load_results(tmp_path, ["missing/*.xml", "a.xml"])
    (diagnostic,) = found.diagnostics
    assert (diagnostic.code, diagnostic.rule) == ("MT121", "results-missing")
    assert diagnostic.severity is Severity.WARNING
    assert "`missing/*.xml`" in diagnostic.found
    assert "pytest --junitxml=FILE" in diagnostic.hint and "Run your tests" in diagnostic.hint
    assert [r.name for r in found.results] == ["ok"]


def test_no_pattern_no_file_no_problem(tmp_path: Path) -> None:
    found = load_results(tmp_path, [])
    assert (found.results, found.files, found.diagnostics, found.newest) == ([], [], [], None)


def test_a_bad_file_is_reported_and_the_others_are_read(tmp_path: Path) -> None:
    write(tmp_path / "r" / "a.xml", PASSING)
    write(tmp_path / "r" / "b.xml", b"<testsuite><testcase name=")
    write(tmp_path / "r" / "c.xml", FAILING)
    write(tmp_path / "r" / "d.xml", b"")
    found = load_results(tmp_path, ["r/*.xml"])
    assert [r.name for r in found.results] == ["ok", "ko"]
    assert [(d.code, d.path) for d in found.diagnostics] == [
        ("MT120", "r/b.xml"),
        ("MT120", "r/d.xml"),
    ]
    assert found.files == ["r/a.xml", "r/b.xml", "r/c.xml", "r/d.xml"]


def test_a_directory_stands_for_its_xml_files(tmp_path: Path) -> None:
    write(tmp_path / "reports" / "x" / "one.xml", PASSING)
    write(tmp_path / "reports" / "two.xml", FAILING)
    write(tmp_path / "reports" / "notes.txt", b"not results")
    found = load_results(tmp_path, ["reports"])
    assert found.files == ["reports/two.xml", "reports/x/one.xml"]


def test_each_file_is_read_once(tmp_path: Path) -> None:
    write(tmp_path / "a.xml", PASSING)
    found = load_results(tmp_path, ["*.xml", "a.xml", "./a.xml"])
    assert found.files == ["a.xml"] and len(found.results) == 1


def test_a_pattern_outside_the_root_is_refused(tmp_path: Path) -> None:
    """Patterns are relative to the project root and stay in it (a link can lead out)."""
    write(tmp_path / "elsewhere" / "a.xml", PASSING)
    root = tmp_path / "project"
    root.mkdir()
    for pattern in [str(tmp_path / "elsewhere" / "*.xml"), "../elsewhere/*.xml"]:
        with pytest.raises(PatternError):
            load_results(root, [pattern])
    (root / "ci").symlink_to(tmp_path / "elsewhere")
    assert [(d.code, d.path) for d in load_results(root, ["ci"]).diagnostics] == [("MT130", "ci")]
    assert load_results(root, ["ci"], follow_external=True).files == ["ci/a.xml"]


def test_newest_is_the_newest_modification_time(tmp_path: Path) -> None:
    write(tmp_path / "old.xml", PASSING, mtime=1_000_000)
    write(tmp_path / "new.xml", PASSING, mtime=2_000_000)
    assert load_results(tmp_path, ["*.xml"]).newest == 2_000_000


def test_an_unreadable_file_is_reported(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write(tmp_path / "a.xml", PASSING)
    write(tmp_path / "b.xml", PASSING)
    real = os.open

    def refuse(path: str, *args: int, **kwargs: int) -> int:
        if path.endswith("a.xml"):
            raise PermissionError(13, "Permission denied", path)
        return real(path, *args, **kwargs)

    monkeypatch.setattr(reading.os, "open", refuse)
    found = load_results(tmp_path, ["*.xml"])
    (diagnostic,) = found.diagnostics
    assert (diagnostic.code, diagnostic.path) == ("MT120", "a.xml")
    assert "cannot be read (Permission denied)" in diagnostic.found
    assert len(found.results) == 1


# -- the cache ------------------------------------------------------------------------------


def no_parsing(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(data: bytes, source: str) -> object:
        raise AssertionError(f"{source} was parsed again")

    import medtrace.results.junit

    monkeypatch.setattr(medtrace.results.junit, "parse_junit", refuse)


def test_a_warm_run_reads_from_the_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write(tmp_path / "r" / "a.xml", FAILING)
    write(tmp_path / "r" / "bad.xml", b"<nope/>")
    cache = tmp_path / ".medtrace" / "cache"
    cold = load_results(tmp_path, ["r/*.xml"], cache_dir=cache)
    cache_file = FileCache(cache, "results", loader_module.SALT).file
    assert cache_file is not None and cache_file.is_file()
    no_parsing(monkeypatch)
    warm = load_results(tmp_path, ["r/*.xml"], cache_dir=cache)
    assert warm == cold
    assert [d.code for d in warm.diagnostics] == ["MT120"]  # problems are cached too


def test_a_changed_file_is_parsed_again(tmp_path: Path) -> None:
    path = write(tmp_path / "a.xml", PASSING)
    cache = tmp_path / "cache"
    assert counts(load_results(tmp_path, ["a.xml"], cache_dir=cache).results) == (1, 0, 0, 0)
    write(path, FAILING, mtime=HOUR_AGO + 10)
    assert counts(load_results(tmp_path, ["a.xml"], cache_dir=cache).results) == (0, 1, 0, 0)


def test_a_file_changed_within_the_same_second_is_parsed_again(tmp_path: Path) -> None:
    path = write(tmp_path / "a.xml", PASSING, mtime=time.time())
    cache = tmp_path / "cache"
    load_results(tmp_path, ["a.xml"], cache_dir=cache)
    stat = path.stat()
    path.write_bytes(FAILING.replace(b"boom", b"bang"))  # same size class, maybe the same mtime
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    (result,) = load_results(tmp_path, ["a.xml"], cache_dir=cache).results
    assert result.message == "bang"


def test_results_are_cached_per_root(tmp_path: Path) -> None:
    """The same file seen from another root has another source: not served from the cache."""
    write(tmp_path / "p" / "r" / "a.xml", PASSING)
    cache = tmp_path / "cache"
    load_results(tmp_path / "p", ["r/a.xml"], cache_dir=cache)
    found = load_results(tmp_path, ["p/r/a.xml"], cache_dir=cache)
    assert [r.source for r in found.results] == ["p/r/a.xml"]


def test_a_damaged_cache_is_ignored(tmp_path: Path) -> None:
    write(tmp_path / "a.xml", PASSING)
    cache = tmp_path / "cache"
    cache.mkdir()
    cache_file = FileCache(cache, "results", loader_module.SALT).file
    assert cache_file is not None
    cache_file.write_bytes(b"garbage")
    assert len(load_results(tmp_path, ["a.xml"], cache_dir=cache).results) == 1


# -- resident caches (medtrace.cache.resident) ---------------------------------------------


@pytest.mark.verifies("SRS-299")
@pytest.mark.usefixtures("resident_caches")
def test_a_resident_load_gives_the_cases_of_unchanged_files_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write(tmp_path / "r" / "a.xml", FAILING)
    changed = write(tmp_path / "r" / "b.xml", PASSING)
    cache = tmp_path / ".medtrace" / "cache"
    first = load_results(tmp_path, ["r/*.xml"], cache_dir=cache)
    with monkeypatch.context() as patch:
        no_parsing(patch)
        second = load_results(tmp_path, ["r/*.xml"], cache_dir=cache)
    assert second == first
    assert [id(r) for r in second.results] == [id(r) for r in first.results]
    write(changed, FAILING.replace(b"boom", b"bang"), mtime=HOUR_AGO + 10)
    third = load_results(tmp_path, ["r/*.xml"], cache_dir=cache)
    assert third == load_results(tmp_path, ["r/*.xml"])
    assert third.results[0] is first.results[0]
    assert [r.message for r in third.results] == ["boom", "bang"]


@pytest.mark.verifies("SRS-299")
@pytest.mark.usefixtures("resident_caches")
def test_a_resident_load_does_not_give_cases_to_another_root(tmp_path: Path) -> None:
    write(tmp_path / "p" / "r" / "a.xml", PASSING)
    cache = tmp_path / "cache"
    load_results(tmp_path / "p", ["r/a.xml"], cache_dir=cache)
    found = load_results(tmp_path, ["p/r/a.xml"], cache_dir=cache)
    assert [r.source for r in found.results] == ["p/r/a.xml"]


@pytest.mark.verifies("SRS-360")
def test_results_thawed_for_a_resident_process_are_equal_with_shared_strings(
    junit_dir: Path,
) -> None:
    from medtrace.cache.codec import pack, unpack
    from medtrace.results.junit import parse_junit

    name = "junit/" + sorted(p.name for p in junit_dir.glob("*.xml"))[-1]
    parsed = ("r.xml", *parse_junit((DATA / name).read_bytes(), "r.xml"))
    frozen = loader_module._frozen(parsed)
    plain = loader_module._thawed(unpack(pack(frozen)))
    shared = loader_module._thawed_shared(unpack(pack(frozen)))
    assert shared == plain and [r.values() for r in shared[1]] == [r.values() for r in parsed[1]]
    assert len(shared[1]) > 1
    first, second = shared[1][:2]
    assert first.source is second.source and first.suite is second.suite
    assert [r.name for r in shared[1]] == [r.name for r in plain[1]]


@pytest.mark.verifies("SRS-360")
def test_interning_leaves_values_other_than_strings_alone() -> None:
    assert loader_module._interned(None) is None
    assert loader_module._interned(7) == 7
    text = "".join(["sui", "te"])
    assert loader_module._interned(text) is loader_module._interned("suite")
