"""Suspect links: the end a link relies on changed since the link was reviewed."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers import load, write_project

from medtrace.review import (
    Fingerprints,
    Lock,
    links_under_review,
    mark_reviewed,
    stale_entries,
    suspect_links,
    unreviewed_links,
    verification_judge,
)

pytestmark = pytest.mark.verifies("SRS-247")

ITEMS = """
    - id: SYS-1
      title: Advise a bolus
    - id: SRS-1
      title: Limit the dose
      type: functional
      parents: [SYS-1]
      controls: [RISK-1]
      text: Never more than 10 units.
    - id: RISK-1
      title: Overdose
      hazard: too much insulin
      harm: hypoglycaemia
      severity: serious
"""

TESTS = [("tests/test_dose.py::test_limit", ["SRS-1", "SRS-404"])]


def _baseline(root: Path, items: str = ITEMS) -> tuple[Lock, Path]:
    model = load(write_project(root, {"docs/items.yaml": items})).model
    lock = Lock(root / "medtrace.lock")
    links = links_under_review(model, tests=TESTS)
    mark_reviewed(lock, links, Fingerprints(model), "Ann", "2026-01-05T10:00:00Z")
    return lock, root


def test_links_know_which_end_they_rely_on(tmp_path: Path) -> None:
    model = load(write_project(tmp_path, {"docs/items.yaml": ITEMS})).model
    links = {
        (r.source, r.target): (r.field, r.upstream) for r in links_under_review(model, tests=TESTS)
    }
    assert links == {
        ("SRS-1", "SYS-1"): ("parents", "SYS-1"),
        ("SRS-1", "RISK-1"): ("controls", "SRS-1"),  # the risk relies on its control
        ("tests/test_dose.py::test_limit", "SRS-1"): ("verifies", "SRS-1"),
    }


def test_nothing_is_suspect_right_after_the_review(tmp_path: Path) -> None:
    lock, root = _baseline(tmp_path)
    model = load(root).model
    assert suspect_links(model, lock, TESTS) == []
    assert unreviewed_links(model, lock, TESTS) == []


def test_a_changed_requirement_makes_its_test_and_risk_links_suspect(tmp_path: Path) -> None:
    lock, root = _baseline(tmp_path)
    write_project(root, {"docs/items.yaml": ITEMS.replace("10 units", "12 units")})
    model = load(root).model
    found = {(s.source, s.target) for s in suspect_links(model, lock, TESTS)}
    assert found == {("SRS-1", "RISK-1"), ("tests/test_dose.py::test_limit", "SRS-1")}
    judge = verification_judge(model, lock)
    assert judge("tests/test_dose.py::test_limit", "SRS-1") is not None
    assert judge("tests/test_other.py::test_x", "SRS-1") is None


def test_a_changed_parent_makes_the_child_link_suspect(tmp_path: Path) -> None:
    lock, root = _baseline(tmp_path)
    write_project(root, {"docs/items.yaml": ITEMS.replace("Advise a bolus", "Advise a meal bolus")})
    [suspect] = suspect_links(load(root).model, lock, TESTS)
    assert (suspect.source, suspect.target, suspect.field) == ("SRS-1", "SYS-1", "parents")
    assert "SYS-1 changed since the link was reviewed" in suspect.why


def test_reviewing_again_clears_it(tmp_path: Path) -> None:
    lock, root = _baseline(tmp_path)
    write_project(root, {"docs/items.yaml": ITEMS.replace("10 units", "12 units")})
    model = load(root).model
    links = [r for r in links_under_review(model, tests=TESTS) if r.upstream == "SRS-1"]
    assert len(mark_reviewed(lock, links, Fingerprints(model), "Bo", "now")) == 2
    assert suspect_links(model, lock, TESTS) == []


def test_a_new_link_is_unreviewed_and_a_removed_one_stale(tmp_path: Path) -> None:
    lock, root = _baseline(tmp_path)
    changed = (
        ITEMS.replace("parents: [SYS-1]", "parents: [SYS-2]") + "    - id: SYS-2\n      title: X\n"
    )
    write_project(root, {"docs/items.yaml": changed})
    model = load(root).model
    assert [(r.source, r.target) for r in unreviewed_links(model, lock, TESTS)] == [
        ("SRS-1", "SYS-2")
    ]
    assert stale_entries(model, lock, TESTS) == ["SRS-1 -> SYS-1"]
