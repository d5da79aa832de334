"""The ``serve`` fixture: a running ``medtrace serve`` for a test project."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from serve.serve_helpers import Served


@pytest.fixture
def serve() -> Iterator[object]:
    """``serve(root)`` starts a server for ``root``; every server started is stopped after."""
    started: list[Served] = []

    def start(root: Path) -> Served:
        served = Served(root, root.parent / f"{root.name}-serve-{len(started)}.log")
        started.append(served)
        return served

    yield start
    for served in started:
        if served.process.poll() is None:
            served.process.kill()
            served.process.wait(timeout=30)
