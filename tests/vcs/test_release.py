"""``medtrace release``: the frozen record, its checklist and ``--verify``, on real repositories."""

from __future__ import annotations

import hashlib
import io
import json
import shutil
import tarfile
import time
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
from helpers import Run, run_git

from medtrace.vcs.manifest import FIXED_MTIME, archive_of
from medtrace.vcs.release import CHECKS, make_release, verify_release

from .project import commit_all, needs_git

Cli = Callable[..., Run]

pytestmark = [needs_git, pytest.mark.verifies("SRS-279", "SRS-280", "SRS-281", "SRS-282")]

EXPECTED_FILES = {
    "release.json",
    "snapshot.json",
    "check.json",
    "sbom.cdx.json",
    "trace/matrix.json",
    "documents/matrix.html",
    "documents/matrix.xlsx",
    "documents/risks.md",
    "documents/risks.xlsx",
    "documents/heatmap-initial.svg",
    "documents/heatmap-residual.svg",
}


def recorded(folder: Path) -> int:
    """How many files the release's manifest records."""
    return len(json.loads((folder / "manifest.json").read_text())["files"])


def released(cli: Cli, repo: Path, version: str = "1.0.0", *more: str) -> Run:
    return cli("-C", str(repo), "release", version, *more)


def test_a_release_holds_every_record_with_its_checksum(repo: Path, cli: Cli) -> None:
    run_git(repo, "tag", "v1.0.0")
    head = run_git(repo, "rev-parse", "HEAD").strip()
    run = released(cli, repo)
    assert run.code == 0, run.out + run.err
    folder = repo / "releases" / "release-1.0.0"
    site = {
        p.relative_to(folder).as_posix()
        for p in (folder / "documents" / "site").rglob("*")
        if p.is_file()
    }
    assert run.out.splitlines() == [
        f"wrote {folder} ({len(EXPECTED_FILES) + len(site)} files and manifest.json)",
        f"wrote {repo / 'releases' / 'release-1.0.0.tar.gz'}",
    ]
    files = {p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file()}
    assert files - site == EXPECTED_FILES | {"manifest.json"}
    assert {"index.html", "print.html", "items/SYS-1.html", "fixture.xlsx"} <= {
        f.removeprefix("documents/site/") for f in site
    }
    manifest = json.loads((folder / "manifest.json").read_text())
    assert set(manifest["files"]) == EXPECTED_FILES | site
    for rel, entry in manifest["files"].items():
        assert entry["sha256"] == hashlib.sha256((folder / rel).read_bytes()).hexdigest()
    about = json.loads((folder / "release.json").read_text())
    assert (about["version"], about["commit"], about["tag"]) == ("1.0.0", head, "v1.0.0")
    assert about["branch"] == "main" and about["date"] == "2023-11-14T22:13:20+00:00"
    snapshot = json.loads((folder / "snapshot.json").read_text())
    assert sorted(snapshot["items"]) == ["ANOM-1", "SOUP-1", "SYS-1"]
    assert snapshot["soup"] == {"requests": "2.31.0"}
    sbom = json.loads((folder / "sbom.cdx.json").read_text())
    assert [c["name"] for c in sbom["components"]] == ["requests"]
    assert json.loads((folder / "check.json").read_text())["counts"]["error"] == 0


def test_the_archive_is_the_folder_sorted_with_fixed_times(repo: Path, cli: Cli) -> None:
    assert released(cli, repo).code == 0
    folder = repo / "releases" / "release-1.0.0"
    data = (repo / "releases" / "release-1.0.0.tar.gz").read_bytes()
    with tarfile.open(fileobj=io.BytesIO(data)) as archive:
        members = archive.getmembers()
        names = [m.name for m in members]
        assert names == sorted(names)
        assert {m.mtime for m in members} == {FIXED_MTIME}
        assert {(m.uid, m.gid, m.uname) for m in members} == {(0, 0, "")}
        for m in members:
            rel = m.name.removeprefix("release-1.0.0/")
            extracted = archive.extractfile(m)
            assert extracted is not None and extracted.read() == (folder / rel).read_bytes()
    assert len(names) == recorded(folder) + 1
    assert archive_of(folder, "release-1.0.0", "tar.gz") == data  # the same bytes again


def test_a_zip_archive_when_configured(repo: Path, cli: Cli) -> None:
    with (repo / "medtrace.toml").open("a") as f:
        f.write('\n[release]\narchive = "zip"\nfolder = "build/releases"\n')
    (repo / ".gitignore").write_text(".medtrace/\nbuild/\n")
    commit_all(repo, "zip releases")
    assert released(cli, repo).code == 0
    path = repo / "build" / "releases" / "release-1.0.0.zip"
    with zipfile.ZipFile(path) as archive:
        names = archive.namelist()
        assert names == sorted(names) and "release-1.0.0/manifest.json" in names
        assert {i.date_time for i in archive.infolist()} == {(1980, 1, 1, 0, 0, 0)}


