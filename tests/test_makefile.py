"""The set-up commands name each missing prerequisite and how to install it, rather than fail
with a bare 'not found' halfway through (the Makefile's checks, run with a PATH made to lack
the tool)."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

pytestmark = pytest.mark.verifies("SRS-32")

REPO = Path(__file__).resolve().parents[1]
MAKE = shutil.which("make")
SYSTEM_PATH = "/usr/bin:/bin"
EXAMPLE_TOOLS = ("node", "npm", "cmake", "ctest", "cc", "gcc", "gcov")


def make(*args: str, path: str, **env: str) -> subprocess.CompletedProcess[str]:
    if MAKE is None:
        pytest.fail("make is a prerequisite of medtrace's development: install it")
    return subprocess.run(
        [MAKE, "-s", "--no-print-directory", "-C", str(REPO), *args],
        env={"PATH": path, "HOME": os.environ.get("HOME", "/"), **env},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def fake(folder: Path, name: str, script: str) -> Path:
    folder.mkdir(exist_ok=True)
    tool = folder / name
    tool.write_text("#!/bin/sh\n" + script, "utf-8")
    tool.chmod(0o755)
    return tool


def test_no_node_names_node_and_how_to_install_it(tmp_path: Path) -> None:
    empty = tmp_path / "bin"
    empty.mkdir()
    done = make("example-prereqs", path=str(empty))
    assert done.returncode != 0
    assert done.stderr.startswith(
        "error: node not found: install Node.js 20+ with npm (Debian 13: apt-get install nodejs npm"
    )


def test_an_old_node_is_named_with_its_version(tmp_path: Path) -> None:
    fake(tmp_path / "bin", "node", 'if [ "$1" = --version ]; then echo v18.19.0; fi\nexit 1\n')
    done = make("example-prereqs", path=f"{tmp_path / 'bin'}:{SYSTEM_PATH}")
    assert done.returncode != 0
    assert "error: node v18.19.0 is too old: install Node.js 20+" in done.stderr


@pytest.mark.parametrize(
    ("missing", "hint"),
    [
        ("npm", "error: npm not found: install npm with Node.js 20+ (Debian: apt-get install npm)"),
        ("cmake", "error: cmake not found: install CMake 3.21+ (Debian: apt-get install cmake)"),
        ("cc", "error: cc not found: install a C compiler (Debian: apt-get install gcc"),
        ("gcc", "error: gcc not found: install GCC for the example's coverage and static analysis"),
        ("gcov", "error: gcov not found: install gcov for the example's coverage; it comes with"),
    ],
)
def test_each_missing_tool_is_named(tmp_path: Path, missing: str, hint: str) -> None:
    """Every other tool present (as a stand-in that succeeds), only ``missing`` absent."""
    tools = tmp_path / "bin"
    for name in EXAMPLE_TOOLS:
        if name != missing:
            fake(tools, name, "exit 0\n")
    done = make("example-prereqs", path=str(tools))
    assert done.returncode != 0
    assert done.stderr.startswith(hint), done.stderr


def test_all_tools_present_passes(tmp_path: Path) -> None:
    tools = tmp_path / "bin"
    for name in EXAMPLE_TOOLS:
        fake(tools, name, "exit 0\n")
    done = make("example-prereqs", path=str(tools))
    assert (done.returncode, done.stderr) == (0, "")


@pytest.fixture
def no_venv_python(tmp_path: Path) -> Path:
    """A Python 3.11+ without ensurepip, as Debian ships it without python3-venv."""
    python = shutil.which("python3")
    assert python is not None
    return fake(
        tmp_path / "bin",
        "python3",
        'case "$*" in *ensurepip*) exit 1;; *"-m venv"*) echo "venv ran" >&2; exit 3;; esac\n'
        f'exec {python} "$@"\n',
    )


def test_a_python_without_venv_gets_the_debian_hint(tmp_path: Path, no_venv_python: Path) -> None:
    venv = tmp_path / "venv"
    done = make(f"PYTHON={no_venv_python}", f"VENV={venv}", f"{venv}/.installed-stamp",
                path=SYSTEM_PATH)  # fmt: skip
    assert done.returncode != 0
    assert f"error: {no_venv_python} cannot create virtual environments: install python3-venv" in (
        done.stderr
    )
    assert "apt-get install python3-venv python3.1" in done.stderr
    assert "venv ran" not in done.stderr


@pytest.mark.skipif(os.geteuid() != 0, reason="CI installs python3-venv only as root")
def test_in_ci_as_root_it_installs_python3_venv(tmp_path: Path, no_venv_python: Path) -> None:
    log = tmp_path / "apt.log"
    fake(tmp_path / "bin", "apt-get", f'echo "$*" >> {log}\n')
    venv = tmp_path / "venv"
    done = make(f"PYTHON={no_venv_python}", f"VENV={venv}", f"{venv}/.installed-stamp",
                path=f"{tmp_path / 'bin'}:{SYSTEM_PATH}", CI="true")  # fmt: skip
    assert "CI: installing python3." in done.stdout
    calls = log.read_text("utf-8").splitlines()
    assert calls[0] == "update -qq"
    assert calls[1].startswith("install -y -qq python3.") and calls[1].endswith(" python3-venv")
    assert "venv ran" in done.stderr  # then it went on to create the environment


def test_a_python_too_old_is_named(tmp_path: Path) -> None:
    old = fake(
        tmp_path / "bin", "python3", 'case "$*" in *version_info*) exit 1;; esac\necho 3.10.13\n'
    )
    venv = tmp_path / "venv"
    done = make(f"PYTHON={old}", f"VENV={venv}", f"{venv}/.installed-stamp", path=SYSTEM_PATH)
    assert done.returncode != 0
    assert f"error: {old} is Python 3.10.13; medtrace needs 3.11+" in done.stderr
