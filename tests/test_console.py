"""The ``medtrace`` entry point: a running server first, else the command line here."""

from __future__ import annotations

import sys

import pytest

from medtrace import console
from medtrace.serve import client

pytestmark = pytest.mark.verifies("SRS-307")


def test_ctrl_c_while_the_server_runs_the_command_is_exit_130(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def interrupted(argv: list[str]) -> int | None:
        raise KeyboardInterrupt

    monkeypatch.setattr(client, "forward", interrupted)
    assert console._served(["check"]) == 130
    assert capsys.readouterr().err == "medtrace: interrupted\n"


def test_without_a_server_the_command_runs_here(monkeypatch: pytest.MonkeyPatch) -> None:
    ran: list[str] = []
    monkeypatch.setattr(client, "forward", lambda argv: None)
    monkeypatch.setattr(sys, "argv", ["medtrace", "--version"])
    import medtrace.cli

    monkeypatch.setattr(medtrace.cli, "run", lambda: ran.append("here"))
    console.run()
    assert ran == ["here"]


def test_the_client_imports_nothing_heavy() -> None:
    """Handing a check to a server must not import the command line, click or pydantic."""
    import subprocess

    code = (
        "import sys; from medtrace.serve.client import forward; "
        "forward(['check']); "
        "print(sorted(m for m in ('click', 'pydantic', 'medtrace.cli', 'medtrace.config') "
        "if m in sys.modules))"
    )
    done = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=True,
        env={"MEDTRACE_NO_SERVER": "0", "PATH": "/usr/bin:/bin"},
        cwd="/",
    )
    assert done.stdout.strip() == "[]"
