from __future__ import annotations

import io
import json
from collections.abc import Callable, Iterator
from typing import Any
from wsgiref.util import setup_testing_defaults

import pytest

from bolus_cloud.api import BolusService
from bolus_cloud.audit import AuditLog


def valid_request(**changes: Any) -> dict[str, Any]:
    """A valid request in mg/dL; keyword arguments replace top-level fields."""
    body: dict[str, Any] = {
        "patient_id": "p-0042",
        "unit": "mg/dL",
        "carbs_g": 60,
        "glucose": 180,
        "therapy": {
            "carb_ratio_g_per_u": 10,
            "correction_factor": 40,
            "target_glucose": 100,
            "max_bolus_u": 10,
            "insulin_action_h": 4,
        },
        "recent_boluses": [],
    }
    body.update(changes)
    return body


def make_environ(
    method: str, path: str, data: bytes, content_type: str, *, send_length: bool = True
) -> dict[str, Any]:
    """The WSGI environ of one request to the service's public address (cloud/openapi.yaml)."""
    environ: dict[str, Any] = {
        "REQUEST_METHOD": method,
        "PATH_INFO": path,
        "CONTENT_TYPE": content_type,
        "HTTP_HOST": "bolus.example.com",
        "SERVER_NAME": "bolus.example.com",
        "SERVER_PORT": "443",
        "wsgi.url_scheme": "https",
        "wsgi.input": io.BytesIO(data),
    }
    if send_length:
        environ["CONTENT_LENGTH"] = str(len(data))
    setup_testing_defaults(environ)
    return environ


class Client:
    """Calls the WSGI application in-process, as a WSGI server would."""

    def __init__(self, app: BolusService) -> None:
        self.app = app

    def request(
        self,
        method: str,
        path: str,
        body: Any = None,
        *,
        raw: bytes | None = None,
        content_type: str = "application/json",
        send_length: bool = True,
    ) -> tuple[int, dict[str, str], Any]:
        data = raw if raw is not None else (b"" if body is None else json.dumps(body).encode())
        environ = make_environ(method, path, data, content_type, send_length=send_length)
        captured: dict[str, Any] = {}

        def start_response(status: str, headers: list[tuple[str, str]]) -> None:
            captured["status"] = int(status.split()[0])
            captured["headers"] = dict(headers)

        payload = b"".join(self.app(environ, start_response))
        return captured["status"], captured["headers"], json.loads(payload)

    def recommend(self, body: Any) -> tuple[int, Any]:
        status, _, result = self.request("POST", "/v1/recommendations", body)
        return status, result


@pytest.fixture
def audit_stream() -> io.StringIO:
    return io.StringIO()


@pytest.fixture
def audit(audit_stream: io.StringIO) -> Iterator[AuditLog]:
    """The audit log of `client`; records are written by its worker: `flush()` before reading."""
    log = AuditLog(audit_stream)
    yield log
    log.close()


@pytest.fixture
def client(audit: AuditLog) -> Client:
    return Client(BolusService(audit, new_id=lambda: "req-1"))


@pytest.fixture
def make_request() -> Callable[..., dict[str, Any]]:
    return valid_request
