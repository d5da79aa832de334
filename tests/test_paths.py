"""End to end: path settings, special files and symbolic links through the real command line.

Runs that used to hang (a FIFO), grow without bound (``/dev/zero``) or take minutes (a diamond
of folder links) run in a fresh interpreter with a timeout (``run_subprocess``), so that a
regression fails instead of stalling the test run.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pytest
from helpers import Run, run_subprocess, write_project

pytestmark = pytest.mark.verifies("SRS-50", "SRS-51", "SRS-52", "SRS-53", "SRS-54")

Cli = Callable[..., Run]

FILES: dict[str, str] = {
    "docs/system.yaml": """
        kind: system-requirement
        items:
          - {id: SYS-1, title: Dose}
        """,
    "docs/software.yaml": """
        kind: software-requirement
        items:
          - {id: SRS-1, title: Clamp, type: functional, parents: [SYS-1], item: app}
        """,
    "docs/items.yaml": """
        kind: software-item
        items:
          - {id: app, title: App, class: B, paths: [src]}
        """,
    "src/dose.py": """
        # @implements SRS-1
        def clamp(units):
            return min(units, 10)
        """,
    "tests/test_dose.py": """
        def test_clamp():
            '''@verifies SRS-1'''
        """,
    "build/results.xml": """
        <testsuite name="pytest" tests="1">
          <testcase classname="tests.test_dose" name="test_clamp" file="tests/test_dose.py"/>
        </testsuite>
        """,
}

CONFIG = """\
[project]
name = "paths"
class = "B"

