"""End to end on the fixture projects of ``tests/corpus/projects``: ``check`` in every format,
compared with the reviewed output in each project's ``expected/`` folder, and each format
read back by a real reader (JSON, the SARIF 2.1.0 structure, JUnit XML, GitHub annotations).

Run with ``UPDATE_EXPECTED=1`` to rewrite the expected outputs after a deliberate change;
review the difference before committing it.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import tomllib
import xml.etree.ElementTree as ET
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from helpers import Run, run_subprocess

from medtrace import __version__

pytestmark = pytest.mark.verifies("SRS-14", "SRS-15")

PROJECTS = Path(__file__).parent / "corpus" / "projects"
NAMES = sorted(p.name for p in PROJECTS.iterdir() if (p / "case.toml").is_file())
UPDATE = os.environ.get("UPDATE_EXPECTED") == "1"
FORMATS = {"text": "txt", "json": "json", "sarif": "sarif", "github": "github.txt", "junit": "xml"}
#: When the fixtures' files last changed: a fixed day before the dates their test records give
#: (manual test cases executed earlier than their requirements changed are stale).
OLD = 1_704_067_200 * 1_000_000_000  # 2024-01-01T00:00:00Z

Cli = Callable[..., Run]


def copy(name: str, tmp_path: Path) -> Path:
    """A copy of the project, its files dated back (so a re-run may use the cache)."""
    root = tmp_path / name
    shutil.copytree(PROJECTS / name, root, ignore=shutil.ignore_patterns("expected", ".medtrace"))
    for path in root.rglob("*"):
        os.utime(path, ns=(OLD, OLD))
    return root


def meta(name: str) -> dict[str, Any]:
    return tomllib.loads((PROJECTS / name / "case.toml").read_text(encoding="utf-8"))


def expected_file(name: str, fmt: str) -> Path:
    return PROJECTS / name / "expected" / f"check.{FORMATS[fmt]}"


def compare(name: str, fmt: str, output: str) -> None:
    path = expected_file(name, fmt)
    if UPDATE:
        path.parent.mkdir(exist_ok=True)
        path.write_text(output, encoding="utf-8")
    assert output == path.read_text(encoding="utf-8")


@pytest.mark.parametrize("fmt", sorted(FORMATS))
@pytest.mark.parametrize("name", NAMES)
def test_check_in_every_format(tmp_path: Path, cli: Cli, name: str, fmt: str) -> None:
    root = copy(name, tmp_path)
    run = cli("-C", str(root), "check", "--format", fmt)
    assert run.err == ""
    assert run.code == meta(name)["exit"]
    compare(name, fmt, run.out)
    again = cli("-C", str(root), "check", "--format", fmt)
    assert (again.code, again.out) == (run.code, run.out), "the cached result is the same"


# --- each format read back ------------------------------------------------------------------


def load_json(name: str, fmt: str) -> Any:
    return json.loads(expected_file(name, fmt).read_text(encoding="utf-8"))


@pytest.mark.parametrize("name", NAMES)
def test_json_agrees_with_the_text(name: str) -> None:
    doc = load_json(name, "json")
    assert doc["medtrace"] == __version__
    summary = expected_file(name, "text").read_text(encoding="utf-8").splitlines()[-1]
    counts = doc["counts"]
    assert f"{doc['project']} (class {doc['class']}): " in summary
    assert f"{counts['error']} error" in summary
    assert f"{counts['warning']} warning" in summary
    items, files = doc["items"], doc["files"]
    assert summary.endswith(
        f"in {items} item{'s' * (items != 1)} from {files} file{'s' * (files != 1)}"
    )
    assert sum(counts.values()) == len(doc["diagnostics"])
    assert summary.startswith("FAILED" if counts["error"] else "OK")
    for d in doc["diagnostics"]:
        assert re.fullmatch(r"MT\d{3}", d["code"])
        assert d["message"].startswith(d["found"])
        assert d["hint"], "every finding says how to fix it"


#: The properties SARIF 2.1.0 allows on the objects medtrace writes (its schema forbids others).
SARIF_KEYS = {
    "log": {"$schema", "version", "runs"},
    "run": {"tool", "results"},
    "tool": {"driver"},
    "driver": {"name", "version", "informationUri", "rules"},
    "rule": {"id", "name", "shortDescription", "defaultConfiguration"},
    "result": {"ruleId", "ruleIndex", "level", "message", "locations", "properties"},
    "location": {"physicalLocation"},
    "physical": {"artifactLocation", "region"},
    "region": {"startLine", "startColumn"},
}
LEVELS = {"none", "note", "warning", "error"}


def assert_sarif(doc: dict[str, Any]) -> None:
    """The structure of a SARIF 2.1.0 log, field by field (the schema is not available
    offline): required properties, types, enumerations, and no unknown property."""
    assert set(doc) <= SARIF_KEYS["log"]
    assert doc["version"] == "2.1.0"
    assert isinstance(doc["runs"], list) and doc["runs"]
    for run in doc["runs"]:
        assert set(run) <= SARIF_KEYS["run"] and "tool" in run
        assert set(run["tool"]) == SARIF_KEYS["tool"]
        driver = run["tool"]["driver"]
        assert set(driver) <= SARIF_KEYS["driver"]
        assert isinstance(driver["name"], str) and driver["name"]
        # optional in SARIF; medtrace has no web page, its documentation is 'medtrace docs'
        assert "informationUri" not in driver or re.match(r"https?://", driver["informationUri"])
        rules = driver.get("rules", [])
        ids = [r["id"] for r in rules]
        assert len(ids) == len(set(ids)), "one reportingDescriptor per rule"
        for rule in rules:
            assert set(rule) <= SARIF_KEYS["rule"]
            assert isinstance(rule["id"], str)
            assert isinstance(rule["shortDescription"]["text"], str)
            assert set(rule["shortDescription"]) == {"text"}
            assert set(rule["defaultConfiguration"]) == {"level"}
            assert rule["defaultConfiguration"]["level"] in LEVELS
        for result in run["results"]:
            assert set(result) <= SARIF_KEYS["result"]
            assert isinstance(result["message"]["text"], str) and result["message"]["text"]
            assert result["level"] in LEVELS
            index = result["ruleIndex"]
            assert isinstance(index, int) and 0 <= index < len(rules)
            assert rules[index]["id"] == result["ruleId"]
            for location in result.get("locations", []):
                assert set(location) == SARIF_KEYS["location"]
                physical = location["physicalLocation"]
                assert set(physical) <= SARIF_KEYS["physical"]
                uri = physical["artifactLocation"]["uri"]
                assert set(physical["artifactLocation"]) == {"uri"}
                assert uri and "\\" not in uri and not uri.startswith("/"), "relative URIs"
                region = physical.get("region", {})
                assert set(region) <= SARIF_KEYS["region"]
                assert all(isinstance(v, int) and v >= 1 for v in region.values())
            assert isinstance(result.get("properties", {}), dict)


@pytest.mark.parametrize("name", NAMES)
def test_sarif_is_a_valid_sarif_2_1_0_log(name: str) -> None:
    doc = load_json(name, "sarif")
    assert_sarif(doc)
    diagnostics = load_json(name, "json")["diagnostics"]
    results = doc["runs"][0]["results"]
    assert [r["ruleId"] for r in results] == [d["code"] for d in diagnostics]


def test_the_sarif_check_catches_a_bad_log() -> None:
    doc = load_json("renamed-kinds", "sarif")
    doc["runs"][0]["results"][0]["ruleIndex"] = 99
    with pytest.raises(AssertionError):
        assert_sarif(doc)
    doc = load_json("renamed-kinds", "sarif")
    doc["runs"][0]["results"][0]["level"] = "fatal"
    with pytest.raises(AssertionError):
        assert_sarif(doc)


@pytest.mark.parametrize("name", NAMES)
def test_junit_is_well_formed(name: str) -> None:
    root = ET.fromstring(expected_file(name, "junit").read_bytes())
    diagnostics = load_json(name, "json")["diagnostics"]
    errors = sum(d["severity"] == "error" for d in diagnostics)
    assert root.tag == "testsuites"
    (suite,) = root.findall("testsuite")
    cases = suite.findall("testcase")
    assert int(suite.get("tests", "")) == len(cases) == max(len(diagnostics), 1)
    assert int(suite.get("failures", "")) == int(root.get("failures", "")) == errors
    assert len(suite.findall("testcase/failure")) == errors
    assert (
        len(suite.findall("testcase/skipped"))
        == int(suite.get("skipped", ""))
        == len(diagnostics) - errors
    )
    for case in cases:
        assert case.get("classname") and case.get("name")


ANNOTATION = re.compile(
    r"::(?P<level>error|warning|notice) "
    r"(?P<props>(?:file=[^,:]+,)?(?:line=\d+,)?title=[^,:]+)"
    r"::(?P<message>[^\r\n]+)"
)


@pytest.mark.parametrize("name", NAMES)
def test_github_annotations_are_workflow_commands(name: str) -> None:
    lines = expected_file(name, "github").read_text(encoding="utf-8").splitlines()
    diagnostics = load_json(name, "json")["diagnostics"]
    assert len(lines) == len(diagnostics) + 1
    for line, d in zip(lines, diagnostics, strict=False):
        m = ANNOTATION.fullmatch(line)
        assert m, line
        level = {"error": "error", "warning": "warning"}.get(d["severity"], "notice")
        assert m["level"] == level
        assert f"title={d['code']} {d['rule']}" in m["props"]
        if d["path"]:
            assert f"file={d['path']}" in m["props"]
    assert lines[-1] == expected_file(name, "text").read_text(encoding="utf-8").splitlines()[-1]


# --- behaviour of each project ------------------------------------------------------------------


def test_the_clean_class_c_project_is_clean(cli: Cli, tmp_path: Path) -> None:
    run = cli("-C", str(copy("class-c-clean", tmp_path)), "check", "--strict")
    assert run.code == 0
    assert run.out.startswith("OK Insulin Dose Advisor (class C): 0 errors, 0 warnings in 15 items")


def test_class_b_and_c_rules_do_not_fire_in_class_a(cli: Cli, tmp_path: Path) -> None:
    root = copy("class-a-basic", tmp_path)
    assert cli("-C", str(root), "check", "--strict").code == 0
    config = root / "medtrace.toml"
    config.write_text(config.read_text().replace('class = "A"', 'class = "B"'))
    run = cli("-C", str(root), "check", "--format", "json")
    assert run.code == 1
    found = {(d["code"], d["item"]) for d in json.loads(run.out)["diagnostics"]}
    assert {
        ("MT015", "SRS-1"),
        ("MT015", "SRS-2"),
        ("MT009", "SRS-1"),
        ("MT009", "SRS-2"),
        ("MT009", "SOUP-1"),
    } <= found


def test_renamed_fields_are_shown_by_their_names(cli: Cli, tmp_path: Path) -> None:
    root = copy("renamed-kinds", tmp_path)
    run = cli("-C", str(root), "show", "SWR-1")
    assert run.code == 0
    assert "  derived_from: PRS-1" in run.out
    assert "  component: monitor" in run.out
    assert "  derived_from → PRS-1" in run.out
    listed = cli("-C", str(root), "list", "--kind", "risk", "--json")
    assert [json.loads(line)["id"] for line in listed.out.splitlines()] == ["HAZ-1"]


def test_a_real_process_gives_the_same_output(tmp_path: Path) -> None:
    root = copy("renamed-kinds", tmp_path)
    for fmt in ("text", "sarif"):
        run = run_subprocess("check", "--format", fmt, cwd=root)
        assert (run.code, run.err) == (1, "")
        assert run.out == expected_file("renamed-kinds", fmt).read_text(encoding="utf-8")


@pytest.mark.verifies("SRS-60", "SRS-61", "SRS-62")
def test_legacy_ids_trace_and_show_like_default_ones(cli: Cli, tmp_path: Path) -> None:
    root = copy("legacy-ids", tmp_path)
    listed = cli("-C", str(root), "list", "--json")
    kinds = {json.loads(line)["id"]: json.loads(line)["kind"] for line in listed.out.splitlines()}
    assert kinds["RW-SW-12"] == kinds["RW-SW-13"] == "software-requirement"  # from file names
    assert kinds["REQ_0042"] == "hardware-requirement"
    assert kinds["SYS-001"] == kinds["SYS-3"] == "system-requirement"
    run = cli("-C", str(root), "matrix", "--format", "json")
    assert run.code == 0
    views = {v["name"]: v for v in json.loads(run.out)["views"]}
    assert list(views) == [
        "requirements",
        "system-requirements",
        "hardware-requirements",
        "risks",
        "tests",
        "code",
    ]
    hardware = views["hardware-requirements"]
    assert hardware["title"] == "Hardware requirements (forward)"
    assert "Software item" not in hardware["columns"] and "Risks controlled" in hardware["columns"]
    assert [row[0] for row in hardware["rows"]] == ["REQ_0042", "REQ_42"]
    only = cli("-C", str(root), "matrix", "--kind", "hardware-requirement", "--format", "csv")
    assert only.out.splitlines()[0].startswith("ID,Title,Parents,Children,Risks controlled")
    bogus = cli("-C", str(root), "matrix", "--kind", "hardware")
    assert bogus.code == 2
    assert "choose from: requirements, system-requirements, hardware-requirements" in bogus.err
    shown = cli("-C", str(root), "show", "REQ_0042")
    assert "REQ_0042 hardware-requirement  A hardware watchdog" in shown.out
    assert "  controls → HAZ-01" in shown.out
