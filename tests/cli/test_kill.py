"""Killed at any moment (SIGKILL, in a subprocess), ``check -o``, ``matrix -o`` (every format,
and the CSV folder) and ``init`` leave no partial file at the target, and the next run leaves
no litter and gives what a cold run gives.

The child runs medtrace with a pause after each temporary file is made, so that kills at
random moments of a run also land between the renames of a multi-file output. The project
alternates between two states, so that the files a killed run leaves differ from the ones it
was writing. Random moments come from a fixed seed (printed on failure).
"""

from __future__ import annotations

import os
import random
import shutil
import signal
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import openpyxl
import pytest
from helpers import cli_env, write_project

pytestmark = [
    pytest.mark.verifies("SRS-72"),
    pytest.mark.skipif(os.name != "posix", reason="POSIX"),
]

SEED = 62304

#: Runs medtrace with a short pause after each temporary file is made.
CHILD = """\
import sys, time
import medtrace.fsutil as fsutil
real = fsutil._create_temp
def slow(path):
    made = real(path)
    time.sleep(0.05)
    return made
fsutil._create_temp = slow
from medtrace.cli import main
sys.exit(main(sys.argv[1:]))
"""

FILES = {
    "docs/sys.yaml": "- {id: SYS-1, title: Record readings}\n",
    "docs/SRS-1.md": "---\ntype: data\nparents: [SYS-1]\n---\n# Store readings\n",
    "docs/SRS-2.md": "---\ntype: data\nparents: [SYS-1]\n---\n# Show readings\n",
}
STATE_B = "---\ntype: data\nparents: [SYS-2]\n---\n# Show readings, now with a dangling link\n"


def start(*args: str) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-c", CHILD, *args],
        env=cli_env(),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )


def finish(*args: str) -> tuple[int, str]:
    proc = start(*args)
    _, err = proc.communicate(timeout=120)
    return proc.returncode, err.decode("utf-8", "replace")


def kill_at(moment: float, *args: str) -> int:
    proc = start(*args)
    try:
        proc.wait(timeout=moment)
    except subprocess.TimeoutExpired:
        proc.send_signal(signal.SIGKILL)
    proc.communicate(timeout=120)
    return proc.returncode


def duration(*args: str) -> float:
    began = time.monotonic()
    code, err = finish(*args)
    assert code in (0, 1), err
    return time.monotonic() - began


def _moment(rng: random.Random, longest: float, kill: int) -> float:
    """A random moment of the run: every other one in its last half, where it writes."""
    return rng.uniform(0, longest) if kill % 2 else rng.uniform(longest / 2, longest)


def content(path: Path) -> object:
    """What a file says: its bytes, or for a workbook (which holds its time of writing) every
    sheet's cell values."""
    if path.suffix != ".xlsx":
        return path.read_bytes()
    with zipfile.ZipFile(path) as book:
        assert book.testzip() is None
    workbook = openpyxl.load_workbook(path, read_only=True)
    return {ws.title: list(ws.iter_rows(values_only=True)) for ws in workbook.worksheets}


def outputs(target: Path) -> dict[str, object]:
    if target.is_dir():
        return {p.name: content(p) for p in sorted(target.iterdir())}
    return {target.name: content(target)} if target.exists() else {}


def litter(*folders: Path) -> list[Path]:
    return [p for folder in folders for p in folder.rglob("*.tmp")]


def set_state(root: Path, state: str) -> None:
    text = FILES["docs/SRS-2.md"] if state == "A" else STATE_B
    (root / "docs" / "SRS-2.md").write_text(text, encoding="utf-8")


CASES = {
    # name: (arguments before the target, target name, kills)
    "check-text": (("check",), "report.txt", 7),
    "check-junit": (("check", "--format", "junit"), "report.xml", 3),
    "matrix-markdown": (("matrix",), "m.md", 5),
    "matrix-html": (("matrix", "--format", "html"), "m.html", 5),
    "matrix-json": (("matrix", "--format", "json"), "m.json", 5),
    "matrix-xlsx": (("matrix", "--format", "xlsx"), "m.xlsx", 5),
    "matrix-csv": (("matrix", "--format", "csv"), "m.csv", 3),
    "matrix-csv-folder": (("matrix", "--format", "csv"), "views/", 9),
}


@pytest.mark.parametrize("case", CASES)
def test_killed_outputs(tmp_path: Path, case: str) -> None:
    args, name, kills = CASES[case]
    rng = random.Random(f"{SEED}-{case}")
    expected = {}
    for state in ("A", "B"):  # what a cold run writes in each state
        cold = write_project(tmp_path / f"cold-{state}", FILES, cls="B")
        set_state(cold, state)
        code, err = finish("-C", str(cold), *args, "-o", str(cold / "out" / name))
        assert code in (0, 1), err
        expected[state] = (code, outputs(cold / "out" / name))
    root = write_project(tmp_path / "project", FILES, cls="B")
    out = root / "out" / name
    target = out
    longest = duration("-C", str(root), *args, "-o", str(out))
    state, killed, mid_write = "A", 0, 0
    for kill in range(kills):
        before = outputs(target)
        state = "B" if state == "A" else "A"
        set_state(root, state)
        moment = _moment(rng, longest, kill)
        where = f"{case}, kill {kill} at {moment:.3f}s (seed {SEED})"
        killed += kill_at(moment, "-C", str(root), *args, "-o", str(out)) == -signal.SIGKILL
        after = outputs(target)
        mid_write += bool(litter(root)) or (after != before and after != expected[state][1])
        for file, value in after.items():  # each file is whole: the old one or the new one
            assert value in (before.get(file), expected[state][1].get(file)), where
        code, err = finish("-C", str(root), *args, "-o", str(out))
        assert (code, outputs(target)) == expected[state], f"{where}: {err}"
        assert litter(root) == [], where
    print(f"{case}: {killed} of {kills} runs killed, {mid_write} while writing")
    assert killed >= kills // 2, "most runs were killed before they finished"


def test_killed_init(tmp_path: Path) -> None:
    rng = random.Random(f"{SEED}-init")
    cold = tmp_path / "cold"
    cold.mkdir()
    assert finish("-C", str(cold), "init", "--name", "pump")[0] == 0
    expected = tree(cold)
    (tmp_path / "timing").mkdir()
    longest = duration("-C", str(tmp_path / "timing"), "init", "--name", "pump")
    kills = 0
    for attempt in range(14):
        root = tmp_path / f"run-{attempt}"
        root.mkdir()
        moment = rng.uniform(0, longest)
        where = f"init, kill {attempt} at {moment:.3f}s (seed {SEED})"
        code = kill_at(moment, "-C", str(root), "init", "--name", "pump")
        for rel, data in tree(root).items():  # temporary files aside (the next run sweeps them)
            if not rel.endswith(".tmp"):
                assert expected.get(rel) == data, f"{where}: {rel} is partial or foreign"
        done = tree(root) == expected and not (root / ".medtrace" / "outputs.json").exists()
        if code == -signal.SIGKILL:
            kills += 1
            again, err = finish("-C", str(root), "init", "--name", "pump")
            # killed once its work was done, the files are the user's: never overwritten
            assert again == (2 if done else 0), f"{where}: {err}"
        assert tree(root) == expected, where
        assert litter(root) == [], where
        shutil.rmtree(root)
    print(f"init: {kills} of 14 runs killed")
    assert kills >= 7, "most runs were killed before they finished"


def tree(root: Path) -> dict[str, bytes]:
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file() and ".medtrace" not in p.parts
    }
