"""Provenance records of results files (:mod:`medtrace.results.provenance`)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from medtrace.diagnostics import Diagnostic
from medtrace.results.provenance import (
    FORMAT,
    Provenance,
    inputs_digest,
    make_provenance,
    read_provenance,
)

pytestmark = pytest.mark.verifies("SRS-174")


def project(root: Path) -> Path:
    (root / "fw/src").mkdir(parents=True)
    (root / "fw/src/limits.h").write_text("#define MAX_BOLUS_CENTI_U 1000\n")
    (root / "fw/src/dose.c").write_text('#include "limits.h"\n')
    (root / "fw/__pycache__").mkdir()
    (root / "fw/__pycache__/x.pyc").write_bytes(b"\0")
    (root / "build").mkdir()
    (root / "build/fw.xml").write_text("<testsuite/>")
    return root


def test_the_digest_follows_content_and_skips_what_runs_write(tmp_path: Path) -> None:
    root = project(tmp_path)
    first, count = inputs_digest(root, ["fw/**"])
    assert count == 2 and first.startswith("sha256:")
    (root / "fw/__pycache__/x.pyc").write_bytes(b"\1")
    (root / "fw/src/dose.c").touch()
    assert inputs_digest(root, ["fw/**"])[0] == first
    for cache in (".ruff_cache", ".hypothesis", ".mypy_cache", ".venv"):  # a linter run after
        (root / "fw" / cache).mkdir()
        (root / "fw" / cache / "state").write_text("x")
    assert inputs_digest(root, ["fw/**"]) == (first, 2)
    (root / "fw/src/limits.h").write_text("#define MAX_BOLUS_CENTI_U 10000\n")
    assert inputs_digest(root, ["fw/**"])[0] != first


def test_a_record_round_trips(tmp_path: Path) -> None:
    root = project(tmp_path)
    record = make_provenance(root, "build/fw.xml", ["fw/**"], "ctest")
    assert (record.runner, record.files, record.inputs) == ("ctest", 2, ("fw/**",))
    assert record.commit is None and record.dirty is None  # not a git work tree
    (root / "build/fw.xml.medtrace.json").write_text(record.to_json())
    assert read_provenance(root, "build/fw.xml") == record
    assert json.loads(record.to_json())["format"] == FORMAT


def test_no_record_and_a_broken_record(tmp_path: Path) -> None:
    root = project(tmp_path)
    assert read_provenance(root, "build/fw.xml") is None
    (root / "build/fw.xml.medtrace.json").write_text("{not json")
    bad = read_provenance(root, "build/fw.xml")
    assert isinstance(bad, Diagnostic)
    assert (bad.code, bad.path) == ("MT120", "build/fw.xml.medtrace.json")
    assert bad.found.startswith("the provenance record of build/fw.xml is not JSON")
    (root / "build/fw.xml.medtrace.json").write_text('{"format": "other"}')
    other = read_provenance(root, "build/fw.xml")
    assert isinstance(other, Diagnostic) and "is not a 'medtrace-provenance 1' record" in (
        other.found
    )


def test_provenance_is_plain_data() -> None:
    record = Provenance("r.xml", "abc", False, ("a/**",), "sha256:0", 1, "t", "pytest", "p", "3")
    assert json.loads(record.to_json())["inputs"] == ["a/**"]
