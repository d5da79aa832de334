"""``medtrace init``: a starter project that passes ``check``, and never a file overwritten."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from helpers import Run, run_subprocess

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
