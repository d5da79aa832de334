"""medtrace's own SOUP list is the packages it depends on (pyproject.toml), at versions its
requirements allow, each with a package URL of that version."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest
from helpers import load
from packaging.requirements import Requirement
from packaging.version import Version

from medtrace.soup import normalise

pytestmark = pytest.mark.verifies("SRS-134")

ROOT = Path(__file__).resolve().parents[2]


def _declared() -> dict[str, Requirement]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    lines = [*project["dependencies"], *project["optional-dependencies"]["xlsx"]]
    if "pytest11" in project.get("entry-points", {}):  # the plugin runs inside pytest: SOUP too
        lines += [d for d in project["optional-dependencies"]["dev"] if d.startswith("pytest>")]
    return {normalise("pypi", (r := Requirement(line)).name): r for line in lines}


def test_the_soup_list_is_the_runtime_dependencies() -> None:
    items = load(ROOT).model.of_kind("soup")
    # a program of the platform (Graphviz's dot, from the system's packages) is no dependency
    soup = {normalise("pypi", i.get("package")): i for i in items if i.get("origin") != "platform"}
    declared = _declared()
    assert sorted(soup) == sorted(declared)
    for key, item in soup.items():
        version = item.get("version")
        assert declared[key].specifier.contains(Version(version)), (key, version)
        assert item.get("purl") == f"pkg:pypi/{item.get('package').lower()}@{version}"
