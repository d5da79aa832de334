"""The installed artefact: the wheel built from the clean tree, installed (not editable) in a
fresh virtual environment outside the repository, used on a tiny project as a user would.

Run by ``make install-test`` (part of ``make test``) on the default and the oldest Python 3.11.
"""

from __future__ import annotations

import json
import re
import shutil
import zipfile
from pathlib import Path

import pytest

from .conftest import Installed, Wheel, must, run

pytestmark = pytest.mark.verifies("SRS-30", "SRS-31")

STARTER = [
    "docs/items/SRS-1.md",
    "docs/items/risks.yaml",
    "docs/items/software-items.yaml",
    "docs/items/system-requirements.yaml",
    "docs/items/test-cases.yaml",
    "medtrace.toml",
]

TEST_FILE = """\
import pytest


@pytest.mark.verifies("SRS-1")
def test_a_damaged_reading_is_refused():
    assert {outcome}
"""


def test_the_wheel_holds_every_file_of_the_package(wheel: Wheel) -> None:
    missing = sorted(set(wheel.expected) - set(wheel.names))
    assert missing == [], "files of src/medtrace left out of the wheel (see package-data)"
    assert "medtrace/scaffold/files/medtrace.toml.tmpl" in wheel.names
    assert "medtrace/render/matrix/templates/matrix.html.j2" in wheel.names
    assert "medtrace/docs/config.md" in wheel.names


def test_the_wheel_holds_nothing_else(wheel: Wheel) -> None:
    extra = [
        n
        for n in wheel.names
        if n not in wheel.expected and not n.startswith("medtrace-0") and ".dist-info/" not in n
    ]
    assert extra == []
    assert not [n for n in wheel.names if "__pycache__" in n or n.endswith(".pyc")]


def test_the_wheel_declares_the_command_and_the_pytest_plugin(wheel: Wheel) -> None:
    with zipfile.ZipFile(wheel.path) as archive:
        info = next(n for n in wheel.names if n.endswith(".dist-info/entry_points.txt"))
        entry_points = archive.read(info).decode()
        meta = archive.read(info.replace("entry_points.txt", "METADATA")).decode()
    assert "medtrace = medtrace.console:run" in entry_points
    assert "[pytest11]\nmedtrace = medtrace.pytest_plugin" in entry_points
    assert "Requires-Python: >=3.11" in meta


def test_medtrace_runs_from_the_environment_not_the_source(installed: Installed) -> None:
    where = must(installed.bin / "python", "-c", "import medtrace; print(medtrace.__file__)")
    assert Path(where.out.strip()).is_relative_to(installed.venv), where
    version = installed.medtrace("--version", cwd=installed.venv)
    assert (version.code, version.out) == (0, "medtrace, version 0.1.0\n"), version
    module = run(installed.bin / "python", "-m", "medtrace", "--version", cwd=installed.venv)
    assert (module.code, module.out) == (0, "medtrace, version 0.1.0\n"), module


@pytest.fixture
def project(installed: Installed, tmp_path: Path) -> Path:
    """A tiny project made by ``medtrace init --class C``."""
    root = tmp_path / "pump-app"
    root.mkdir()
    done = installed.medtrace("init", "--class", "C", "--name", "Pump App", cwd=root)
    assert done.code == 0, done
    assert done.out.splitlines() == [
        *(f"created {rel}" for rel in STARTER),
        "next: edit the items in docs/items/, then run 'medtrace check' (class C)",
    ], done
    return root


def test_init_writes_the_starter_project(project: Path) -> None:
    found = sorted(p.relative_to(project).as_posix() for p in project.rglob("*") if p.is_file())
    # medtrace's own working folder (ignored by git through its .gitignore) is not the project's
    assert [f for f in found if not f.startswith(".medtrace/")] == STARTER
    assert (project / ".medtrace" / ".gitignore").read_text("utf-8").splitlines()[-1] == "*"
    assert 'class = "C"' in (project / "medtrace.toml").read_text("utf-8")


def test_check_passes_on_the_starter_project(installed: Installed, project: Path) -> None:
    done = installed.medtrace("check", cwd=project)
    assert done.code == 0, done
    assert done.out.splitlines()[-1].startswith("OK Pump App (class C): 0 errors"), done


def test_matrix_writes_html_and_json(installed: Installed, project: Path) -> None:
    for fmt in ("html", "json", "csv", "markdown"):
        target = project / "build" / f"matrix.{fmt}"
        done = installed.medtrace("matrix", "--format", fmt, "-o", target, cwd=project)
        assert done.code == 0, done
        assert target.exists() and target.stat().st_size > 0, done
    page = (project / "build/matrix.html").read_text("utf-8")
    assert page.lstrip().lower().startswith("<!doctype html>")
    assert "SRS-1" in page
    assert not re.search(r"""(src|href)\s*=\s*["']?https?:""", page), "the page needs no network"
    doc = json.loads((project / "build/matrix.json").read_text("utf-8"))
    assert doc["project"] == "Pump App" and doc["class"] == "C"
    assert [i["id"] for i in doc["trace"]["items"]][:1] == ["SRS-1"]


