"""Run medtrace commands in child processes with a time and a memory limit.

This file runs as its own process (a small server): it reads one request per line on standard
input (JSON: ``argv``, ``cwd``, ``timeout``, ``memory``, ``out``, ``err``, ``mode``) and answers
one line per request (JSON: ``status``, ``signal``, ``timed_out``, ``seconds``, ``maxrss_kb``).

Each command runs in a new child process with ``RLIMIT_AS`` set, standard input from
``/dev/null`` and its output in files, and is killed (with its process group) at the timeout.

``mode`` says how the child runs medtrace:

- ``exec``: ``python -m medtrace ARGV``, exactly as a user runs it.
- ``python``: ``python ARGV`` (for the tests of this runner).
- ``fork``: the server has imported medtrace once; the child (a fork of it) calls the real
  entry point ``medtrace.cli.main(ARGV)`` with fresh standard streams and exits with its code.
  This saves the interpreter start and the imports (about 0.2 s a command), which makes running
  hundreds of cases on every ``make test`` affordable. Everything after start-up is the same
  code on the same inputs in a separate process.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import resource
import select
import signal
import sys
import time
from typing import Any

__all__ = ["serve"]


def _preload() -> None:
    """Import what a command imports, so that forked children start at once."""
    import medtrace.checks
    import medtrace.cli
    import medtrace.cli.check
    import medtrace.cli.matrix
    import medtrace.pipeline
    import medtrace.render.matrix
    import medtrace.results
    import medtrace.scanning
    import medtrace.scanning.scanner
    import medtrace.tracing  # noqa: F401


def _child(request: dict[str, Any]) -> None:
    """In the child: limits, streams, then medtrace. Never returns."""
    code = 70
    try:
        os.setpgid(0, 0)
        limit = int(request["memory"])
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
        os.chdir(request["cwd"])
        null = os.open(os.devnull, os.O_RDONLY)
        os.dup2(null, 0)
        out = os.open(request["out"], os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        err = os.open(request["err"], os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        os.dup2(out, 1)
        os.dup2(err, 2)
        os.environ.update(request.get("env", {}))
        if request["mode"] in ("exec", "python"):
            module = ["-m", "medtrace"] if request["mode"] == "exec" else []
            os.execv(sys.executable, [sys.executable, *module, *request["argv"]])
        # The streams a fresh interpreter would have with PYTHONIOENCODING=utf-8.
        sys.stdin = io.TextIOWrapper(io.FileIO(0, "r", closefd=False), encoding="utf-8")
        sys.stdout = io.TextIOWrapper(io.FileIO(1, "w", closefd=False), encoding="utf-8")
        sys.stderr = io.TextIOWrapper(
            io.FileIO(2, "w", closefd=False), encoding="utf-8", errors="backslashreplace"
        )
        from medtrace.cli import main

        code = main(list(request["argv"]))
        sys.stdout.flush()
        sys.stderr.flush()
    except BaseException as exc:  # reported like an interpreter would, then a distinct code
        try:
            os.write(2, f"Traceback (in the test harness child): {exc!r}\n".encode())
        finally:
            os._exit(70)
    os._exit(code)


def _wait(pid: int, timeout: float) -> tuple[int, Any, bool]:
    """Wait for the child; kill its process group at the timeout."""
    deadline = time.monotonic() + timeout
    fd = os.pidfd_open(pid) if hasattr(os, "pidfd_open") else None
    try:
        while True:
            done, status, usage = os.wait4(pid, os.WNOHANG)
            if done:
                return status, usage, False
            left = deadline - time.monotonic()
            if left <= 0:
                break
            if fd is not None:
                select.select([fd], [], [], left)
            else:
                time.sleep(min(left, 0.005))
    finally:
        if fd is not None:
            os.close(fd)
    for target in (-pid, pid):
        with contextlib.suppress(ProcessLookupError):
            os.kill(target, signal.SIGKILL)
    _, status, usage = os.wait4(pid, 0)
    return status, usage, True


def run(request: dict[str, Any]) -> dict[str, Any]:
    started = time.monotonic()
    pid = os.fork()
    if pid == 0:
        _child(request)
    status, usage, timed_out = _wait(pid, float(request["timeout"]))
    return {
        "status": os.WEXITSTATUS(status) if os.WIFEXITED(status) else None,
        "signal": os.WTERMSIG(status) if os.WIFSIGNALED(status) else None,
        "timed_out": timed_out,
        "seconds": round(time.monotonic() - started, 4),
        "maxrss_kb": int(usage.ru_maxrss),
    }


def serve() -> None:
    _preload()
    for line in sys.stdin:
        if not line.strip():
            continue
        answer = run(json.loads(line))
        sys.stdout.write(json.dumps(answer) + "\n")
        sys.stdout.flush()


if __name__ == "__main__":
    serve()
