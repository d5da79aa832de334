"""Helpers for the tests: fixture projects written from a dict, and ways to run medtrace."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from medtrace.config import validate
from medtrace.diagnostics import Diagnostic
from medtrace.pipeline import CheckResult, Project, check, load_project

__all__ = [
    "AN_HOUR_AGO",
    "AS_ROOT",
    "CONFIG",
    "DEFAULT_CONFIG",
    "SHARED_DATA",
    "Run",
    "cli_env",
    "codes",
    "findings",
    "in_ci",
    "load",
    "needs_permissions",
    "require_input",
    "run_check",
    "run_subprocess",
    "shared_data",
    "write_file",
    "write_project",
]

#: An hour ago, in nanoseconds: well outside the caches' racy window.
AN_HOUR_AGO = time.time_ns() - 3600 * 1_000_000_000

#: Root reads every file whatever its permissions: tests of unreadable files cannot run as root.
AS_ROOT = hasattr(os, "geteuid") and os.geteuid() == 0
needs_permissions = pytest.mark.skipif(AS_ROOT, reason="root reads files whatever their mode")

#: The real public sample files (JUnit XML, OpenAPI, headers, lockfiles, ...), read in place
#: from ``../shared/data`` beside the repository; they are never copied into it.
SHARED_DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data"


def in_ci() -> bool:
    """Whether the tests run in CI (``CI`` set to anything but empty, ``0`` or ``false``)."""
    return os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")


def require_input(path: Path, what: str, how: str) -> Path:
    """``path`` if it exists; else skip the test, or fail it in CI, where a missing input must
    never pass as a skip. ``what`` names the input, ``how`` says how to provide it."""
    if path.exists():
        return path
    message = f"{what} not found at {path}: {how}"
    if in_ci():
        pytest.fail(f"{message} (CI is set, so a missing input fails instead of skipping)")
    pytest.skip(message)


def shared_data(*parts: str) -> Path:
    """A file or folder of the shared sample data (``shared_data("junit")``), or a skip (a
    failure in CI) when the data is not beside the repository."""
    return require_input(
        SHARED_DATA.joinpath(*parts),
        "shared sample data",
        "check out the shared data folder beside the repository (../shared/data)",
    )


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


def run_git(root: Path, *args: str, when: int | None = None, author: str = "Test Author") -> str:
    """Run ``git ARGS`` in ``root`` for a test repository: fixed identity, no user or system
    configuration, commit times at ``when`` (seconds since the epoch) when given."""
    env = {
        **os.environ,
        "GIT_AUTHOR_NAME": author,
        "GIT_AUTHOR_EMAIL": author.lower().replace(" ", ".") + "@example.org",
        "GIT_COMMITTER_NAME": author,
        "GIT_COMMITTER_EMAIL": author.lower().replace(" ", ".") + "@example.org",
        "GIT_CONFIG_GLOBAL": os.devnull,
        "GIT_CONFIG_NOSYSTEM": "1",
    }
    if when is not None:
        env["GIT_AUTHOR_DATE"] = env["GIT_COMMITTER_DATE"] = f"@{when} +0000"
    done = subprocess.run(["git", *args], cwd=root, env=env, capture_output=True, check=True)
    return done.stdout.decode()


def refuse_listing(monkeypatch: pytest.MonkeyPatch, module: Any, name: str) -> None:
    """Folders called ``name`` cannot be opened or listed by ``module`` (its ``os.open`` and
    ``os.scandir`` raise ``PermissionError``): an unreadable folder whoever runs the tests
    (root lists every folder)."""
    real_open, real_scandir = os.open, os.scandir

    def refused(path: Any) -> None:
        if isinstance(path, str | Path) and Path(path).name == name:
            raise PermissionError(13, "Permission denied", str(path))

    def open_folder(path: Any, flags: int, *args: Any, **kwargs: Any) -> int:
        refused(path)  # where folders are listed through a descriptor
        return real_open(path, flags, *args, **kwargs)

    def scandir(path: Any) -> Any:
        refused(path)  # elsewhere
        return real_scandir(path)

    monkeypatch.setattr(module.os, "open", open_folder)
    monkeypatch.setattr(module.os, "scandir", scandir)


def write_file(path: Path, text: str, *, old: bool = True) -> os.stat_result:
    """Write ``path`` (and its folders); with ``old``, dated :data:`AN_HOUR_AGO`. Its stat."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    if old:
        os.utime(path, ns=(AN_HOUR_AGO, AN_HOUR_AGO))
    return path.stat()
