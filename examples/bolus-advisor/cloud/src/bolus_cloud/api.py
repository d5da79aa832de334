"""REST API of the bolus service (unit cloud-api): a WSGI application.

The interface is specified in cloud/openapi.yaml; tests/test_contract.py
validates requests and responses against it with openapi-core.
"""

from __future__ import annotations

import json
import logging
import uuid
from collections.abc import Callable, Iterable
from dataclasses import asdict
from typing import Any

from bolus_cloud.audit import AuditLog
from bolus_cloud.calculator import recommend
from bolus_cloud.iob import insulin_on_board
from bolus_cloud.validation import (
    BolusRequest,
    ValidationError,
    limit_to_maximum,
    parse_request,
)

MAX_BODY_BYTES = 8192
RECOMMENDATIONS = "/v1/recommendations"
HEALTH = "/v1/health"
ROUTES = {RECOMMENDATIONS: "POST", HEALTH: "GET"}

log = logging.getLogger("bolus_cloud")

StartResponse = Callable[[str, list[tuple[str, str]]], Any]
Response = tuple[int, dict[str, Any], dict[str, str]]

REASONS = {
    200: "OK",
    400: "Bad Request",
    404: "Not Found",
    405: "Method Not Allowed",
    411: "Length Required",
    413: "Content Too Large",
    415: "Unsupported Media Type",
    422: "Unprocessable Content",
    500: "Internal Server Error",
}


def _error(status: int, message: str, details: list[dict[str, str]] | None = None) -> Response:
    body: dict[str, Any] = {"error": message}
    if details is not None:
        body["details"] = details
    return status, body, {}


class _Reject(Exception):
    """Ends a request early with an error response."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.response = _error(status, message)


def _reject_constant(name: str) -> float:
    # Python's json module accepts NaN and Infinity by default; JSON does not.
    raise ValueError(f"{name} is not valid JSON")


class BolusService:
    """The WSGI application. `audit` receives one record per recommendation."""

    def __init__(self, audit: AuditLog, new_id: Callable[[], str] = lambda: str(uuid.uuid4())):
        self._audit = audit
        self._new_id = new_id

    def __call__(self, environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        try:
            status, body, headers = self._route(environ)
        except _Reject as reject:
            status, body, headers = reject.response
        except Exception:  # never leak internals to the client
            log.exception("unhandled error")
            status, body, headers = _error(500, "internal error")
        payload = json.dumps(body, allow_nan=False).encode()
        start_response(
            f"{status} {REASONS[status]}",
            [
                ("Content-Type", "application/json"),
                ("Content-Length", str(len(payload))),
                ("Cache-Control", "no-store"),
                *headers.items(),
            ],
        )
        return [payload]

    def _route(self, environ: dict[str, Any]) -> Response:
        path = environ.get("PATH_INFO", "")
        method = environ.get("REQUEST_METHOD", "GET")
        if path not in ROUTES:
            return _error(404, "not found")
        if method != ROUTES[path]:
            status, body, _ = _error(405, "method not allowed")
            return status, body, {"Allow": ROUTES[path]}
        if path == HEALTH:
            return 200, {"status": "ok"}, {}
        return self._recommendation(environ)

    def _read_json(self, environ: dict[str, Any]) -> Any:
        """The request body as JSON; anything else is rejected before it is parsed.

        @implements SRS-11
        """
        media_type = environ.get("CONTENT_TYPE", "").split(";")[0].strip().lower()
        if media_type != "application/json":
            raise _Reject(415, "Content-Type must be application/json")
        length_text = environ.get("CONTENT_LENGTH", "")
        if not length_text.isdigit():
            raise _Reject(411, "Content-Length required")
        length = int(length_text)
        if length > MAX_BODY_BYTES:
            raise _Reject(413, f"request body larger than {MAX_BODY_BYTES} bytes")
        raw = environ["wsgi.input"].read(length)
        try:
            return json.loads(raw.decode("utf-8"), parse_constant=_reject_constant)
        except (UnicodeDecodeError, ValueError, RecursionError) as exc:
            # RecursionError: 8 KiB of "[[[[..." nests deeper than the parser allows.
            raise _Reject(400, f"malformed JSON: {exc}") from exc

    def _recommendation(self, environ: dict[str, Any]) -> Response:
        """POST /v1/recommendations.

        @implements SRS-8, SRS-13
        """
        body = self._read_json(environ)
        try:
            request = parse_request(body)
        except ValidationError as exc:
            return _error(422, "invalid request", exc.errors)

        iob = insulin_on_board(request.recent_boluses, request.therapy.insulin_action_h)
        rec = limit_to_maximum(
            recommend(request.carbs_g, request.glucose_mgdl, request.therapy, iob),
            request.therapy.max_bolus_u,
        )
        request_id = self._new_id()
        response = {
            "request_id": request_id,
            **asdict(rec),
            "glucose_mgdl": round(request.glucose_mgdl, 1),
        }

        self._audit_recommendation(request_id, request, response)
        return 200, response, {}

    def _audit_recommendation(
        self, request_id: str, request: BolusRequest, response: dict[str, Any]
    ) -> None:
        """Hands a copy of the recommendation to the class A audit log.

        Segregation (SRS-13): the audit log gets its own copy, made from the
        serialised response; it queues the record without waiting (a worker
        thread writes it), and anything it raises, ``SystemExit`` included, is
        caught here. Losing an audit record is reported in the service log; the
        recommendation is returned unchanged. ``KeyboardInterrupt`` is let
        through: it is the operator stopping the process, raised wherever the
        main thread happens to be, not a failure of the audit unit.

        @implements SRS-13
        """
        try:
            copy = {"request": request.normalised(), "response": json.loads(json.dumps(response))}
            self._audit.record("recommendation", request_id, copy)
        except KeyboardInterrupt:
            raise
        except BaseException:
            log.exception("audit record lost for request %s", request_id)
