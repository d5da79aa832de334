"""SARIF 2.1.0: ruff's real logs, and the parts of the format other analysers use."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from medtrace.evidence.model import RawFinding
from medtrace.evidence.sarif import read_sarif

pytestmark = pytest.mark.verifies("SRS-127", "SRS-129")

SAMPLES = Path(__file__).parent / "samples"
FIXTURE = Path(__file__).parents[1] / "corpus" / "projects" / "class-c-evidence"


def test_a_clean_ruff_run_has_no_findings() -> None:
    report = read_sarif((SAMPLES / "ruff-cloud.sarif").read_bytes(), "ruff.sarif")
    assert (report.findings, report.diagnostics) == ([], [])


def test_ruff_finding_with_its_place() -> None:
    report = read_sarif((FIXTURE / "reports/analysis/ruff.sarif").read_bytes(), "ruff.sarif")
    assert report.diagnostics == []
    assert report.findings == [
        RawFinding(
            "ruff",
            "F401",
            "error",
            "`math` imported but unused",
            "/tmp/syringe-driver/src/rate.py",
            3,
            8,
        )
    ]


def log(*results: dict[str, Any], **run: Any) -> bytes:
    tool = {"driver": {"name": "cppcheck", "rules": run.pop("rules", [])}}
    return json.dumps(
        {"version": "2.1.0", "runs": [{"tool": tool, "results": list(results), **run}]}
    ).encode()


def place(uri: str, line: int = 4, **artifact: Any) -> list[dict[str, Any]]:
    location = {"uri": uri, **artifact} if uri else artifact
    return [{"physicalLocation": {"artifactLocation": location, "region": {"startLine": line}}}]


def test_level_defaults_to_the_rule_then_to_warning() -> None:
    rules = [{"id": "nullPointer", "defaultConfiguration": {"level": "error"}}, {"id": "style"}]
    data = log(
        {"ruleId": "nullPointer", "message": {"text": "null"}, "locations": place("a.c")},
        {"ruleIndex": 1, "message": {"text": "style"}, "locations": place("a.c")},
        rules=rules,
    )
    findings = read_sarif(data, "x.sarif").findings
    assert [(f.rule, f.level) for f in findings] == [("nullPointer", "error"), ("style", "warning")]


def test_closed_results_are_left_out() -> None:
    base = {"ruleId": "r", "level": "error", "message": {"text": "m"}, "locations": place("a.c")}
    data = log(
        {**base, "suppressions": [{"kind": "inSource"}]},
        {**base, "suppressions": [{"kind": "external", "status": "accepted"}]},
        {**base, "baselineState": "absent"},
        {**base, "kind": "pass"},
        {**base, "suppressions": [{"kind": "external", "status": "rejected"}]},
        {**base, "message": {"text": "still open"}, "baselineState": "unchanged"},
    )
    assert [f.message for f in read_sarif(data, "x.sarif").findings] == ["m", "still open"]


def test_uri_base_ids_and_artifact_indexes_are_resolved() -> None:
    data = log(
        {
            "ruleId": "r",
            "message": {"id": "default"},
            "ruleIndex": 0,
            "locations": place("", index=0),
        },
        {"ruleId": "r", "message": {"text": "m"}, "locations": place("b.c", uriBaseId="SRC")},
        rules=[{"id": "r", "messageStrings": {"default": {"text": "from the rule"}}}],
        artifacts=[{"location": {"uri": "file:///ci/work/a%20b.c"}}],
        originalUriBaseIds={
            "SRC": {"uri": "src/", "uriBaseId": "ROOT"},
            "ROOT": {"uri": "file:///ci/work/"},
        },
    )
    first, second = read_sarif(data, "x.sarif").findings
    assert (first.uri, first.message, first.bases) == ("/ci/work/a b.c", "from the rule", ())
    assert (second.uri, second.bases) == ("b.c", ("/ci/work/src/",))


@pytest.mark.parametrize(
    ("data", "found"),
    [
        (b'{"version": "2.0.0", "runs": []}', "SARIF version '2.0.0', not '2.1.0'"),
        (b'{"version": "2.1.0"}', "a SARIF log without a `runs` list"),
        (b'{"version": "2.1.0", "runs": [{"results": []}]}', "runs[0] has no `tool.driver.name`"),
        (b'{"version": "2.1.0", "runs": [', "malformed JSON, cut short"),
    ],
)
def test_malformed_logs_are_reported(data: bytes, found: str) -> None:
    [problem] = read_sarif(data, "x.sarif").diagnostics
    assert problem.code == "MT140" and problem.found.startswith(found)


def test_a_malformed_result_is_reported_and_the_others_read() -> None:
    good = {"ruleId": "r", "message": {"text": "ok"}, "locations": place("a.c")}
    data = log(good, {"ruleId": "r", "level": "fatal", "message": {"text": "x"}}, {"ruleId": "r"})
    report = read_sarif(data, "x.sarif")
    assert [f.message for f in report.findings] == ["ok"]
    assert [d.found for d in report.diagnostics] == [
        "runs[0].results[1] has the level 'fatal', not one of error, warning, note, none; "
        "it is left out",
        "runs[0].results[2] has no message text; it is left out",
    ]
