"""A small committed project for the release, snapshot and diff tests (no tests here)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from helpers import run_git, write_project

ITEMS = {
    "docs/system.yaml": """
        - id: SYS-1
          title: Dose advice
          text: The device advises a dose.
        """,
    "docs/soup.yaml": """
        - id: SOUP-1
          title: requests
          purl: pkg:pypi/requests@2.31.0
          version: 2.31.0
          manufacturer: Python Software Foundation
          purpose: HTTP client
        """,
    "docs/anomalies.yaml": """
        - id: ANOM-1
          title: Log not rotated
          severity: low
          status: deferred
          evaluation: No effect on safety.
        """,
}

#: A risk, for the tests of re-estimates (the project's check then has findings).
RISK = """
    - id: RISK-1
      title: Overdose
      severity: 5
      probability: 4
      residual_probability: 1
    """

needs_git = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")


def commit_all(root: Path, message: str, when: int = 1_700_000_000) -> None:
    run_git(root, "add", "-A")
    run_git(root, "commit", "-q", "-m", message, when=when)


def make_repo(tmp_path: Path) -> Path:
    """A class A project committed to a new repository (branch ``main``), with a
    ``.gitignore`` for the cache."""
    root = tmp_path / "project"
    write_project(root, {**ITEMS, ".gitignore": ".medtrace/\n"}, cls="A")
    run_git(root, "init", "-q", "-b", "main")
    commit_all(root, "first")
    return root
