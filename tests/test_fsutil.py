"""Writing files atomically, and never over a user's file unasked."""

from __future__ import annotations

import os
import re
import stat
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from medtrace import fsutil
from medtrace.errors import OutputError
from medtrace.fsutil import Action, OutputLog, plan_output, write_atomic, write_outputs

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


# --- permissions -------------------------------------------------------------------------------


@pytest.fixture
def umask_022() -> Iterator[None]:
    old = os.umask(0o022)
    try:
        yield
    finally:
        os.umask(old)


@pytest.mark.verifies("SRS-71")
def test_a_new_file_gets_the_umasks_permissions(tmp_path: Path, umask_022: None) -> None:
    write_atomic(tmp_path / "new.md", "x")
    assert stat.S_IMODE((tmp_path / "new.md").stat().st_mode) == 0o644


@pytest.mark.verifies("SRS-71")
def test_another_umask(tmp_path: Path) -> None:
    old = os.umask(0o077)
    try:
        write_atomic(tmp_path / "private.md", "x")
    finally:
        os.umask(old)
    assert stat.S_IMODE((tmp_path / "private.md").stat().st_mode) == 0o600


@pytest.mark.verifies("SRS-71")
@pytest.mark.parametrize("mode", [0o600, 0o640, 0o755])
def test_a_replaced_file_keeps_its_mode(tmp_path: Path, umask_022: None, mode: int) -> None:
    target = tmp_path / "kept.md"
    target.write_text("old")
    target.chmod(mode)
    write_atomic(target, "new")
    assert (target.read_text(), stat.S_IMODE(target.stat().st_mode)) == ("new", mode)


# --- the one output rule -----------------------------------------------------------------------


def _ours(path: Path) -> bool:
    return path.read_text() == "generated"


@pytest.mark.verifies("SRS-70")
def test_a_missing_file_is_created(tmp_path: Path) -> None:
    assert plan_output(tmp_path / "new.txt").action is Action.CREATE


@pytest.mark.verifies("SRS-70")
def test_a_users_file_is_refused_unless_forced(tmp_path: Path) -> None:
    target = tmp_path / "README.md"
    target.write_text("mine")
    with pytest.raises(OutputError, match="not written by medtrace"):
        plan_output(target, ours=_ours)
    assert plan_output(target, ours=_ours, force=True).action is Action.REPLACE


@pytest.mark.verifies("SRS-70")
def test_a_generated_file_is_replaced(tmp_path: Path) -> None:
    (tmp_path / "m.md").write_text("generated")
    assert plan_output(tmp_path / "m.md", ours=_ours).action is Action.REPLACE


@pytest.mark.verifies("SRS-70")
def test_nothing_is_replaced_when_replacing_is_off(tmp_path: Path) -> None:
    (tmp_path / "m.md").write_text("generated")
    with pytest.raises(OutputError, match="never overwrites"):
        plan_output(tmp_path / "m.md", ours=_ours, force=True, replace=False)


@pytest.mark.verifies("SRS-70")
def test_a_folder_is_refused(tmp_path: Path) -> None:
    with pytest.raises(OutputError, match="is a directory"):
        plan_output(tmp_path)


@pytest.mark.verifies("SRS-70")
@pytest.mark.parametrize("name", ["-", "/dev/stdout", "/dev/stderr"])
def test_the_streams(name: str) -> None:
    plan = plan_output(name)
    assert (plan.action, plan.fd) == (Action.STREAM, 2 if "err" in name else 1)


@pytest.mark.verifies("SRS-70")
def test_a_symlink_to_a_file_is_refused(tmp_path: Path) -> None:
    (tmp_path / "real.md").write_text("generated")
    (tmp_path / "link.md").symlink_to("real.md")
    with pytest.raises(OutputError, match="is a symbolic link"):
        plan_output(tmp_path / "link.md", ours=_ours)
    with pytest.raises(OutputError, match="is a symbolic link"):
        plan_output(tmp_path / "link.md", force=True, replace=False)


@pytest.mark.verifies("SRS-70")
def test_a_forced_symlink_writes_where_it_points_and_stays(tmp_path: Path) -> None:
    (tmp_path / "real.md").write_text("mine")
    (tmp_path / "link.md").symlink_to("real.md")
    (tmp_path / "dangling.md").symlink_to("absent.md")
    write_outputs({tmp_path / "link.md": "new", tmp_path / "dangling.md": "made"}, force=True)
    assert (tmp_path / "link.md").is_symlink() and (tmp_path / "real.md").read_text() == "new"
    assert (tmp_path / "dangling.md").is_symlink() and (
        tmp_path / "absent.md"
    ).read_text() == "made"


@pytest.mark.verifies("SRS-70")
def test_a_device_is_written_through_never_replaced() -> None:
    before = Path("/dev/null").stat()
    plans = write_outputs({Path("/dev/null"): "nothing to see"}, force=True)
    assert [p.action for p in plans] == [Action.THROUGH]
    after = Path("/dev/null").stat()
    assert stat.S_ISCHR(after.st_mode) and after.st_ino == before.st_ino


