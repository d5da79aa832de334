"""A running ``medtrace serve`` for a test project."""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from helpers import cli_env

#: How long a server may take to start (imports, the first read of the project).
START_S = 60.0


class Served:
    """A server process for ``root``; ``log()`` is what it wrote so far."""

    def __init__(self, root: Path, log: Path) -> None:
        self.root = root
        self.log_path = log
        with log.open("wb") as sink:
            self.process = subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "medtrace",
                    "-C",
                    str(root),
                    "serve",
                    "--idle-timeout",
                    "300",
                ],
                stdout=sink,
                stderr=subprocess.STDOUT,
                env=cli_env(),
            )
        self.wait_until(lambda: "medtrace serve: ready" in self.log(), "ready")

    def log(self) -> str:
        return self.log_path.read_text("utf-8", "replace")

    def wait_until(self, condition: object, what: str) -> None:
        deadline = time.monotonic() + START_S
        while not condition():  # type: ignore[operator]
            if self.process.poll() is not None:
                pytest.fail(f"the server ended ({self.process.returncode}): {self.log()}")
            if time.monotonic() > deadline:
                pytest.fail(f"no {what} after {START_S} s: {self.log()}")
            time.sleep(0.02)

    def stop(self) -> int:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
        return self.process.wait(timeout=30)


def local_env() -> dict[str, str]:
    return {"MEDTRACE_NO_SERVER": "1"}


__all__ = ["Served", "local_env"]
