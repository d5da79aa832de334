"""The example's change story: a release v1.0.0, then a change to a risk control requirement
that ``medtrace diff v1.0.0 HEAD`` shows (built by ``build_story.py`` in a temporary folder)."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest
from helpers import require_input, run_git

from . import build_story

pytestmark = pytest.mark.verifies("SRS-279", "SRS-281", "SRS-284", "SRS-286", "SRS-235", "SRS-248")


def test_the_story(tmp_path: Path) -> None:
    for name in build_story.BUILD_INPUTS:
        require_input(
            build_story.EXAMPLE / "build" / name,
            "the example's real test results, coverage and analysis reports",
            "run 'make -C examples/bolus-advisor results' (needs npm, cmake, ctest and gcc) first",
        )
    dest = tmp_path / "story"
    shown = build_story.build(dest, [sys.executable, "-m", "medtrace"])
    assert run_git(dest, "tag").split() == ["v1.0.0"]
    assert len(run_git(dest, "log", "--format=%H").split()) == 2
    assert "release-1.0.0 (" in shown["release"]
    folder = dest / "releases" / "release-1.0.0"
    assert (dest / "releases" / "release-1.0.0.tar.gz").is_file()
    about = json.loads((folder / "release.json").read_text())
    assert (about["tag"], about["version"]) == ("v1.0.0", "1.0.0")
    assert about["results"]  # the release holds the verification of 1.0.0
    data = json.loads(shown["diff.json"])
    assert data["old"] == "v1.0.0 (release folder release-1.0.0)" and data["new"] == "HEAD"
    assert (data["added"], data["removed"]) == ([], [])
    [change] = data["changed"]
    assert (change["id"], change["controls"]) == ("SRS-6", ["RISK-1", "RISK-9"])
    assert [c["field"] for c in change["changes"]] == ["text"]
    old, new = (" ".join(change["changes"][0][k].split()) for k in ("old", "new"))
    assert " ".join(build_story.OLD_TEXT.split()) in old
    assert " ".join(build_story.NEW_TEXT.split()) in new
    assert data["notes"] == [
        "verification statuses not compared: HEAD read no test results (results files are "
        "usually not committed; compare release folders or the work tree)"
    ]
    assert "| SRS-6 (software-requirement, controls RISK-1, RISK-9) | text |" in shown["diff.md"]
    assert "correction bolus or both together" in shown["diff.html"]
    verified = build_story.medtrace(
        [sys.executable, "-m", "medtrace"], dest, "release", "--verify", str(folder)
    )
    assert verified.returncode == 0, verified.stdout
    impact = json.loads(shown["impact.json"])
    assert [r["id"] for r in impact["risks"]] == ["RISK-1", "RISK-9"]
    assert {
        "name": "test_dose_above_the_maximum_is_reduced_and_flagged",
        "path": "cloud/tests/test_limit.py",
        "why": "verifies RISK-1, SRS-6",
    } in impact["tests"]
    assert (
        "| RISK-1 | C | Overdose from an excessive recommendation | controlled by SRS-6 |"
        in (shown["impact.md"])
    )
    assert "SRS-6: the clamp covers correction boluses too" in shown["history.txt"]
    after = shown["check-after-change.txt"]
    assert "error MT215 link-suspect: suspect link cloud/tests/test_limit.py::" in after
    assert "error MT217 approval-outdated: SRS-6 changed since it was approved" in after
    assert "error MT220 verification-suspect: the verification of SRS-6 is suspect" in after
    assert "OK Bolus Advisor (class C): 0 errors" in shown["check-after-review.txt"]
