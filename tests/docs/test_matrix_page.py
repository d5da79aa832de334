"""``medtrace docs matrix`` names every view, format, status and option the matrix has."""

from __future__ import annotations

import pytest

from medtrace.cli.matrix import matrix
from medtrace.docs import read_topic
from medtrace.render.matrix import FORMATS
from medtrace.tracing.matrix import KIND_ALIASES, VIEWS
from medtrace.tracing.model import Status

pytestmark = pytest.mark.verifies("SRS-33")


def _page() -> str:
    text = read_topic("matrix")
    assert text is not None
    return text


@pytest.mark.parametrize("view", list(VIEWS))
def test_every_view_has_its_row(view: str) -> None:
    assert f"| `{view}` |" in _page()


@pytest.mark.parametrize("fmt", sorted(FORMATS))
def test_every_format_has_its_row(fmt: str) -> None:
    assert f"| `{fmt}` |" in _page()


@pytest.mark.parametrize("status", [s.value for s in Status])
def test_every_status_has_its_row(status: str) -> None:
    assert f"| `{status}` |" in _page()


def test_every_kind_alias_is_named() -> None:
    for alias in KIND_ALIASES:
        assert f"`{alias}`" in _page(), alias


def test_every_option_of_the_command_is_described() -> None:
    options = [p.opts for p in matrix.params if p.opts and p.opts[0].startswith("-")]
    assert options
    for opts in options:
        assert any(f"| `{opt}" in _page() for opt in opts), opts
