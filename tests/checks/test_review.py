"""The rules on reviews and approvals (MT213-MT220) and the duplicate after a merge (MT005)."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest
from helpers import codes, load, run_check, run_git, write_project

from medtrace.diagnostics import Severity
from medtrace.review import (
    Fingerprints,
    Lock,
    approve,
    links_under_review,
    mark_reviewed,
    save_lock,
)

pytestmark = pytest.mark.verifies("SRS-247", "SRS-249", "SRS-250", "SRS-252", "SRS-253")

CONFIG = """
    [project]
    name = "p"
    class = "{cls}"

    [paths]
    items = ["docs"]
    tests = ["tests/**/*.py"]
    results = ["results/*.xml"]
    {review}
"""

ITEMS = """
    - id: SYS-1
      title: Advise a bolus
    - id: SRS-1
      title: Limit the dose
      type: functional
      parents: [SYS-1]
      text: Never more than 10 units.
"""

TEST = """
    import pytest

    @pytest.mark.verifies("SRS-1")
    def test_limit():
        assert True
"""

RESULTS = (
    '<testsuite name="s" tests="1"><testcase classname="tests.test_dose" name="test_limit" '
    'file="tests/test_dose.py"/></testsuite>'
)

KEY = "tests/test_dose.py::test_limit"


def _project(root: Path, *, cls: str = "B", review: str = "[review]", items: str = ITEMS) -> Path:
    return write_project(
        root,
        {
            "medtrace.toml": CONFIG.format(cls=cls, review=review),
            "docs/items.yaml": items,
            "tests/test_dose.py": TEST,
            "results/r.xml": RESULTS,
        },
    )


def _write(root: Path, rel: str, text: str) -> None:
    """Change one file of a project (its configuration stays)."""
    (root / rel).write_text(textwrap.dedent(text).lstrip("\n"))


def _baseline(root: Path, approved: tuple[str, ...] = ()) -> None:
    model = load(root).model
    lock = Lock(root / "medtrace.lock")
    links = links_under_review(model, tests=[(KEY, ["SRS-1"])])
    mark_reviewed(lock, links, Fingerprints(model), "Ann", "2026-01-05T10:00:00Z")
    approve(lock, model, approved, "Bo", "2026-01-06T10:00:00Z")
    save_lock(lock)


def _review_codes(root: Path) -> list[str]:
    result = run_check(root)
    return [c for c in codes(result.diagnostics) if c in {f"MT2{n}" for n in range(13, 21)}]


def test_without_reviews_the_rules_say_nothing(tmp_path: Path) -> None:
    root = _project(tmp_path, review="")
    assert _review_codes(root) == []
    assert run_check(root).statuses["SRS-1"] == "verified"


def test_a_review_table_without_a_lock_is_one_finding(tmp_path: Path) -> None:
    root = _project(tmp_path)
    [d] = [d for d in run_check(root).diagnostics if d.code == "MT213"]
    assert d.path == "medtrace.toml" and d.line == 9
    assert "medtrace review --all" in d.hint


def test_after_the_baseline_the_check_is_clean(tmp_path: Path) -> None:
    root = _project(tmp_path)
    _baseline(root)
    assert _review_codes(root) == []


def test_a_changed_requirement_makes_its_verification_suspect(tmp_path: Path) -> None:
    root = _project(tmp_path)
    _baseline(root)
    _write(root, "docs/items.yaml", ITEMS.replace("10 units", "12 units"))
    result = run_check(root)
    assert result.statuses["SRS-1"] == "suspect"
    found = {d.code: d for d in result.diagnostics if d.code in ("MT215", "MT220")}
    assert found["MT215"].path == "tests/test_dose.py" and found["MT215"].line == 4
    assert found["MT215"].severity is Severity.WARNING  # class B
    assert found["MT220"].item == "SRS-1"
    assert "review --all-of SRS-1" in found["MT220"].hint


def test_in_class_c_a_suspect_link_is_an_error(tmp_path: Path) -> None:
    root = _project(tmp_path, cls="C", review="[review]\napproval = []")
    _baseline(root)
    _write(root, "docs/items.yaml", ITEMS.replace("Advise a bolus", "Advise"))
    [d] = [d for d in run_check(root).diagnostics if d.code == "MT215"]
    assert d.severity is Severity.ERROR
    assert (d.path, d.item) == ("docs/items.yaml", "SRS-1")
    assert "SRS-1 -> SYS-1" in d.found


def test_approvals_in_class_c(tmp_path: Path) -> None:
    items = ITEMS + "      status: approved\n"
    root = _project(tmp_path, cls="C", items=items)
    _baseline(root, approved=("SRS-1",))
    result = run_check(root)
    missing = [d for d in result.diagnostics if d.code == "MT218"]
    assert [d.item for d in missing] == ["SYS-1"]
    _write(root, "docs/items.yaml", items.replace("10 units", "9 units"))
    result = run_check(root)
    assert [d.item for d in result.diagnostics if d.code == "MT217"] == ["SRS-1"]
    [status] = [d for d in result.diagnostics if d.code == "MT219"]
    assert "changed-since-approval" in status.found


def test_a_draft_without_approval_is_a_warning(tmp_path: Path) -> None:
    items = ITEMS.replace("title: Advise a bolus", "title: Advise a bolus\n      status: draft")
    root = _project(tmp_path, cls="C", items=items)
    _baseline(root)
    [d] = [d for d in run_check(root).diagnostics if d.code == "MT218" and d.item == "SYS-1"]
    assert d.severity is Severity.WARNING


def test_a_link_to_an_obsolete_item(tmp_path: Path) -> None:
    items = ITEMS.replace("title: Advise a bolus", "title: Advise a bolus\n      status: obsolete")
    items = items.replace("text: Never", "status: review\n      text: Never")
    root = _project(tmp_path, items=items)
    _baseline(root)
    [d] = [d for d in run_check(root).diagnostics if d.code == "MT219"]
    assert "links to SYS-1, which is obsolete" in d.found


def test_a_malformed_lock_is_located_and_stale_entries_noted(tmp_path: Path) -> None:
    root = _project(tmp_path)
    _baseline(root)
    lock = (root / "medtrace.lock").read_text()
    (root / "medtrace.lock").write_text(
        lock + '"GONE-1" = [{ fingerprint = "' + "0" * 64 + '" }]\n"x" = 1\n'
    )
    found = [d for d in run_check(root).diagnostics if d.code == "MT214"]
    assert [(d.severity, d.line) for d in found] == [
        (Severity.NOTE, lock.count("\n") + 1),
        (Severity.ERROR, lock.count("\n") + 2),
    ]


def test_a_new_link_is_a_note(tmp_path: Path) -> None:
    root = _project(tmp_path)
    _baseline(root)
    _write(root, "tests/test_more.py", TEST.replace("test_limit", "test_more"))
    [d] = [d for d in run_check(root).diagnostics if d.code == "MT216"]
    assert d.severity is Severity.NOTE and d.path == "tests/test_more.py"


@pytest.mark.verifies("SRS-255")
def test_a_duplicate_from_two_branches_is_told_with_the_renumber_hint(tmp_path: Path) -> None:
    root = write_project(tmp_path, {"docs/items.yaml": "- id: SYS-1\n  title: a\n"})
    run_git(root, "init", "-q", "-b", "main")
    run_git(root, "add", "-A")
    run_git(root, "commit", "-qm", "start", when=1_700_000_000)
    run_git(root, "checkout", "-qb", "other")
    write_project(root, {"docs/b.yaml": "- id: SYS-2\n  title: from other\n"})
    run_git(root, "add", "-A")
    run_git(root, "commit", "-qm", "other", when=1_700_000_100)
    run_git(root, "checkout", "-q", "main")
    write_project(root, {"docs/a.yaml": "- id: SYS-2\n  title: from main\n"})
    run_git(root, "add", "-A")
    run_git(root, "commit", "-qm", "main", when=1_700_000_200)
    run_git(root, "merge", "-q", "--no-edit", "other", when=1_700_000_300)
    [d] = [d for d in run_check(root).diagnostics if d.code == "MT005"]
    assert "added on two branches" in d.found
    assert "medtrace renumber SYS-2 SYS-3" in d.hint
