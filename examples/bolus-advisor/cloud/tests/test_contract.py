"""Contract tests of the REST API against its specification, cloud/openapi.yaml.

Every request sent here and every response the service gives back is validated
against the specification with openapi-core: the request body, path, method and
media type, and the response status code, media type and body schema. The
requests the specification forbids are checked from both sides: the
specification rejects them, and so does the service, with a status code the
specification documents.
"""

from __future__ import annotations

import io
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from openapi_core import OpenAPI
from openapi_core.contrib.werkzeug import WerkzeugOpenAPIRequest, WerkzeugOpenAPIResponse
from openapi_core.exceptions import OpenAPIError
from openapi_spec_validator import validate as validate_spec
from werkzeug.wrappers import Request, Response

from bolus_cloud.api import MAX_BODY_BYTES, ROUTES, BolusService
from bolus_cloud.audit import AuditLog
from conftest import make_environ, valid_request

OPENAPI_FILE = Path(__file__).resolve().parents[1] / "openapi.yaml"
POST = "/v1/recommendations"
JSON = "application/json"

pytestmark = pytest.mark.verifies("SRS-8")


@pytest.fixture(scope="module")
def spec() -> OpenAPI:
    return OpenAPI.from_file_path(str(OPENAPI_FILE))


class Exchange:
    """One request to the WSGI application and its response, as openapi-core sees them."""

    def __init__(self, app: BolusService, method: str, path: str, data: bytes, **options: Any):
        content_type = options.pop("content_type", JSON)
        self.request = WerkzeugOpenAPIRequest(
            Request(make_environ(method, path, data, content_type, **options))
        )
        captured: dict[str, Any] = {}

        def start_response(status: str, headers: list[tuple[str, str]]) -> None:
            captured["status"], captured["headers"] = int(status.split()[0]), headers

        payload = b"".join(
            app(make_environ(method, path, data, content_type, **options), start_response)
        )
        self.status: int = captured["status"]
        self.body: Any = json.loads(payload)
        self.response = WerkzeugOpenAPIResponse(
            Response(payload, status=self.status, headers=captured["headers"])
        )


@pytest.fixture
def call(client) -> Callable[..., Exchange]:
    def send(method: str, path: str, body: Any = None, *, raw: bytes | None = None, **options: Any):
        data = raw if raw is not None else (b"" if body is None else json.dumps(body).encode())
        return Exchange(client.app, method, path, data, **options)

    return send


def test_specification_is_valid_openapi(spec):
    validate_spec(spec.spec.read_value())


def test_every_operation_is_implemented_and_every_route_specified(spec):
    with (spec.spec / "paths").open() as paths:
        documented = {path: {method.upper() for method in ops} for path, ops in paths.items()}
    assert documented == {path: {method} for path, method in ROUTES.items()}


def mmol_request() -> dict[str, Any]:
    request = valid_request(unit="mmol/L", glucose=10.0, recent_boluses=[])
    request["therapy"].update(target_glucose=5.55, correction_factor=2.22)
    return request


@pytest.mark.parametrize(
    ("request_body", "status", "limited"),
    [
        (valid_request(), "recommended", False),
        (mmol_request(), "recommended", False),
        (valid_request(recent_boluses=[{"units": 2.5, "minutes_ago": 30}]), "recommended", False),
        (valid_request(carbs_g=250), "recommended", True),
        (valid_request(glucose=55), "refused", False),
    ],
    ids=["mgdl", "mmol", "insulin-on-board", "limited", "refused"],
)
def test_recommendation_request_and_response_match_specification(
    spec, call, request_body, status, limited
):
    exchange = call("POST", POST, request_body)
    spec.validate_request(exchange.request)
    spec.validate_response(exchange.request, exchange.response)
    assert exchange.status == 200
    assert (exchange.body["status"], exchange.body["limited"]) == (status, limited)
    assert (exchange.body["reason"] is None) == (status == "recommended" and not limited)


def test_health_matches_specification(spec, call):
    exchange = call("GET", "/v1/health")
    spec.validate_request(exchange.request)
    spec.validate_response(exchange.request, exchange.response)
    assert exchange.body == {"status": "ok"}


def therapy(**changes: Any) -> dict[str, Any]:
    request = valid_request()
    request["therapy"].update(changes)
    return request


# Requests the specification's schema forbids: the service must refuse each of them too.
SCHEMA_VIOLATIONS = {
    "carbs-above-300": valid_request(carbs_g=300.5),
    "carbs-negative": valid_request(carbs_g=-1),
    "carb-ratio-below-2": therapy(carb_ratio_g_per_u=1.9),
    "carb-ratio-above-150": therapy(carb_ratio_g_per_u=151),
    "max-bolus-below-0.05": therapy(max_bolus_u=0.04),
    "max-bolus-above-25": therapy(max_bolus_u=25.5),
    "insulin-action-below-2": therapy(insulin_action_h=1.9),
    "insulin-action-above-8": therapy(insulin_action_h=8.1),
    "patient-name": valid_request(patient_id="Jane Doe"),
    "patient-id-empty": valid_request(patient_id=""),
    "patient-id-too-long": valid_request(patient_id="p" * 65),
    "unit-unknown": valid_request(unit="mg/dl"),
    "unknown-field": valid_request(weight_kg=70),
    "history-missing": {k: v for k, v in valid_request().items() if k != "recent_boluses"},
    "history-too-long": valid_request(recent_boluses=[{"units": 1, "minutes_ago": 60}] * 51),
    "past-bolus-future": valid_request(recent_boluses=[{"units": 1, "minutes_ago": -5}]),
    "glucose-as-text": valid_request(glucose="180"),
    "body-not-object": [valid_request()],
}


@pytest.mark.parametrize("name", sorted(SCHEMA_VIOLATIONS))
def test_requests_the_specification_forbids_are_refused(spec, call, name):
    exchange = call("POST", POST, SCHEMA_VIOLATIONS[name])
    with pytest.raises(OpenAPIError):
        spec.validate_request(exchange.request)
    assert exchange.status == 422
    spec.validate_response(exchange.request, exchange.response)
    assert exchange.body["details"], "a 422 lists the invalid fields"


@pytest.mark.verifies("SRS-11")
@pytest.mark.parametrize(
    ("case", "status"),
    [
        ({"raw": b"{not json"}, 400),
        ({"raw": b'{"carbs_g": NaN}'}, 400),
        ({"body": valid_request(), "send_length": False}, 411),
        ({"raw": b" " * (MAX_BODY_BYTES + 1)}, 413),
        ({"body": valid_request(), "content_type": "text/plain"}, 415),
    ],
    ids=["malformed", "nan", "no-length", "too-large", "not-json"],
)
def test_error_responses_match_specification(spec, call, case, status):
    exchange = call("POST", POST, **case)
    assert exchange.status == status
    spec.validate_response(exchange.request, exchange.response)
    assert set(exchange.body) == {"error"}


def test_internal_error_matches_specification(spec):
    def failing_id() -> str:
        raise RuntimeError("identifier source unavailable")

    app = BolusService(AuditLog(io.StringIO()), new_id=failing_id)
    exchange = Exchange(app, "POST", POST, json.dumps(valid_request()).encode())
    assert exchange.status == 500
    spec.validate_response(exchange.request, exchange.response)
    assert exchange.body == {"error": "internal error"}
