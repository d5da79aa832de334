"""Fixtures shared by the tests of the core."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from helpers import Run

from medtrace.cli import main


@pytest.fixture(autouse=True, scope="session")
def _cache_key_home(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """medtrace's per-user cache key (under XDG_CACHE_HOME) is made in a temporary folder."""
    patch = pytest.MonkeyPatch()
    patch.setenv("XDG_CACHE_HOME", str(tmp_path_factory.mktemp("xdg-cache")))
    yield
    patch.undo()


@pytest.fixture
def cli(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> Callable[..., Run]:
    """Run ``medtrace ARGS`` in this process through its real entry point, ``main``."""
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.setenv("COLUMNS", "200")
    monkeypatch.delenv("FORCE_COLOR", raising=False)
    monkeypatch.delenv("MEDTRACE_DEBUG", raising=False)

    def run(*args: str) -> Run:
        capsys.readouterr()
        code = main(list(args))
        out, err = capsys.readouterr()
        return Run(int(code), out, err)

    return run


@pytest.fixture
def resident_caches(monkeypatch: pytest.MonkeyPatch) -> None:
    """Caches resident for this test only, with tables of their own."""
    from medtrace.cache import resident

    monkeypatch.setattr(resident, "_enabled", True)
    monkeypatch.setattr(resident, "_tables", {})
