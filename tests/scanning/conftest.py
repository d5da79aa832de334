"""Fixtures of the scanner's tests: write files in a temporary project and scan them."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import pytest

from medtrace.scanning import ScanResult, scan

from .helpers import Scanned, Write


@pytest.fixture
def write(tmp_path: Path) -> Write:
    def write(path: str, content: str | bytes) -> Path:
        target = tmp_path / path
        target.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, str):
            target.write_text(content, encoding="utf-8")
        else:
            target.write_bytes(content)
        return target

    return write


@pytest.fixture
def scanned(tmp_path: Path) -> Scanned:
    def run(
        sources: Sequence[str] = ("src/**",),
        tests: Sequence[str] = ("tests/**",),
        exclude: Sequence[str] = (),
        **options: object,
    ) -> ScanResult:
        return scan(tmp_path, sources, tests, exclude, **options)  # type: ignore[arg-type]

    return run
