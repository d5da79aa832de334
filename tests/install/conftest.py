"""Fixtures of the installed-artefact test: the wheel built from the clean tree, and fresh
virtual environments outside the repository with that wheel installed (never editable).

``MEDTRACE_INSTALL_PYTHONS`` lists the interpreters to install with (separated by ``os.pathsep``;
default: the one running the tests); ``make install-test`` passes the default Python and the
oldest Python 3.11 of the machine. Building and installing needs the package index (or pip's
cache) for the build backend and medtrace's dependencies.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import zipfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

REPO = Path(__file__).resolve().parents[2]
#: Folders of a working tree that are never part of the source (when git cannot say).
_NOT_SOURCE = {".git", ".venv", ".venv-oldest", "build", "dist", ".medtrace", "node_modules"}


@dataclass(frozen=True)
class Command:
    """A finished command: its arguments, exit code and output."""

    args: Sequence[str]
    code: int
    out: str
    err: str

    def __str__(self) -> str:
        return f"$ {' '.join(self.args)}\nexit {self.code}\n{self.out}{self.err}"


def run(*args: str | Path, cwd: Path | None = None, timeout: int = 600) -> Command:
    """Run a command with a clean environment: no PYTHONPATH, no virtualenv of the caller."""
    drop = ("PYTHONPATH", "VIRTUAL_ENV", "PYTHONHOME", "FORCE_COLOR", "MEDTRACE_DEBUG")
    env = {k: v for k, v in os.environ.items() if k not in drop}
    env.update(NO_COLOR="1", COLUMNS="200", TERM="dumb", PYTHONIOENCODING="utf-8")
    done = subprocess.run(
        [str(a) for a in args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=timeout,
        check=False,
    )
    return Command([str(a) for a in args], done.returncode, done.stdout, done.stderr)


def must(*args: str | Path, cwd: Path | None = None) -> Command:
    """``run`` that fails the test, with the whole output, unless the command exits 0."""
    done = run(*args, cwd=cwd)
    if done.code != 0:
        pytest.fail(f"command failed:\n{done}", pytrace=False)
    return done


def source_files() -> list[str]:
    """The files of the clean tree: what git tracks, and new files it does not ignore."""
    git = run("git", "-C", REPO, "ls-files", "-z", "--cached", "--others", "--exclude-standard")
    if git.code == 0:
        return sorted({f for f in git.out.split("\0") if f and (REPO / f).is_file()})
    return sorted(  # not a git checkout (an unpacked source archive)
        p.relative_to(REPO).as_posix()
        for p in REPO.rglob("*")
        if p.is_file()
        and not _NOT_SOURCE & set(p.relative_to(REPO).parts)
        and "__pycache__" not in p.parts
        and not any(part.endswith(".egg-info") for part in p.parts)
    )


@dataclass(frozen=True)
class Wheel:
    path: Path
    names: list[str]
    #: the package's files in the source tree, as the wheel names them (medtrace/...)
    expected: list[str]


@pytest.fixture(scope="session")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Wheel:
    """The wheel, built with pip from a copy of the clean tree (no stale build/ folder)."""
    files = source_files()
    tree = tmp_path_factory.mktemp("source") / "medtrace"
    for rel in files:
        (tree / rel).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(REPO / rel, tree / rel)
    out = tmp_path_factory.mktemp("wheel")
    must(sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "-w", out, tree)
    built = sorted(out.glob("medtrace-*.whl"))
    assert len(built) == 1, built
    with zipfile.ZipFile(built[0]) as archive:
        names = archive.namelist()
    expected = [f.removeprefix("src/") for f in files if f.startswith("src/medtrace/")]
    return Wheel(built[0], names, expected)


def interpreters() -> list[Any]:
    """One parameter per Python version named in ``MEDTRACE_INSTALL_PYTHONS``, with the
    version as its ID (``3.11.2``); an interpreter that does not run fails the test."""
    listed = os.environ.get("MEDTRACE_INSTALL_PYTHONS", "")
    pythons = [p.strip() for p in listed.split(os.pathsep) if p.strip()] or [sys.executable]
    params: dict[str, Any] = {}
    for python in pythons:
        probe = run(python, "-c", "import platform; print(platform.python_version())")
        version = probe.out.strip() if probe.code == 0 else f"broken:{python}"
        params.setdefault(version, pytest.param(python, id=version))
    return list(params.values())


@dataclass(frozen=True)
class Installed:
    """A fresh virtual environment with the wheel installed."""

    venv: Path
    version: str  # the interpreter's version, e.g. 3.11.2

    @property
    def bin(self) -> Path:
        return self.venv / "bin"

    def medtrace(self, *args: str | Path, cwd: Path) -> Command:
        return run(self.bin / "medtrace", *args, cwd=cwd)


@pytest.fixture(scope="session", params=interpreters())
def installed(
    request: pytest.FixtureRequest, wheel: Wheel, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Installed]:
    python = str(request.param)
    venv = tmp_path_factory.mktemp("venv") / "env"
    if not (shutil.which(python) or Path(python).is_file()):
        pytest.fail(f"no interpreter {python} (from MEDTRACE_INSTALL_PYTHONS)", pytrace=False)
    assert REPO not in venv.parents, "the environment must be outside the repository"
    must(python, "-m", "venv", venv)
    version = must(venv / "bin/python", "-c", "import platform; print(platform.python_version())")
    must(venv / "bin/python", "-m", "pip", "install", "--quiet", wheel.path, "pytest")
    yield Installed(venv, version.out.strip())
    shutil.rmtree(venv, ignore_errors=True)  # ~100 MB each; pytest keeps its last three runs
