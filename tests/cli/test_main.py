"""The command line as a whole: help, version, unknown commands, and never a traceback."""

from __future__ import annotations

import io
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from helpers import Run, cli_env, write_project

from medtrace import __version__
from medtrace.cli import COMMANDS

pytestmark = pytest.mark.verifies("SRS-16")

Cli = Callable[..., Run]


def test_help_lists_every_command(cli: Cli) -> None:
    run = cli("--help")
    assert run.code == 0
    assert run.out.startswith("Usage: medtrace [OPTIONS] COMMAND [ARGS]...")
    assert "Exit codes: 0 clean, 1 findings, 2 usage or configuration error." in run.out
    for name, (_, _, summary) in COMMANDS.items():
        assert f"  {name}" in run.out
        assert summary in run.out
    assert cli("-h").out == run.out


@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_help_of_every_command(cli: Cli, command: str) -> None:
    run = cli(command, "--help")
    assert (run.code, run.err) == (0, "")
    assert run.out.startswith(f"Usage: medtrace {command} [OPTIONS]")
    assert "-h, --help" in run.out


def test_version(cli: Cli) -> None:
    run = cli("--version")
    assert (run.code, run.out) == (0, f"medtrace, version {__version__}\n")


def test_an_unknown_command(cli: Cli) -> None:
    run = cli("chekc")
    assert run.code == 2
    assert "No such command 'chekc'" in run.err


