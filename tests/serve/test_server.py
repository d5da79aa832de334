"""``medtrace serve`` end to end: a real server process, the real command line as its client.

Whatever a check prints, writes and exits with must be the same with the server as without it
(``MEDTRACE_NO_SERVER=1``), after every kind of change to the project.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from helpers import AN_HOUR_AGO, Run, cli_env, run_subprocess, write_project

from serve.serve_helpers import Served

pytestmark = [
    pytest.mark.verifies("SRS-306", "SRS-307", "SRS-308", "SRS-309"),
    pytest.mark.skipif(sys.platform != "linux", reason="the server is Linux only (inotify)"),
]

FILES = {
    "docs/system.yaml": """
        - id: SYS-1
          title: Deliver the dose
        - id: app
          kind: software-item
          title: App
          class: B
        """,
    "docs/srs/SRS-1.md": """
        ---
        parents: [SYS-1]
        item: app
        ---
        # Limit the dose

        The pump shall refuse a dose above the limit.
        """,
    "src/dose.py": """
        # @implements SRS-1
        def limit(dose):
            return min(dose, 10)
        """,
    "tests/test_dose.py": '''
        def test_limit():
            """@verifies SRS-1"""
        ''',
    "results/r.xml": '<testsuite name="s"><testcase classname="tests.test_dose" '
    'name="test_limit"/></testsuite>\n',
}

CONFIG = """\
[project]
name = "served"
class = "B"

