"""The server gives the C allocator's free pages back (glibc's malloc_trim)."""

from __future__ import annotations

import gc
import io
from pathlib import Path

import pytest

from medtrace.serve import server as server_module
from medtrace.serve import trim

pytestmark = pytest.mark.verifies("SRS-362")


def _resident_kib() -> int:
    for line in Path("/proc/self/status").read_text(encoding="ascii").splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    raise AssertionError("no VmRSS")


@pytest.mark.skipif(trim._malloc_trim() is None, reason="not glibc")
def test_free_pages_of_the_c_heap_are_given_back() -> None:
    # blocks over 512 bytes come from malloc; the last one kept pins the top of the heap, so
    # that freeing the others returns nothing to the system by itself
    blocks = [bytes(2000) + bytes([n % 256]) for n in range(20_000)]
    pinned = blocks[-1]
    del blocks[:-1]
    before = _resident_kib()
    assert trim.release_free_memory()
    after = _resident_kib()
    assert before - after > 10_000, (before, after)  # of about 40 MB freed
    assert pinned[-1] == 19_999 % 256  # the object in use is untouched


def test_without_glibc_nothing_is_done(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(trim, "_looked_up", True)
    monkeypatch.setattr(trim, "_trim", None)
    assert trim.release_free_memory() is False


def test_the_server_gives_memory_back_after_reading_and_collecting(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    calls: list[str] = []
    monkeypatch.setattr(server_module, "release_free_memory", lambda: calls.append("trim"))
    read = server_module.Server(
        tmp_path / "medtrace.toml", 1.0, io.StringIO(), lambda root: calls.append("read")
    )
    try:
        assert read._prepare(always=True)
        read._collect()
    finally:
        gc.unfreeze()  # (what the server froze is this test process's)
    assert calls == ["read", "trim", "trim"]
