"""The hostile-input campaign as a permanent test: nothing in a repository can run code, leak
a secret, hang or crash medtrace, every finding is located and no input forges a finding.

Each case (see :mod:`hostile.generate`) is a valid project plus one hostile input; ``medtrace
check --format json`` and ``medtrace matrix --format json`` run on it in child processes with
a time limit and ``RLIMIT_AS`` (see :mod:`hostile.harness` for every promise judged). The cases
run in parallel once per session (see ``conftest.py``); each is reported as its own test.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from hostile.conftest import Campaign
from hostile.harness import Runner, judge, run_case
from hostile.profile import CASES, SIZES
from hostile.project import remove_tree

pytestmark = pytest.mark.verifies("SRS-90", "SRS-91", "SRS-92")

#: Cases also run as ``python -m medtrace`` in a fresh interpreter in the short profile (the
#: full profile runs every case that way): one or more per group.
REAL_PROCESS = [
    "items/yaml/billion-laughs",
    "items/yaml/python-object",
    "config/pyproject.toml/tool-string",
    "junit/xxe-file",
    "source/python/deep-nesting",
    "fs/src/symlink-to-secret",
    "names/docs/newline-forged",
]


@pytest.mark.parametrize("name", list(CASES))
def test_hostile_case(name: str, campaign: Campaign) -> None:
    problems = campaign.verdicts[name].problems
    if problems:
        pytest.fail(f"{name}:\n  " + "\n  ".join(problems), pytrace=False)


@pytest.mark.parametrize("name", REAL_PROCESS)
def test_hostile_case_in_a_fresh_interpreter(name: str, tmp_path: Path) -> None:
    runner = Runner("exec")
    try:
        done = run_case(CASES[name], tmp_path / "case", SIZES, runner)
    finally:
        runner.close()
    problems = judge(done)
    remove_tree(tmp_path / "case")
    if problems:
        pytest.fail(f"{name}:\n  " + "\n  ".join(problems), pytrace=False)


def test_the_corpus_covers_every_kind_of_input() -> None:
    groups = {c.group for c in CASES.values()}
    assert groups == {"items", "config", "junit", "source", "fs", "names"}
    assert len(CASES) >= 586, "at least as many cases as the campaign that found the defects"
    languages = {name.split("/")[1] for name in CASES if name.startswith("source/")}
    from medtrace.scanning.languages import LANGUAGES

    assert languages == set(LANGUAGES), "every scanned language has its hostile sources"


def test_every_case_that_must_be_reported_names_its_file() -> None:
    for case in CASES.values():
        if case.finding or case.lines:
            assert case.hostile, f"{case.name} says which file is hostile"
    assert sum(c.finding for c in CASES.values()) > 200


def test_cases_are_made_as_described(tmp_path: Path) -> None:
    """The generator really makes the objects it names (a FIFO is a FIFO, a link leads out)."""
    import stat

    from hostile.project import Workspace

    for name, check in {
        "fs/docs/fifo": lambda p: stat.S_ISFIFO((p / "docs/hostile.yaml").lstat().st_mode),
        "fs/src/socket": lambda p: stat.S_ISSOCK((p / "src/hostile.py").lstat().st_mode),
        "fs/docs/symlink-to-secret": lambda p: (
            (p / "docs/hostile.yaml").resolve().parent.name == "outside"
        ),
        "fs/docs/deep-folders": lambda p: len(list(p.glob("docs/d/d/d/d/d/d/d/d/d/d"))) == 1,
    }.items():
        ws = Workspace(tmp_path / name.replace("/", "_"), SIZES)
        ws.create()
        CASES[name].build(ws)
        assert check(ws.root), name
        remove_tree(ws.base)
