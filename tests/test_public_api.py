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