[paths]
items = ["docs"]
sources = ["src/**"]
tests = ["tests/**"]
results = ["results/*.xml"]
"""


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return write_project(tmp_path / "p", {**FILES, "medtrace.toml": CONFIG})


def both(root: Path, *args: str) -> tuple[Run, Run]:
    """The command run through the server, then without it."""
    served = run_subprocess("-C", str(root), *args)
    local = run_subprocess("-C", str(root), *args, MEDTRACE_NO_SERVER="1")
    return served, local


def requests(served: Served) -> int:
    return served.log().count(": exit ")


@pytest.mark.parametrize("fmt", ["text", "json", "sarif", "junit", "github", "markdown"])
def test_every_format_is_the_same_through_the_server(project: Path, serve, fmt: str) -> None:
    served = serve(project)
    through, local = both(project, "check", "--format", fmt)
    assert (through.code, through.out, through.err) == (local.code, local.out, local.err)
    assert requests(served) == 1, served.log()


def test_changes_are_seen(project: Path, serve) -> None:
    """Edited, added, removed and renamed files, a failing result, a broken link: after each,
    the same output and exit code as a check without the server."""
    served = serve(project)
    steps = [
        lambda: (project / "docs/srs/SRS-1.md").write_text(
            "---\nparents: [SYS-9]\nitem: app\n---\n# Limit\n\nText.\n", "utf-8"
        ),
        lambda: (project / "docs/srs/SRS-2.md").write_text(
            "---\nparents: [SYS-1]\nitem: app\n---\n# Alarm\n\nRing.\n", "utf-8"
        ),
        lambda: (project / "results/r.xml").write_text(
            '<testsuite name="s"><testcase classname="tests.test_dose" name="test_limit">'
            "<failure/></testcase></testsuite>\n",
            "utf-8",
        ),
        lambda: (project / "src/dose.py").write_text("VALUE = 1\n", "utf-8"),
        lambda: (project / "docs/srs/SRS-2.md").rename(project / "docs/srs/SRS-3.md"),
        lambda: (project / "docs/srs/SRS-3.md").unlink(),
        lambda: (project / "docs/srs/deep/er").mkdir(parents=True),
        lambda: (project / "docs/srs/deep/er/SRS-4.md").write_text(
            "---\nparents: [SYS-1]\nitem: app\n---\n# New\n\nNew.\n", "utf-8"
        ),
    ]
    for n, step in enumerate(steps):
        step()
        through, local = both(project, "check", "--format", "json")
        assert (through.code, through.out, through.err) == (local.code, local.out, local.err), n
    assert requests(served) == len(steps), served.log()


def _checked_an_hour_ago(project: Path) -> Run:
    """Date the project's files an hour ago (out of the window in which a cached result is not
    used) and check it without a server: its result is then cached and current."""
    for path in project.rglob("*"):
        os.utime(path, ns=(AN_HOUR_AGO, AN_HOUR_AGO))
    return run_subprocess("-C", str(project), "check", "--format", "json", MEDTRACE_NO_SERVER="1")


@pytest.mark.verifies("SRS-310")
def test_the_server_checks_a_project_without_a_cached_result_as_it_starts(
    project: Path, serve
) -> None:
    served = serve(project)
    served.wait_until(lambda: "checked ahead" in served.log(), "a check ahead")
    through, local = both(project, "check", "--format", "json")
    assert (through.code, through.out, through.err) == (local.code, local.out, local.err)
    assert requests(served) == 1, served.log()


@pytest.mark.verifies("SRS-310")
def test_a_check_ahead_is_what_a_request_finds(project: Path, serve) -> None:
    """After a change, the server checks the project by itself; a check asked for after that
    prints what a check without the server prints."""
    _checked_an_hour_ago(project)  # so that the server has no reason to check it as it starts
    served = serve(project)
    for n in range(3):
        (project / "docs/srs/SRS-1.md").write_text(
            f"---\nparents: [SYS-1]\nitem: app\n---\n# Limit\n\nText {n}.\n", "utf-8"
        )
        served.wait_until(lambda n=n: served.log().count("checked ahead") > n, "a check ahead")
        through, local = both(project, "check", "--format", "json")
        assert (through.code, through.out, through.err) == (local.code, local.out, local.err)


def _stored(project: Path) -> tuple[int, int]:
    """The identity of the result cache file (a check stores its result: a new file)."""
    st = (project / ".medtrace" / "cache" / "check.mtc").stat()
    return st.st_ino, st.st_mtime_ns


@pytest.mark.verifies("SRS-310", "SRS-346")
def test_a_request_after_a_check_ahead_runs_no_check_of_its_own(project: Path, serve) -> None:
    """A save is checked ahead at once, so the result is stored within the racy window of the
    file saved (here dated a minute ahead, so that the test does not hang on the machine's
    speed): the request finds that result, and only renders it; the result cache is not
    written again."""
    _checked_an_hour_ago(project)
    served = serve(project)
    path = project / "docs/srs/SRS-1.md"
    saved = project / "saved.tmp"  # saved as editors do: written aside, then renamed
    for n in range(2):
        saved.write_text(f"---\nparents: [SYS-1]\nitem: app\n---\n# Limit\n\nText {n}.\n", "utf-8")
        ahead = time.time_ns() + 60 * 1_000_000_000
        os.utime(saved, ns=(ahead, ahead))
        saved.rename(path)
        served.wait_until(lambda n=n: served.log().count("checked ahead") > n, "a check ahead")
        stored = _stored(project)
        through = run_subprocess("-C", str(project), "check", "--format", "json")
        assert _stored(project) == stored, f"the request checked again: {served.log()}"
        local = run_subprocess(
            "-C", str(project), "check", "--format", "json", MEDTRACE_NO_SERVER="1"
        )
        assert (through.code, through.out, through.err) == (local.code, local.out, local.err)


@pytest.mark.verifies("SRS-310")
def test_a_project_checked_before_is_not_checked_again_when_the_server_starts(
    project: Path, serve
) -> None:
    local = _checked_an_hour_ago(project)
    served = serve(project)
    through = run_subprocess("-C", str(project), "check", "--format", "json")
    assert (through.code, through.out, through.err) == (local.code, local.out, local.err)
    assert "checked ahead" not in served.log() and requests(served) == 1, served.log()


@pytest.mark.verifies("SRS-310")
def test_no_check_ahead_when_asked(project: Path, tmp_path: Path) -> None:
    log = tmp_path / "serve.log"
    with log.open("wb") as sink:
        server = subprocess.Popen(
            [sys.executable, "-m", "medtrace", "-C", str(project), "serve", "--no-check-ahead"],
            stdout=sink,
            stderr=subprocess.STDOUT,
            env=cli_env(),
        )
    try:
        deadline = time.monotonic() + 60
        while "ready" not in log.read_text("utf-8"):
            assert server.poll() is None and time.monotonic() < deadline, log.read_text("utf-8")
            time.sleep(0.05)
        (project / "docs/srs/SRS-1.md").write_text("---\nparents: [SYS-1]\n---\n# X\n", "utf-8")
        time.sleep(1.0)
        through, local = both(project, "check")
        assert (through.code, through.out) == (local.code, local.out)
        assert "checked ahead" not in log.read_text("utf-8")
        assert ": exit " in log.read_text("utf-8")
    finally:
        server.terminate()
        server.wait(timeout=30)


def test_output_files_and_exit_codes(project: Path, serve) -> None:
    serve(project)
    (project / "docs/srs/SRS-1.md").write_text("---\nparents: [SYS-9]\n---\n# X\n", "utf-8")
    out = {name: str(project / f"{name}.json") for name in ("served", "local")}
    served = run_subprocess("-C", str(project), "check", "-o", out["served"], "--format", "json")
    local = run_subprocess(
        "-C", str(project), "check", "-o", out["local"], "--format", "json", MEDTRACE_NO_SERVER="1"
    )
    assert served.code == local.code == 1
    assert (project / "served.json").read_bytes() == (project / "local.json").read_bytes()
    mode = (project / "served.json").stat().st_mode & 0o777
    assert mode == (project / "local.json").stat().st_mode & 0o777


def test_the_command_runs_in_the_client_folder_with_its_environment(project: Path, serve) -> None:
    """A relative ``-o`` lands in the client's folder; the client's environment is the
    command's (``NO_COLOR`` unset here, ``COLUMNS`` narrow)."""
    serve(project)
    sub = project / "docs"
    runs = []
    for name, extra in (("served", {}), ("local", {"MEDTRACE_NO_SERVER": "1"})):
        run = subprocess.run(
            [sys.executable, "-m", "medtrace", "check", "-o", f"{name}.txt"],
            cwd=sub,
            env=cli_env(COLUMNS="40", **extra),
            capture_output=True,
            text=True,
            check=False,
        )
        runs.append((run.returncode, run.stdout, run.stderr))
    assert runs[0] == runs[1]
    assert (sub / "served.txt").read_bytes() == (sub / "local.txt").read_bytes()


