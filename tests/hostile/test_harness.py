"""The harness itself: the runner enforces its time and memory limits, and the judge sees
every broken promise (so that a passing case means something)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from hostile.generate import Case
from hostile.harness import CaseRun, Command, Runner, judge
from hostile.project import SHORT, Workspace

pytestmark = pytest.mark.verifies("SRS-90", "SRS-91", "SRS-92")


@pytest.fixture(scope="module")
def runner() -> Runner:
    made = Runner("python")
    yield made
    made.close()


def _limits(timeout: float, memory: int = SHORT.memory):
    from dataclasses import replace

    return replace(SHORT, timeout=timeout, memory=memory)


def test_a_hang_is_killed_at_the_timeout(runner: Runner, tmp_path: Path) -> None:
    (tmp_path / "p").mkdir()
    done = runner.run(["-c", "import time; time.sleep(60)"], tmp_path / "p", _limits(1), "s", "t")
    assert done.timed_out and done.status is None
    assert done.seconds < 30


def test_memory_is_bounded(runner: Runner, tmp_path: Path) -> None:
    (tmp_path / "p").mkdir()
    code = "b = bytearray(2 * 1024**3)"
    done = runner.run(["-c", code], tmp_path / "p", _limits(30, 512 * 2**20), "s", "t")
    assert done.status == 1 and "MemoryError" in done.err


def test_the_child_sees_the_secret_in_its_environment(runner: Runner, tmp_path: Path) -> None:
    (tmp_path / "p").mkdir()
    code = "import os; print(os.environ['MEDTRACE_HOSTILE_SECRET'])"
    done = runner.run(["-c", code], tmp_path / "p", _limits(30), "the-secret", "t")
    assert done.out == "the-secret\n"


def _run(tmp_path: Path, check_out: str, *, case: Case | None = None, err: str = "") -> list[str]:
    ws = Workspace(tmp_path, SHORT, token="Zsecret0")
    case = case or Case("c", "items", lambda ws: None, hostile=("docs/x.yaml",), lines=True)
    check = Command(["check"], 1, None, False, 0.1, 1, check_out, err)
    matrix = Command(["matrix"], 0, None, False, 0.1, 1, '{"SRS-1": 1}', "")
    return judge(CaseRun(case, ws, [check, matrix]))


def _report(*diagnostics: dict[str, object]) -> str:
    return json.dumps({"diagnostics": list(diagnostics)})


def test_the_judge_passes_a_clean_run(tmp_path: Path) -> None:
    found = {"code": "MT002", "path": "docs/x.yaml", "line": 3, "message": "bad"}
    assert _run(tmp_path, _report(found)) == []


@pytest.mark.parametrize(
    ("out", "err", "expected"),
    [
        (_report(), "Traceback (most recent call last)", "'Traceback'"),
        (_report(), "medtrace: internal error: X", "'internal error'"),
        (_report({"code": "MT1", "path": "", "line": 0, "message": "m"}), "", "without a file"),
        (_report({"code": "MT2", "path": "docs/x.yaml", "line": 0, "message": "m"}), "", "line"),
        (_report({"code": "MT1", "path": "a", "line": 1, "message": "Zsecret0"}), "", "secret"),
        (_report(), "\x1b[2J", "terminal escape"),
        ("not json", "", "does not parse"),
    ],
)
def test_the_judge_sees_each_broken_promise(
    tmp_path: Path, out: str, err: str, expected: str
) -> None:
    problems = _run(tmp_path, out, err=err)
    assert any(expected in p for p in problems), problems


def test_the_judge_sees_a_silent_miss(tmp_path: Path) -> None:
    case = Case("c", "items", lambda ws: None, hostile=("docs/x.yaml",), finding=True)
    problems = _run(tmp_path, _report(), case=case)
    assert any("silent miss" in p for p in problems)


def test_the_judge_counts_forged_finding_lines(tmp_path: Path) -> None:
    ws = Workspace(tmp_path, SHORT, token="Zsecret0")
    case = Case("c", "names", lambda ws: None, forge=True)
    one = _report({"code": "MT007", "path": "docs/a", "line": 1, "message": "m"})
    text = "docs/a\nx.md:12: error MT000 fake\nb.yaml:1: error MT007 field-unknown: m\n"
    github = "::error file=docs/a,line=1::m\n::error::forged\n"
    commands = [
        Command(["check"], 1, None, False, 0.1, 1, one, ""),
        Command(["matrix"], 0, None, False, 0.1, 1, '"SRS-1"', ""),
        Command(["check", "text"], 1, None, False, 0.1, 1, text, ""),
        Command(["check", "github"], 1, None, False, 0.1, 1, github, ""),
    ]
    problems = judge(CaseRun(case, ws, commands))
    assert any("2 finding lines for 1 findings" in p for p in problems), problems
    assert any("2 workflow commands for 1 findings" in p for p in problems), problems
