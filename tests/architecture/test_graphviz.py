"""DOT generation and the layout run out of process: missing, failing, hanging Graphviz."""

from __future__ import annotations

import os
import shutil
import stat
from pathlib import Path

import pytest

from medtrace.architecture import Architecture, build_view
from medtrace.architecture import graphviz as gv
from medtrace.errors import LayoutError

pytestmark = pytest.mark.verifies("SRS-143")

needs_dot = pytest.mark.skipif(shutil.which("dot") is None, reason="Graphviz is not installed")


def _fake_dot(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, script: str) -> None:
    """Put a program called 'dot' running ``script`` (sh) first on the PATH."""
    folder = tmp_path / "bin"
    folder.mkdir()
    program = folder / "dot"
    program.write_text(f"#!/bin/sh\n{script}\n", encoding="utf-8")
    program.chmod(program.stat().st_mode | stat.S_IXUSR)
    monkeypatch.setenv("PATH", f"{folder}{os.pathsep}{os.environ.get('PATH', '')}")


def test_names_are_generated_and_boxes_link_to_their_page(example: Architecture) -> None:
    dot = gv.to_dot(build_view(example, "system"), "items/")
    assert "subgraph cluster_g" in dot
    assert 'URL="items/phone-app.html"' in dot
    assert "phone-app [" not in dot  # node names never come from the model
    assert "URL=" not in gv.to_dot(build_view(example, "system"), None)


def test_no_graphviz_is_a_clear_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", "")
    with pytest.raises(LayoutError, match=r"Graphviz is not installed.*apt-get install graphviz"):
        gv.layout("digraph { a }")


def test_a_hanging_layout_is_stopped(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _fake_dot(tmp_path, monkeypatch, "exec sleep 30")
    with pytest.raises(LayoutError, match=r"more than 0\.5 s"):
        gv.layout("digraph { a }", timeout=0.5)


def test_a_crashing_layout_is_one_message(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _fake_dot(tmp_path, monkeypatch, 'echo "Error: trouble in init_rank" >&2; kill -ABRT $$')
    with pytest.raises(LayoutError, match="Graphviz failed to lay out the diagram: Error: trouble"):
        gv.layout("digraph { a }")


@needs_dot
def test_real_graphviz_lays_out_the_example(example: Architecture) -> None:
    svg = gv.layout(gv.to_dot(build_view(example, "pump-firmware"), "items/"), "svg")
    assert svg.lstrip().startswith("<?xml")
    assert "Pump command frame" in svg
    assert 'xlink:href="items/command-parser.html"' in svg


@needs_dot
def test_bad_dot_is_reported_by_graphviz() -> None:
    with pytest.raises(LayoutError, match="Graphviz failed"):
        gv.layout("digraph { a -> }")
