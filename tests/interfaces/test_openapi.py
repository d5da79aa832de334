"""OpenAPI extraction on real public specs: every operation, with an independent count."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml
from helpers import shared_data

from medtrace.interfaces.openapi import METHODS, extract_openapi
from medtrace.interfaces.registry import Declared

pytestmark = pytest.mark.verifies("SRS-154", "SRS-155")

SPECS = [
    "cwa-verification-server-api-docs.json",
    "cwa-quick-test-backend-open-api.json",
    "redocly-museum-api-3.1.yaml",
    "ga4gh-drs-1.5.0/data_repository_service.openapi.yaml",
]


def _read(path: Path) -> Any:
    text = path.read_text(encoding="utf-8")
    return json.loads(text) if path.suffix == ".json" else yaml.safe_load(text)


def _independent(path: Path) -> list[str]:
    """``METHOD path`` of every operation, walking plain YAML/JSON (a path item that is a
    ``$ref`` to another file is read from that file, relative to the spec)."""
    spec = _read(path)
    out = []
    for section, prefix in (("paths", ""), ("webhooks", "webhook ")):
        for key, item in (spec.get(section) or {}).items():
            if "$ref" in item:
                target, _, pointer = item["$ref"].partition("#")
                item = _read(path.parent / target)
                for part in [p for p in pointer.split("/") if p]:
                    item = item[part.replace("~1", "/").replace("~0", "~")]
            out += [f"{m.upper()} {prefix}{key}" for m in METHODS if m in item]
    return out


@pytest.mark.parametrize("name", SPECS)
def test_every_operation_of_real_specs(name: str) -> None:
    folder = shared_data("openapi")
    doc = extract_openapi(Declared("api", "API", {"spec": name}, (), folder))
    expected = _independent(folder / name)
    assert len(expected) > 4
    assert sorted(e.name for e in doc.entries) == sorted(expected)


def test_details_resolved_across_files_and_remote_references_never_fetched() -> None:
    folder = shared_data("openapi")
    doc = extract_openapi(Declared("api", "API", {"spec": SPECS[3]}, (), folder))
    by_name = {e.name: e for e in doc.entries}
    objects = by_name["GET /objects/{object_id}"]
    labels = [label for label, _ in objects.details]
    assert "parameter" in labels and "response 200" in labels and "security" in labels
    assert any("object_id in path (required)" in v for _, v in objects.details)
    assert any("service-info.yaml" in p and "not fetched" in p for p in doc.problems)


def test_real_validation_errors_are_reported() -> None:
    folder = shared_data("openapi")
    doc = extract_openapi(Declared("api", "API", {"spec": SPECS[1]}, (), folder))
    assert doc.problems == [
        f"{SPECS[1]} is not a valid OpenAPI document: '204 ' does not match any of the regexes: "
        "'^[1-5](?:\\\\d{2}|XX)$', '^x-'"
    ]
    museum = extract_openapi(Declared("api", "API", {"spec": SPECS[2]}, (), folder))
    assert museum.problems == []
    webhook = next(e for e in museum.entries if e.name.startswith("POST webhook"))
    assert webhook.signature == "publishNewEvent"


def test_a_spec_that_is_not_yaml(tmp_path: Path) -> None:
    (tmp_path / "api.yaml").write_text("openapi: [unclosed\n")
    doc = extract_openapi(Declared("api", "API", {"spec": "api.yaml"}, (), tmp_path))
    assert doc.entries == []
    assert doc.problems[0].startswith("api.yaml cannot be read")
