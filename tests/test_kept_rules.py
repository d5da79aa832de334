"""The model rules' findings kept between checks: given again only when every input of those
rules is unchanged, and then equal to running them."""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from helpers import write_project

from medtrace import kept_rules, pipeline
from medtrace.cache import cache_file
from medtrace.pipeline import CheckResult, check

pytestmark = pytest.mark.verifies("SRS-357")

OLD = time.time_ns() - 3600 * 1_000_000_000

CONFIG = """\
[project]
name = "fixture"
class = "B"

[paths]
items = ["docs"]
sources = ["src/**/*.py"]
tests = ["tests/**/*.py"]
results = ["build/*.xml"]
lockfiles = ["requirements.txt"]
"""

FILES = {
    "medtrace.toml": CONFIG,
    "docs/sys.yaml": "- id: SYS-1\n  title: Record readings\n",
    "docs/arch.yaml": """
        kind: software-item
        items:
          - id: app
            title: App
            class: B
            paths: [src/**]
        """,
    "docs/SRS-1.md": "---\ntype: data\nparents: [SYS-1]\nitem: app\n---\n# Store readings\n",
    "docs/SRS-2.md": "---\ntype: data\nparents: [SYS-9]\nitem: app\n---\n# Show readings\n",
    "src/app.py": "# @implements SRS-1\ndef store():\n    pass\n",
    "tests/test_app.py": (
        "import pytest\n\n\n@pytest.mark.verifies('SRS-1')\ndef test_store():\n    pass\n"
    ),
    "requirements.txt": "requests==2.31.0\n",
    "build/junit.xml": (
        '<testsuite name="t" tests="1"><testcase classname="tests.test_app" name="test_store"/>'
        "</testsuite>\n"
    ),
}

SPEC = "openapi: 3.0.3\ninfo: {title: API, version: '1'}\npaths: {}\n"


def _project(tmp_path: Path) -> Path:
    root = write_project(tmp_path / "p", FILES)
    _age(root)
    return root


def _age(root: Path, *rels: str) -> None:
    """Date the files ``rels`` (default: every file) an hour back, out of the racy window
    (their change time, part of their identity, is now)."""
    paths = [root / rel for rel in rels] if rels else list(root.rglob("*"))
    for path in paths:
        if path.is_file() and ".medtrace" not in path.parts:
            os.utime(path, ns=(OLD, OLD))


@pytest.fixture
def given(monkeypatch: pytest.MonkeyPatch) -> list[bool]:
    """Whether each check found the model rules' findings kept (in order)."""
    found: list[bool] = []
    real = kept_rules.kept_part

    def spy(*args: object) -> kept_rules.Part | None:
        part = real(*args)  # type: ignore[arg-type]
        found.append(part is not None)
        return part

    monkeypatch.setattr(kept_rules, "kept_part", spy)
    return found


def _rows(result: CheckResult) -> list[tuple[object, ...]]:
    return [d.to_tuple() for d in result.diagnostics]


def _same_as_cold(root: Path, given: list[bool]) -> list[tuple[object, ...]]:
    """A check that uses the kept findings, when it can, equals one that cannot (the result
    cache and the kept findings removed; the record of what code the results ran on stays)."""
    served = check(root)
    assert not served.cached
    for name in ("check", kept_rules.NAME):
        cache_file(root / ".medtrace" / "cache", name).unlink(missing_ok=True)
    cold = check(root)
    given.pop()  # (the cold check's: none kept)
    assert _rows(served) == _rows(cold)
    assert served.extra_inputs == cold.extra_inputs
    return _rows(served)


def _append(root: Path, rel: str, text: str) -> None:
    with (root / rel).open("a", encoding="utf-8") as file:
        file.write(text)
    _age(root, rel)


def test_a_code_test_or_results_edit_gives_the_kept_findings(
    tmp_path: Path, given: list[bool]
) -> None:
    root = _project(tmp_path)
    first = _same_as_cold(root, given)
    assert "MT010" in {row[0] for row in first}  # SYS-9 is no item: a model rule says so
    _append(root, "src/app.py", "X = 1\n")
    _same_as_cold(root, given)
    _append(root, "tests/test_app.py", "Y = 2\n")
    _same_as_cold(root, given)
    (root / "build/rerun.xml").write_text((root / "build/junit.xml").read_text())
    _age(root, "build/rerun.xml")
    _same_as_cold(root, given)
    assert given == [False, True, True, True]


