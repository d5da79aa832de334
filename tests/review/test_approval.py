"""Approvals: of which content, by whom; a changed item is back in review."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers import load, write_project

from medtrace.review import Lock, approval_states, approve

pytestmark = pytest.mark.verifies("SRS-250", "SRS-251")

ITEMS = """
    - id: SYS-1
      title: Advise a bolus
    - id: SYS-2
      title: Log every bolus
"""


def test_states_follow_the_content(tmp_path: Path) -> None:
    model = load(write_project(tmp_path, {"docs/items.yaml": ITEMS})).model
    lock = Lock(tmp_path / "medtrace.lock")
    assert approval_states(model, lock) == {"SYS-1": "unapproved", "SYS-2": "unapproved"}
    assert approve(lock, model, ["SYS-1"], "Ann", "t1") == ["SYS-1"]
    assert approve(lock, model, ["SYS-1"], "Ann", "t2") == []  # the same approval once
    assert approval_states(model, lock)["SYS-1"] == "approved"
    write_project(tmp_path, {"docs/items.yaml": ITEMS.replace("Advise a bolus", "Advise")})
    changed = load(tmp_path).model
    assert approval_states(changed, lock)["SYS-1"] == "changed-since-approval"
    approve(lock, changed, ["SYS-1"], "Bo", "t3")
    assert approval_states(changed, lock)["SYS-1"] == "approved"
    assert [r.by for r in lock.approvals["SYS-1"]] == ["Bo"]  # older content's approvals go


def test_two_approvers_of_the_same_content_are_both_kept(tmp_path: Path) -> None:
    model = load(write_project(tmp_path, {"docs/items.yaml": ITEMS})).model
    lock = Lock(tmp_path / "medtrace.lock")
    approve(lock, model, ["SYS-2"], "Ann", "t1")
    approve(lock, model, ["SYS-2"], "Bo", "t2")
    assert [r.by for r in lock.approvals["SYS-2"]] == ["Ann", "Bo"]
