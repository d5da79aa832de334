"""The client's and the server's frames, and which commands go to a server."""

from __future__ import annotations

import os
import socket
import struct
from pathlib import Path

import pytest

from medtrace.serve.client import served_command
from medtrace.serve.protocol import (
    ProtocolError,
    Request,
    read_frame,
    receive_request,
    send_frame,
    send_request,
)

pytestmark = pytest.mark.verifies("SRS-308")


def test_a_request_travels_with_the_standard_streams() -> None:
    client, server = socket.socketpair(socket.AF_UNIX, socket.SOCK_STREAM)
    with client, server:
        request = Request.here(["check", "--format", "json"])
        send_request(client, request)
        got, fds = receive_request(server)
        try:
            assert got == request
            assert len(fds) == 3
            for mine, theirs in zip((0, 1, 2), fds, strict=True):
                assert os.path.sameopenfile(mine, theirs)
        finally:
            for fd in fds:
                os.close(fd)


def test_a_large_environment_arrives_whole() -> None:
    client, server = socket.socketpair(socket.AF_UNIX, socket.SOCK_STREAM)
    with client, server:
        request = Request(
            ["check"], "/", {f"V{n}": "x" * 1000 for n in range(300)}, 0o22, "utf-8", "c"
        )
        import threading

        sender = threading.Thread(target=send_request, args=(client, request))
        sender.start()
        got, fds = receive_request(server)
        sender.join()
        for fd in fds:
            os.close(fd)
        assert got == request


@pytest.mark.parametrize(
    ("frame", "message"),
    [
        (struct.pack(">I", 5 << 20), "a frame of"),
        (struct.pack(">I", 3) + b"{x}", "not JSON"),
        (struct.pack(">I", 9) + b"{}", "hung up"),
        (b"", "hung up"),
    ],
)
def test_what_is_not_the_protocol_is_refused(frame: bytes, message: str) -> None:
    client, server = socket.socketpair(socket.AF_UNIX, socket.SOCK_STREAM)
    with client, server:
        client.sendall(frame)
        client.shutdown(socket.SHUT_WR)
        with pytest.raises(ProtocolError, match=message):
            read_frame(server)


def test_a_request_without_its_streams_is_refused() -> None:
    client, server = socket.socketpair(socket.AF_UNIX, socket.SOCK_STREAM)
    with client, server:
        send_frame(client, Request.here(["check"]).to_json())
        with pytest.raises(ProtocolError, match="0 descriptors"):
            receive_request(server)


@pytest.mark.parametrize(
    "value",
    [[], {"argv": "check"}, {**Request.here(["check"]).to_json(), "argv": [1]}],
)
def test_a_value_that_is_no_request_is_refused(value: object) -> None:
    with pytest.raises(ProtocolError, match="not a request"):
        Request.from_json(value)


@pytest.mark.parametrize(
    ("argv", "start"),
    [
        (["check"], Path()),
        (["check", "--format", "json"], Path()),
        (["-C", "proj", "check"], Path("proj")),
        (["-Cproj", "check", "-o", "x"], Path("proj")),
        (["list"], None),
        (["--version"], None),
        (["-C", "proj"], None),
        (["--help", "check"], None),
        ([], None),
    ],
)
def test_which_commands_go_to_a_server(argv: list[str], start: Path | None) -> None:
    assert served_command(argv) == start
