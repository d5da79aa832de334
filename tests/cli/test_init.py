"""``medtrace init``: a starter project that passes ``check``, and never a file overwritten."""

from __future__ import annotations

import json
import os
import stat
from collections.abc import Callable
from pathlib import Path

import pytest
from helpers import Run, needs_permissions, run_subprocess

from medtrace.scaffold import starter_files

pytestmark = pytest.mark.verifies("SRS-17")

Cli = Callable[..., Run]

CREATED = [
    "docs/items/SRS-1.md",
    "docs/items/risks.yaml",
    "docs/items/software-items.yaml",
    "docs/items/system-requirements.yaml",
    "docs/items/test-cases.yaml",
    "medtrace.toml",
]


def tree(root: Path) -> dict[str, bytes]:
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file() and ".medtrace" not in p.parts
    }


@pytest.mark.parametrize("cls", ["A", "B", "C"])
def test_init_then_check_passes(tmp_path: Path, cli: Cli, cls: str) -> None:
    root = tmp_path / "glucose-app"
    root.mkdir()
    run = cli("-C", str(root), "init", "--class", cls)
    assert run.code == 0
    assert run.out.splitlines() == [
        *(f"created {name}" for name in CREATED),
        f"next: edit the items in docs/items/, then run 'medtrace check' (class {cls})",
    ]
    assert sorted(tree(root)) == CREATED
    config = (root / "medtrace.toml").read_text()
    assert f'class = "{cls}"' in config
    assert 'name = "glucose-app"' in config
    checked = cli("-C", str(root), "check")
    assert checked.code == 0, checked.out
    assert checked.out.splitlines()[-1].startswith(f"OK glucose-app (class {cls}): 0 errors, ")
    assert checked.out.endswith(" in 5 items from 5 files\n")


def test_init_defaults_to_class_b(tmp_path: Path, cli: Cli) -> None:
    assert cli("-C", str(tmp_path), "init").code == 0
    assert 'class = "B"' in (tmp_path / "medtrace.toml").read_text()


def test_init_twice_overwrites_nothing(tmp_path: Path, cli: Cli) -> None:
    assert cli("-C", str(tmp_path), "init", "--class", "C").code == 0
    (tmp_path / "docs" / "items" / "SRS-1.md").write_text("my own edits\n")
    before = tree(tmp_path)
    run = cli("-C", str(tmp_path), "init", "--class", "A")
    assert (run.code, run.out) == (2, "")
    assert run.err == (
        "medtrace: error: not overwriting existing files: "
        + ", ".join(CREATED)
        + " (nothing was written)\n"
    )
    assert tree(tmp_path) == before


def test_one_existing_file_stops_everything(tmp_path: Path, cli: Cli) -> None:
    (tmp_path / "medtrace.toml").write_text("# mine\n")
    run = cli("-C", str(tmp_path), "init")
    assert run.code == 2
    assert "not overwriting existing files: medtrace.toml (nothing was written)" in run.err
    assert tree(tmp_path) == {"medtrace.toml": b"# mine\n"}


def test_a_dangling_symlink_counts_as_existing(tmp_path: Path, cli: Cli) -> None:
    (tmp_path / "medtrace.toml").symlink_to("elsewhere.toml")
    assert cli("-C", str(tmp_path), "init").code == 2
    assert not (tmp_path / "elsewhere.toml").exists()


@pytest.mark.parametrize(
    ("name", "slug"),
    [
        ("Bolus Advisor", "bolus-advisor"),
        ("3D Viewer", "software-3d-viewer"),
        ("***", "software-system"),
        ('Bob "The" Pump: v2 # \\ x', "bob-the-pump-v2-x"),
        ("tab\there\x7f", "tab-here"),
    ],
)
def test_the_name_and_the_software_item(tmp_path: Path, cli: Cli, name: str, slug: str) -> None:
    assert cli("-C", str(tmp_path), "init", "--name", name, "--class", "C").code == 0
    assert f"  - id: {slug}\n" in (tmp_path / "docs" / "items" / "software-items.yaml").read_text()
    assert f"item: {slug}\n" in (tmp_path / "docs" / "items" / "SRS-1.md").read_text()
    checked = cli("-C", str(tmp_path), "check")
    assert checked.code == 0, checked.out
    assert json.loads(cli("-C", str(tmp_path), "show", slug, "--json").out)["title"] == name


def test_starter_files_differ_only_by_class_and_name() -> None:
    a, c = starter_files("A", "X"), starter_files("C", "X")
    assert list(a) == list(c)
    assert [str(p) for p in a] == CREATED
    assert a[Path("docs/items/SRS-1.md")] == c[Path("docs/items/SRS-1.md")]


def test_an_unknown_class(tmp_path: Path, cli: Cli) -> None:
    run = cli("-C", str(tmp_path), "init", "--class", "D")
    assert run.code == 2
    assert "'D' is not one of 'A', 'B', 'C'" in run.err
    assert tree(tmp_path) == {}


def test_the_real_command_line(tmp_path: Path) -> None:
    run = run_subprocess("init", "--class", "C", cwd=tmp_path)
    assert (run.code, run.err) == (0, "")
    run = run_subprocess("check", cwd=tmp_path)
    assert (run.code, run.err) == (0, "")
    assert run.out.splitlines()[-1].startswith(f"OK {tmp_path.name} (class C): 0 errors, ")


