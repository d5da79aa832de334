"""The per-user cache key: private, outside the project, made once, refused when not private."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from medtrace.cache import key
from medtrace.cache.key import KEY_BYTES, key_path, user_key

pytestmark = pytest.mark.verifies("SRS-102")


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A fresh XDG_CACHE_HOME, and no key remembered from earlier in the process."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    monkeypatch.setattr(key, "_loaded", {})
    return tmp_path / "xdg"


def test_the_key_is_made_private_on_first_use(home: Path) -> None:
    made = user_key()
    path = home / "medtrace" / "key"
    assert key_path() == path
    assert made is not None and len(made) == KEY_BYTES
    assert path.read_bytes() == made
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    assert [p.name for p in path.parent.iterdir()] == ["key"], "no temporary file left"


def test_the_same_key_is_used_again(home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    first = user_key()
    monkeypatch.setattr(key, "_loaded", {})  # another process
    assert user_key() == first


def test_without_xdg_the_key_is_under_the_home(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HOME", str(tmp_path))
    for value in ("", "relative/path"):
        monkeypatch.setenv("XDG_CACHE_HOME", value)
        assert key_path() == tmp_path / ".cache" / "medtrace" / "key"


def test_a_key_readable_by_others_is_not_used(home: Path) -> None:
    path = home / "medtrace" / "key"
    path.parent.mkdir(parents=True)
    path.write_bytes(b"k" * KEY_BYTES)
    path.chmod(0o644)
    assert user_key() is None
    assert path.read_bytes() == b"k" * KEY_BYTES, "left as it is"


@pytest.mark.parametrize("content", [b"", b"short", b"k" * (KEY_BYTES + 1)])
def test_a_key_of_the_wrong_size_is_not_used(home: Path, content: bytes) -> None:
    path = home / "medtrace" / "key"
    path.parent.mkdir(parents=True)
    path.write_bytes(content)
    path.chmod(0o600)
    assert user_key() is None


def test_a_linked_key_is_not_followed(home: Path, tmp_path: Path) -> None:
    secret = tmp_path / "elsewhere"
    secret.write_bytes(b"s" * KEY_BYTES)
    secret.chmod(0o600)
    (home / "medtrace").mkdir(parents=True)
    (home / "medtrace" / "key").symlink_to(secret)
    assert user_key() is None


def test_no_key_when_it_cannot_be_made(home: Path) -> None:
    home.parent.mkdir(parents=True, exist_ok=True)
    home.write_text("a file where the folder should be")
    assert user_key() is None


def test_only_a_regular_private_file_of_this_user_is_private() -> None:
    uid = os.geteuid()
    regular = os.stat_result((stat.S_IFREG | 0o600, 0, 0, 1, uid, 0, 32, 0, 0, 0))
    fifo = os.stat_result((stat.S_IFIFO | 0o600, 0, 0, 1, uid, 0, 32, 0, 0, 0))
    shared = os.stat_result((stat.S_IFREG | 0o640, 0, 0, 1, uid, 0, 32, 0, 0, 0))
    other = os.stat_result((stat.S_IFREG | 0o600, 0, 0, 1, uid + 1, 0, 32, 0, 0, 0))
    assert [key._private(s) for s in (regular, fifo, shared, other)] == [True, False, False, False]


def test_a_cache_is_not_written_without_a_key(home: Path, tmp_path: Path) -> None:
    from medtrace.cache import FileCache

    home.parent.mkdir(parents=True, exist_ok=True)
    home.write_text("blocks the key folder")
    (tmp_path / "a.md").write_text("alpha")
    st = (tmp_path / "a.md").stat()
    cache = FileCache(tmp_path / "cache", "items", "s1")
    cache.put("a.md", st, b"alpha", "ALPHA")
    cache.save()
    assert not (tmp_path / "cache").exists()
