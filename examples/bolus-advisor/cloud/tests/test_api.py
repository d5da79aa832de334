"""Tests of the REST API (unit cloud-api), through the WSGI interface."""

from __future__ import annotations

import io
from typing import Any

import pytest

from bolus_cloud.api import MAX_BODY_BYTES, BolusService
from bolus_cloud.audit import AuditLog
from conftest import Client, valid_request


@pytest.mark.verifies("SRS-8")
def test_recommendation_round_trip(client):
    status, headers, body = client.request("POST", "/v1/recommendations", valid_request())
    assert status == 200
    assert headers["Content-Type"] == "application/json"
    assert body == {
        "request_id": "req-1",
        "status": "recommended",
        "bolus_u": 8.0,
        "meal_u": 6.0,
        "correction_u": 2.0,
        "iob_u": 0.0,
        "limited": False,
        "reason": None,
        "glucose_mgdl": 180.0,
    }


@pytest.mark.verifies("SRS-8")
def test_health_and_unknown_routes(client):
    assert client.request("GET", "/v1/health")[0] == 200
    assert client.request("GET", "/v1/nothing")[0] == 404
    status, headers, _ = client.request("GET", "/v1/recommendations")
    assert status == 405
    assert headers["Allow"] == "POST"


@pytest.mark.verifies("SRS-9", "RISK-8")
def test_out_of_range_fields_reported_all_at_once(client):
    request = valid_request(carbs_g=3000, glucose="high")
    request["therapy"]["max_bolus_u"] = 40
    status, body = client.recommend(request)
    assert status == 422
    assert {d["field"] for d in body["details"]} == {"carbs_g", "glucose", "therapy.max_bolus_u"}
    assert "between 0 and 300 g" in body["details"][0]["message"]


def with_therapy(unit: str = "mg/dL", **therapy: float) -> dict[str, Any]:
    request = valid_request(unit=unit, glucose=180 if unit == "mg/dL" else 10.0)
    if unit == "mmol/L":
        request["therapy"].update(target_glucose=5.55, correction_factor=2.22)
    request["therapy"].update(therapy)
    return request


# Each range of SRS-9 at both ends: the limit itself is accepted, a value just
# outside it is refused, in each glucose unit for the glucose-valued fields.
# (field, unit of the request, value at the limit, value just outside)
RANGE_EDGES = [
    ("carbs_g", "mg/dL", 0, -0.1),
    ("carbs_g", "mg/dL", 300, 300.1),
    ("glucose", "mg/dL", 20, 19.9),
    ("glucose", "mg/dL", 600, 600.1),
    ("glucose", "mmol/L", 1.111, 1.11),
    ("glucose", "mmol/L", 33.3, 33.31),
    ("therapy.carb_ratio_g_per_u", "mg/dL", 2, 1.99),
    ("therapy.carb_ratio_g_per_u", "mg/dL", 150, 150.1),
    ("therapy.correction_factor", "mg/dL", 5, 4.99),
    ("therapy.correction_factor", "mg/dL", 400, 400.1),
    ("therapy.correction_factor", "mmol/L", 0.278, 0.277),
    ("therapy.correction_factor", "mmol/L", 22.2, 22.21),
    ("therapy.target_glucose", "mg/dL", 70, 69.9),
    ("therapy.target_glucose", "mg/dL", 180, 180.1),
    ("therapy.target_glucose", "mmol/L", 3.89, 3.88),
    ("therapy.target_glucose", "mmol/L", 9.99, 10.0),
    ("therapy.max_bolus_u", "mg/dL", 0.05, 0.04),
    ("therapy.max_bolus_u", "mg/dL", 25, 25.01),
    ("therapy.insulin_action_h", "mg/dL", 2, 1.99),
    ("therapy.insulin_action_h", "mg/dL", 8, 8.01),
]


def request_with(field: str, unit: str, value: float) -> dict[str, Any]:
    request = with_therapy(unit)
    if field.startswith("therapy."):
        request["therapy"][field.removeprefix("therapy.")] = value
    else:
        request[field] = value
    return request


@pytest.mark.verifies("SRS-9", "RISK-8")
@pytest.mark.parametrize(
    ("field", "unit", "at_limit", "outside"),
    RANGE_EDGES,
    ids=[f"{f}={out}{' mmol/L' if unit == 'mmol/L' else ''}" for f, unit, _, out in RANGE_EDGES],
)
def test_every_range_is_enforced_at_its_limits(client, field, unit, at_limit, outside):
    assert client.recommend(request_with(field, unit, at_limit))[0] == 200
    status, body = client.recommend(request_with(field, unit, outside))
    assert status == 422
    assert [d["field"] for d in body["details"]] == [field]