def _write(rel: str, text: str) -> Callable[[Path], object]:
    def write(root: Path) -> None:
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text)

    return write


EDITS: dict[str, Callable[[Path], object]] = {
    "an item edited": lambda root: _append(root, "docs/SRS-1.md", "More.\n"),
    "an item added": _write("docs/SRS-2.md", "# New\n"),
    "a code file added": _write("src/more.py", "Z = 3\n"),
    "the configuration": lambda root: _append(root, "medtrace.toml", "\n[rules]\nMT015 = 'off'\n"),
    "a SOUP lockfile": lambda root: _append(root, "requirements.txt", "attrs==23.1.0\n"),
}


@pytest.mark.parametrize("edit", list(EDITS))
def test_any_other_input_of_the_model_rules_runs_them_again(
    tmp_path: Path, given: list[bool], edit: str
) -> None:
    root = _project(tmp_path)
    before = _same_as_cold(root, given)
    EDITS[edit](root)
    after = _same_as_cold(root, given)
    assert given == [False, False]
    if edit in ("an item added", "a SOUP lockfile"):
        assert before != after


def test_another_day_runs_them_again(
    tmp_path: Path, given: list[bool], monkeypatch: pytest.MonkeyPatch
) -> None:
    root = _project(tmp_path)
    monkeypatch.setenv("MEDTRACE_TODAY", "2030-01-01")
    _same_as_cold(root, given)
    _append(root, "src/app.py", "X = 1\n")
    monkeypatch.setenv("MEDTRACE_TODAY", "2030-01-02")  # end-of-support dates: a rule's input
    _same_as_cold(root, given)
    assert given == [False, False]


def test_findings_that_ask_git_are_never_kept(tmp_path: Path, given: list[bool]) -> None:
    root = _project(tmp_path)
    (root / "docs/dup.yaml").write_text("- id: SRS-1\n  title: Again\n  parents: [SYS-1]\n")
    _age(root, "docs/dup.yaml")
    assert "MT005" in {row[0] for row in _same_as_cold(root, given)}
    _append(root, "src/app.py", "X = 1\n")
    _same_as_cold(root, given)
    assert given == [False, False]


def test_findings_of_rules_that_read_files_are_never_kept(
    tmp_path: Path, given: list[bool]
) -> None:
    """An interface's spec: the rules read it (and its extractor what it references)."""
    root = _project(tmp_path)
    arch = "    interfaces:\n      - {name: Public API, kind: openapi, spec: api/openapi.yaml}\n"
    _append(root, "docs/arch.yaml", arch)
    assert "MT166" in {row[0] for row in _same_as_cold(root, given)}  # no such spec
    _append(root, "src/app.py", "X = 1\n")
    (root / "api").mkdir()
    (root / "api/openapi.yaml").write_text(SPEC)
    assert "MT166" not in {row[0] for row in _same_as_cold(root, given)}
    assert given == [False, False]


def test_a_kept_part_is_taken_for_its_inputs_only(tmp_path: Path) -> None:
    root = _project(tmp_path)
    check(root)
    inputs = _model_inputs(root)
    kept = kept_rules.kept_part(inputs, root)
    assert kept is not None and kept[1] == set()
    assert [code for code, found in kept[0] if found] == ["MT010", "MT151"]
    _append(root, "docs/SRS-2.md", "More.\n")
    assert kept_rules.kept_part(_model_inputs(root), root) is None
    assert kept_rules.kept_part(inputs, root) is not None  # (the digest of the files before)


def _model_inputs(root: Path) -> kept_rules.ModelInputs:
    config = pipeline._config(root, None)
    inputs = pipeline._inputs_of(config, pipeline._selection(config), True)
    made = pipeline._model_inputs(inputs, True)
    assert made is not None
    return made