@pytest.mark.verifies("SRS-70")
@pytest.mark.skipif(not Path("/dev/full").exists(), reason="no /dev/full")
def test_a_full_device_is_a_clear_error() -> None:
    with pytest.raises(OutputError, match="cannot write /dev/full: No space left on device"):
        write_outputs({Path("/dev/full"): "x"})
    assert stat.S_ISCHR(Path("/dev/full").stat().st_mode)


@pytest.mark.verifies("SRS-70")
def test_a_fifo_is_written_through(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    got: list[bytes] = []
    reader = threading.Thread(target=lambda: got.append(fifo.read_bytes()))
    reader.start()
    write_outputs({fifo: "through the pipe\n"})
    reader.join(timeout=30)
    assert got == [b"through the pipe\n"]
    assert stat.S_ISFIFO(fifo.lstat().st_mode)


@pytest.mark.verifies("SRS-70")
def test_a_symlink_to_a_device_is_written_through(tmp_path: Path) -> None:
    (tmp_path / "null").symlink_to("/dev/null")
    assert plan_output(tmp_path / "null").action is Action.THROUGH
    write_outputs({tmp_path / "null": "x"})
    assert (tmp_path / "null").is_symlink()


@pytest.mark.verifies("SRS-70")
def test_one_refused_target_stops_every_write(tmp_path: Path) -> None:
    (tmp_path / "b.csv").write_text("mine")
    with pytest.raises(OutputError):
        write_outputs({tmp_path / "a.csv": "1", tmp_path / "b.csv": "2"})
    assert sorted(p.name for p in tmp_path.iterdir()) == ["b.csv"]


@pytest.mark.verifies("SRS-70")
def test_a_file_in_the_way_of_the_folder(tmp_path: Path) -> None:
    (tmp_path / "file").write_text("x")
    with pytest.raises(OutputError, match="cannot write"):
        write_outputs({tmp_path / "file" / "sub" / "m.md": "x"})


@pytest.mark.verifies("SRS-70")
def test_missing_folders_are_made(tmp_path: Path) -> None:
    write_outputs({tmp_path / "a" / "b" / "m.md": "x"})
    assert (tmp_path / "a" / "b" / "m.md").read_text() == "x"


# --- temporary files of killed runs --------------------------------------------------------------


def _dead_pid() -> int:
    done = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"],
        check=True,
        capture_output=True,
        text=True,
    )
    return int(done.stdout)


@pytest.mark.verifies("SRS-72")
def test_temporary_files_of_dead_runs_are_removed(tmp_path: Path) -> None:
    stale = tmp_path / f".m.md.medtrace-{_dead_pid()}-0123abcd.tmp"
    stale.write_text("half")
    live = tmp_path / f".m.md.medtrace-{os.getppid()}-0123abcd.tmp"
    live.write_text("in progress")
    foreign = tmp_path / ".m.md.tmp"
    foreign.write_text("not ours")
    write_atomic(tmp_path / "m.md", "x")
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([live.name, foreign.name, "m.md"])


@pytest.mark.verifies("SRS-72")
def test_a_temporary_file_is_named_recognisably(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen: list[str] = []
    real = fsutil._create_temp

    def spy(path: Path) -> tuple[int, Path]:
        fd, tmp = real(path)
        seen.append(tmp.name)
        return fd, tmp

    monkeypatch.setattr(fsutil, "_create_temp", spy)
    write_atomic(tmp_path / "matrix.md", "x")
    (name,) = seen
    assert re.fullmatch(rf"\.matrix\.md\.medtrace-{os.getpid()}-[0-9a-f]{{8}}\.tmp", name)


# --- the record of outputs -------------------------------------------------------------------------


@pytest.mark.verifies("SRS-72")
def test_the_log_knows_old_and_new_until_settled(tmp_path: Path) -> None:
    log = OutputLog(tmp_path / ".medtrace" / "outputs.json")
    target = tmp_path / "m.csv"
    write_outputs({target: "old"}, log=log)
    assert log.owns(target)
    log.expect({target: b"new"})  # a run killed before its rename
    assert log.owns(target)
    target.write_text("new")  # ... or after it
    assert log.owns(target)
    log.settle({target: b"new"})
    target.write_text("old")
    assert not log.owns(target), "once settled only the current content counts"
    assert (tmp_path / ".medtrace" / ".gitignore").read_text().endswith("*\n")


@pytest.mark.verifies("SRS-72")
def test_a_log_that_cannot_be_written_does_not_stop_the_output(tmp_path: Path) -> None:
    (tmp_path / "blocker").write_text("a file where the log's folder would be")
    log = OutputLog(tmp_path / "blocker" / "outputs.json")
    write_outputs({tmp_path / "m.md": "x"}, log=log)
    assert (tmp_path / "m.md").read_text() == "x"


@pytest.mark.verifies("SRS-70")
def test_a_loop_of_links_is_a_clear_error(tmp_path: Path) -> None:
    (tmp_path / "a").symlink_to("b")
    (tmp_path / "b").symlink_to("a")
    with pytest.raises(OutputError, match="symbolic link"):
        plan_output(tmp_path / "a")
    with pytest.raises(OutputError, match="symbolic link"):
        plan_output(tmp_path / "a", force=True)
