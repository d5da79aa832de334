"""Item histories on real repositories built in a temporary folder."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from helpers import run_git

from medtrace.pipeline import load_project
from medtrace.vcs.history import Histories, item_histories, render_item

pytestmark = [
    pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed"),
    pytest.mark.verifies("SRS-230", "SRS-231", "SRS-232"),
]

T0 = 1_767_000_000
CONFIG = '[project]\nname = "h"\nclass = "B"\n[paths]\nitems = ["reqs"]\n'

RISKS = """\
kind: risk
items:
  - id: RISK-1
    title: Overdose
    severity: serious
  - id: RISK-2
    title: Underdose
    severity: minor
"""


def md(item_id: str, title: str, text: str, *, extra: str = "") -> str:
    return f"---\nid: {item_id}\ntitle: {title}\n{extra}---\n{text}\n"


class Repo:
    def __init__(self, root: Path) -> None:
        self.root = root
        self.when = T0
        (root / "reqs").mkdir(parents=True, exist_ok=True)
        (root / "medtrace.toml").write_text(CONFIG)
        run_git(root, "init", "-q", "-b", "main")

    def write(self, rel: str, text: str) -> None:
        path = self.root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)

    def commit(self, message: str, author: str = "Test Author") -> str:
        self.when += 60
        run_git(self.root, "add", "-A")
        run_git(self.root, "commit", "-q", "-m", message, when=self.when, author=author)
        return run_git(self.root, "rev-parse", "HEAD").strip()

    def histories(self) -> Histories:
        """Every item's history; the history of each item alone (``only``) is checked to be
        the same."""
        project = load_project(self.root, use_cache=False)
        found = item_histories(self.root, project.model, project.config)
        for item_id, changes in found.changes.items():
            alone = item_histories(self.root, project.model, project.config, only=item_id)
            assert alone.changes == {item_id: changes}, item_id
        return found


@pytest.fixture
def repo(tmp_path: Path) -> Repo:
    return Repo(tmp_path / "p")


def test_added_then_modified_newest_first_with_author_date_and_message(repo: Repo) -> None:
    repo.write("reqs/SRS-1.md", md("SRS-1", "Dose", "The dose shall be shown."))
    first = repo.commit("Add the dose requirement", author="Ada Lovelace")
    repo.write("reqs/SRS-1.md", md("SRS-1", "Dose", "The dose shall be shown in units."))
    second = repo.commit("Say the unit\n\nThe reviewers asked for it.", author="Alan Turing")
    changes = repo.histories().changes["SRS-1"]
    assert [(c.commit, c.kind) for c in changes] == [(second, "modified"), (first, "added")]
    newest = changes[0]
    assert (newest.author, newest.email) == ("Alan Turing", "alan.turing@example.org")
    assert newest.date == "2025-12-29T09:22:00+00:00"
    assert newest.message == "Say the unit\n\nThe reviewers asked for it."
    assert newest.path == "reqs/SRS-1.md"
    assert "-The dose shall be shown.\n+The dose shall be shown in units.\n" in newest.diff
    assert newest.diff.startswith("--- a/reqs/SRS-1.md\n+++ b/reqs/SRS-1.md\n")
    assert changes[1].diff.startswith("--- /dev/null\n+++ b/reqs/SRS-1.md\n")
    assert "+title: Dose\n" in changes[1].diff


def test_a_renamed_file_is_followed(repo: Repo) -> None:
    repo.write("reqs/SRS-1-dose.md", md("SRS-1", "Dose", "Shown."))
    repo.commit("add")
    run_git(repo.root, "mv", "reqs/SRS-1-dose.md", "reqs/SRS-1-shown-dose.md")
    moved = repo.commit("rename the file")
    changes = repo.histories().changes["SRS-1"]
    assert [c.kind for c in changes] == ["renamed", "added"]
    assert changes[0].commit == moved
    assert changes[0].path == "reqs/SRS-1-shown-dose.md"
    header = "--- a/reqs/SRS-1-dose.md\n+++ b/reqs/SRS-1-shown-dose.md\n"
    assert changes[0].diff == header  # the item itself did not change: no hunk


def test_an_item_moving_between_yaml_files_is_a_move_not_removal_and_addition(
    repo: Repo,
) -> None:
    repo.write("reqs/risks.yaml", RISKS)
    repo.commit("risks")
    repo.write("reqs/risks.yaml", RISKS.split("  - id: RISK-2")[0])
    repo.write(
        "reqs/minor.yaml", "kind: risk\nitems:\n  - id: RISK-2\n" + RISKS.split("RISK-2\n")[1]
    )
    moved = repo.commit("move the minor risk to its own file")
    history = repo.histories()
    assert [c.kind for c in history.changes["RISK-2"]] == ["renamed", "added"]
    move = history.changes["RISK-2"][0]
    assert (move.commit, move.path) == (moved, "reqs/minor.yaml")
    assert "@@" not in move.diff  # same content, another file
    assert [c.kind for c in history.changes["RISK-1"]] == ["added"]  # untouched by the move


def test_only_the_changed_item_of_a_multi_item_file_has_a_change(repo: Repo) -> None:
    repo.write("reqs/risks.yaml", RISKS)
    repo.commit("risks")
    repo.write("reqs/risks.yaml", RISKS.replace("severity: minor", "severity: serious"))
    edit = repo.commit("underdose is serious")
    history = repo.histories()
    assert history.changes["RISK-2"][0].commit == edit
    assert len(history.changes["RISK-1"]) == 1
    diff = history.changes["RISK-2"][0].diff
    assert "-severity: minor\n+severity: serious\n" in diff
    assert "RISK-1" not in diff and "Overdose" not in diff


def test_key_order_and_layout_are_not_changes(repo: Repo) -> None:
    repo.write("reqs/risks.yaml", RISKS)
    repo.commit("risks")
    relaid = RISKS.replace(
        "    title: Overdose\n    severity: serious", "    severity: serious\n    title:   Overdose"
    )
    repo.write("reqs/risks.yaml", relaid + "\n\n# a comment\n")
    repo.commit("layout only")
    history = repo.histories()
    assert len(history.changes["RISK-1"]) == 1
    assert len(history.changes["RISK-2"]) == 1


def test_a_removed_item_keeps_its_history(repo: Repo) -> None:
    repo.write("reqs/SRS-1.md", md("SRS-1", "Dose", "Shown."))
    repo.write("reqs/SRS-2.md", md("SRS-2", "Alarm", "Sounds."))
    repo.commit("two")
    (repo.root / "reqs" / "SRS-2.md").unlink()
    gone = repo.commit("drop the alarm")
    history = repo.histories()
    assert [c.kind for c in history.changes["SRS-2"]] == ["removed", "added"]
    removal = history.changes["SRS-2"][0]
    assert (removal.commit, removal.path) == (gone, "reqs/SRS-2.md")
    assert removal.diff.startswith("--- a/reqs/SRS-2.md\n+++ /dev/null\n")
    assert "SRS-2" not in load_project(repo.root, use_cache=False).model.items


def test_merged_branch_changes_stay_with_their_commits(repo: Repo) -> None:
    repo.write("reqs/risks.yaml", RISKS)
    repo.commit("risks")
    run_git(repo.root, "checkout", "-q", "-b", "side")
    repo.write("reqs/risks.yaml", RISKS.replace("title: Underdose", "title: Too little insulin"))
    side = repo.commit("rename the underdose on a branch")
    run_git(repo.root, "checkout", "-q", "main")
    repo.write("reqs/risks.yaml", RISKS.replace("title: Overdose", "title: Too much insulin"))
    main = repo.commit("rename the overdose on main")
    repo.when += 60
    run_git(repo.root, "merge", "-q", "--no-edit", "side", when=repo.when)
    merge = run_git(repo.root, "rev-parse", "HEAD").strip()
    history = repo.histories()
    assert history.changes["RISK-2"][0].commit == side
    assert history.changes["RISK-1"][0].commit == main
    assert all(c.commit != merge for cs in history.changes.values() for c in cs)


def test_an_edit_made_in_the_merge_itself_is_a_change_of_the_merge(repo: Repo) -> None:
    repo.write("reqs/SRS-1.md", md("SRS-1", "Dose", "Shown."))
    repo.commit("one")
    run_git(repo.root, "checkout", "-q", "-b", "side")
    repo.write("reqs/SRS-1.md", md("SRS-1", "Dose", "Shown in units."))
    repo.commit("units")
    run_git(repo.root, "checkout", "-q", "main")
    repo.write("reqs/SRS-1.md", md("SRS-1", "Dose", "Shown large."))
    repo.commit("large")
    repo.when += 60
    with pytest.raises(subprocess.CalledProcessError):  # a conflict, resolved by hand below
        run_git(repo.root, "merge", "-q", "side", when=repo.when)
    repo.write("reqs/SRS-1.md", md("SRS-1", "Dose", "Shown large, in units."))
    merge = repo.commit("merge side")
    changes = repo.histories().changes["SRS-1"]
    assert changes[0].commit == merge
    assert changes[0].kind == "modified"
    assert "+Shown large, in units.\n" in changes[0].diff
    assert len(changes) == 4


def test_a_shallow_clone_says_where_history_stops(repo: Repo, tmp_path: Path) -> None:
    repo.write("reqs/SRS-1.md", md("SRS-1", "Dose", "Shown."))
    repo.commit("one")
    repo.write("reqs/SRS-1.md", md("SRS-1", "Dose", "Shown in units."))
    repo.commit("two")
    repo.write("reqs/SRS-1.md", md("SRS-1", "Dose", "Shown in units, large."))
    last = repo.commit("three")
    clone = tmp_path / "clone"
    run_git(tmp_path, "clone", "-q", "--depth", "2", f"file://{repo.root}", str(clone))
    project = load_project(clone, use_cache=False)
    history = item_histories(clone, project.model, project.config)
    assert history.note is not None and "shallow" in history.note
    assert "fetch-depth: 0" in history.note
    changes = history.changes["SRS-1"]
    assert [(c.commit, c.kind) for c in changes] == [(last, "modified")]  # no false "added"


def test_outside_git_a_note_and_empty_histories(tmp_path: Path) -> None:
    (tmp_path / "reqs").mkdir()
    (tmp_path / "medtrace.toml").write_text(CONFIG)
    (tmp_path / "reqs" / "SRS-1.md").write_text(md("SRS-1", "Dose", "Shown."))
    project = load_project(tmp_path, use_cache=False)
    history = item_histories(tmp_path, project.model, project.config)
    assert history.changes == {"SRS-1": []}
    assert history.note == "no history: the project is not in a git repository"


def test_a_repository_without_commits_has_empty_histories(repo: Repo) -> None:
    repo.write("reqs/SRS-1.md", md("SRS-1", "Dose", "Shown."))
    history = repo.histories()
    assert history.changes == {"SRS-1": []}
    assert history.note is None


def test_a_non_utf8_commit_message_is_read(repo: Repo) -> None:
    repo.write("reqs/SRS-1.md", md("SRS-1", "Dose", "Shown."))
    message = repo.root / "msg"
    message.write_bytes(b"Caf\xe9 au lait\n")
    run_git(repo.root, "add", "reqs")
    run_git(repo.root, "-c", "i18n.commitEncoding=latin-1", "commit", "-q", "-F", str(message))
    changes = repo.histories().changes["SRS-1"]
    assert len(changes) == 1
    assert changes[0].message.startswith("Caf")
    assert changes[0].message.endswith(" au lait")


def test_an_old_version_that_does_not_parse_is_skipped_not_fatal(repo: Repo) -> None:
    repo.write("reqs/risks.yaml", RISKS)
    repo.commit("risks")
    repo.write("reqs/risks.yaml", "items: [unclosed\n")
    repo.commit("broken")
    repo.write("reqs/risks.yaml", RISKS.replace("minor", "serious"))
    fixed = repo.commit("fixed")
    history = repo.histories()
    assert [c.kind for c in history.changes["RISK-2"]] == ["added", "removed", "added"]
    assert history.changes["RISK-2"][0].commit == fixed


def test_files_outside_the_item_folders_are_not_read(repo: Repo) -> None:
    repo.write("reqs/SRS-1.md", md("SRS-1", "Dose", "Shown."))
    repo.write("notes/SRS-9.md", md("SRS-9", "Not an item", "Elsewhere."))
    repo.commit("one")
    assert set(repo.histories().changes) == {"SRS-1"}


def test_a_project_in_a_subfolder_of_the_repository(tmp_path: Path) -> None:
    repo = Repo(tmp_path / "mono" / "device")
    run_git(repo.root, "init", "-q")  # re-initialised below at the top instead
    shutil.rmtree(repo.root / ".git")
    run_git(tmp_path / "mono", "init", "-q", "-b", "main")
    repo.write("reqs/SRS-1.md", md("SRS-1", "Dose", "Shown."))
    run_git(tmp_path / "mono", "add", "-A")
    run_git(tmp_path / "mono", "commit", "-q", "-m", "one", when=T0)
    changes = repo.histories().changes["SRS-1"]
    assert [(c.kind, c.path) for c in changes] == [("added", "reqs/SRS-1.md")]


def test_render_item_is_stable_and_readable(repo: Repo) -> None:
    repo.write("reqs/SRS-1.md", md("SRS-1", "Dose", "Shown.", extra="type: functional\n"))
    item = load_project(repo.root, use_cache=False).model.items["SRS-1"]
    assert render_item(item) == (
        "id: SRS-1\nkind: software-requirement\ntitle: Dose\ntype: functional\n---\nShown.\n"
    )
