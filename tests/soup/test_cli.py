"""``medtrace soup`` and ``check`` on a copy of the bundled example, through the real CLI."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from cyclonedx.schema import SchemaVersion
from cyclonedx.validation.json import JsonStrictValidator
from helpers import Run

pytestmark = pytest.mark.verifies("SRS-132", "SRS-133")

Cli = Callable[..., Run]
EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "bolus-advisor"


@pytest.fixture
def example(tmp_path: Path) -> Path:
    """The example's configuration, items and lockfiles (no code, no results)."""
    root = tmp_path / "example"
    shutil.copytree(EXAMPLE / "docs", root / "docs")
    shutil.copy(EXAMPLE / "medtrace.toml", root / "medtrace.toml")
    for lock in ("app/package-lock.json", "app/package.json", "cloud/requirements.txt"):
        (root / lock).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(EXAMPLE / lock, root / lock)
    return root


def test_the_example_has_no_drift(example: Path, cli: Cli) -> None:
    run = cli("-C", str(example), "soup")
    assert run.code == 0, run.out
    assert run.out.splitlines() == [
        "app/package-lock.json: package-lock.json, 285 packages",
        "cloud/requirements.txt: requirements.txt, 1 packages",
        "OK: 1 SOUP items match 1 packages; 0 unlisted, 0 other version, 0 no longer locked; "
        "285 dev-only left out; 0 advisories",
    ]


def test_the_example_checks_with_only_the_unreviewed_version(example: Path, cli: Cli) -> None:
    run = cli("-C", str(example), "check", "--format", "json")
    soup = [d for d in json.loads(run.out)["diagnostics"] if d["code"].startswith("MT15")]
    assert [(d["code"], d["item"], d["severity"]) for d in soup] == [
        ("MT155", "waitress", "warning")
    ]


def test_an_unlisted_dependency_turns_check_red(example: Path, cli: Cli) -> None:
    lock = example / "cloud/requirements.txt"
    lock.write_text(lock.read_text() + "idna==3.10\n    # via bolus-cloud (pyproject.toml)\n")
    run = cli("-C", str(example), "check")
    assert run.code == 1
    line = len(lock.read_text().splitlines()) - 1
    assert (
        f"cloud/requirements.txt:{line}: error MT151 soup-unlisted: direct dependency idna 3.10 "
        "(pypi) is not in the SOUP list; expected a SOUP item with package: idna and version: "
        "3.10"
    ) in run.out
    soup = cli("-C", str(example), "soup")
    assert soup.code == 1
    assert (
        f"cloud/requirements.txt:{line}: not in the SOUP list: idna 3.10 (pypi, direct)" in soup.out
    )


def test_json_and_markdown(example: Path, cli: Cli) -> None:
    data = json.loads(cli("-C", str(example), "soup", "--format", "json").out)
    assert data["matched"] == [{"soup": "waitress", "version": "3.0.2", "locked": ["3.0.2"]}]
    assert (data["unlisted"], data["mismatched"], data["unused"]) == ([], [], [])
    markdown = cli("-C", str(example), "soup", "--format", "markdown").out
    assert "| ok | waitress | | 3.0.2 | 3.0.2 |" in markdown.splitlines()


def test_sbom_to_a_file_twice(example: Path, cli: Cli) -> None:
    out = example / "build/sbom.cdx.json"
    assert cli("-C", str(example), "soup", "--sbom", "-o", str(out)).code == 0
    first = out.read_bytes()
    assert JsonStrictValidator(SchemaVersion.V1_6).validate_str(first.decode()) is None
    assert cli("-C", str(example), "soup", "--sbom", "-o", str(out)).code == 0  # its own file
    assert out.read_bytes() == first


def test_sbom_refuses_a_file_it_did_not_write(example: Path, cli: Cli) -> None:
    out = example / "notes.json"
    out.write_text("mine")
    run = cli("-C", str(example), "soup", "--sbom", "-o", str(out))
    assert run.code == 2 and out.read_text() == "mine"


def test_without_lockfiles_it_is_a_usage_error(tmp_path: Path, cli: Cli) -> None:
    (tmp_path / "medtrace.toml").write_text('[project]\nclass = "A"\n')
    run = cli("-C", str(tmp_path), "soup")
    assert run.code == 2 and "no [paths] lockfiles, sbom or audit" in run.err


@pytest.mark.verifies("SRS-130")
def test_a_broken_lockfile_exits_1_and_says_where(example: Path, cli: Cli) -> None:
    (example / "app/package-lock.json").write_text('{"lockfileVersion": 3, "packages": {')
    run = cli("-C", str(example), "soup")
    assert run.code == 1
    assert run.out.splitlines()[2].startswith(
        "app/package-lock.json:1: error MT150 soup-input-unreadable: package-lock.json: not valid JSON"
    )
    assert "cloud/requirements.txt: requirements.txt, 1 packages" in run.out
