"""``--sync``: drafts for unlisted packages, versions updated, nothing else a person wrote
touched, comments kept, and an interrupted write leaves the old file intact."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers import load, write_project

from medtrace.soup import compare, load_inputs
from medtrace.soup.sync import sync

pytestmark = pytest.mark.verifies("SRS-139")

SOUP = """\
# The SOUP list: reviewed by the quality lead.
kind: soup
items:
  - id: flask   # the web framework
    title: Flask
    manufacturer: Pallets
    version: '3.0.2'
    purpose: >
      Web framework, a long folded text that a person wrote and that --sync must keep exactly as
      it is, line breaks included.
    purl: pkg:pypi/flask@3.0.2
"""

LOCK = """\
flask==3.0.3
    # via -r requirements.in
werkzeug==3.0.4
    # via flask
"""


def _project(tmp_path: Path) -> Path:
    return write_project(
        tmp_path,
        {"docs/soup.yaml": SOUP, "requirements.txt": LOCK},
        config='[project]\nclass = "A"\n[paths]\nitems = ["docs"]\nlockfiles = ["requirements.txt"]\n',
    )


def _sync(root: Path) -> tuple[Path, object]:
    project = load(root)
    inputs = load_inputs(project.config)
    report = compare(project.model, inputs.locks)
    return root / "docs/soup.yaml", sync(project.model, report, root)


def test_drafts_and_versions(tmp_path: Path) -> None:
    path, done = _sync(_project(tmp_path))
    assert done.added == ["werkzeug 3.0.4"]  # type: ignore[attr-defined]
    assert done.updated == ["flask: 3.0.2 → 3.0.3"]  # type: ignore[attr-defined]
    text = path.read_text()
    expected = SOUP.replace("'3.0.2'", "'3.0.3'").replace("flask@3.0.2", "flask@3.0.3") + (
        "  - id: werkzeug\n"
        "    title: werkzeug\n"
        "    status: draft\n"
        "    version: 3.0.4\n"
        "    package: werkzeug\n"
        "    purl: pkg:pypi/werkzeug@3.0.4\n"
    )
    assert text == expected


def test_a_second_sync_changes_nothing(tmp_path: Path) -> None:
    root = _project(tmp_path)
    path, _ = _sync(root)
    before = path.read_bytes()
    _, done = _sync(root)
    assert (done.added, done.updated) == ([], [])  # type: ignore[attr-defined]
    assert path.read_bytes() == before


def test_an_interrupted_write_leaves_the_old_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = _project(tmp_path)
    path = root / "docs/soup.yaml"
    before = path.read_bytes()

    def power_cut(self: Path, target: object) -> Path:
        raise OSError(5, "Input/output error")

    monkeypatch.setattr(Path, "replace", power_cut)
    with pytest.raises(OSError):
        _sync(root)
    monkeypatch.undo()
    assert path.read_bytes() == before
    assert sorted(p.name for p in path.parent.iterdir()) == ["soup.yaml"]


def test_sync_on_the_command_line(tmp_path: Path, cli) -> None:  # type: ignore[no-untyped-def]
    root = _project(tmp_path)
    run = cli("-C", str(root), "soup", "--sync")
    assert run.code == 0
    assert run.out.splitlines() == [
        "docs/soup.yaml: added draft werkzeug 3.0.4",
        "docs/soup.yaml: updated flask: 3.0.2 → 3.0.3",
    ]
    assert cli("-C", str(root), "soup").code == 0
