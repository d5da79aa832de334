"""What the command line and a running server say to each other, over a Unix socket.

One request, one answer, then the connection closes:

- the request is a frame (4 bytes of length, big-endian, then JSON) sent with the client's
  standard input, output and error as ``SCM_RIGHTS`` descriptors: the server's worker writes
  straight to the client's terminal, pipe or file, as the command would have;
- the answer is a frame ``{"exit": N}`` once the command has run, or ``{"refused": reason}``
  when the server will not run it (another medtrace, another user): the client then runs the
  command itself, and nothing has been written.

Only the standard library: the client imports this before anything heavy.
"""

from __future__ import annotations

import array
import dataclasses
import json
import os
import socket
import struct
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from medtrace.identity import code_identity

__all__ = [
    "SOCKET_NAME",
    "ProtocolError",
    "Request",
    "code_identity",
    "read_frame",
    "receive_request",
    "send_frame",
    "send_request",
    "socket_address",
]

#: The socket, in the project's ``.medtrace`` folder.
SOCKET_NAME = "serve.sock"
#: A request or answer larger than this is not ours.
_MAX_FRAME = 4 << 20
_LENGTH = struct.Struct(">I")
#: The client's standard input, output and error.
STREAMS = 3


class ProtocolError(Exception):
    """The other end said something that is not this protocol (or hung up)."""


@dataclass(frozen=True)
class Request:
    """A command to run as the client would have: its arguments, folder, environment,
    file-creation mask, the encoding of its standard streams, and which medtrace asks."""

    argv: list[str]
    cwd: str
    env: dict[str, str]
    umask: int
    encoding: str
    code: str

    @classmethod
    def here(cls, argv: list[str]) -> Request:
        mask = os.umask(0o022)
        os.umask(mask)
        encoding = getattr(sys.stdout, "encoding", None) or "utf-8"
        return cls(argv, str(Path.cwd()), dict(os.environ), mask, encoding, code_identity())

    def to_json(self) -> dict[str, Any]:
        return dataclasses.asdict(self)

    @classmethod
    def from_json(cls, data: Any) -> Request:
        try:
            request = cls(
                list(data["argv"]),
                str(data["cwd"]),
                dict(data["env"]),
                int(data["umask"]),
                str(data["encoding"]),
                str(data["code"]),
            )
        except (KeyError, TypeError, ValueError) as exc:
            raise ProtocolError(f"not a request: {exc}") from None
        if not all(isinstance(a, str) for a in request.argv) or not all(
            isinstance(k, str) and isinstance(v, str) for k, v in request.env.items()
        ):
            raise ProtocolError("not a request: arguments and environment must be text")
        return request


def socket_address(folder: int) -> str:
    """The socket's address through an open descriptor of the ``.medtrace`` folder: a Unix
    socket's path may not exceed 107 bytes, which a project's own path easily does."""
    return f"/proc/self/fd/{folder}/{SOCKET_NAME}"


def send_frame(sock: socket.socket, value: Any, fds: list[int] | None = None) -> None:
    data = json.dumps(value).encode()
    frame = _LENGTH.pack(len(data)) + data
    if fds:
        rights = [(socket.SOL_SOCKET, socket.SCM_RIGHTS, array.array("i", fds).tobytes())]
        sent = sock.sendmsg([frame], rights)
        frame = frame[sent:]
    sock.sendall(frame)


def read_frame(sock: socket.socket, head: bytes = b"") -> Any:
    """One frame's value (``head``: bytes of it already read)."""
    head += _exactly(sock, _LENGTH.size - len(head)) if len(head) < _LENGTH.size else b""
    (length,) = _LENGTH.unpack(head[: _LENGTH.size])
    if length > _MAX_FRAME:
        raise ProtocolError(f"a frame of {length} bytes")
    body = head[_LENGTH.size :]
    body += _exactly(sock, length - len(body))
    try:
        return json.loads(body)
    except ValueError as exc:
        raise ProtocolError(f"not JSON: {exc}") from None


def _exactly(sock: socket.socket, count: int) -> bytes:
    chunks: list[bytes] = []
    while count > 0:
        chunk = sock.recv(min(count, 1 << 16))
        if not chunk:
            raise ProtocolError("the other end hung up")
        chunks.append(chunk)
        count -= len(chunk)
    return b"".join(chunks)


def send_request(sock: socket.socket, request: Request) -> None:
    send_frame(sock, request.to_json(), list(range(STREAMS)))


# @implements SRS-308
def receive_request(sock: socket.socket) -> tuple[Request, list[int]]:
    """The request and the client's standard streams (descriptors this process now owns)."""
    space = socket.CMSG_SPACE(STREAMS * array.array("i").itemsize)
    data, ancillary, _, _ = sock.recvmsg(1 << 16, space)
    fds: list[int] = []
    for level, kind, payload in ancillary:
        if level == socket.SOL_SOCKET and kind == socket.SCM_RIGHTS:
            received = array.array("i")
            received.frombytes(payload[: len(payload) - len(payload) % received.itemsize])
            fds.extend(received)
    try:
        if not data:
            raise ProtocolError("the other end hung up")
        request = Request.from_json(read_frame(sock, data))
        if len(fds) != STREAMS:
            raise ProtocolError(f"{len(fds)} descriptors, not {STREAMS}")
    except ProtocolError:
        for fd in fds:
            os.close(fd)
        raise
    return request, fds
