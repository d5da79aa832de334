"""Stale results are told by content: ``touch`` and a checkout back and forth change nothing,
an edit does; without a record, git decides, and a doubt is reported as stale."""

from __future__ import annotations

import os
import shutil
import subprocess
import time
from pathlib import Path

import pytest
from helpers import write_project

from medtrace.pipeline import trace_project
from medtrace.tracing import Status
from medtrace.tracing.freshness import Freshness

pytestmark = pytest.mark.verifies("SRS-104", "SRS-105")

HOUR_AGO = int(time.time()) - 3600
CONFIG = """\
[project]
name = "fixture"
class = "B"

[paths]
items = ["docs"]
sources = ["src/**/*.py"]
tests = ["tests/**/test_*.py"]
results = ["build/results/*.xml"]
"""
FILES = {
    "docs/requirements.yaml": """\
        kind: software-requirement
        items:
          - {id: SRS-1, title: Add the doses, type: functional}
        """,
    "src/dose.py": "# @implements SRS-1\ndef add(a: int, b: int) -> int:\n    return a + b\n",
    "tests/test_dose.py": "# @verifies SRS-1\ndef test_add() -> None:\n    assert True\n",
}
JUNIT = """\
<testsuites><testsuite name="pytest" tests="1">
<testcase classname="tests.test_dose" name="test_add" file="tests/test_dose.py" line="2" time="0.1"/>
</testsuite></testsuites>
"""
RESULTS = "build/results/junit.xml"


def project(root: Path) -> Path:
    write_project(root, FILES, config=CONFIG)
    for path in root.rglob("*"):
        if path.is_file():
            os.utime(path, (HOUR_AGO, HOUR_AGO))
    return root


def run_tests(root: Path, when: float | None = None) -> None:
    """Write the results, as the test runner does (now, or at ``when``)."""
    path = root / RESULTS
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(JUNIT + f"<!-- run at {time.time_ns()} -->\n")
    if when is not None:
        os.utime(path, (when, when))


def status(root: Path, *, use_cache: bool = True) -> Status:
    return trace_project(root, use_cache=use_cache).trace.items["SRS-1"].status


def later(path: Path, seconds: float = 60) -> None:
    """``touch``: a newer modification time, the same content."""
    when = time.time() + seconds
    os.utime(path, (when, when))


def edit(path: Path, text: str) -> None:
    path.write_text(text)
    later(path, 120)


# --- with a record -----------------------------------------------------------------------------


def test_touch_does_not_make_results_stale_an_edit_does(tmp_path: Path) -> None:
    root = project(tmp_path)
    run_tests(root)
    assert status(root) is Status.VERIFIED  # first seen: the content is recorded
    later(root / "src/dose.py")
    later(root / "tests/test_dose.py")
    assert status(root) is Status.VERIFIED, "touched, not changed"
    original = (root / "src/dose.py").read_text()
    edit(root / "src/dose.py", original.replace("a + b", "a - b"))
    assert status(root) is Status.STALE, "the code changed since the tests ran"
    edit(root / "src/dose.py", original)
    assert status(root) is Status.VERIFIED, "back to the content the tests ran on"


def test_an_edit_of_the_test_makes_results_stale(tmp_path: Path) -> None:
    root = project(tmp_path)
    run_tests(root)
    assert status(root) is Status.VERIFIED
    edit(root / "tests/test_dose.py", FILES["tests/test_dose.py"] + "# more\n")
    assert status(root) is Status.STALE


def test_running_the_tests_again_makes_a_new_record(tmp_path: Path) -> None:
    root = project(tmp_path)
    run_tests(root)
    status(root)
    edit(root / "src/dose.py", FILES["src/dose.py"].replace("a + b", "b + a"))
    assert status(root) is Status.STALE
    run_tests(root, when=time.time() + 300)  # after the edit
    assert status(root) is Status.VERIFIED
    later(root / "src/dose.py", 600)
    assert status(root) is Status.VERIFIED


def test_an_edit_before_the_first_check_is_stale(tmp_path: Path) -> None:
    """Results older than an edit, never seen before and no git: a doubt, reported."""
    root = project(tmp_path)
    run_tests(root)
    edit(root / "src/dose.py", FILES["src/dose.py"].replace("a + b", "a * b"))
    assert status(root) is Status.STALE
    assert status(root) is Status.STALE, "nothing was recorded for the edited file"


def test_without_the_cache_times_alone_decide(tmp_path: Path) -> None:
    root = project(tmp_path)
    run_tests(root)
    assert status(root, use_cache=False) is Status.VERIFIED
    later(root / "src/dose.py")
    assert status(root, use_cache=False) is Status.STALE, "no record, no git: in doubt"
    assert not (root / ".medtrace").exists()


def test_the_record_is_kept_only_for_present_results(tmp_path: Path) -> None:
    root = project(tmp_path)
    run_tests(root)
    cache = root / ".medtrace" / "cache"
    first = Freshness(root, cache)
    assert not first.stale([RESULTS], ["src/dose.py"])
    first.save()
    assert list(Freshness(root, cache)._records.values()) == [{"src/dose.py": _digest(root)}]
    run_tests(root, when=time.time() + 300)
    second = Freshness(root, cache)
    assert not second.stale([RESULTS], ["src/dose.py"])
    second.save()
    assert len(Freshness(root, cache)._records) == 1, "the old results' record is dropped"


