"""Who reviews and when: --by, else git's identity; now in UTC."""

from __future__ import annotations

import datetime
from pathlib import Path

import pytest
from helpers import load, run_git, write_project

from medtrace.review import Fingerprints, Lock, links_under_review, mark_reviewed, now_utc, reviewer

pytestmark = pytest.mark.verifies("SRS-248")


def test_by_wins_over_git(tmp_path: Path) -> None:
    assert reviewer(tmp_path, "  Ann <ann@example.org> ") == "Ann <ann@example.org>"


def test_git_identity(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", "/dev/null")
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    run_git(tmp_path, "init", "-q")
    assert reviewer(tmp_path) is None  # nobody configured: the command asks for --by
    run_git(tmp_path, "config", "user.name", "Bo")
    assert reviewer(tmp_path) == "Bo"
    run_git(tmp_path, "config", "user.email", "bo@example.org")
    assert reviewer(tmp_path) == "Bo <bo@example.org>"


def test_now_is_utc_to_the_second() -> None:
    text = now_utc()
    assert text.endswith("Z") and len(text) == 20
    when = datetime.datetime.fromisoformat(text.replace("Z", "+00:00"))
    assert abs((datetime.datetime.now(datetime.UTC) - when).total_seconds()) < 120


def test_a_link_reviewed_against_the_same_content_is_left_alone(tmp_path: Path) -> None:
    root = write_project(
        tmp_path,
        {"docs/i.yaml": "- {id: SYS-1, title: a}\n- {id: SYS-2, title: b, parents: [SYS-1]}\n"},
    )
    model = load(root).model
    lock = Lock(root / "medtrace.lock")
    links = links_under_review(model)
    assert len(mark_reviewed(lock, links, Fingerprints(model), "Ann", "t1")) == 1
    assert mark_reviewed(lock, links, Fingerprints(model), "Bo", "t2") == []
    assert lock.links[("SYS-2", "SYS-1")].by == "Ann"
