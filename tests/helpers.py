"""Helpers for the tests: fixture projects written from a dict, and ways to run medtrace."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

import pytest

from medtrace.config import validate
from medtrace.diagnostics import Diagnostic
from medtrace.pipeline import CheckResult, Project, check, load_project

__all__ = [
    "AS_ROOT",
    "CONFIG",
    "DEFAULT_CONFIG",
    "Run",
    "cli_env",
    "codes",
    "findings",
    "load",
    "needs_permissions",
    "run_check",
    "run_subprocess",
    "write_project",
]

#: Root reads every file whatever its permissions: tests of unreadable files cannot run as root.
AS_ROOT = hasattr(os, "geteuid") and os.geteuid() == 0
needs_permissions = pytest.mark.skipif(AS_ROOT, reason="root reads files whatever their mode")

#: The configuration a fixture project gets unless it brings its own.
CONFIG = """\
[project]
name = "fixture"
class = "{cls}"

[paths]
items = ["docs"]
"""


#: The default configuration of a class B project, validated (for tests without files).
DEFAULT_CONFIG = validate({"project": {"class": "B", "name": "fixture"}})


def write_project(
    root: Path,
    files: Mapping[str, str | bytes] | None = None,
    *,
    cls: str = "B",
    config: str | None = None,
    rules: Mapping[str, str] | None = None,
) -> Path:
    """Write a project under ``root``: ``medtrace.toml`` and ``files`` (relative path → content).

    Text is dedented and its leading newline dropped, so tests can write it inline. The
    configuration is ``config`` if given, else ``CONFIG`` for the class ``cls`` with ``rules``
    appended as a ``[rules]`` table, unless ``files`` has its own ``medtrace.toml``.
    """
    root.mkdir(parents=True, exist_ok=True)
    files = dict(files or {})
    if "medtrace.toml" not in files:
        text = config if config is not None else CONFIG.format(cls=cls)
        if rules:
            text += "\n[rules]\n" + "".join(f'{k} = "{v}"\n' for k, v in rules.items())
        files["medtrace.toml"] = text
    for rel, content in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(textwrap.dedent(content).lstrip("\n"), encoding="utf-8")
    return root


def run_check(root: Path, *, use_cache: bool = False) -> CheckResult:
    """``medtrace check`` as a function (no cache unless asked)."""
    return check(root, use_cache=use_cache)


def load(root: Path) -> Project:
    """The loaded and linked project (no cache)."""
    return load_project(root, use_cache=False)


def findings(root: Path, code: str) -> list[Diagnostic]:
    """The findings of ``check`` with one code."""
    return [d for d in run_check(root).diagnostics if d.code == code]


def codes(diagnostics: Iterable[Diagnostic]) -> list[str]:
    return [d.code for d in diagnostics]


@dataclass
class Run:
    """What a run of the command line did."""

    code: int
    out: str
    err: str


def cli_env(**extra: str) -> dict[str, str]:
    """An environment for the real command line: no colour, wide lines, no debug."""
    env = {k: v for k, v in os.environ.items() if k not in ("FORCE_COLOR", "MEDTRACE_DEBUG")}
    env.update(NO_COLOR="1", COLUMNS="200", TERM="dumb", PYTHONIOENCODING="utf-8")
    env.update(extra)
    return env


def run_subprocess(*args: str, cwd: Path | None = None, **env: str) -> Run:
    """Run ``python -m medtrace ARGS`` in a fresh interpreter."""
    done = subprocess.run(
        [sys.executable, "-m", "medtrace", *args],
        cwd=cwd,
        env=cli_env(**env),
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=60,
        check=False,
    )
    return Run(done.returncode, done.stdout, done.stderr)