def test_a_configuration_error_is_the_same(project: Path, serve) -> None:
    serve(project)
    (project / "medtrace.toml").write_text(CONFIG + "\n[rules]\nno-such-rule = 'off'\n", "utf-8")
    through, local = both(project, "check")
    assert through.code == local.code == 2
    assert (through.out, through.err) == (local.out, local.err)
    assert "no-such-rule" in through.err


def test_status_stop_and_one_server_per_project(project: Path, serve) -> None:
    served = serve(project)
    status = run_subprocess("-C", str(project), "serve", "--status")
    assert status.code == 0
    assert f"pid {served.process.pid}" in status.out
    second = run_subprocess("-C", str(project), "serve")
    assert second.code == 2
    assert "a server already runs for this project" in second.err
    stopped = run_subprocess("-C", str(project), "serve", "--stop")
    assert stopped.code == 0, stopped.err
    assert served.process.wait(timeout=30) == 0
    assert not (project / ".medtrace" / "serve.sock").exists()
    after = run_subprocess("-C", str(project), "serve", "--status")
    assert (after.code, after.out.strip()) == (1, "no server runs")


def test_a_killed_server_leaves_the_command_to_run_here(project: Path, serve) -> None:
    served = serve(project)
    served.process.kill()
    served.process.wait(timeout=30)
    assert (project / ".medtrace" / "serve.sock").exists()  # it could not remove it
    through, local = both(project, "check")
    assert (through.code, through.out) == (local.code, local.out)


def test_no_server_when_asked(project: Path, serve) -> None:
    served = serve(project)
    run_subprocess("-C", str(project), "check", MEDTRACE_NO_SERVER="1")
    run_subprocess("-C", str(project), "--version")
    run_subprocess("-C", str(project), "list")
    assert requests(served) == 0, served.log()


def test_a_client_that_goes_ends_its_command(project: Path, serve, tmp_path: Path) -> None:
    """Ctrl-C at the client: the server ends the command's process group and serves on."""
    served = serve(project)
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)  # the report blocks on a FIFO nobody reads: the command cannot end alone
    client = subprocess.Popen(
        [sys.executable, "-m", "medtrace", "-C", str(project), "check", "-o", str(fifo)],
        env=cli_env(),
        stderr=subprocess.PIPE,
    )
    served.wait_until(lambda: "check -o" in served.log() or _blocked(served), "a request")
    time.sleep(1.0)
    client.send_signal(signal.SIGINT)
    assert client.wait(timeout=30) == 130
    served.wait_until(lambda: "check -o" in served.log(), "the end of the command")
    through, local = both(project, "check")
    assert through.out == local.out
    assert requests(served) == 2, served.log()


def _blocked(served: Served) -> bool:
    """Whether the server has a child (the command, blocked on the FIFO)."""
    children = Path(f"/proc/{served.process.pid}/task/{served.process.pid}/children")
    return bool(children.read_text().split()) if children.exists() else False


def test_another_medtrace_is_refused(project: Path, serve, tmp_path: Path) -> None:
    """A client whose medtrace is not the server's (an upgrade, an edited install) runs the
    command itself; the server says why in its log."""
    served = serve(project)
    env = cli_env()
    shim = tmp_path / "shim"
    shim.mkdir()
    (shim / "sitecustomize.py").write_text(
        "import medtrace.serve.protocol as p\np.code_identity = lambda: 'another'\n", "utf-8"
    )
    env["PYTHONPATH"] = f"{shim}{os.pathsep}{env.get('PYTHONPATH', '')}"
    run = subprocess.run(
        [sys.executable, "-m", "medtrace", "-C", str(project), "check"],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    local = run_subprocess("-C", str(project), "check", MEDTRACE_NO_SERVER="1")
    assert (run.returncode, run.stdout) == (local.code, local.out)
    served.wait_until(
        lambda: "refused: the server runs another medtrace" in served.log(), "refusal"
    )
