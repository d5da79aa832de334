"""The public API: a small, tested ``__all__``; everything in it resolves, lazily."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from helpers import write_project

import medtrace

pytestmark = pytest.mark.verifies("SRS-14", "SRS-15")


def test_every_public_name_resolves() -> None:
    for name in medtrace.__all__:
        assert getattr(medtrace, name) is not None, name
    assert sorted(dir(medtrace)) == sorted(medtrace.__all__)


def test_an_unknown_name_is_an_attribute_error() -> None:
    with pytest.raises(AttributeError, match="no attribute 'nope'"):
        medtrace.nope  # noqa: B018


def test_importing_medtrace_loads_nothing_heavy() -> None:
    code = (
        "import sys, medtrace; "
        "heavy = {'pydantic', 'lxml', 'tree_sitter', 'yaml', 'rich', 'click'}; "
        "print(sorted(heavy & {m.split('.')[0] for m in sys.modules}))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_check_through_the_public_api(tmp_path: Path) -> None:
    write_project(tmp_path, {"docs/sys.yaml": "- {id: SYS-1, title: t}\n"}, cls="A")
    result = medtrace.check(tmp_path)
    assert isinstance(result, medtrace.CheckResult)
    assert not result.failed()
    assert all(isinstance(d, medtrace.Diagnostic) for d in result.diagnostics)


@pytest.mark.verifies("SRS-330")
def test_a_check_imports_the_readers_only_of_what_the_project_has(tmp_path: Path) -> None:
    files = {
        "docs/sys.yaml": "- {id: SYS-1, title: t}\n",
        "docs/items.yaml": "- {id: SI-1, kind: software-item, title: Pump, class: C}\n",
    }
    write_project(tmp_path, files, cls="C")
    code = (
        "import sys, pathlib, medtrace; medtrace.check(pathlib.Path(sys.argv[1]), use_cache=False, jobs=1); "
        "print(sorted(m for m in sys.modules if m.startswith(("
        "'packaging.requirements', 'medtrace.soup.python', 'medtrace.soup.javascript', "
        "'medtrace.soup.audit', 'medtrace.interfaces.openapi', 'medtrace.interfaces.treesitter'"
        "))))"
    )
    run = [sys.executable, "-c", code, str(tmp_path)]
    out = subprocess.run(run, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
    (tmp_path / "requirements.txt").write_text("attrs==23.1.0\n")
    config = (tmp_path / "medtrace.toml").read_text()
    (tmp_path / "medtrace.toml").write_text(
        config.replace("[paths]", '[paths]\nlockfiles = ["requirements.txt"]')
    )
    out = subprocess.run(run, capture_output=True, text=True, check=True)
    assert "medtrace.soup.python" in out.stdout  # a lockfile: its reader is there when needed
