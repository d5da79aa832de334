"""The SOUP list as a CycloneDX SBOM: valid against the schema (the library's own validator),
reproducible byte for byte, with the FDA's fields and the SOUP fields."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest
from cyclonedx.schema import SchemaVersion
from cyclonedx.validation.json import JsonStrictValidator
from helpers import load

from medtrace.soup.export import sbom_json

pytestmark = pytest.mark.verifies("SRS-138")

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "bolus-advisor"


def _sbom(root: Path = EXAMPLE, **kw: object) -> str:
    project = load(root)
    return sbom_json(project.model, "Bolus Advisor", "1.0.0", **kw)  # type: ignore[arg-type]


def test_valid_against_the_cyclonedx_schema() -> None:
    text = _sbom()
    assert JsonStrictValidator(SchemaVersion.V1_6).validate_str(text) is None


def test_same_input_same_bytes() -> None:
    first, second = _sbom(), _sbom()
    assert first == second
    data = json.loads(first)
    assert "timestamp" not in data["metadata"]
    assert data["serialNumber"].startswith("urn:uuid:")


def test_another_soup_list_another_serial_number(tmp_path: Path) -> None:
    import shutil

    copy = tmp_path / "ex"
    shutil.copytree(EXAMPLE / "docs", copy / "docs")
    shutil.copy(EXAMPLE / "medtrace.toml", copy / "medtrace.toml")
    soup = copy / "docs/soup.yaml"
    soup.write_text(soup.read_text().replace("version: 3.0.2", "version: 3.0.3"))
    assert json.loads(_sbom(copy))["serialNumber"] != json.loads(_sbom())["serialNumber"]


def test_a_timestamp_only_when_asked() -> None:
    when = datetime(2026, 12, 5, 9, 0, tzinfo=UTC)
    data = json.loads(_sbom(timestamp=when))
    assert data["metadata"]["timestamp"].startswith("2026-12-05T09:00:00")


def test_each_component_carries_the_fda_fields_and_the_soup_fields() -> None:
    data = json.loads(_sbom())
    by_ref = {c["bom-ref"]: c for c in data["components"]}
    waitress = by_ref["waitress"]
    props = {p["name"]: p["value"] for p in waitress["properties"]}
    assert waitress["version"] == "3.0.2"
    assert waitress["supplier"]["name"] == "Pylons Project"
    assert waitress["purl"] == "pkg:pypi/waitress@3.0.2"
    assert props["medtrace:soup:support"].startswith("Community")
    assert props["medtrace:soup:end_of_support"] == "2028-12-31"
    assert props["medtrace:soup:anomalies:when"] == "2026-09-14"
    assert props["medtrace:soup:items"] == "cloud-service"
    assert waitress["licenses"] == [{"expression": "ZPL-2.1"}]
    nordic = by_ref["SOUP-1"]
    assert nordic["licenses"] == [{"license": {"name": "Nordic 5-Clause License"}}]
    assert nordic["cpe"].startswith("cpe:2.3:a:nordicsemi:")
    assert sorted(by_ref) == sorted(i.id for i in load(EXAMPLE).model.of_kind("soup"))
    (root,) = [d for d in data["dependencies"] if d["ref"] == "project"]
    assert sorted(root["dependsOn"]) == sorted(by_ref)


def test_the_exported_sbom_reads_back_as_the_soup_list(tmp_path: Path) -> None:
    from medtrace.soup import read_path

    (tmp_path / "sbom.cdx.json").write_text(_sbom(), encoding="utf-8")
    lock = read_path(tmp_path, "sbom.cdx.json")
    assert lock.diagnostics == []
    packages = {(p.name, p.version) for p in lock.packages}
    assert ("waitress", "3.0.2") in packages and ("react-native", "0.81.4") in packages
    assert len(lock.packages) == len(load(EXAMPLE).model.of_kind("soup"))
    assert {p.supplier for p in lock.packages if p.name == "waitress"} == {"Pylons Project"}
