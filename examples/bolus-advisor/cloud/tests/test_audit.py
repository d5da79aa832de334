"""Tests of the audit trail (unit audit-log)."""

from __future__ import annotations

import json

from conftest import valid_request


def test_every_recommendation_is_audited(client, audit_stream):
    """@verifies SRS-12"""
    client.recommend(valid_request())
    client.recommend(valid_request(glucose=55))
    records = [json.loads(line) for line in audit_stream.getvalue().splitlines()]
    assert len(records) == 2
    first, refused = records
    assert first["event"] == "recommendation"
    assert first["request_id"] == "req-1"
    assert first["request"]["patient_id"] == "p-0042"
    assert first["request"]["glucose_mgdl"] == 180.0
    assert first["response"]["bolus_u"] == 8.0
    assert first["time"].endswith("+00:00")
    assert refused["response"]["status"] == "refused"


def test_invalid_requests_are_not_recommendations(client, audit_stream):
    """A rejected request gets no recommendation, so there is nothing to audit.

    @verifies SRS-12
    """
    client.recommend(valid_request(carbs_g=-1))
    assert audit_stream.getvalue() == ""
