"""Property: incremental ``check`` equals a cold one.

A small project (requirements one per Markdown file, system requirements and the software item
in YAML, tagged code, tests and their JUnit results) goes through random edits: an item's text
changed (also at the same size), a parent link changed or broken, an item added or removed, an
``@implements`` tag added or removed, a test added or removed, a result's outcome changed, a
second JUnit file written or deleted. After every edit, ``check`` with its caches (and worker
processes for the files they cannot answer) must give exactly what ``check`` gives cold, with
no cache and in one process (see ``cold_check``): the same diagnostics, verification statuses
and counts.

Half the steps then set every file's modification time back to one fixed moment well in the
past, the same after each edit: the caches then trust unchanged stat identities instead of
reading the files again, and an edit that keeps a file's size and modification time (as on a
file system with coarse timestamps, or two saves within one tick) must still be seen.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from medtrace import workers
from medtrace.cache import SUFFIX
from medtrace.pipeline import CheckResult, check
from medtrace.scanning import scanner
from medtrace.tracing.freshness import RECORD_NAME

pytestmark = pytest.mark.verifies("SRS-265", "SRS-266", "SRS-267", "SRS-268", "SRS-6", "SRS-357")

CONFIG = """\
[project]
name = "incremental"
class = "C"

[paths]
items = ["docs"]
sources = ["src/**"]
tests = ["tests/**"]
results = ["results/*.xml"]
"""

SYSTEM = """\
- id: SYS-1
  title: Deliver the dose
- id: SYS-2
  title: Raise the alarm
- id: app
  kind: software-item
  title: App
  class: C
"""

OUTCOMES = ("", "<failure/>", "<skipped/>", "<error/>")
#: One moment well in the past: far outside the caches' "racy" window.
PAST_NS = (int(time.time()) - 3600) * 1_000_000_000


@dataclass
class Requirement:
    title: str
    parent: str = "SYS-1"
    implemented: bool = True
    test: int | None = 0  # index into OUTCOMES; None: no test


@dataclass
class State:
    requirements: dict[int, Requirement] = field(default_factory=dict)
    extra_results: bool = False

    def files(self) -> dict[str, str]:
        out = {"medtrace.toml": CONFIG, "docs/system.yaml": SYSTEM}
        for n, r in self.requirements.items():
            out[f"docs/srs/SRS-{n}.md"] = (
                f"---\ntype: functional\nparents: [{r.parent}]\nitem: app\n---\n"
                f"# {r.title}\n\nThe pump shall {r.title.lower()}.\n"
            )
        code = "".join(
            f"# @implements SRS-{n}\ndef f{n}():\n    return {n}\n\n"
            for n, r in self.requirements.items()
            if r.implemented
        )
        out["src/mod.py"] = code or "VALUE = 1\n"
        tested = {n: r.test for n, r in self.requirements.items() if r.test is not None}
        out["tests/test_mod.py"] = (
            "".join(f'def test_{n}():\n    """@verifies SRS-{n}"""\n\n\n' for n in tested)
            or "VALUE = 1\n"
        )
        cases = "".join(
            f'<testcase classname="tests.test_mod" name="test_{n}">{OUTCOMES[o]}</testcase>'
            for n, o in tested.items()
        )
        out["results/r.xml"] = f'<testsuite name="s">{cases}</testsuite>\n'
        if self.extra_results and tested:
            first = min(tested)
            out["results/late.xml"] = (
                f'<testsuite name="t"><testcase classname="tests.test_mod" name="test_{first}">'
                "<failure/></testcase></testsuite>\n"
            )
        return out


@dataclass(frozen=True)
class Edit:
    kind: str
    target: int
    value: int


edits = st.builds(
    Edit,
    st.sampled_from(
        ["text", "same-size", "parent", "add", "remove", "code", "test", "outcome", "junit"]
    ),
    st.integers(1, 6),
    st.integers(0, 7),
)


def apply(state: State, edit: Edit) -> None:
    """One edit of the project's content (what a developer might do between two checks)."""
    found = state.requirements.get(edit.target)
    if edit.kind == "add" or found is None:
        state.requirements[edit.target] = Requirement(f"Stop delivery {edit.value}")
    elif edit.kind == "remove":
        del state.requirements[edit.target]
    elif edit.kind == "text":
        found.title += f" within {edit.value} seconds"
    elif edit.kind == "same-size":  # one letter for another: the file keeps its size
        last = found.title[-1]
        found.title = found.title[:-1] + ("x" if last != "x" else "y")
    elif edit.kind == "parent":
        found.parent = ("SYS-1", "SYS-2", "SYS-9")[edit.value % 3]
    elif edit.kind == "code":
        found.implemented = not found.implemented
    elif edit.kind == "test":
        found.test = None if found.test is not None else 0
    elif edit.kind == "outcome":
        found.test = edit.value % len(OUTCOMES)
    else:
        state.extra_results = not state.extra_results


