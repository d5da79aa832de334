"""Writing files atomically, and never over a user's file unasked."""

from __future__ import annotations

from pathlib import Path

import pytest

from medtrace.fsutil import write_atomic

pytestmark = pytest.mark.verifies("SRS-17")


def test_writes_text_as_utf8_and_makes_folders(tmp_path: Path) -> None:
    target = tmp_path / "a" / "b" / "out.md"
    write_atomic(target, "Café → ok\n")
    assert target.read_bytes() == "Café → ok\n".encode()


def test_writes_bytes_unchanged(tmp_path: Path) -> None:
    write_atomic(tmp_path / "out.bin", b"\x00\xff")
    assert (tmp_path / "out.bin").read_bytes() == b"\x00\xff"


def test_overwrites_by_default(tmp_path: Path) -> None:
    target = tmp_path / "out.txt"
    target.write_text("old")
    write_atomic(target, "new")
    assert target.read_text() == "new"


def test_never_overwrites_when_told_not_to(tmp_path: Path) -> None:
    target = tmp_path / "medtrace.toml"
    target.write_text("mine")
    with pytest.raises(FileExistsError):
        write_atomic(target, "theirs", overwrite=False)
    assert target.read_text() == "mine"


def test_new_file_without_overwrite(tmp_path: Path) -> None:
    write_atomic(tmp_path / "new.txt", "x", overwrite=False)
    assert (tmp_path / "new.txt").read_text() == "x"


def test_no_temporary_file_is_left(tmp_path: Path) -> None:
    write_atomic(tmp_path / "a.txt", "1")
    (tmp_path / "b.txt").write_text("keep")
    with pytest.raises(FileExistsError):
        write_atomic(tmp_path / "b.txt", "2", overwrite=False)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.txt", "b.txt"]


def test_a_symlink_in_the_way_is_not_followed_without_overwrite(tmp_path: Path) -> None:
    (tmp_path / "target.txt").write_text("precious")
    (tmp_path / "link.txt").symlink_to("target.txt")
    with pytest.raises(FileExistsError):
        write_atomic(tmp_path / "link.txt", "new", overwrite=False)
    assert (tmp_path / "target.txt").read_text() == "precious"


def test_a_dangling_symlink_in_the_way_is_not_replaced(tmp_path: Path) -> None:
    (tmp_path / "link.txt").symlink_to("nowhere.txt")
    with pytest.raises(FileExistsError):
        write_atomic(tmp_path / "link.txt", "new", overwrite=False)
    assert (tmp_path / "link.txt").is_symlink()
    assert not (tmp_path / "nowhere.txt").exists()
