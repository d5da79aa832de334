"""DOT generation and the layout run out of process: missing, failing, hanging Graphviz."""

from __future__ import annotations

import os
import shutil
import stat
from pathlib import Path

import pytest

from medtrace.architecture import Architecture, build_view
from medtrace.architecture import graphviz as gv
from medtrace.architecture.views import Box, Edge, Group, View
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


@pytest.mark.verifies("SRS-190")
def test_a_flow_label_is_a_node_in_the_innermost_group_of_both_ends() -> None:
    """Each labelled flow passes through its label node, placed in the innermost group holding
    both ends (outside a group the flow points at); the arrowheads stay at the real ends."""
    view = View(
        name="system",
        title="t",
        boxes=[
            Box("app", "App", "system", "", "C", group="phone"),
            Box("os", "OS", "external", "", group="phone"),
            Box("pump", "Pump", "system", "", "C", group="device"),
        ],
        groups=[Group("phone", "Phone", ""), Group("device", "Device", "")],
        edges=[
            Edge("app", "os", "flow", "pairing", two_way=True),
            Edge("app", "pump", "flow", "bolus", safety=True),
            Edge("app", "device", "flow", "wake-up"),
            Edge("os", "app", "uses"),
        ],
    )
    names = gv.Names.of(view)
    dot = gv.to_dot(view, None)
    phone = dot[dot.index(f"subgraph cluster_{names.groups['phone']}") :]
    phone = phone[: phone.index("\n  }")]
    assert "l0 [shape=plain" in phone and "pairing" in phone  # both ends in the phone
    assert "l1 [" not in phone and "l2 [" not in phone  # between environments: outside
    app, os_, pump = (names.boxes[k] for k in ("app", "os", "pump"))
    assert f"{app} -> l0 [dir=back];" in dot  # two-way: an arrow at each real end
    assert f"l0 -> {os_} [dir=both]" not in dot and f"l0 -> {os_} [];" in dot
    assert f"{app} -> l1 [" in dot and "dir=none" in dot.split(f"{app} -> l1 [")[1].split("\n")[0]
    assert "(safety)" in dot.split("l1 [")[1].split("\n")[0]
    assert f"l1 -> {pump} [" in dot
    anchor = "a" + names.groups["device"][1:]
    assert f"l2 -> {anchor} [lhead=cluster_{names.groups['device']}];" in dot
    assert f"{os_} -> {app} [style=dashed" in dot  # no label: one edge, as before
    assert dot.count(" -> ") == 7


@needs_dot
@pytest.mark.verifies("SRS-190")
def test_flow_labels_are_drawn_as_labels(example: Architecture) -> None:
    svg = gv.lay_out(build_view(example, "system"), "items/")
    assert svg.count('class="node flowlabel"') == len(build_view(example, "system").edges)
    assert "commands; status and" in svg
