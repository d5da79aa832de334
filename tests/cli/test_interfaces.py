"""``medtrace interfaces`` and the interface rules end to end: the real command line on a
project with an OpenAPI spec and a Python package, recorded, changed and checked again."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from helpers import Run, write_project

pytestmark = pytest.mark.verifies("SRS-155", "SRS-156", "SRS-157")

Cli = Callable[..., Run]

CONFIG = """\
[project]
name = "api"
class = "B"

[paths]
items = ["docs"]
sources = ["svc/**/*.py"]
"""

ITEMS = """\
kind: software-item
items:
  - id: service
    title: Service
    class: B
    paths: ["svc/src/**"]
    interfaces:
      - {name: REST API, kind: openapi, spec: svc/openapi.yaml}
      - {name: Library, kind: python, module: calc}
      - {name: Internal, kind: python, module: internal, public: false}
"""

REQUIREMENTS = """\
kind: software-requirement
items:
  - id: SRS-1
    title: The dose operation
    type: interfaces
    item: service
    operations: [getDose]
"""

OPENAPI = """\
openapi: 3.0.3
info: {title: Dose, version: "1"}
paths:
  /dose:
    get:
      operationId: getDose
      summary: The <b>dose</b>
      parameters:
        - {name: carbs, in: query, required: true, schema: {$ref: "#/components/schemas/Grams"}}
      responses:
        "200":
          description: OK
          content:
            application/json:
              schema: {$ref: "schemas.yaml#/Dose"}
  /health:
    get:
      responses: {"204": {description: Alive}}
components:
  schemas:
    Grams: {type: number}
"""


def _project(root: Path) -> Path:
    return write_project(
        root,
        {
            "medtrace.toml": CONFIG,
            "docs/items.yaml": ITEMS,
            "docs/srs.yaml": REQUIREMENTS,
            "svc/openapi.yaml": OPENAPI,
            "svc/schemas.yaml": "Dose:\n  type: object\n  properties: {units: {type: number}}\n",
            "svc/src/calc/__init__.py": '"""Calc."""\n\n\ndef dose(carbs: float) -> float:\n    """Dose."""\n    return carbs / 10\n',
            "svc/src/internal.py": "def secret() -> None: ...\n",
        },
    )


def test_markdown_json_and_html_of_the_public_interfaces(tmp_path: Path, cli: Cli) -> None:
    root = _project(tmp_path)
    run = cli("-C", str(root), "interfaces")
    assert run.code == 0, run.err
    assert "## REST API \\(service\\)" in run.out or "## REST API (service)" in run.out
    assert "`GET /dose`" in run.out and "`GET /health`" in run.out
    assert "application/json: object {units: number}" in run.out  # the other file's schema
    assert "The &lt;b&gt;dose&lt;/b&gt;" in run.out
    assert "secret" not in run.out
    data = json.loads(cli("-C", str(root), "interfaces", "--format", "json").out)
    assert [d["name"] for d in data["interfaces"]] == ["REST API", "Library"]
    everything = json.loads(cli("-C", str(root), "interfaces", "--all", "--format", "json").out)
    assert [d["name"] for d in everything["interfaces"]] == ["REST API", "Library", "Internal"]
    out = root / "site" / "interfaces.html"
    out.parent.mkdir()
    assert cli("-C", str(root), "interfaces", "--format", "html", "-o", str(out)).code == 0
    assert '<article class="interface"' in out.read_text()


def test_uncovered_operation_unrecorded_then_changed_api(tmp_path: Path, cli: Cli) -> None:
    root = _project(tmp_path)
    run = cli("-C", str(root), "check", "--no-cache", "--format", "json")
    found = {
        (d["code"], d["found"])
        for d in json.loads(run.out)["diagnostics"]
        if d["code"] in ("MT171", "MT172", "MT173", "MT174")
    }
    assert found == {
        (
            "MT172",
            "operation GET /health of svc/openapi.yaml (service) is named by no software "
            "requirement",
        ),
        (
            "MT174",
            "interface 'Library' of service has no recorded API (docs/interfaces/service.api.json)",
        ),
    }
    recorded = cli("-C", str(root), "interfaces", "--record")
    assert recorded.code == 0, recorded.err
    assert recorded.out == "recorded docs/interfaces/service.api.json\n"
    record = json.loads((root / "docs/interfaces/service.api.json").read_text())
    assert list(record["modules"]) == ["calc"]
    source = root / "svc/src/calc/__init__.py"
    source.write_text(source.read_text().replace("carbs: float", "grams: float"))
    run = cli("-C", str(root), "check", "--no-cache", "--format", "json")
    changed = [d for d in json.loads(run.out)["diagnostics"] if d["code"] == "MT173"]
    assert run.code == 1
    assert [(d["path"], d["item"]) for d in changed] == [("docs/items.yaml", "service")] * 2
    assert [d["found"].partition(": ")[2] for d in changed] == [
        "breaking change in calc: calc.dose: Parameter was added as required (grams)",
        "breaking change in calc: calc.dose: Parameter was removed (carbs)",
    ]


def test_an_invalid_spec_is_reported_and_unknown_items_refused(tmp_path: Path, cli: Cli) -> None:
    root = _project(tmp_path)
    (root / "svc/openapi.yaml").write_text(OPENAPI.replace('"204"', '"20x"'))
    run = cli("-C", str(root), "check", "--no-cache", "--format", "json")
    invalid = [d for d in json.loads(run.out)["diagnostics"] if d["code"] == "MT171"]
    assert len(invalid) == 1 and "is not a valid OpenAPI document" in invalid[0]["found"]
    assert cli("-C", str(root), "interfaces", "--item", "nope").code == 2


def test_a_changed_spec_is_never_answered_from_the_cache(tmp_path: Path, cli: Cli) -> None:
    root = _project(tmp_path)
    first = cli("-C", str(root), "check", "--format", "json")
    assert not [d for d in json.loads(first.out)["diagnostics"] if d["code"] == "MT171"]
    (root / "svc/schemas.yaml").write_text("Dose: [unclosed\n")  # a file the spec references
    again = cli("-C", str(root), "check", "--format", "json")
    invalid = [d for d in json.loads(again.out)["diagnostics"] if d["code"] == "MT171"]
    assert len(invalid) == 2  # the validation error and the unreadable part
    assert all("'REST API' of service (openapi)" in d["found"] for d in invalid)
