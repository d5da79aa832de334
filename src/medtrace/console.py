"""The ``medtrace`` command's entry point.

A command a running server takes (``medtrace serve``) is handed to it before anything heavy is
imported: the command line, click and the configuration's schema cost more than the served
check itself. Otherwise, or when no server runs, the command line runs here
(:func:`medtrace.cli.run`).
"""

from __future__ import annotations

import contextlib
import os
import sys

__all__ = ["run"]


def run() -> None:
    """Run ``medtrace`` with ``sys.argv``: through the project's server if one runs, else
    here. Never returns."""
    code = _served(sys.argv[1:])
    if code is not None:
        with contextlib.suppress(Exception):  # the server's child wrote the output itself
            sys.stdout.flush()
            sys.stderr.flush()
        os._exit(code)
    from medtrace.cli import run as here

    here()


def _served(argv: list[str]) -> int | None:
    """The exit code of ``argv`` run by the project's server, or ``None`` when none runs for
    it or it will not run this command."""
    from medtrace.serve.client import forward

    try:
        return forward(argv)
    except KeyboardInterrupt:  # the server ends the command when its client goes
        with contextlib.suppress(Exception):
            sys.stderr.write("medtrace: interrupted\n")
        return 130
