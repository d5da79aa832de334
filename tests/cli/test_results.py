"""``medtrace results record``: the provenance record of a results file, and what check makes
of it."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from helpers import Run, run_check, write_project

pytestmark = pytest.mark.verifies("SRS-174")

Cli = Callable[..., Run]

CONFIG = """\
[project]
name = "fixture"
class = "C"

[paths]
items = ["docs"]
sources = ["fw/src/**/*.c"]
tests = ["fw/tests/**/test_*.c"]
results = ["build/*.xml"]
"""


def project(root: Path) -> Path:
    write_project(
        root,
        {
            "docs/items.yaml": """\
            - {id: fw, kind: software-item, title: Pump, class: C, paths: ["fw/**"]}
            - {id: SRS-1, title: Cap the bolus, type: functional, item: fw}
            """,
            "fw/src/limits.h": "#define MAX_BOLUS 2500u\n",
            "fw/src/dose.c": '#include "limits.h"\n/* @implements SRS-1 */\nint cap(void) {}\n',
            "fw/tests/test_dose.c": "/* @verifies SRS-1 */\nvoid test_cap(void) {}\n",
            "build/fw.xml": '<testsuite name="fw"><testcase name="test_cap"/></testsuite>',
        },
        config=CONFIG,
    )
    return root


def test_record_then_a_header_changes(tmp_path: Path, cli: Cli) -> None:
    root = project(tmp_path)
    run = cli("-C", str(root), "results", "record", "build/fw.xml", "--runner", "ctest",
              "--inputs", "fw/**")  # fmt: skip
    assert (run.code, run.err) == (0, "")
    assert run.out == "recorded build/fw.xml: 3 input files, commit -\n"
    record = json.loads((root / "build/fw.xml.medtrace.json").read_text(encoding="utf-8"))
    assert (record["runner"], record["inputs"], record["files"]) == ("ctest", ["fw/**"], 3)
    assert record["inputs_digest"].startswith("sha256:") and record["time"].endswith("Z")
    assert "MT122" not in {d.code for d in run_check(root).diagnostics}
    (root / "fw/src/limits.h").write_text("#define MAX_BOLUS 25000u\n", encoding="utf-8")
    [stale] = [d for d in run_check(root).diagnostics if d.code == "MT122"]
    assert stale.severity.value == "error"  # class C
    assert stale.found == (
        "the results for SRS-1 are older than its code or tests: "
        "the files of build/fw.xml's run (fw/**) changed since it ran"
    )


def test_record_defaults_to_sources_and_tests_and_replaces_its_record(
    tmp_path: Path, cli: Cli
) -> None:
    root = project(tmp_path)
    assert cli("-C", str(root), "results", "record", "build/fw.xml").code == 0
    assert cli("-C", str(root), "results", "record", "build/fw.xml").code == 0  # replaced
    record = json.loads((root / "build/fw.xml.medtrace.json").read_text(encoding="utf-8"))
    assert record["inputs"] == ["fw/src/**/*.c", "fw/tests/**/test_*.c"]
    assert record["files"] == 2


def test_record_a_missing_file_is_a_usage_error(tmp_path: Path, cli: Cli) -> None:
    root = project(tmp_path)
    run = cli("-C", str(root), "results", "record", "build/none.xml")
    assert run.code == 2
    assert run.err == "medtrace: error: build/none.xml: no such results file\n"
    assert not (root / "build/none.xml.medtrace.json").exists()
