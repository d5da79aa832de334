"""The lock file: written one sorted entry per line, read back, and never a traceback on a
malformed one."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from medtrace.review import Lock, Review, dump_lock, load_lock, save_lock

pytestmark = pytest.mark.verifies("SRS-246")

FP = "a" * 64
FP2 = "b" * 64


def _lock(root: Path) -> Lock:
    lock = Lock(root / "medtrace.lock")
    lock.links[("SRS-2", "SYS-1")] = Review(FP, "Ann <ann@example.org>", "2026-01-05T10:00:00Z")
    lock.links[("tests/test_a.py::test_x", "SRS-2")] = Review(FP2, "Bo", "2026-01-06T10:00:00Z")
    lock.approvals["SRS-2"] = [Review(FP2, 'Zoë "Q" \x7f', "2026-01-07T10:00:00Z")]
    return lock


def test_a_saved_lock_reads_back_the_same(tmp_path: Path) -> None:
    lock = _lock(tmp_path)
    save_lock(lock)
    again = load_lock(tmp_path)
    assert again.exists and not again.problems
    assert again.links == lock.links
    assert again.approvals == lock.approvals


def test_one_entry_per_line_sorted(tmp_path: Path) -> None:
    text = dump_lock(_lock(tmp_path))
    lines = text.splitlines()
    entries = [line for line in lines if line.startswith('"')]
    assert entries[0].startswith('"SRS-2 -> SYS-1" = {')
    assert entries[1].startswith('"tests/test_a.py::test_x -> SRS-2" = {')
    assert entries[2].startswith('"SRS-2" = [{')
    assert tomllib.loads(text)["version"] == 1


def test_no_lock_file_is_an_empty_lock(tmp_path: Path) -> None:
    lock = load_lock(tmp_path)
    assert not lock.exists and not lock.links and not lock.problems


def test_invalid_toml_is_a_located_diagnostic(tmp_path: Path) -> None:
    (tmp_path / "medtrace.lock").write_text('version = 1\n[links]\n"a -> b" = {\n')
    lock = load_lock(tmp_path)
    assert lock.exists
    [problem] = lock.problems
    assert problem.code == "MT214" and problem.path == "medtrace.lock"
    assert problem.line == 3
    assert "not valid TOML" in problem.found


def test_a_bad_entry_is_reported_and_the_others_are_kept(tmp_path: Path) -> None:
    (tmp_path / "medtrace.lock").write_text(
        "version = 1\n[links]\n"
        f'"SRS-1 -> SYS-1" = {{ fingerprint = "{FP}", by = "a", at = "t" }}\n'
        '"SRS-2 -> SYS-1" = { fingerprint = "short", by = "a", at = "t" }\n'
        f'"no arrow" = {{ fingerprint = "{FP}" }}\n'
        "[approvals]\n"
        '"SRS-1" = 3\n'
    )
    lock = load_lock(tmp_path)
    assert list(lock.links) == [("SRS-1", "SYS-1")]
    assert sorted(p.line for p in lock.problems) == [4, 5, 7]
    assert all(p.code == "MT214" and p.hint for p in lock.problems)


def test_an_unknown_version_is_reported(tmp_path: Path) -> None:
    (tmp_path / "medtrace.lock").write_text("version = 7\n")
    [problem] = load_lock(tmp_path).problems
    assert "version 7" in problem.found


def test_a_folder_in_place_of_the_lock_is_reported(tmp_path: Path) -> None:
    (tmp_path / "medtrace.lock").mkdir()
    [problem] = load_lock(tmp_path).problems
    assert "cannot read" in problem.found


def test_a_hostile_nesting_is_a_diagnostic(tmp_path: Path) -> None:
    (tmp_path / "medtrace.lock").write_text("a = " + "[" * 50_000 + "]" * 50_000 + "\n")
    [problem] = load_lock(tmp_path).problems
    assert "nested too deeply" in problem.found


def test_bytes_that_are_not_utf8_are_a_diagnostic(tmp_path: Path) -> None:
    (tmp_path / "medtrace.lock").write_bytes(b'version = 1\n[links]\n"\xff -> b" = 3\n')
    problems = load_lock(tmp_path).problems
    assert problems and all(p.code == "MT214" for p in problems)
