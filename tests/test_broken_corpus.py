"""The broken-input corpus: every case gives clear diagnostics, never a traceback, and the
rest of the project is still checked.

Each folder of ``tests/corpus/broken`` is a small project with one kind of broken input next
to a valid item. ``case.toml`` says what the case is about and which items must still load;
``expected.txt`` is the transcript of ``medtrace check --format text`` on it (colour off): the
command, its exact output, its exit code. Inputs git keeps poorly (symbolic links, unreadable
files, a huge file) are made at run time in a copy of the case.

Run with ``UPDATE_EXPECTED=1`` to rewrite the transcripts after a deliberate change; review
the difference before committing it.
"""

from __future__ import annotations

import json
import os
import shutil
import time
import tomllib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from helpers import AS_ROOT, Run, run_subprocess

pytestmark = pytest.mark.verifies("SRS-4", "SRS-16")

CORPUS = Path(__file__).parent / "corpus" / "broken"
CASES = sorted(p.name for p in CORPUS.iterdir() if (p / "case.toml").is_file())
UPDATE = os.environ.get("UPDATE_EXPECTED") == "1"
COMMAND = "$ medtrace check --format text"
#: Cases also run in a fresh interpreter: the real entry point, the real streams.
IN_SUBPROCESS = {"binary-md", "config-invalid-toml", "config-typo", "symlink-loop", "yaml-bomb"}

Cli = Callable[..., Run]


def symlink_loop(root: Path) -> None:
    (root / "docs" / "sub").mkdir()
    (root / "docs" / "sub" / "up").symlink_to("..")
    (root / "docs" / "self.md").symlink_to("self.md")


def symlink_broken(root: Path) -> None:
    (root / "docs" / "SYS-2.md").symlink_to("SYS-9.md")


def deep_nesting(root: Path) -> None:
    depth = 100_000
    text = "- id: SYS-2\n  title: Deep\n  text: " + "[" * depth + "]" * depth + "\n"
    (root / "docs" / "deep.yaml").write_text(text)


def config_deep_nesting(root: Path) -> None:
    config = root / "medtrace.toml"
    depth = 1_000
    config.write_text(config.read_text() + "exclude = " + "[" * depth + "]" * depth + "\n")


def unreadable(root: Path) -> None:
    (root / "docs" / "secret.yaml").chmod(0)


SETUP: dict[str, Callable[[Path], None]] = {
    "symlink-loop": symlink_loop,
    "symlink-broken": symlink_broken,
    "yaml-deep-nesting": deep_nesting,
    "config-deep-nesting": config_deep_nesting,
    "unreadable": unreadable,
}


def transcript(run: Run) -> str:
    return f"{COMMAND}\n{run.out}{run.err}[exit {run.code}]\n"


@contextmanager
def unreadable_as_root(case: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Root reads a file whatever its mode: make reading it fail as it would for anyone else."""
    if case != "unreadable" or not AS_ROOT:
        yield
        return
    import medtrace.fs.read as reading

    real_open = os.open

    def refuse(path: str, *args: int, **kwargs: int) -> int:
        if str(path).endswith("secret.yaml"):
            raise PermissionError(13, "Permission denied", path)
        return real_open(path, *args, **kwargs)

    with monkeypatch.context() as patch:
        patch.setattr(reading.os, "open", refuse)
        yield


@pytest.fixture
def project(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Path]:
    """A copy of the case, with its run-time inputs made."""
    case: str = request.param
    root = tmp_path / case
    shutil.copytree(CORPUS / case, root, symlinks=True)
    SETUP.get(case, lambda _: None)(root)
    yield root
    for path in root.rglob("*"):  # let pytest clean up what was made unreadable
        if not path.is_symlink():
            path.chmod(0o755)


@pytest.mark.parametrize("project", CASES, indirect=True)
def test_broken_input(project: Path, cli: Cli, monkeypatch: pytest.MonkeyPatch) -> None:
    case = project.name
    meta = tomllib.loads((project / "case.toml").read_text(encoding="utf-8"))
    assert meta["description"]
    started = time.perf_counter()
    with unreadable_as_root(case, monkeypatch):
        run = cli("-C", str(project), "check", "--format", "text")
    assert time.perf_counter() - started < 5, "broken input must not be slow to refuse"
    assert "Traceback" not in run.out + run.err
    assert "internal error" not in run.err
    assert run.code in (0, 1, 2)
    assert (run.err if run.code < 2 else run.out) == "", "everything on the right stream"

    expected = CORPUS / case / "expected.txt"
    if UPDATE:
        expected.write_text(transcript(run), encoding="utf-8")
    assert transcript(run) == expected.read_text(encoding="utf-8")

    if run.code == 2:
        assert meta["loaded"] == []
        return
    with unreadable_as_root(case, monkeypatch):
        listed = cli("-C", str(project), "list", "--json")
    assert listed.code == 0
    ids = [json.loads(line)["id"] for line in listed.out.splitlines()]
    for item in meta["loaded"]:
        assert item in ids, f"{item} is still loaded next to the broken input"


@pytest.mark.parametrize("project", sorted(IN_SUBPROCESS), indirect=True)
def test_broken_input_in_a_real_process(project: Path) -> None:
    run = run_subprocess("check", "--format", "text", cwd=project)
    assert "Traceback" not in run.out + run.err
    assert transcript(run) == (CORPUS / project.name / "expected.txt").read_text(encoding="utf-8")


def test_every_case_has_its_transcript() -> None:
    assert len(CASES) >= 20
    for case in CASES:
        text = (CORPUS / case / "expected.txt").read_text(encoding="utf-8")
        assert text.startswith(COMMAND + "\n")
        assert text.rstrip().rsplit("\n", 1)[-1] in ("[exit 0]", "[exit 1]", "[exit 2]")
        assert (CORPUS / case / "medtrace.toml").is_file()
        assert (CORPUS / case / "docs" / "valid.yaml").is_file()
