"""``medtrace docs [TOPIC]``: the shipped pages, listed and printed, offline."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest
from helpers import Run, run_subprocess

from medtrace.docs import topics

pytestmark = pytest.mark.verifies("SRS-33")

Cli = Callable[..., Run]
SHIPPED = Path(__file__).resolve().parents[2] / "src" / "medtrace" / "docs"


def test_without_a_topic_it_lists_every_topic_with_its_title(cli: Cli) -> None:
    run = cli("docs")
    assert run.code == 0, run.err
    lines = run.out.splitlines()
    listed = [line.split(None, 1) for line in lines if line and not line.startswith("Read")]
    assert ["config", "Configuration reference"] in listed  # names padded to the longest
    assert ["format", "File formats"] in listed
    assert ["statuses", "Verification statuses"] in listed
    assert len([line for line in lines if line and not line.startswith("Read")]) == len(topics())
    assert lines[-1] == "Read one with 'medtrace docs TOPIC', e.g. 'medtrace docs config'."


@pytest.mark.parametrize("topic", [t.name for t in topics()])
def test_a_topic_prints_its_page_unchanged(cli: Cli, topic: str) -> None:
    run = cli("docs", topic)
    assert (run.code, run.err) == (0, "")
    assert run.out == (SHIPPED / f"{topic}.md").read_text("utf-8")


def test_an_unknown_topic_is_a_usage_error_with_the_closest(cli: Cli) -> None:
    run = cli("docs", "confg")
    assert (run.code, run.out) == (2, "")
    assert run.err == (
        "medtrace: error: no documentation topic 'confg'; did you mean 'config'? "
        f"topics: {', '.join(t.name for t in topics())}\n"
    )


def test_nonsense_lists_the_topics_without_a_guess(cli: Cli) -> None:
    run = cli("docs", "zzzzzz")
    assert run.code == 2
    assert "did you mean" not in run.err
    assert f"topics: {', '.join(t.name for t in topics())}" in run.err


def test_it_needs_no_project(tmp_path: Path) -> None:
    """Outside any project, in a fresh interpreter: the pages come from the package."""
    run = run_subprocess("docs", "config", cwd=tmp_path)
    assert run.code == 0, run.err
    assert run.out.startswith("# Configuration reference\n")


def test_it_is_in_the_command_list(cli: Cli) -> None:
    run = cli("--help")
    assert re.search(r"^  docs +Print the documentation shipped with medtrace\.$", run.out, re.M)