def _with_a_pytest_suite(project: Path, outcome: str) -> None:
    config = project / "medtrace.toml"
    text = config.read_text("utf-8")
    assert "\ntests = []" in text and "\nresults = []" in text, text
    text = text.replace("\ntests = []", '\ntests = ["tests/**/*.py"]', 1)
    text = text.replace("\nresults = []", '\nresults = ["build/results/*.xml"]', 1)
    config.write_text(text, "utf-8")
    (project / "tests").mkdir()
    (project / "tests/test_readings.py").write_text(TEST_FILE.format(outcome=outcome), "utf-8")


def _pytest(installed: Installed, project: Path) -> str:
    results = project / "build/results/pytest.xml"
    run(installed.bin / "python", "-m", "pytest", "-p", "no:cacheprovider", "-q",
        f"--junitxml={results}", "tests", cwd=project)  # fmt: skip
    assert results.is_file(), "pytest wrote no results"
    return results.read_text("utf-8")


def test_the_pytest_plugin_records_what_a_test_verifies(
    installed: Installed, project: Path
) -> None:
    _with_a_pytest_suite(project, "True")
    xml = _pytest(installed, project)
    assert re.search(r'<property name="verifies" value="SRS-1"\s*/>', xml), xml
    done = installed.medtrace("check", cwd=project)
    assert done.code == 0, done
    # the starter test case TC-1 is not run yet (MT204 on SRS-1 and SYS-1 above it), and the
    # results have no provenance record (MT212): warnings, in class C too
    assert (
        done.out.splitlines()[-1]
        == "OK Pump App (class C): 0 errors, 3 warnings in 5 items from 5 files"
    )
    assert done.out.count("MT204") == 2 and "MT212" in done.out
    shown = installed.medtrace("matrix", "--format", "json", cwd=project)
    tests = json.loads(shown.out)["trace"]["tests"]
    assert [(t["key"], t["verifies"], t["outcome"]) for t in tests] == [
        ("tests/test_readings.py::test_a_damaged_reading_is_refused", ["SRS-1"], "passed")
    ]


def test_check_sees_a_failing_test_of_a_requirement(installed: Installed, project: Path) -> None:
    _with_a_pytest_suite(project, "False")
    _pytest(installed, project)
    done = installed.medtrace("check", cwd=project)
    assert done.code == 1, done
    assert "error MT103 test-failing" in done.out, done


def test_the_plugin_reports_an_unknown_id_at_collection(
    installed: Installed, project: Path
) -> None:
    _with_a_pytest_suite(project, "True")
    test_file = project / "tests/test_readings.py"
    test_file.write_text(test_file.read_text("utf-8").replace("SRS-1", "SRS-l"), "utf-8")
    done = run(installed.bin / "python", "-m", "pytest", "-p", "no:cacheprovider", "tests",
               cwd=project)  # fmt: skip
    assert "unknown ID 'SRS-l'" in done.out + done.err, done
    assert "did you mean 'SRS-1'?" in done.out + done.err, done


def test_every_docs_topic_prints(installed: Installed, wheel: Wheel, tmp_path: Path) -> None:
    with zipfile.ZipFile(wheel.path) as archive:
        pages = {
            n.removeprefix("medtrace/docs/").removesuffix(".md"): archive.read(n).decode()
            for n in wheel.names
            if n.startswith("medtrace/docs/") and n.endswith(".md")
        }
    assert {"config", "format", "matrix"} <= set(pages)
    listing = installed.medtrace("docs", cwd=tmp_path)
    assert listing.code == 0, listing
    names = [line.split()[0] for line in listing.out.splitlines() if line and line[0] != "R"]
    assert sorted(names) == sorted(pages), listing
    for name, text in pages.items():
        page = installed.medtrace("docs", name, cwd=tmp_path)
        assert (page.code, page.out) == (0, text), page
    unknown = installed.medtrace("docs", "confg", cwd=tmp_path)
    assert unknown.code == 2 and "did you mean 'config'?" in unknown.err, unknown


def test_a_copy_of_the_project_elsewhere_still_checks(installed: Installed, project: Path) -> None:
    """Nothing of the check depends on where medtrace was built."""
    moved = project.parent / "moved"
    shutil.copytree(project, moved)
    done = installed.medtrace("-C", moved, "check", cwd=project.parent)
    assert done.code == 0, done
