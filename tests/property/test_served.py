"""Property: a check answered by a running server equals a cold check.

The project and its random edits are those of :mod:`property.test_incremental` (items' text,
links, items added and removed, tags, tests, outcomes, a second JUnit file; half the steps set
every file back to one fixed modification time, so that an edit may keep a file's size and
time). A real ``medtrace serve`` runs for the project throughout; after every edit, the command
line's ``check --format json`` (handed to the server) must print exactly what ``check`` prints
in the caller's own process with every cache emptied.
"""

from __future__ import annotations

import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest
from helpers import cli_env, run_subprocess
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from medtrace.cache import SUFFIX
from medtrace.tracing.freshness import RECORD_NAME
from property.test_incremental import (
    KEPT_MODEL_FINDINGS,
    Edit,
    Requirement,
    State,
    apply,
    edits,
    write,
)

pytestmark = [
    pytest.mark.verifies("SRS-306", "SRS-307"),
    pytest.mark.skipif(sys.platform != "linux", reason="the server is Linux only (inotify)"),
]


@settings(max_examples=6, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(edits, st.booleans()), min_size=1, max_size=6))
# A code edit after a text edit, then every file back to one past time: the results' freshness
# then rests on the record of what code they ran on, kept by the files' identities.
@example([(Edit("text", 1, 0), False), (Edit("code", 1, 0), True)])
@example(KEPT_MODEL_FINDINGS)  # the model rules' findings kept (SRS-357)
def test_served_check_equals_cold(steps: list[tuple[Edit, bool]]) -> None:
    state = State({1: Requirement("Stop delivery"), 2: Requirement("Raise the alarm", "SYS-2")})
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder) / "p"
        root.mkdir()
        write(root, state, backdate=True)
        server = _serve(root)
        try:
            for edit, backdate in steps:
                apply(state, edit)
                write(root, state, backdate)
                served = run_subprocess("-C", str(root), "check", "--format", "json")
                cold = _cold(root)
                assert (served.code, served.out, served.err) == cold, edit
            assert server.poll() is None, "the server ended"
            log = (root.parent / "serve.log").read_text("utf-8")
            assert log.count(": exit ") == len(steps), log
        finally:
            server.send_signal(signal.SIGTERM)
            server.wait(timeout=30)


def _serve(root: Path) -> subprocess.Popen[bytes]:
    with (root.parent / "serve.log").open("wb") as log:
        server = subprocess.Popen(
            [sys.executable, "-m", "medtrace", "-C", str(root), "serve", "--idle-timeout", "120"],
            stdout=log,
            stderr=subprocess.STDOUT,
            env=cli_env(),
        )
    deadline = time.monotonic() + 60
    while not (root / ".medtrace" / "serve.sock").exists():
        assert server.poll() is None and time.monotonic() < deadline, "the server did not start"
        time.sleep(0.02)
    return server


def _cold(root: Path) -> tuple[int, str, str]:
    """``check --format json`` in the caller's process with every cache emptied but the record
    of what code the results ran on (history, not a cache, and kept by the files' identities:
    a copy of the project would not do; see ``cold_check``). The server is idle meanwhile: it
    has answered, and nothing it watches changes."""
    caches = root / ".medtrace" / "cache"
    kept = root.parent / "caches"
    caches.rename(kept)
    try:
        caches.mkdir()
        record = kept / f"{RECORD_NAME}{SUFFIX}"
        if record.exists():
            shutil.copy2(record, caches)
        run = run_subprocess(
            "-C", str(root), "check", "--format", "json", "--jobs", "1", MEDTRACE_NO_SERVER="1"
        )
        return run.code, run.out, run.err
    finally:
        shutil.rmtree(caches)
        kept.rename(caches)
