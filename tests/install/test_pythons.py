"""The supported Pythons: the oldest 3.11 of the machine is among those the installed wheel is
tested with, and the project declares one oldest version everywhere."""

from __future__ import annotations

import os
import tomllib
from pathlib import Path

import pytest
from helpers import in_ci

from .conftest import interpreters, run
from .oldest_python import candidates, oldest, version

pytestmark = pytest.mark.verifies("SRS-31")

REPO = Path(__file__).resolve().parents[2]


def test_the_oldest_python_3_11_of_the_machine_is_tested() -> None:
    found = oldest()
    if found is None:
        pytest.skip("no Python 3.11 on this machine")
    if "MEDTRACE_INSTALL_PYTHONS" not in os.environ and not in_ci():
        pytest.skip("run through 'make install-test', which names the Pythons to test with")
    wanted = ".".join(map(str, version(found) or ()))
    assert wanted in [p.id for p in interpreters()], f"{found} ({wanted}) is not tested"


def test_the_finder_returns_the_oldest_python_3_11() -> None:
    found = oldest()
    if found is None:
        pytest.skip("no Python 3.11 on this machine")
    mine = version(found)
    assert mine is not None and mine[:2] == (3, 11)
    others = [v for p in candidates() if (v := version(p)) is not None and v[:2] == (3, 11)]
    assert mine == min(others)
    probe = run(found, "-c", "import sys; print(sys.version_info[:2] >= (3, 11))")
    assert probe.out.strip() == "True"


def test_one_oldest_python_everywhere() -> None:
    project = tomllib.loads((REPO / "pyproject.toml").read_text("utf-8"))
    assert project["project"]["requires-python"] == ">=3.11"
    assert project["tool"]["mypy"]["python_version"] == "3.11"
    assert project["tool"]["ruff"]["target-version"] == "py311"
    makefile = (REPO / "Makefile").read_text("utf-8")
    assert "sys.version_info < (3, 11)" in makefile