# --- all or nothing, through the one output rule --------------------------------------------------


@pytest.mark.verifies("SRS-77")
@pytest.mark.parametrize("name", ["\udcff", "caf\udce9", "\ud800 lone surrogate"])
def test_a_name_that_is_not_text_writes_nothing(tmp_path: Path, cli: Cli, name: str) -> None:
    run = cli("-C", str(tmp_path), "init", "--name", name)
    assert (run.code, run.out) == (2, "")
    assert run.err == (
        "medtrace: error: --name: not valid UTF-8 text; give the project's name with --name "
        "(nothing was written)\n"
    )
    assert list(tmp_path.iterdir()) == []


@pytest.mark.verifies("SRS-77")
def test_a_name_that_is_not_utf8_on_the_real_command_line(tmp_path: Path) -> None:
    import subprocess
    import sys

    from helpers import cli_env

    done = subprocess.run(
        [sys.executable, "-m", "medtrace", "init", "--name", b"\xff"],
        cwd=tmp_path,
        env=cli_env(),
        capture_output=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 2, done.stderr
    assert b"not valid UTF-8 text" in done.stderr and b"Traceback" not in done.stderr
    assert list(tmp_path.iterdir()) == []


@pytest.mark.verifies("SRS-77")
def test_a_folder_name_that_is_not_utf8(tmp_path: Path, cli: Cli) -> None:
    folder = tmp_path / "caf\udce9"
    folder.mkdir()
    run = cli("-C", str(folder), "init")
    assert run.code == 2
    assert "the folder's name 'caf\\udce9': not valid UTF-8 text" in run.err
    assert list(folder.iterdir()) == []
    assert cli("-C", str(folder), "init", "--name", "Cafe").code == 0


@pytest.mark.verifies("SRS-77")
def test_an_empty_name(tmp_path: Path, cli: Cli) -> None:
    run = cli("-C", str(tmp_path), "init", "--name", "  ")
    assert run.code == 2 and "empty" in run.err
    assert list(tmp_path.iterdir()) == []


@pytest.mark.verifies("SRS-70")
def test_a_fifo_in_the_way_is_existing(tmp_path: Path, cli: Cli) -> None:
    os.mkfifo(tmp_path / "medtrace.toml")
    run = cli("-C", str(tmp_path), "init")
    assert run.code == 2
    assert "not overwriting existing files: medtrace.toml" in run.err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["medtrace.toml"]


@pytest.mark.verifies("SRS-70", "SRS-71")
def test_new_files_get_normal_permissions(tmp_path: Path, cli: Cli) -> None:
    old = os.umask(0o022)
    try:
        assert cli("-C", str(tmp_path), "init").code == 0
    finally:
        os.umask(old)
    modes = {stat.S_IMODE((tmp_path / rel).stat().st_mode) for rel in CREATED}
    assert modes == {0o644}


@pytest.mark.verifies("SRS-70")
def test_a_missing_folder_is_made(tmp_path: Path, cli: Cli) -> None:
    (tmp_path / "docs").mkdir()
    assert cli("-C", str(tmp_path), "init").code == 0
    assert sorted(tree(tmp_path)) == CREATED


@pytest.mark.verifies("SRS-70", "SRS-77")
def test_an_unwritable_folder_writes_nothing(
    tmp_path: Path, cli: Cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The docs/items folder refuses files (as a read-only folder would, whoever runs it)."""
    from medtrace import fsutil

    real = fsutil._create_temp

    def refuse(path: Path) -> tuple[int, Path]:
        if path.parent.name == "items":
            raise PermissionError(13, "Permission denied", str(path))
        return real(path)

    monkeypatch.setattr(fsutil, "_create_temp", refuse)
    run = cli("-C", str(tmp_path), "init")
    assert run.code == 2
    assert "cannot write" in run.err and "Permission denied" in run.err
    assert "internal error" not in run.err


@needs_permissions
@pytest.mark.verifies("SRS-70")
def test_a_read_only_folder(tmp_path: Path, cli: Cli) -> None:
    tmp_path.chmod(0o555)
    try:
        run = cli("-C", str(tmp_path), "init")
    finally:
        tmp_path.chmod(0o755)
    assert run.code == 2 and "Permission denied" in run.err
    assert tree(tmp_path) == {}


@pytest.mark.verifies("SRS-72", "SRS-77")
def test_a_run_killed_half_way_is_completed_by_the_next(tmp_path: Path, cli: Cli) -> None:
    """Files an init wrote before it was killed (recorded, unchanged) do not block the next."""
    from medtrace.fsutil import OutputLog

    cold = tmp_path / "cold"
    cold.mkdir()
    assert cli("-C", str(cold), "init", "--name", "x").code == 0
    warm = tmp_path / "warm"
    files = {warm / rel: content for rel, content in starter_files("B", "x").items()}
    log = OutputLog(warm / ".medtrace" / "outputs.json")
    log.expect({p: c.encode() for p, c in files.items()})
    first = next(iter(files))
    first.parent.mkdir(parents=True)
    first.write_text(files[first])  # one file placed, then the kill
    run = cli("-C", str(warm), "init", "--name", "x")
    assert run.code == 0, run.err
    assert tree(warm) == tree(cold)
    assert not (warm / ".medtrace" / "outputs.json").exists(), "the files are the user's now"
    assert cli("-C", str(warm), "init", "--name", "x").code == 2, "and never overwritten"
