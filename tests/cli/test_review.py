"""``medtrace review``, ``approve``, ``new`` and ``renumber`` end to end, on fixture projects."""

from __future__ import annotations

import json
import textwrap
from collections.abc import Callable
from pathlib import Path

import pytest
from helpers import Run, run_git, write_project

from medtrace.review import load_lock

pytestmark = pytest.mark.verifies("SRS-248", "SRS-251")

Cli = Callable[..., Run]

FILES = {
    "medtrace.toml": """
        [project]
        name = "p"
        class = "C"

        [paths]
        items = ["docs"]
        sources = ["src/**/*.py"]
        tests = ["tests/**/*.py"]
        results = ["results/*.xml"]

        [review]
        approval = ["C"]
        """,
    "docs/items.yaml": """
        kind: system-requirement
        items:
          - id: SYS-1
            title: Advise a bolus
        """,
    "docs/srs/SRS-1-limit.md": """
        ---
        type: functional
        parents: [SYS-1]
        ---
        # Limit the dose

        Never more than 10 units.
        """,
    "src/dose.py": """
        # @implements SRS-1
        def limit(units):
            return min(units, 10)  # SRS-1 says so
        """,
    "tests/test_dose.py": """
        import pytest

        @pytest.mark.verifies("SRS-1")
        def test_limit():
            assert True
        """,
    "results/r.xml": '<testsuite name="s" tests="1"><testcase classname="tests.test_dose" '
    'name="test_limit" file="tests/test_dose.py"/></testsuite>',
}


def _codes(run: Run) -> set[str]:
    return {d["code"] for d in json.loads(run.out)["diagnostics"]}


def _check(cli: Cli, root: Path) -> Run:
    return cli("-C", str(root), "check", "--no-cache", "--format", "json")


def test_review_all_then_a_change_then_review_again(cli: Cli, tmp_path: Path) -> None:
    root = write_project(tmp_path, FILES)
    assert "MT213" in _codes(_check(cli, root))
    run = cli("-C", str(root), "review", "--all", "--by", "Ann <ann@example.org>")
    assert run.code == 0, run.err
    assert "reviewed SRS-1 -> SYS-1 (parents) against SYS-1" in run.out
    assert "reviewed tests/test_dose.py::test_limit -> SRS-1 (verifies)" in run.out
    assert run.out.endswith("2 links marked reviewed.\n")
    assert "MT213" not in _codes(_check(cli, root))
    md = root / "docs/srs/SRS-1-limit.md"
    md.write_text(md.read_text().replace("10 units", "8 units"))
    show = json.loads(cli("-C", str(root), "show", "SRS-1", "--json").out)
    assert show["trace"]["status"] == "suspect"
    assert {"MT215", "MT220"} <= _codes(_check(cli, root))
    run = cli("-C", str(root), "review", "--all-of", "SRS-1", "--by", "Bo")
    assert run.out.splitlines() == [
        "reviewed tests/test_dose.py::test_limit -> SRS-1 (verifies) against SRS-1 "
        + run.out.split("against SRS-1 ")[1][:12],
        "1 link marked reviewed.",
    ]
    assert not {"MT215", "MT220"} & _codes(_check(cli, root))
    assert (
        json.loads(cli("-C", str(root), "show", "SRS-1", "--json").out)["trace"]["status"]
        == "verified"
    )


def test_without_reviews_the_matrix_has_no_approval_column(cli: Cli, tmp_path: Path) -> None:
    files = {
        **FILES,
        "medtrace.toml": FILES["medtrace.toml"]
        .replace("[review]", "")
        .replace('approval = ["C"]', ""),
    }
    root = write_project(tmp_path, files)
    views = json.loads(cli("-C", str(root), "matrix", "--format", "json").out)["views"]
    assert all("Approval" not in v["columns"] for v in views)


def test_review_names_what_it_cannot_find(cli: Cli, tmp_path: Path) -> None:
    root = write_project(tmp_path, FILES)
    run = cli("-C", str(root), "review", "SRS-9", "--by", "x")
    assert run.code == 2 and "SRS-9" in run.err
    assert cli("-C", str(root), "review").code == 2


@pytest.mark.verifies("SRS-257")
def test_approve_and_back_in_review(cli: Cli, tmp_path: Path) -> None:
    root = write_project(tmp_path, FILES)
    cli("-C", str(root), "review", "--all", "--by", "Ann")
    assert {"MT218"} <= _codes(_check(cli, root))
    run = cli("-C", str(root), "approve", "SYS-1", "SRS-1", "--by", "Bo <bo@example.org>")
    assert run.code == 0
    assert run.out.startswith("approved SYS-1 (")
    assert "MT218" not in _codes(_check(cli, root))
    show = json.loads(cli("-C", str(root), "show", "SRS-1", "--json").out)
    assert (
        show["approval"]["state"] == "approved" and show["approval"]["by"] == "Bo <bo@example.org>"
    )
    md = root / "docs/srs/SRS-1-limit.md"
    md.write_text(md.read_text().replace("Limit the dose", "Cap the dose"))
    assert "MT217" in _codes(_check(cli, root))
    assert "approval: changed-since-approval" in cli("-C", str(root), "show", "SRS-1").out
    views = json.loads(cli("-C", str(root), "matrix", "--format", "json").out)["views"]
    srs = next(
        v for v in views if v["columns"][:2] == ["ID", "Title"] and v["rows"][0][0] == "SRS-1"
    )
    assert srs["columns"][-1] == "Approval"
    assert srs["rows"][0][1][-1][1] == "changed-since-approval"
    assert cli("-C", str(root), "approve", "SRS-404", "--by", "Bo").code == 2