def _digest(root: Path) -> bytes:
    from medtrace.cache import digest

    return digest((root / "src/dose.py").read_bytes())


def test_a_missing_results_file_or_covered_file_is_not_stale(tmp_path: Path) -> None:
    root = project(tmp_path)
    run_tests(root)
    freshness = Freshness(root)
    assert not freshness.stale(["build/results/gone.xml"], ["src/dose.py"])
    assert not freshness.stale([RESULTS], ["src/gone.py"])


# --- git --------------------------------------------------------------------------------------

needs_git = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")


def git(root: Path, *args: str, when: int | None = None) -> str:
    env = {
        **os.environ,
        "GIT_AUTHOR_NAME": "t",
        "GIT_AUTHOR_EMAIL": "t@example.org",
        "GIT_COMMITTER_NAME": "t",
        "GIT_COMMITTER_EMAIL": "t@example.org",
        "GIT_CONFIG_GLOBAL": os.devnull,
        "GIT_CONFIG_NOSYSTEM": "1",
    }
    if when is not None:
        env["GIT_AUTHOR_DATE"] = env["GIT_COMMITTER_DATE"] = f"@{when} +0000"
    done = subprocess.run(
        ["git", *args], cwd=root, env=env, capture_output=True, text=True, check=True
    )
    return done.stdout


def repository(tmp_path: Path) -> Path:
    """A project committed an hour ago on ``main``, with ``other`` changing the code."""
    root = project(tmp_path / "repo")
    (root / ".gitignore").write_text(".medtrace/\nbuild/\n")
    git(root, "init", "-q", "-b", "main")
    git(root, "add", ".")
    git(root, "commit", "-q", "-m", "one", when=HOUR_AGO)
    git(root, "checkout", "-q", "-b", "other", when=HOUR_AGO)
    (root / "src/dose.py").write_text(FILES["src/dose.py"].replace("a + b", "a - b"))
    git(root, "commit", "-q", "-am", "two", when=HOUR_AGO)
    git(root, "checkout", "-q", "main", when=HOUR_AGO)
    return root


@needs_git
def test_a_checkout_and_back(tmp_path: Path) -> None:
    root = repository(tmp_path)
    run_tests(root, when=time.time() - 30)  # the tests ran on main
    assert status(root) is Status.VERIFIED
    git(root, "checkout", "-q", "other")
    assert status(root) is Status.STALE, "other code than the tests ran on"
    git(root, "checkout", "-q", "main")
    assert (root / "src/dose.py").stat().st_mtime > time.time() - 5, "the checkout rewrote it"
    assert status(root) is Status.VERIFIED, "the same content again"


@needs_git
def test_a_checkout_without_a_record_is_stale(tmp_path: Path) -> None:
    root = repository(tmp_path)
    run_tests(root, when=time.time() - 30)
    git(root, "checkout", "-q", "other")
    assert status(root, use_cache=False) is Status.STALE
    git(root, "checkout", "-q", "main")
    assert status(root, use_cache=False) is Status.STALE, "HEAD moved after the results"


@needs_git
def test_without_a_record_git_vouches_for_a_touched_committed_file(tmp_path: Path) -> None:
    """A fresh clone, a build that copies files, ``touch``: newer times, the committed content,
    HEAD not moved since the tests ran."""
    root = repository(tmp_path)
    run_tests(root, when=time.time() - 30)
    later(root / "src/dose.py")
    later(root / "tests/test_dose.py")
    assert status(root, use_cache=False) is Status.VERIFIED
    edit(root / "src/dose.py", FILES["src/dose.py"] + "# changed\n")
    assert status(root, use_cache=False) is Status.STALE, "not as committed"


@needs_git
def test_a_file_git_does_not_track_is_stale_without_a_record(tmp_path: Path) -> None:
    root = repository(tmp_path)
    (root / "src/extra.py").write_text("# @implements SRS-1\ndef more() -> None: ...\n")
    run_tests(root, when=time.time() - 30)
    later(root / "src/extra.py")
    assert status(root, use_cache=False) is Status.STALE


@needs_git
def test_the_git_fallback_is_recorded(tmp_path: Path) -> None:
    root = repository(tmp_path)
    run_tests(root, when=time.time() - 30)
    later(root / "src/dose.py")
    assert status(root) is Status.VERIFIED  # git vouches, and the content is recorded
    git(root, "commit", "-q", "--allow-empty", "-m", "three")  # HEAD moves now
    assert status(root) is Status.VERIFIED, "the record stands: the content did not change"


def test_stale_one_answers_as_stale_of_one_results_file(tmp_path: Path) -> None:
    """``stale_one(source, paths)`` answers as ``stale([source], paths)``, current or not."""
    root = project(tmp_path)
    run_tests(root)
    freshness = Freshness(root)
    assert not freshness.stale_one(RESULTS, {"src/dose.py"})
    later(root / "src/dose.py")
    fresh, again = Freshness(root), Freshness(root)
    assert fresh.stale_one(RESULTS, {"src/dose.py", "src/gone.py"})
    assert again.stale([RESULTS], ["src/gone.py", "src/dose.py", "src/dose.py"])
    assert not fresh.stale_one("build/results/gone.xml", {"src/dose.py"})
