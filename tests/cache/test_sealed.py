"""Sealed cache files: read and written only in real folders, never through a link."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from medtrace.cache.sealed import MAGIC, read_sealed, write_sealed

pytestmark = pytest.mark.verifies("SRS-101", "SRS-103")


def folder(tmp_path: Path, project: str = "project") -> Path:
    """The cache folder of a project (the project's folder exists, as it always does)."""
    (tmp_path / project).mkdir(exist_ok=True)
    return tmp_path / project / ".medtrace" / "cache"


def test_a_body_is_read_back_as_written(tmp_path: Path) -> None:
    cache = folder(tmp_path)
    assert write_sealed(cache, "items.mtc", "salt", b"body")
    assert read_sealed(cache, "items.mtc", "salt") == b"body"
    data = (cache / "items.mtc").read_bytes()
    assert data.startswith(MAGIC) and data.endswith(b"body")
    assert (cache.parent / ".gitignore").read_text().splitlines()[-1] == "*"


def test_the_salt_and_the_name_are_part_of_the_seal(tmp_path: Path) -> None:
    cache = folder(tmp_path)
    write_sealed(cache, "items.mtc", "salt", b"body")
    assert read_sealed(cache, "items.mtc", "other salt") is None
    (cache / "tags.mtc").write_bytes((cache / "items.mtc").read_bytes())
    assert read_sealed(cache, "tags.mtc", "salt") is None


def test_an_unsealed_body_is_refused(tmp_path: Path) -> None:
    cache = folder(tmp_path)
    cache.mkdir(parents=True)
    (cache / "items.mtc").write_bytes(MAGIC + bytes(32) + b"body")
    assert read_sealed(cache, "items.mtc", "salt") is None


@pytest.mark.parametrize("linked", [".medtrace", ".medtrace/cache"])
def test_a_linked_cache_folder_is_neither_read_nor_written(tmp_path: Path, linked: str) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    project = tmp_path / "project"
    link = project / linked
    link.parent.mkdir(parents=True, exist_ok=True)
    link.symlink_to(outside, target_is_directory=True)
    assert not write_sealed(folder(tmp_path), "items.mtc", "salt", b"body")
    assert list(outside.iterdir()) == []
    # A sealed file placed behind the link (by an earlier medtrace, say) is not read either.
    real = folder(tmp_path, "real")
    assert write_sealed(real, "items.mtc", "salt", b"body")
    assert read_sealed(folder(tmp_path), "items.mtc", "salt") is None


@pytest.mark.parametrize("kind", ["dangling link", "link to a file", "folder"])
def test_a_gitignore_that_is_not_a_plain_file_disables_the_cache(tmp_path: Path, kind: str) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    medtrace = tmp_path / "project" / ".medtrace"
    medtrace.mkdir(parents=True)
    if kind == "dangling link":
        (medtrace / ".gitignore").symlink_to(outside / "authorized_keys")
    elif kind == "link to a file":
        (outside / "profile").write_text("mine\n")
        (medtrace / ".gitignore").symlink_to(outside / "profile")
    else:
        (medtrace / ".gitignore").mkdir()
    assert not write_sealed(folder(tmp_path), "items.mtc", "salt", b"body")
    assert sorted(p.name for p in outside.iterdir()) == (
        [] if kind != "link to a file" else ["profile"]
    )
    if kind == "link to a file":
        assert (outside / "profile").read_text() == "mine\n"
    assert not (medtrace / "cache").exists()


def test_a_linked_cache_file_is_not_read_and_replacing_it_spares_its_target(
    tmp_path: Path,
) -> None:
    cache = folder(tmp_path)
    write_sealed(cache, "items.mtc", "salt", b"body")
    target = tmp_path / "target.mtc"
    target.write_bytes((cache / "items.mtc").read_bytes())
    (cache / "items.mtc").unlink()
    (cache / "items.mtc").symlink_to(target)
    assert read_sealed(cache, "items.mtc", "salt") is None
    assert write_sealed(cache, "items.mtc", "salt", b"new")
    assert not (cache / "items.mtc").is_symlink()
    assert target.read_bytes().endswith(b"body"), "the link was replaced, not its target"


@pytest.mark.parametrize("special", ["fifo", "dev-zero", "folder"])
def test_special_files_in_place_of_a_cache_file_do_not_hang(tmp_path: Path, special: str) -> None:
    cache = folder(tmp_path)
    cache.mkdir(parents=True)
    path = cache / "items.mtc"
    if special == "fifo":
        os.mkfifo(path)
    elif special == "dev-zero":
        path.symlink_to("/dev/zero")
    else:
        path.mkdir()
    assert read_sealed(cache, "items.mtc", "salt") is None


def test_a_cache_folder_that_is_a_file(tmp_path: Path) -> None:
    medtrace = tmp_path / "project" / ".medtrace"
    medtrace.parent.mkdir(parents=True)
    medtrace.write_text("not a folder")
    assert not write_sealed(folder(tmp_path), "items.mtc", "salt", b"body")
    assert read_sealed(folder(tmp_path), "items.mtc", "salt") is None
    assert medtrace.read_text() == "not a folder"


def test_no_temporary_file_is_left_when_the_rename_fails(tmp_path: Path) -> None:
    cache = folder(tmp_path)
    cache.mkdir(parents=True)
    (cache / "items.mtc").mkdir()  # a folder in the way: the rename fails
    (cache / "items.mtc" / "x").write_text("x")
    assert not write_sealed(cache, "items.mtc", "salt", b"body")
    assert sorted(p.name for p in cache.iterdir()) == ["items.mtc"]


def test_where_links_cannot_be_refused_no_cache_is_used(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from medtrace.cache import sealed

    cache = folder(tmp_path)
    assert write_sealed(cache, "items.mtc", "salt", b"body")
    monkeypatch.setattr(sealed, "SUPPORTED", False)  # as on a system without O_NOFOLLOW
    assert read_sealed(cache, "items.mtc", "salt") is None
    assert not write_sealed(cache, "tags.mtc", "salt", b"body")
    assert not (cache / "tags.mtc").exists()


def test_no_temporary_file_is_left_when_the_body_fails(tmp_path: Path) -> None:
    cache = folder(tmp_path)
    write_sealed(cache, "items.mtc", "salt", b"old")

    def parts() -> Iterator[bytes]:
        yield b"part"
        raise MemoryError

    with pytest.raises(MemoryError):
        write_sealed(cache, "items.mtc", "salt", parts())
    assert sorted(p.name for p in cache.iterdir()) == ["items.mtc"]
    assert read_sealed(cache, "items.mtc", "salt") == b"old"


def test_a_body_in_parts_reads_back_whole(tmp_path: Path) -> None:
    cache = folder(tmp_path)
    assert write_sealed(cache, "items.mtc", "salt", iter([b"bo", b"", b"dy"]))
    assert read_sealed(cache, "items.mtc", "salt") == b"body"


@pytest.mark.verifies("SRS-72")
def test_what_a_killed_run_was_writing_is_removed_by_the_next_write(tmp_path: Path) -> None:
    import subprocess
    import sys

    dead = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
    cache = folder(tmp_path)
    cache.mkdir(parents=True)
    stale = cache / f".items.mtc.medtrace-{dead}-0123abcd.tmp"
    stale.write_bytes(MAGIC + b"half")
    live = cache / f".items.mtc.medtrace-{os.getppid()}-0123abcd.tmp"
    live.write_bytes(b"another run's work in progress")
    assert write_sealed(cache, "items.mtc", "salt", b"body")
    assert sorted(p.name for p in cache.iterdir()) == sorted([live.name, "items.mtc"])


@pytest.mark.verifies("SRS-72")
def test_a_sealed_temporary_file_is_named_like_every_other(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import re

    seen: list[str] = []
    real = os.replace

    def spy(src: str, dst: str, **kwargs: object) -> None:
        seen.append(os.fspath(src))
        real(src, dst, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "replace", spy)
    assert write_sealed(folder(tmp_path), "items.mtc", "salt", b"body")
    (name,) = seen
    assert re.fullmatch(rf"\.items\.mtc\.medtrace-{os.getpid()}-[0-9a-f]{{8}}\.tmp", name)
