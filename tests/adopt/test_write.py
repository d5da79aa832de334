"""Writing: atomic, mode kept, links followed, and never over a file changed meanwhile."""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from pathlib import Path

import pytest

from medtrace.adopt import write_plans

from .conftest import adopt_plan

pytestmark = pytest.mark.verifies("SRS-83")

Project = Callable[[Mapping[str, str | bytes]], Path]
SOURCE = "// SRS-1\nint f(void) { return 0; }\n"
TAGGED = "// SRS-1 @implements SRS-1\nint f(void) { return 0; }\n"


def test_mode_is_kept(project: Project) -> None:
    root = project({"src/run.c": SOURCE})
    (root / "src/run.c").chmod(0o750)
    adoption = adopt_plan(root)
    assert write_plans(adoption.changed, root) == []
    assert (root / "src/run.c").stat().st_mode & 0o777 == 0o750
    assert (root / "src/run.c").read_text() == TAGGED
    assert sorted(p.name for p in (root / "src").iterdir()) == ["run.c"]  # no temporary left


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="no symbolic links")
def test_a_link_is_followed_not_replaced(project: Project) -> None:
    root = project({"lib/real.c": SOURCE})
    (root / "src").mkdir()
    (root / "src/link.c").symlink_to(root / "lib/real.c")
    adoption = adopt_plan(root)
    assert [p.path for p in adoption.proposals] == ["src/link.c"]
    assert write_plans(adoption.changed, root) == []
    assert (root / "src/link.c").is_symlink()
    assert (root / "lib/real.c").read_text() == TAGGED


def test_a_file_changed_since_it_was_read_is_left_alone(project: Project) -> None:
    root = project({"src/a.c": SOURCE, "src/b.c": SOURCE})
    adoption = adopt_plan(root)
    (root / "src/a.c").write_text(SOURCE + "// edited meanwhile\n")
    failed = write_plans(adoption.changed, root)
    assert failed == [("src/a.c", "changed since it was read; run adopt again")]
    assert (root / "src/a.c").read_text() == SOURCE + "// edited meanwhile\n"
    assert (root / "src/b.c").read_text() == TAGGED


def test_a_file_removed_since_it_was_read_is_reported(project: Project) -> None:
    root = project({"src/a.c": SOURCE})
    adoption = adopt_plan(root)
    (root / "src/a.c").unlink()
    failed = write_plans(adoption.changed, root)
    assert [path for path, _ in failed] == ["src/a.c"]
    assert not (root / "src/a.c").exists()