@pytest.mark.verifies("SRS-8")
@pytest.mark.parametrize(
    "patient_id",
    ["Jane Doe", "", "p" * 65, "p-0042\n", "p_0042", "jane@example.com", 42, None],
    ids=["name", "empty", "65-chars", "trailing-newline", "underscore", "e-mail", "number", "null"],
)
def test_patient_id_must_be_a_pseudonym(client, patient_id):
    status, body = client.recommend(valid_request(patient_id=patient_id))
    assert status == 422
    assert [d["field"] for d in body["details"]] == ["patient_id"]
    assert client.recommend(valid_request(patient_id="A-" + "9" * 62))[0] == 200


@pytest.mark.verifies("SRS-9")
def test_unknown_and_missing_fields_rejected(client):
    request = valid_request(carb=60)
    del request["carbs_g"]
    del request["recent_boluses"]
    status, body = client.recommend(request)
    assert status == 422
    assert {(d["field"], d["message"]) for d in body["details"]} == {
        ("carb", "unknown field"),
        ("carbs_g", "required"),
        ("recent_boluses", "required"),
    }


@pytest.mark.verifies("SRS-9")
def test_non_numbers_and_non_finite_values_rejected(client):
    assert client.recommend(valid_request(carbs_g=True))[0] == 422
    assert (
        client.recommend(valid_request(recent_boluses=[{"units": 1, "minutes_ago": -5}]))[0] == 422
    )
    assert client.recommend([1, 2, 3])[0] == 422
    raw = b'{"carbs_g": NaN}'
    assert client.request("POST", "/v1/recommendations", raw=raw)[0] == 400


@pytest.mark.verifies("SRS-10", "RISK-2")
def test_glucose_unit_is_required(client):
    request = valid_request()
    del request["unit"]
    status, body = client.recommend(request)
    assert status == 422
    assert body["details"] == [{"field": "unit", "message": "required"}]
    status, body = client.recommend(valid_request(unit="mg/dl"))
    assert status == 422
    assert body["details"] == [{"field": "unit", "message": "must be 'mg/dL' or 'mmol/L'"}]


@pytest.mark.verifies("SRS-10")
def test_mmol_request_gives_same_bolus_as_mgdl(client):
    request = valid_request(unit="mmol/L", glucose=10.0)
    request["therapy"].update(target_glucose=5.55, correction_factor=2.22)
    status, body = client.recommend(request)
    assert status == 200
    assert body["glucose_mgdl"] == 180.2
    assert body["bolus_u"] == 8.0


@pytest.mark.verifies("SRS-10", "RISK-2")
def test_mgdl_value_sent_as_mmol_rejected(client):
    status, body = client.recommend(valid_request(unit="mmol/L", glucose=180))
    assert status == 422
    assert body["details"][0]["field"] == "glucose"
    assert body["details"][0]["message"] == "must be between 1.11 and 33.3 mmol/L"


@pytest.mark.verifies("SRS-11")
def test_only_small_json_bodies_accepted(client):
    post = "/v1/recommendations"
    assert client.request("POST", post, valid_request(), content_type="text/plain")[0] == 415
    assert client.request("POST", post, raw=b" " * (MAX_BODY_BYTES + 1))[0] == 413
    assert client.request("POST", post, raw=b"{not json")[0] == 400
    assert client.request("POST", post, raw=b"\xff\xfe")[0] == 400
    assert client.request("POST", post, raw=b"[" * MAX_BODY_BYTES)[0] == 400
    ok = client.request(
        "POST", post, valid_request(), content_type="application/json; charset=utf-8"
    )
    assert ok[0] == 200


@pytest.mark.verifies("SRS-11")
def test_request_without_content_length_refused(client):
    status, _, body = client.request(
        "POST", "/v1/recommendations", valid_request(), send_length=False
    )
    assert status == 411
    assert body == {"error": "Content-Length required"}
    status, _, _ = client.request(
        "POST", "/v1/recommendations", raw=b"{}", content_type="application/json"
    )
    assert status == 422  # with a length the same path reaches validation


class BrokenStream(io.StringIO):
    def write(self, text: str) -> int:
        raise OSError(28, "No space left on device")


@pytest.mark.verifies("SRS-13")
def test_audit_failure_does_not_change_recommendation(client, caplog):
    audit = AuditLog(BrokenStream())
    broken = Client(BolusService(audit, new_id=lambda: "req-1"))
    expected = client.recommend(valid_request())
    assert broken.recommend(valid_request()) == expected
    assert audit.flush(timeout=10)
    assert "audit record lost for request req-1" in caplog.text
