"""The impact of a change, on a real repository: from changed lines to the tests to re-run."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from helpers import run_git

from medtrace.cli.impact import compute
from medtrace.vcs.impact import Impact
from vcs.impact_project import Project

pytestmark = [
    pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed"),
    pytest.mark.verifies("SRS-234", "SRS-235", "SRS-236", "SRS-239"),
]


@pytest.fixture
def project(tmp_path: Path) -> Project:
    return Project(tmp_path / "pump")


def ids(rows: list[object]) -> list[str]:
    return [getattr(r, "id") for r in rows]  # noqa: B009


def rerun(impact: Impact) -> list[tuple[str, str]]:
    return [(t.name, t.why) for t in impact.tests]


def test_a_change_in_a_tagged_function_reaches_its_risk_and_tests(project: Project) -> None:
    project.edit("src/pump/dose.py", "if units > 10:", "if units >= 10:")
    project.commit("limit at ten")
    impact = compute(project.root, "v1", False)
    assert [(u.path, u.symbol, u.implements) for u in impact.units] == [
        ("src/pump/dose.py", "limit", ("SRS-1",))
    ]
    assert [(a.id, a.safety_class) for a in impact.software_items] == [("pump", "C")]
    assert [(a.id, a.safety_class, a.why) for a in impact.requirements] == [
        ("SRS-1", "C", ["implemented in src/pump/dose.py:limit, changed"])
    ]
    assert [(a.id, a.why) for a in impact.risks] == [("RISK-1", ["controlled by SRS-1"])]
    assert rerun(impact) == [("test_limit", "verifies SRS-1")]
    assert impact.items == [] and impact.soup == [] and impact.interfaces == []


def test_an_untagged_function_reaches_the_files_own_tags(project: Project) -> None:
    project.edit("src/pump/dose.py", "math.floor(x)", "math.ceil(x)")
    project.commit("round up")
    impact = compute(project.root, "v1..HEAD", False)
    assert [(u.symbol, u.implements) for u in impact.units] == [(None, ("SRS-2",))]
    assert ids(impact.requirements) == ["SRS-2"]
    assert impact.risks == [] and impact.tests == []


def test_a_changed_requirement_text_reaches_its_risk_and_its_tests(project: Project) -> None:
    project.edit("reqs/items.yaml", "shall show the dose.", "shall show the dose in units.")
    project.commit("units on screen")
    impact = compute(project.root, "v1", False)
    assert [(i.id, i.change, i.path) for i in impact.items] == [
        ("SRS-3", "modified", "reqs/items.yaml")
    ]
    assert [(a.id, a.safety_class, a.why) for a in impact.requirements] == [
        ("SRS-3", "A", ["its content was modified"])
    ]
    assert ids(impact.risks) == ["RISK-2"]
    assert rerun(impact) == [("TC-1", "verifies SRS-3"), ("test_show", "verifies SRS-3")]
    assert impact.units == []


def test_a_changed_test_file_reruns_its_tests(project: Project) -> None:
    project.edit(
        "tests/test_dose.py",
        "def test_helper():\n    assert True",
        "def test_helper():\n    assert 1",
    )
    project.commit("tidy a test")
    impact = compute(project.root, "v1", False)
    assert rerun(impact) == [
        ("test_helper", "its file changed"),
        ("test_limit", "its file changed"),
    ]


def test_a_removed_file_reaches_every_tag_it_had(project: Project) -> None:
    run_git(project.root, "rm", "-q", "src/pump/dose.py")
    project.commit("drop the dose module")
    impact = compute(project.root, "v1", False)
    assert ids(impact.requirements) == ["SRS-1", "SRS-2"]
    assert ids(impact.risks) == ["RISK-1"]
    assert [f.status for f in impact.files] == ["D"]


def test_soup_versions_and_openapi_operations(project: Project) -> None:
    project.write("requirements.txt", "requests==2.32.3\ncertifi==2024.2.2\n")
    project.edit(
        "api/openapi.yaml",
        '        "200": {description: the dose}\n',
        '        "200": {description: the dose}\n  /limit:\n    put:\n      operationId: setLimit\n'
        '      responses:\n        "204": {description: set}\n',
    )
    project.commit("new API and dependencies")
    impact = compute(project.root, "v1", False)
    assert [(s["package"], s["change"], s["old"], s["new"]) for s in impact.soup] == [
        ("certifi", "added", "", "2024.2.2"),
        ("idna", "removed", "3.6", ""),
        ("requests", "upgraded", "2.31.0", "2.32.3"),
    ]
    assert [(i["item"], i["entry"], i["change"]) for i in impact.interfaces] == [
        ("pump", "PUT /limit", "added")
    ]


def test_the_work_tree_against_head_with_an_untracked_file(project: Project) -> None:
    project.edit("src/ui/screen.py", 'f"{dose} U"', 'f"{dose} units"')
    project.write("tests/test_new.py", "def test_new():\n    assert True\n")
    impact = compute(project.root, "HEAD", True)
    assert impact.head is None
    assert [(f.status, f.path) for f in impact.files] == [
        ("M", "src/ui/screen.py"),
        ("A", "tests/test_new.py"),
    ]
    assert [(u.symbol, u.implements) for u in impact.units] == [("Screen.show", ("SRS-3",))]
    assert rerun(impact) == [
        ("TC-1", "verifies SRS-3"),
        ("test_new", "its file changed"),
        ("test_show", "verifies SRS-3"),
    ]


def test_a_head_that_is_not_checked_out_is_read_from_git(project: Project) -> None:
    project.edit("src/pump/dose.py", "return 10", "return 9")
    middle = project.commit("nine")
    run_git(project.root, "rm", "-q", "tests/test_dose.py")
    project.commit("drop the test")
    impact = compute(project.root, f"v1..{middle}", False)
    assert impact.head == middle
    assert rerun(impact) == [("test_limit", "verifies SRS-1")]  # the test as it was then


def test_three_dots_start_where_the_branches_diverged(project: Project) -> None:
    run_git(project.root, "checkout", "-q", "-b", "feature")
    project.edit("src/ui/screen.py", 'f"{dose} U"', 'f"{dose} units"')
    project.commit("units")
    run_git(project.root, "checkout", "-q", "main")
    project.edit("src/pump/dose.py", "return 10", "return 9")
    project.commit("nine on main")
    run_git(project.root, "checkout", "-q", "feature")
    impact = compute(project.root, "main...HEAD", False)
    assert [f.path for f in impact.files] == ["src/ui/screen.py"]
    assert impact.base == project.v1


def test_a_python_public_api_change_with_griffes_breaking_changes(project: Project) -> None:
    project.edit(
        "reqs/items.yaml",
        '  paths: ["src/ui/**"]\n',
        '  paths: ["src/ui/**"]\n  interfaces:\n    - name: Screen API\n      kind: python\n'
        "      module: ui.screen\n",
    )
    base = project.commit("declare the screen API")
    project.edit("src/ui/screen.py", "def show(self, dose):", "def show(self, dose, unit):")
    project.commit("the unit is a parameter")
    impact = compute(project.root, base, False)
    rows = [(i["item"], i["interface"], i["entry"], i["change"]) for i in impact.interfaces]
    assert ("ui", "Screen API", "ui.screen.Screen.show", "changed") in rows
    breaking = [i["detail"] for i in impact.interfaces if i["change"] == "breaking"]
    assert len(breaking) == 1 and "unit" in breaking[0]
