"""When a manual test case's pass still stands (:mod:`medtrace.tracing.manual`)."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
from pathlib import Path

import pytest

from medtrace.model import Item
from medtrace.tracing import CodeRef, ItemTrace, Trace
from medtrace.tracing.manual import ManualCheck, last_changes, parse_date

pytestmark = pytest.mark.verifies("SRS-176")

TODAY = dt.date(2026, 12, 5)


def trace_with(case: Item, code: str | None = "src/dose.py") -> Trace:
    entry = ItemTrace(Item("SRS-1", "software-requirement", path="docs/SRS-1.md"))
    if code:
        entry.code.append(CodeRef(code, 3, "cap", 2, "python"))
    entry.manual.append(case)
    trace = Trace()
    trace.items["SRS-1"] = entry
    return trace


def judged(
    case: Item, changes: dict[str, dt.date | None], version: str = "1.0.0"
) -> dict[str, str]:
    trace = trace_with(case)
    check = ManualCheck(Path(), version, TODAY, changes=lambda root, paths: changes)
    check.judge(trace)
    return trace.items["SRS-1"].manual_stale


def tc(**fields: object) -> Item:
    return Item("TC-1", "test-case", fields={"result": "pass", **fields})


def test_a_pass_after_every_change_stands() -> None:
    changes = {"docs/SRS-1.md": dt.date(2026, 10, 1), "src/dose.py": dt.date(2026, 10, 6)}
    assert judged(tc(executed=dt.date(2026, 10, 6), version="1.0.0"), changes) == {}


def test_code_changed_after_the_execution() -> None:
    changes = {"docs/SRS-1.md": dt.date(2026, 10, 1), "src/dose.py": dt.date(2026, 11, 2)}
    assert judged(tc(executed="2026-10-06"), changes) == {
        "TC-1": "src/dose.py changed on 2026-11-02, after the execution on 2026-10-06"
    }


def test_another_version_than_the_project() -> None:
    got = judged(tc(executed=dt.date(2026, 10, 6), version="1.0.0-rc2"), {})
    assert got == {"TC-1": "run on version 1.0.0-rc2, not on the project's 1.0.0"}


def test_a_date_in_the_future() -> None:
    got = judged(tc(executed=dt.date(2031, 1, 1)), {})
    assert got == {"TC-1": "executed 2031-01-01, a date in the future"}


def test_no_date_and_no_pass_are_not_judged_here() -> None:
    assert judged(tc(), {"src/dose.py": TODAY}) == {}  # an incomplete record: MT202
    assert (
        judged(Item("TC-1", "test-case", fields={"result": "fail"}), {"src/dose.py": TODAY}) == {}
    )


def test_parse_date() -> None:
    assert parse_date("2026-10-06") == dt.date(2026, 10, 6)
    assert parse_date(dt.datetime(2026, 10, 6, 12, 0)) == dt.date(2026, 10, 6)
    assert parse_date("soon") is None and parse_date(3) is None


def git(root: Path, *args: str, date: str | None = None) -> None:
    env = {**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.org"}
    env |= {"GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.org"}
    if date:
        env |= {"GIT_AUTHOR_DATE": date, "GIT_COMMITTER_DATE": date}
    subprocess.run(["git", *args], cwd=root, env=env, check=True, capture_output=True)


def test_last_changes_from_git_commit_dates_and_uncommitted_files(tmp_path: Path) -> None:
    project = tmp_path / "repo" / "project"  # a project below the repository root
    (project / "src").mkdir(parents=True)
    (project / "src/a.py").write_text("a = 1\n")
    (project / "src/b.py").write_text("b = 1\n")
    git(tmp_path / "repo", "init", "-q")
    git(tmp_path / "repo", "add", ".")
    git(tmp_path / "repo", "commit", "-qm", "one", date="2026-09-01T10:00:00+00:00")
    (project / "src/b.py").write_text("b = 2\n")  # uncommitted: its modification time counts
    (project / "src/c.py").write_text("c = 1\n")  # not committed at all
    stamp = dt.datetime(2026, 11, 3, 12, tzinfo=dt.UTC).timestamp()
    for name in ("b.py", "c.py"):
        os.utime(project / "src" / name, (stamp, stamp))
    got = last_changes(project, ["src/a.py", "src/b.py", "src/c.py", "src/gone.py"])
    assert got == {
        "src/a.py": dt.date(2026, 9, 1),
        "src/b.py": dt.date(2026, 11, 3),
        "src/c.py": dt.date(2026, 11, 3),
        "src/gone.py": None,
    }


def test_last_changes_without_git_are_modification_times(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("a")
    stamp = dt.datetime(2026, 8, 7, 12, tzinfo=dt.UTC).timestamp()
    os.utime(tmp_path / "a.txt", (stamp, stamp))
    assert last_changes(tmp_path, ["a.txt"]) == {"a.txt": dt.date(2026, 8, 7)}