def test_verify_passes_then_names_each_tampered_file(repo: Path, cli: Cli) -> None:
    assert released(cli, repo).code == 0
    folder = repo / "releases" / "release-1.0.0"
    ok = cli("release", "--verify", str(folder))
    assert (ok.code, ok.out) == (0, f"{folder}: {recorded(folder)} files match manifest.json\n")
    (folder / "documents" / "risks.md").write_text("edited\n")
    (folder / "trace" / "matrix.json").unlink()
    (folder / "notes.txt").write_text("added\n")
    run = cli("release", "--verify", str(folder))
    assert run.code == 1
    found = [line for line in run.out.splitlines() if " MT224 " in line]
    assert found == [
        f"{folder}/documents/risks.md: error MT224 release-tampered: documents/risks.md was "
        "changed: its SHA-256 differs",
        f"{folder}/notes.txt: error MT224 release-tampered: notes.txt was added",
        f"{folder}/trace/matrix.json: error MT224 release-tampered: trace/matrix.json is missing",
    ]
    assert "does not match its manifest" in run.err


def test_verify_without_a_manifest_is_a_finding_not_a_traceback(tmp_path: Path) -> None:
    (tmp_path / "manifest.json").write_text("{not json")
    problems, count = verify_release(tmp_path)
    assert count == 0
    assert [p.found for p in problems] == ["manifest.json is not a release manifest"]
    problems, _ = verify_release(tmp_path / "absent")
    assert problems[0].found.startswith("manifest.json cannot be read")


def test_a_link_in_place_of_a_file_is_reported(repo: Path) -> None:
    made = make_release(repo, "1.0.0")
    target = made.folder / "release.json"
    copy = made.folder.parent / "copy.json"
    copy.write_bytes(target.read_bytes())
    target.unlink()
    target.symlink_to(copy)
    problems, _ = verify_release(made.folder)
    assert [p.found for p in problems] == ["release.json is a symbolic link"]


def test_a_dirty_tree_is_refused_and_nothing_is_written(repo: Path, cli: Cli) -> None:
    (repo / "docs" / "system.yaml").write_text("- {id: SYS-1, title: changed}\n")
    (repo / "docs" / "new.yaml").write_text("- {id: SYS-2, title: new}\n")
    run = released(cli, repo)
    assert run.code == 1
    assert (
        "error MT223 release-refused: the work tree has 2 uncommitted changes: "
        "docs/new.yaml, docs/system.yaml" in run.out
    )
    assert "release 1.0.0 refused: 1 reason" in run.err
    assert not (repo / "releases").exists()


def test_every_reason_is_listed(repo: Path, cli: Cli) -> None:
    (repo / "docs" / "anomalies.yaml").write_text(
        "- {id: ANOM-2, title: crash, severity: high, status: open}\n"
        "- {id: SYS-9, title: broken, parents: [SYS-404]}\n"
    )
    commit_all(repo, "an open anomaly and a broken link")
    (repo / "scratch.txt").write_text("not committed\n")
    run = released(cli, repo)
    assert run.code == 1
    lines = [line for line in run.out.splitlines() if " MT22" in line]
    assert lines == [
        "error MT223 release-refused: 'medtrace check' reports 2 errors (MT010, MT207)",
        "error MT223 release-refused: the work tree has 1 uncommitted change: scratch.txt",
        "docs/anomalies.yaml:1: error MT222 anomaly-unevaluated: anomaly ANOM-2 (open) has no "
        "evaluation",
    ]
    assert "3 reasons" in run.err


def test_a_version_is_released_once(repo: Path, cli: Cli) -> None:
    assert released(cli, repo).code == 0
    before = (repo / "releases" / "release-1.0.0" / "manifest.json").read_bytes()
    run = released(cli, repo)
    assert run.code == 1
    assert run.out.count("is already released") == 2  # the folder and the archive
    assert (repo / "releases" / "release-1.0.0" / "manifest.json").read_bytes() == before


def test_a_tag_of_the_version_on_another_commit_is_refused(repo: Path, cli: Cli) -> None:
    run_git(repo, "tag", "v2.0.0")
    (repo / "docs" / "more.yaml").write_text("- {id: SYS-2, title: more}\n")
    commit_all(repo, "more", when=1_700_000_100)
    run = released(cli, repo, "2.0.0")
    assert run.code == 1
    assert "tag v2.0.0 names commit" in run.out


def test_a_project_outside_git_is_refused(tmp_path: Path, cli: Cli) -> None:
    from helpers import write_project

    from .project import ITEMS

    root = write_project(tmp_path / "plain", ITEMS, cls="A")
    run = released(cli, root)
    assert run.code == 1
    assert "is not in a git repository (or has no commit)" in run.out


def test_the_checklist_is_configured_per_class(repo: Path, cli: Cli) -> None:
    (repo / "scratch.txt").write_text("not committed\n")
    with (repo / "medtrace.toml").open("a") as f:
        f.write('\n[release.checks]\nclean-tree = ["B", "C"]\n')
    run = released(cli, repo)  # class A: the tree need not be clean
    assert run.code == 0, run.out
    assert set(CHECKS) >= {"no-errors", "clean-tree", "anomalies-evaluated", "not-released"}


