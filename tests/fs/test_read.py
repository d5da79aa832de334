"""Reading an input file: regular files only, never more than the limit, never blocking."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from medtrace.fs import read as reading
from medtrace.fs.read import Refusal, read_regular

pytestmark = pytest.mark.verifies("SRS-53")


def test_a_regular_file_is_read_whole(tmp_path: Path) -> None:
    path = tmp_path / "a.yaml"
    path.write_bytes(b"x" * 10)
    content = read_regular(str(path), 10)
    assert content.ok and content.data == b"x" * 10
    assert content.stat is not None and content.stat.st_size == 10


def test_a_file_over_the_limit_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "a.yaml"
    path.write_bytes(b"x" * 11)
    content = read_regular(str(path), 10)
    assert (content.refusal, content.reason, content.data) == (Refusal.TOO_LARGE, "11 bytes", b"")


def test_the_limit_holds_whatever_the_size_said(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A file that grows after its size was taken (or a size of 0, as devices say) is still
    read no further than the limit plus one byte."""
    path = tmp_path / "growing.log"
    path.write_bytes(b"x" * 5000)
    asked = _reads(monkeypatch, size_said=0)
    content = read_regular(str(path), 100)
    assert (content.refusal, content.reason) == (Refusal.TOO_LARGE, "more than 100 bytes")
    assert sum(asked) <= 101


def test_a_fifo_is_refused_without_waiting_for_a_writer(tmp_path: Path) -> None:
    """Run in a child process with a timeout: a blocking open would hang the test run."""
    fifo = tmp_path / "items.yaml"
    os.mkfifo(fifo)
    code = textwrap.dedent(
        f"""
        from medtrace.fs.read import read_regular
        content = read_regular({str(fifo)!r}, 1000)
        print(content.refusal.value, content.reason, sep="|")
        """
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=True
    )
    assert done.stdout.strip() == "special|a named pipe (FIFO)"


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="no /dev/zero on this system")
def test_a_device_is_refused_before_any_byte_is_read(tmp_path: Path) -> None:
    link = tmp_path / "zero.md"
    link.symlink_to("/dev/zero")
    content = read_regular(str(link), 1_000_000)
    assert (content.refusal, content.reason, content.data) == (
        Refusal.SPECIAL,
        "a character device",
        b"",
    )


def test_a_file_replaced_since_it_was_found_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "a.md"
    path.write_text("first")
    found = path.stat()
    path.rename(tmp_path / "kept.md")  # kept: its inode cannot be reused
    (tmp_path / "other.md").write_text("second")
    (tmp_path / "other.md").rename(path)
    assert read_regular(str(path), 100, found).refusal is Refusal.CHANGED
    assert read_regular(str(path), 100, path.stat()).data == b"second"


def test_a_missing_file_and_a_link_loop(tmp_path: Path) -> None:
    assert read_regular(str(tmp_path / "gone.md"), 10).reason == (
        "broken symbolic link or missing file"
    )
    (tmp_path / "loop.md").symlink_to("loop.md")
    content = read_regular(str(tmp_path / "loop.md"), 10)
    assert (content.refusal, content.reason) == (Refusal.UNREADABLE, "symbolic link loop")


def test_a_folder_is_not_a_file(tmp_path: Path) -> None:
    content = read_regular(str(tmp_path), 10)
    assert not content.ok and content.refusal in (Refusal.SPECIAL, Refusal.UNREADABLE)


def _reads(monkeypatch: pytest.MonkeyPatch, size_said: int | None = None) -> list[int]:
    """The sizes asked of ``os.read``; with ``size_said``, the size fstat gives instead."""
    real_fstat, real_read = os.fstat, os.read
    asked: list[int] = []

    def fstat(fd: int) -> os.stat_result:
        fields = list(real_fstat(fd))
        fields[6] = fields[6] if size_said is None else size_said
        return os.stat_result(fields)

    def read(fd: int, size: int) -> bytes:
        asked.append(size)
        return real_read(fd, size)

    monkeypatch.setattr(reading.os, "fstat", fstat)
    monkeypatch.setattr(reading.os, "read", read)
    return asked


@pytest.mark.verifies("SRS-350")
def test_a_regular_file_is_read_in_one_call(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "SRS-1.md"
    path.write_bytes(b"---\nid: SRS-1\n---\n")
    asked = _reads(monkeypatch)
    content = read_regular(str(path), 1000)
    assert content.data == path.read_bytes() and asked == [len(content.data) + 1]


@pytest.mark.verifies("SRS-350")
@pytest.mark.parametrize("size_said", [0, 3, 9, 11, 40])
def test_a_file_whose_size_changed_since_fstat_is_read_to_its_end(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, size_said: int
) -> None:
    """Grown (fstat said less), shrunk (more) or a size of 0: read until a read gives nothing,
    as without the shortcut."""
    path = tmp_path / "a.yaml"
    path.write_bytes(b"0123456789")
    asked = _reads(monkeypatch, size_said)
    content = read_regular(str(path), 1000)
    assert content.ok and content.data == b"0123456789"
    assert len(asked) >= 2  # the end was found by an empty read