def test_the_reviewer_comes_from_git(cli: Cli, tmp_path: Path) -> None:
    root = write_project(tmp_path, FILES)
    run_git(root, "init", "-q")
    run_git(root, "config", "user.name", "Cy Reviewer")
    run_git(root, "config", "user.email", "cy@example.org")
    assert cli("-C", str(root), "review", "SRS-1").code == 0
    [review] = load_lock(root).links.values()
    assert review.by == "Cy Reviewer <cy@example.org>"
    assert review.at.endswith("Z")


@pytest.mark.verifies("SRS-254")
def test_new_items(cli: Cli, tmp_path: Path) -> None:
    root = write_project(tmp_path, FILES)
    run = cli("-C", str(root), "new", "SYS", "--title", "Log every bolus")
    assert (run.code, run.out) == (0, "created SYS-2 in docs/items.yaml\n")
    run = cli("-C", str(root), "new", "software-requirement", "--title", "Warn")
    assert run.out == "created SRS-2 in docs/srs/SRS-2.md\n"
    show = json.loads(cli("-C", str(root), "show", "SYS-2", "--json").out)
    assert show["title"] == "Log every bolus" and show["fields"]["status"] == "draft"
    run = cli("-C", str(root), "new", "SRS")
    assert run.out == "created SRS-3 in docs/srs/SRS-3.md\n"
    assert "# New software requirement" in (root / "docs/srs/SRS-3.md").read_text()
    assert cli("-C", str(root), "new", "widget").code == 2
    assert cli("-C", str(root), "new", "SYS", "--title", "a\nb").code == 2


@pytest.mark.verifies("SRS-256")
def test_renumber_shows_then_writes(cli: Cli, tmp_path: Path) -> None:
    root = write_project(tmp_path, FILES)
    cli("-C", str(root), "review", "--all", "--by", "Ann")
    cli("-C", str(root), "approve", "SRS-1", "SYS-1", "--by", "Ann")
    run = cli("-C", str(root), "renumber", "SRS-1", "SRS-5")
    assert run.code == 0
    assert "rename docs/srs/SRS-1-limit.md -> docs/srs/SRS-5-limit.md" in run.out
    assert '+@pytest.mark.verifies("SRS-5")' in run.out
    assert (root / "docs/srs/SRS-1-limit.md").exists()  # nothing written yet
    assert cli("-C", str(root), "renumber", "SRS-1", "SYS-1").code == 2
    run = cli("-C", str(root), "renumber", "SRS-1", "SRS-5", "--write")
    assert run.code == 0, run.err
    assert not (root / "docs/srs/SRS-1-limit.md").exists()
    code = (root / "src/dose.py").read_text()
    assert code == textwrap.dedent(FILES["src/dose.py"]).lstrip("\n").replace(
        "@implements SRS-1", "@implements SRS-5"
    )
    lock = load_lock(root)
    assert set(lock.approvals) == {"SRS-5", "SYS-1"}
    codes = _codes(_check(cli, root))
    assert not codes & {"MT010", "MT104", "MT215", "MT216", "MT217", "MT218", "MT220"}
    # the test file was edited after its results: stale (run the tests again), not suspect
    status = json.loads(cli("-C", str(root), "show", "SRS-5", "--json").out)["trace"]["status"]
    assert status == "stale"


def test_a_malformed_lock_stops_review_with_its_place(cli: Cli, tmp_path: Path) -> None:
    root = write_project(tmp_path, {**FILES, "medtrace.lock": "version = 1\n[links\n"})
    run = cli("-C", str(root), "review", "--all", "--by", "Ann")
    assert run.code == 2
    assert "medtrace.lock:2" in run.err and "not valid TOML" in run.err


@pytest.mark.verifies("SRS-254", "SRS-255", "SRS-256")
def test_two_branches_take_the_same_new_id_and_renumber_fixes_it(cli: Cli, tmp_path: Path) -> None:
    root = write_project(tmp_path, FILES)
    run_git(root, "init", "-q", "-b", "main")
    run_git(root, "add", "-A")
    run_git(root, "commit", "-qm", "start", when=1_700_000_000)
    run_git(root, "checkout", "-qb", "feature")
    assert cli("-C", str(root), "new", "SYS", "--title", "Log every bolus").out == (
        "created SYS-2 in docs/items.yaml\n"
    )
    run_git(root, "commit", "-qam", "SYS-2 on feature", when=1_700_000_100)
    run_git(root, "checkout", "-q", "main")
    assert cli(
        "-C", str(root), "new", "SYS", "--title", "Export the log", "--file", "docs/more.yaml"
    ).out == ("created SYS-2 in docs/more.yaml\n")
    run_git(root, "add", "-A")
    run_git(root, "commit", "-qm", "SYS-2 on main", when=1_700_000_200)
    run_git(root, "merge", "-q", "--no-edit", "feature", when=1_700_000_300)
    [dup] = [d for d in json.loads(_check(cli, root).out)["diagnostics"] if d["code"] == "MT005"]
    assert "added on two branches" in dup["found"]
    twin = dup["path"]
    assert f"medtrace renumber SYS-2 SYS-3 --file {twin}" in dup["hint"]
    run = cli("-C", str(root), "renumber", "SYS-2", "SYS-3", "--write")
    assert run.code == 2 and "say which to renumber with --file" in run.err
    run = cli("-C", str(root), "renumber", "SYS-2", "SYS-3", "--file", twin, "--write")
    assert run.code == 0, run.err
    assert "links and tags naming SYS-2 were left as they are" in run.err
    assert "MT005" not in _codes(_check(cli, root))
    other = "docs/items.yaml" if twin == "docs/more.yaml" else "docs/more.yaml"
    assert "id: SYS-2" in (root / other).read_text()
    assert "id: SYS-3" in (root / twin).read_text()