def test_an_unknown_check_name_is_a_usage_error(repo: Path, cli: Cli) -> None:
    with (repo / "medtrace.toml").open("a") as f:
        f.write('\n[release.checks]\nclean-trees = ["C"]\n')
    run = released(cli, repo)
    assert run.code == 2
    assert "unknown check clean-trees" in run.err


@pytest.mark.parametrize("version", ["../x", "1 0", "", "-v"])
def test_a_version_must_be_a_plain_name(repo: Path, cli: Cli, version: str) -> None:
    run = cli("-C", str(repo), "release", "--", version)
    assert run.code == 2
    assert not (repo / "releases").exists()


def test_release_and_verify_are_exclusive(repo: Path, cli: Cli) -> None:
    assert cli("-C", str(repo), "release").code == 2
    run = cli("-C", str(repo), "release", "1.0", "--verify", str(repo))
    assert run.code == 2


def test_an_output_folder_that_cannot_be_made_is_a_usage_error(repo: Path, cli: Cli) -> None:
    (repo.parent / "afile").write_text("a file, not a folder\n")
    run = released(cli, repo, "1.0.0", "--out", str(repo.parent / "afile" / "sub"))
    assert run.code == 2
    assert "cannot write the release in" in run.err
    assert list(repo.parent.glob("**/.release-*")) == []


def test_the_release_folder_has_the_modes_of_the_umask(repo: Path) -> None:
    import os

    mask = os.umask(0o027)
    try:
        made = make_release(repo, "1.0.0")
    finally:
        os.umask(mask)
    assert made.folder.stat().st_mode & 0o777 == 0o750
    assert (made.folder / "manifest.json").stat().st_mode & 0o777 == 0o640


@pytest.mark.parametrize("kind", ["tar.gz", "zip"])
def test_the_archive_verifies_and_a_tampered_copy_does_not(
    repo: Path, cli: Cli, tmp_path: Path, kind: str
) -> None:
    with (repo / "medtrace.toml").open("a") as f:
        f.write(f'\n[release]\narchive = "{kind}"\n')
    commit_all(repo, kind)
    made = make_release(repo, "1.0.0")
    assert made.archive is not None
    ok = cli("release", "--verify", str(made.archive))
    assert (ok.code, ok.out) == (
        0,
        f"{made.archive}: {recorded(made.folder)} files match manifest.json\n",
    )
    folder = tmp_path / "copy" / "release-1.0.0"
    shutil.copytree(made.folder, folder)
    (folder / "check.json").write_text("{}\n")
    bad = tmp_path / f"bad.{kind}"
    bad.write_bytes(archive_of(folder, "release-1.0.0", kind))
    run = cli("release", "--verify", str(bad))
    assert run.code == 1
    assert f"{bad}/check.json: error MT224 release-tampered: check.json was changed" in run.out
    (tmp_path / "junk.zip").write_bytes(b"not an archive")
    junk = cli("release", "--verify", str(tmp_path / "junk.zip"))
    assert junk.code == 1 and "the archive cannot be read" in junk.out


def test_earlier_releases_are_no_uncommitted_change(repo: Path, cli: Cli) -> None:
    assert released(cli, repo, "1.0.0").code == 0  # releases/ is not committed
    assert released(cli, repo, "1.0.1", "--out", str(repo.parent / "filed")).code == 0
    assert released(cli, repo, "1.0.2").code == 0
    assert sorted(p.name for p in (repo / "releases").iterdir()) == [
        "release-1.0.0",
        "release-1.0.0.tar.gz",
        "release-1.0.2",
        "release-1.0.2.tar.gz",
    ]


@pytest.mark.verifies("SRS-250")
def test_items_not_approved_as_they_are_now_are_refused(repo: Path, cli: Cli) -> None:
    with (repo / "medtrace.toml").open("a") as f:
        f.write('\n[review]\napproval = ["A"]\n')
    assert cli("-C", str(repo), "review", "--all").code == 0
    commit_all(repo, "reviews baselined")
    run = released(cli, repo)
    assert run.code == 1
    assert "1 item not approved as it is now: SYS-1 (unapproved)" in run.out
    assert cli("-C", str(repo), "approve", "SYS-1", "--by", "Q. Reviewer").code == 0
    commit_all(repo, "SYS-1 approved", when=1_700_000_100)
    assert released(cli, repo).code == 0
    assert "approved" in CHECKS


@pytest.mark.verifies("SRS-287")
def test_two_releases_of_one_commit_are_the_same_bytes(repo: Path, cli: Cli) -> None:
    one, two = repo.parent / "one", repo.parent / "two"
    assert released(cli, repo, "1.0.0", "--out", str(one)).code == 0
    time.sleep(2.1)  # zip entry times have a resolution of two seconds
    assert released(cli, repo, "1.0.0", "--out", str(two)).code == 0
    assert (one / "release-1.0.0.tar.gz").read_bytes() == (
        two / "release-1.0.0.tar.gz"
    ).read_bytes()
