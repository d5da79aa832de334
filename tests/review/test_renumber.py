"""Renumbering: the item, links in item files, tags in code, the lock."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers import load, write_project

from medtrace.errors import ItemNotFound, UsageError
from medtrace.review import Lock, Review
from medtrace.review.renumber import Renumbering, id_pattern, plan_renumber, renumber_lock
from medtrace.scanning.model import Tag

pytestmark = pytest.mark.verifies("SRS-256")

ITEMS = """
    - id: SYS-1
      title: Advise
    - id: SRS-12
      title: Other
      type: functional
      parents: [SYS-1]
"""
MD = """
    ---
    type: functional
    parents: [SYS-1]
    ---
    # Limit (not SRS-12, not XSRS-1)
"""
CODE = "# @implements SRS-1\ndef f():\n    return 'SRS-1'\n"


def _plan(root: Path, old: str = "SRS-1", new: str = "SRS-7") -> Renumbering:
    project = load(write_project(root, {"docs/items.yaml": ITEMS, "docs/SRS-1-limit.md": MD}))
    texts = {f: (root / f).read_text() for f in project.files}
    texts["src/a.py"] = CODE
    tags = [Tag("implements", ("SRS-1",), "src/a.py", 1, "f", 2, "python")]
    return plan_renumber(project.config, project.model, tags, texts, old, new)


def test_whole_ids_only() -> None:
    pattern = id_pattern("SRS-1")
    assert (
        pattern.sub("X", "SRS-1, SRS-12, XSRS-1, RW-SRS-1, (SRS-1)")
        == "X, SRS-12, XSRS-1, RW-SRS-1, (X)"
    )


def test_the_file_is_renamed_and_only_the_tag_line_of_code_changes(tmp_path: Path) -> None:
    plan = _plan(tmp_path)
    edits = {e.path: e for e in plan.edits}
    assert set(edits) == {"docs/SRS-1-limit.md", "src/a.py"}
    assert edits["docs/SRS-1-limit.md"].rename_to == "docs/SRS-7-limit.md"
    assert edits["src/a.py"].after == "# @implements SRS-7\ndef f():\n    return 'SRS-1'\n"
    assert not plan.missed


def test_links_in_other_items_follow(tmp_path: Path) -> None:
    plan = _plan(tmp_path, "SYS-1", "SYS-4")
    edits = {e.path: e for e in plan.edits}
    assert edits["docs/items.yaml"].after.count("SYS-4") == 2
    assert "parents: [SYS-4]" in edits["docs/SRS-1-limit.md"].after
    assert edits["docs/SRS-1-limit.md"].rename_to is None


def test_refused_when_new_exists_or_old_is_unknown(tmp_path: Path) -> None:
    with pytest.raises(UsageError, match="SRS-12 exists"):
        _plan(tmp_path, "SRS-1", "SRS-12")
    with pytest.raises(ItemNotFound):
        _plan(tmp_path, "SRS-99", "SRS-100")
    with pytest.raises(UsageError, match="not a software-requirement ID"):
        _plan(tmp_path, "SRS-1", "SYS-9")


def test_the_lock_follows(tmp_path: Path) -> None:
    lock = Lock(tmp_path / "medtrace.lock")
    old_child, new_child, parent = "1" * 64, "2" * 64, "3" * 64
    lock.links[("SRS-2", "SYS-1")] = Review(parent, "a", "t")
    lock.approvals["SRS-2"] = [Review(old_child, "a", "t")]
    lock.approvals["SYS-1"] = [Review(parent, "a", "t")]
    prints = ({"SRS-2": old_child, "SYS-1": parent}, {"SRS-2": new_child, "SYS-4": parent})
    assert renumber_lock(lock, "SYS-1", "SYS-4", prints, {("SRS-2", "SYS-4"): "SYS-4"})
    assert lock.links == {("SRS-2", "SYS-4"): Review(parent, "a", "t")}
    assert lock.approvals == {
        "SRS-2": [Review(new_child, "a", "t")],
        "SYS-4": [Review(parent, "a", "t")],
    }


@pytest.mark.verifies("SRS-255")
def test_one_of_two_items_with_one_id(tmp_path: Path) -> None:
    files = {
        "docs/a.yaml": "- id: SYS-2\n  title: from main\n- id: SYS-3\n  title: x\n  parents: [SYS-2]\n",
        "docs/b.yaml": "- id: SYS-2  # from the other branch\n  title: from other\n",
    }
    project = load(write_project(tmp_path, files))
    texts = {f: (tmp_path / f).read_text() for f in project.files}
    with pytest.raises(UsageError, match="say which to renumber with --file"):
        plan_renumber(project.config, project.model, [], texts, "SYS-2", "SYS-9")
    plan = plan_renumber(project.config, project.model, [], texts, "SYS-2", "SYS-9", "docs/b.yaml")
    [edit] = plan.edits
    assert edit.after == "- id: SYS-9  # from the other branch\n  title: from other\n"
    assert "left as they are" in plan.left
