"""TypeScript exports and C header declarations with their doc comments."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers import shared_data

from medtrace.interfaces.registry import Declared
from medtrace.interfaces.treesitter import extract_c_header, extract_typescript

pytestmark = pytest.mark.verifies("SRS-154")

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "bolus-advisor"


def test_typescript_follows_export_star_and_drops_tags() -> None:
    doc = extract_typescript(Declared("app", "App", {"spec": "app/src/index.ts"}, (), EXAMPLE))
    by_name = {e.name: e for e in doc.entries}
    to_mgdl = by_name["toMgdl"]
    assert (to_mgdl.kind, to_mgdl.path) == ("function", "app/src/units.ts")
    assert to_mgdl.signature == "function toMgdl(value: number, unit: GlucoseUnit): number"
    assert to_mgdl.doc.startswith("Converts a glucose value")
    assert "@implements" not in to_mgdl.doc
    files = {e.path for e in doc.entries}
    assert files == {
        f"app/src/{n}.ts"
        for n in ("units", "validation", "alarms", "confirmation", "pumpCommand", "pumpStatus")
    }
    assert by_name["decodeStatus"].path == "app/src/pumpStatus.ts"


def test_c_header_functions_types_and_macros() -> None:
    spec = "firmware/src/command_parser.h"
    doc = extract_c_header(Declared("fw", "FW", {"spec": spec}, (), EXAMPLE))
    kinds = {(e.kind, e.name) for e in doc.entries}
    assert {
        ("function", "command_parse"),
        ("type", "pump_command_t"),
        ("macro", "CMD_SOF"),
    } <= kinds
    parse = next(e for e in doc.entries if e.name == "command_parse")
    assert parse.signature.startswith("parse_result_t command_parse(command_parser_t *parser,")
    assert parse.doc.startswith("Validates one complete frame.")


def test_real_c_and_cpp_headers() -> None:
    folder = shared_data("headers")
    nrfx = extract_c_header(Declared("x", "X", {"spec": "nrfx/nrfx_wdt.h"}, (), folder))
    handler = next(e for e in nrfx.entries if e.name == "nrfx_wdt_event_handler_t")
    assert handler.kind == "type"
    leveldb = extract_c_header(Declared("x", "X", {"spec": "leveldb/db.h"}, (), folder))
    assert ("class", "DB") in {(e.kind, e.name) for e in leveldb.entries}


def test_a_missing_spec_is_a_problem(tmp_path: Path) -> None:
    doc = extract_c_header(Declared("x", "X", {"spec": "nope.h"}, (), tmp_path))
    assert doc.problems == ["nope.h cannot be read: No such file or directory"]