def test_an_internal_error_is_one_line_without_traceback(
    tmp_path: Path, cli: Cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    import medtrace.linking

    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("the linker broke")

    monkeypatch.setattr(medtrace.linking, "link_items", broken)
    write_project(tmp_path, {"docs/a.yaml": "- {id: SYS-1, title: t}\n"})
    run = cli("-C", str(tmp_path), "check", "--no-cache")
    assert (run.code, run.out) == (2, "")
    assert run.err.splitlines() == [
        "medtrace: internal error: RuntimeError: the linker broke",
        "This is a bug in medtrace. Run again with MEDTRACE_DEBUG=1 for details and report it "
        "with that output.",
    ]


def test_debug_shows_the_traceback(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import medtrace.linking
    from medtrace.cli import main

    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("the linker broke")

    monkeypatch.setattr(medtrace.linking, "link_items", broken)
    monkeypatch.setenv("MEDTRACE_DEBUG", "1")
    write_project(tmp_path, {})
    with pytest.raises(RuntimeError, match="the linker broke"):
        main(["-C", str(tmp_path), "check", "--no-cache"])


SCRIPT = """
import sys
import medtrace.loading.load as stage
def broken(*args, **kwargs):
    raise MemoryError("no more memory")
stage.parse_file = broken
from medtrace.cli import main
sys.exit(main(sys.argv[1:]))
"""


def test_an_internal_error_in_a_real_process(tmp_path: Path) -> None:
    write_project(tmp_path, {"docs/a.yaml": "- {id: SYS-1, title: t}\n"})
    done = subprocess.run(
        [sys.executable, "-c", SCRIPT, "-C", str(tmp_path), "check", "--no-cache"],
        env=cli_env(),
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 2
    assert done.stdout == ""
    assert done.stderr.startswith("medtrace: internal error: MemoryError: no more memory\n")
    assert "Traceback" not in done.stderr


def test_keyboard_interrupt(tmp_path: Path, cli: Cli, monkeypatch: pytest.MonkeyPatch) -> None:
    import medtrace.linking

    def interrupted(*args: object, **kwargs: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(medtrace.linking, "link_items", interrupted)
    write_project(tmp_path, {})
    run = cli("-C", str(tmp_path), "check", "--no-cache")
    assert run.code == 130
    assert run.err.strip() == "medtrace: interrupted"


def test_python_dash_m(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "medtrace", "--version"],
        env=cli_env(),
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert (done.returncode, done.stdout.strip()) == (0, f"medtrace, version {__version__}")


# --- leaving at once ------------------------------------------------------------------------------


@pytest.mark.verifies("SRS-15")
def test_the_command_leaves_at_once_with_its_output_whole_and_its_exit_code(
    tmp_path: Path,
) -> None:
    files = {f"docs/SRS-{n}.md": f"---\ntype: functional\n---\n# Dose {n}\n" for n in range(300)}
    files["docs/SRS-999.md"] = "---\ntype: nonsense\n---\n# Broken\n"
    root = write_project(tmp_path, files, cls="A")
    done = subprocess.run(
        [sys.executable, "-m", "medtrace", "-C", str(root), "check", "--format", "json"],
        env=cli_env(),
        capture_output=True,
        check=False,
        timeout=60,
    )
    assert done.returncode == 1, done.stderr  # the finding's exit code, through os._exit
    import json

    report = json.loads(done.stdout)  # flushed whole before leaving
    assert report["items"] == 301 and report["counts"]["error"] == 1


def test_as_a_library_nothing_is_kept_after_a_check(tmp_path: Path) -> None:
    from medtrace import gcpause
    from medtrace.pipeline import check

    root = write_project(tmp_path, {"docs/SRS-1.md": "---\ntype: functional\n---\n# D\n"}, cls="A")
    check(root, use_cache=False)
    assert gcpause._kept is None  # only the command line keeps its objects until it exits


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


@pytest.mark.verifies("SRS-267")
def test_the_status_line_on_a_terminal_runs_no_thread(monkeypatch: pytest.MonkeyPatch) -> None:
    """A spinner's thread would keep check from forking its worker processes."""
    import threading

    from medtrace.cli._common import working

    terminal = _Terminal()
    monkeypatch.setattr(sys, "stderr", terminal)
    threads = threading.active_count()
    with working("Checking"):
        assert terminal.getvalue() == "Checking…"
        assert threading.active_count() == threads
    line = "Checking…"
    assert terminal.getvalue() == line + "\r" + " " * len(line) + "\r"


def test_no_status_line_when_standard_error_is_not_a_terminal(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from medtrace.cli._common import working

    piped = io.StringIO()
    monkeypatch.setattr(sys, "stderr", piped)
    with working("Checking"):
        pass
    assert piped.getvalue() == ""


@pytest.mark.verifies("SRS-16")
@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full")
def test_a_full_disk_under_the_report_is_an_error_not_a_bug(tmp_path: Path) -> None:
    root = write_project(tmp_path, {"docs/SRS-1.md": "---\ntype: functional\n---\n# D\n"}, cls="A")
    with Path("/dev/full").open("w") as full:
        done = subprocess.run(
            [sys.executable, "-m", "medtrace", "-C", str(root), "check", "--format", "json"],
            env=cli_env(),
            stdout=full,
            stderr=subprocess.PIPE,
            text=True,
            check=False,
            timeout=60,
        )
    assert done.returncode == 2
    assert "medtrace: error: cannot write: No space left on device" in done.stderr
    assert "bug" not in done.stderr and "Traceback" not in done.stderr


class _Unwritable(io.StringIO):
    def __init__(self, error: OSError) -> None:
        super().__init__()
        self.error = error

    def flush(self) -> None:
        raise self.error


@pytest.mark.verifies("SRS-16")
@pytest.mark.parametrize(
    ("error", "code", "said"),
    [
        (BrokenPipeError(32, "Broken pipe"), 1, ""),  # head read enough: as main ends it
        (OSError(28, "No space left on device"), 2, "cannot write: No space left on device"),
    ],
)
def test_output_that_cannot_be_flushed_at_the_end_is_never_a_silent_success(
    monkeypatch: pytest.MonkeyPatch, error: OSError, code: int, said: str
) -> None:
    from medtrace.cli import _flushed

    errors = io.StringIO()
    monkeypatch.setattr(sys, "stdout", _Unwritable(error))
    monkeypatch.setattr(sys, "stderr", errors)
    assert _flushed(0) == code
    assert said in errors.getvalue()