[paths]
items = ["docs"]
sources = {sources}
tests = ["tests"]
results = ["build/*.xml"]
exclude = ["build/*.xml"]
"""


def project(root: Path, sources: str = '["src"]', extra: str = "") -> Path:
    return write_project(root, FILES, config=CONFIG.format(sources=sources) + extra)


def test_the_whole_project_written_four_ways_gives_one_result(tmp_path: Path, cli: Cli) -> None:
    """``sources = ["."]`` used to scan every file twice (``./x`` and ``x``): tests doubled,
    results matched to neither copy."""
    runs = {}
    for name, sources in {
        "dot": '["."]',
        "stars": '["**"]',
        "slash": '["./"]',
        "up": '["src/.."]',
    }.items():
        root = project(tmp_path / name, sources)
        run = cli("-C", str(root), "check", "--format", "text", "--no-cache")
        runs[name] = (run.code, run.out)
    assert len(set(runs.values())) == 1, runs
    code, out = runs["dot"]
    assert code == 0
    assert "./" not in out
    assert (
        out.splitlines()[-1]
        == "OK paths (class B): 0 errors, 0 warnings, 4 notes in 3 items from 3 files"
    )
    skipped = [line.split(":")[0] for line in out.splitlines() if "MT109" in line]
    assert skipped == [
        "docs/items.yaml",
        "docs/software.yaml",
        "docs/system.yaml",
        "medtrace.toml",
    ]


@pytest.mark.parametrize(
    ("key", "value", "problem"),
    [
        ("sources", '["../elsewhere"]', "'../elsewhere' leads out of the project root"),
        ("exclude", '["/etc"]', "'/etc' is an absolute path"),
        ("exclude", '["!"]', "'!' has no pattern after its '!'"),
    ],
)
def test_a_pattern_leaving_the_root_is_a_located_config_error(
    tmp_path: Path, cli: Cli, key: str, value: str, problem: str
) -> None:
    config = f'[project]\nclass = "B"\n\n[paths]\n{key} = {value}\n'
    write_project(tmp_path, {"docs/a.md": ""}, config=config)
    run = cli("-C", str(tmp_path), "check")
    assert run.code == 2
    assert f"medtrace.toml:5: error MT090 config-invalid: 'paths.{key}' is invalid: {problem}" in (
        run.out + run.err
    )


def test_a_software_item_path_leaving_the_root_is_a_finding(tmp_path: Path, cli: Cli) -> None:
    root = project(tmp_path)
    items = root / "docs" / "items.yaml"
    items.write_text(items.read_text().replace("paths: [src]", "paths: [src, ../lib]"))
    run = cli("-C", str(root), "check", "--format", "text", "--no-cache")
    assert run.code == 1
    assert (
        "docs/items.yaml:3: error MT133 paths-invalid: 'paths' of app: '../lib' leads out of "
        "the project root" in run.out
    )


SECRET = "https://ci:ghp_S3CRETtoken0123456789abcdef@github.com"


def test_a_link_to_a_credentials_file_is_not_followed_nor_echoed(tmp_path: Path) -> None:
    home = tmp_path / "home"
    home.mkdir()
    (home / ".git-credentials").write_text(SECRET + "\n")
    root = project(tmp_path / "project")
    (root / "docs" / "x.yaml").symlink_to(home / ".git-credentials")
    (root / "src" / "leak.py").symlink_to(home / ".git-credentials")
    outputs = []
    for fmt in ("text", "json", "sarif", "github", "junit"):
        run = run_subprocess("-C", str(root), "check", "--format", fmt)
        outputs.append(run.out + run.err)
        assert run.code == 0, run.out + run.err
    text = outputs[0]
    assert "docs/x.yaml: warning MT130 link-external: symbolic link to a file or folder " in text
    assert "src/leak.py: warning MT130 link-external" in text
    assert not any("ghp_" in out or "home" in out for out in outputs)


def test_followed_links_out_of_the_project_are_not_quoted(tmp_path: Path, cli: Cli) -> None:
    home = tmp_path / "home"
    home.mkdir()
    (home / ".git-credentials").write_text(SECRET + "\n")
    root = project(tmp_path / "project", extra="follow_external_symlinks = true\n")
    (root / "docs" / "x.yaml").symlink_to(home / ".git-credentials")
    run = cli("-C", str(root), "check", "--format", "text", "--no-cache")
    assert (
        "docs/x.yaml:1: error MT003 item-invalid: item-invalid in a file outside the project"
        in (run.out)
    )
    assert "ghp_" not in run.out + run.err


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="no /dev/zero on this system")
def test_fifos_and_devices_among_items_and_sources(tmp_path: Path) -> None:
    """Before: a FIFO blocked for ever; /dev/zero grew past a gigabyte before failing."""
    root = project(tmp_path)
    os.mkfifo(root / "docs" / "pipe.yaml")
    os.mkfifo(root / "src" / "pipe.py")
    (root / "docs" / "zero.yaml").symlink_to("/dev/zero")
    (root / "src" / "random.py").symlink_to("/dev/urandom")
    run = run_subprocess("-C", str(root), "check", "--format", "text")
    assert run.out.splitlines()[:-1] == [
        "docs/pipe.yaml: warning MT131 file-special: a named pipe (FIFO), not a regular file: "
        "not read; expected a regular file in paths.items",
        "    hint: Remove it, or add it to paths.exclude.",
        "docs/zero.yaml: warning MT130 link-external: symbolic link to a file or folder outside "
        "the project root: not followed; expected files of paths.items inside the project",
        "    hint: Copy the file into the project, remove the link, or set "
        "follow_external_symlinks = true in [paths] if you trust every link.",
        "src/pipe.py: warning MT131 file-special: a named pipe (FIFO), not a regular file: not "
        "read; expected a regular file in sources and tests",
        "    hint: Remove it, or add it to paths.exclude.",
        "src/random.py: warning MT130 link-external: symbolic link to a file or folder outside "
        "the project root: not followed; expected files of sources and tests inside the project",
        "    hint: Copy the file into the project, remove the link, or set "
        "follow_external_symlinks = true in [paths] if you trust every link.",
    ]
    assert run.code == 0
    config = root / "medtrace.toml"
    config.write_text(config.read_text() + "follow_external_symlinks = true\n")
    run = run_subprocess("-C", str(root), "check", "--format", "text")
    assert "docs/zero.yaml: warning MT131 file-special: a character device" in run.out
    assert "src/random.py: warning MT131 file-special: a character device" in run.out


def test_a_diamond_of_folder_links_among_the_items(tmp_path: Path) -> None:
    """22 layers of two links each: 4 million paths to one file. Before: the items were
    walked path by path (minutes) and every item came back as a duplicate ID."""
    root = project(tmp_path)
    base = root / "docs" / "maze"
    for layer in range(23):
        (base / f"l{layer}").mkdir(parents=True)
    for layer in range(22):
        for name in "ab":
            (base / f"l{layer}" / name).symlink_to(f"../l{layer + 1}")
    (base / "l22" / "more.yaml").write_text(
        "kind: system-requirement\nitems: [{id: SYS-2, title: Two}]\n"
    )
    run = run_subprocess("-C", str(root), "check", "--format", "text")
    assert run.code == 0, run.out
    assert "MT005" not in run.out
    # one finding only: the system requirement has no software requirement below it (MT206)
    assert (
        run.out.splitlines()[-1]
        == "OK paths (class B): 0 errors, 1 warning in 4 items from 4 files"
    )
    assert "MT206" in run.out
