"""The command line's side: hand ``medtrace check`` to the project's running server, if any.

Light on purpose (the standard library and :mod:`medtrace.configfile` only): it runs before
anything else, and when no server runs it costs one failed ``stat``.
"""

from __future__ import annotations

import contextlib
import os
import socket
import sys
from pathlib import Path

from medtrace.configfile import nearest_config
from medtrace.serve.protocol import SOCKET_NAME, ProtocolError, Request, read_frame, send_request
from medtrace.serve.protocol import socket_address as address

__all__ = ["SERVED", "forward", "served_command"]

#: The commands a server runs. ``check`` is the one run on every save and every commit.
SERVED = frozenset({"check"})
#: Set (to anything but ``0`` or empty) to never use a server.
OFF = "MEDTRACE_NO_SERVER"


def served_command(argv: list[str]) -> Path | None:
    """The folder the command starts in, when ``argv`` is a command a server runs (only ``-C``
    may come before it); else ``None``."""
    at, start = 0, "."
    while at < len(argv) and argv[at].startswith("-"):
        if argv[at] == "-C" and at + 1 < len(argv):
            start, at = argv[at + 1], at + 2
        elif argv[at].startswith("-C") and len(argv[at]) > 2:
            start, at = argv[at][2:], at + 1
        else:
            return None  # --version, --help, an option click will refuse: run here
    if at >= len(argv) or argv[at] not in SERVED:
        return None
    return Path(start)


# @implements SRS-307, SRS-308
def forward(argv: list[str]) -> int | None:
    """Run ``argv`` in the project's server and give its exit code; ``None`` when no server
    runs for the project or it will not run this command: the caller runs it itself."""
    if os.environ.get(OFF, "0") not in ("", "0"):
        return None
    start = served_command(argv)
    config = nearest_config(start) if start is not None else None
    if config is None:
        return None
    folder = config.parent / ".medtrace"
    if not (folder / SOCKET_NAME).exists():
        return None
    return _ask(folder, argv)


def _ask(folder: Path, argv: list[str]) -> int | None:
    try:
        fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)
    except OSError:
        return None
    try:
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as sock:
            try:
                sock.connect(address(fd))
            except OSError:
                return None  # a server that has stopped without removing its socket
            with contextlib.suppress(AttributeError, ValueError, OSError):
                sys.stdout.flush()
            try:
                send_request(sock, Request.here(argv))
            except OSError:
                return None  # it ran nothing: it runs a command only once it has all of it
            return _answer(sock)
    finally:
        os.close(fd)


def _answer(sock: socket.socket) -> int | None:
    """The exit code, or ``None`` when the server refused (nothing was run or written)."""
    try:
        answer = read_frame(sock)
    except (ProtocolError, OSError) as exc:
        # The command may have written part of its output already: running it again here
        # would write it twice. Say so and fail.
        sys.stderr.write(
            f"medtrace: error: the server stopped before the command finished ({exc}); run it "
            f"again, or set {OFF}=1 to run without the server\n"
        )
        return 2
    if isinstance(answer, dict) and isinstance(answer.get("exit"), int):
        return int(answer["exit"])
    return None