def write(root: Path, state: State, backdate: bool) -> None:
    """Write the files whose content changed, delete those gone; with ``backdate``, give every
    file the one fixed past modification time."""
    wanted = state.files()
    for rel, text in wanted.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if not path.exists() or path.read_text(encoding="utf-8") != text:
            path.write_text(text, encoding="utf-8")
    for path in _files(root):
        rel = path.relative_to(root).as_posix()
        if rel not in wanted:
            path.unlink()
        elif backdate:
            os.utime(path, ns=(PAST_NS, PAST_NS))


def _files(root: Path) -> Iterator[Path]:
    for path in sorted(root.rglob("*")):
        if path.is_file() and ".medtrace" not in path.parts:
            yield path


def observed(result: CheckResult) -> tuple[object, ...]:
    return (result.diagnostics, result.statuses, result.items, result.files)


#: A dangling link (a model rule's finding), then edits of code, tests and results only, the
#: item files untouched: the model rules' findings are those kept (SRS-357), then the link
#: is mended.
KEPT_MODEL_FINDINGS = [
    (Edit("parent", 1, 2), False),
    (Edit("code", 1, 0), False),
    (Edit("test", 2, 0), False),
    (Edit("junit", 1, 0), False),
    (Edit("outcome", 1, 1), False),
    (Edit("parent", 1, 0), False),
]


@settings(max_examples=12)
@given(st.lists(st.tuples(edits, st.booleans()), min_size=1, max_size=6))
@example(KEPT_MODEL_FINDINGS)
def test_incremental_check_equals_cold(steps: list[tuple[Edit, bool]]) -> None:
    state = State({1: Requirement("Stop delivery"), 2: Requirement("Raise the alarm", "SYS-2")})
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        write(root, state, backdate=True)
        check(root, jobs=2)  # the first run fills the caches (in worker processes)
        for edit, backdate in steps:
            apply(state, edit)
            write(root, state, backdate)
            incremental = check(root, jobs=2)
            assert observed(incremental) == observed(cold_check(root)), edit


def cold_check(root: Path) -> CheckResult:
    """``check`` in one process with every cache emptied but the record of what code the
    results ran on (:mod:`medtrace.tracing.freshness`), which is history, not a cache: without
    it the staleness of results is judged from timestamps and git alone and may differ. The
    caches are put back afterwards, for the next incremental check."""
    caches = root / ".medtrace" / "cache"
    kept = root.parent / f"{root.name}-caches"
    caches.rename(kept)
    try:
        caches.mkdir()
        shutil.copy2(kept / f"{RECORD_NAME}{SUFFIX}", caches)
        return check(root, jobs=1)
    finally:
        shutil.rmtree(caches)
        kept.rename(caches)


@pytest.fixture(autouse=True)
def _small_batches(monkeypatch: pytest.MonkeyPatch) -> None:
    """Worker processes for any batch of two files or more, so that the tiny project uses
    them too, even while another test's thread is still running."""
    monkeypatch.setattr(workers, "MIN_BATCH", 2)
    monkeypatch.setattr(workers.threading, "active_count", lambda: 1)
    monkeypatch.setattr(scanner, "_MIN_FILES", 2)
