"""gcovr JSON and gcc's gcov JSON (gzip), and bad JSON."""

from __future__ import annotations

import gzip
import hashlib
from pathlib import Path

import pytest

from medtrace.evidence.gcov import read_gcov, read_gcovr

pytestmark = pytest.mark.verifies("SRS-120", "SRS-129")

SAMPLES = Path(__file__).parent / "samples"
EXAMPLE = Path(__file__).parents[2] / "examples" / "bolus-advisor"


def test_gcovr_json_gives_lines_branches_functions_and_line_checksums() -> None:
    report = read_gcovr((SAMPLES / "gcovr-firmware.json").read_bytes(), "gcovr.json")
    assert report.diagnostics == [] and report.bases == ()
    files = {f.name: f for f in report.files}
    assert sorted(files) == [
        "firmware/src/command_parser.c",
        "firmware/src/crc16.c",
        "firmware/src/delivery.c",
        "firmware/src/dose_limiter.c",
        "firmware/src/occlusion.c",
    ]
    parser = files["firmware/src/command_parser.c"]
    assert parser.functions["command_parse"][0] == 33
    assert parser.branches[25] == (2, 2)
    # the checksum of each line is the MD5 of its text in the example's source
    source = (EXAMPLE / "firmware/src/command_parser.c").read_bytes().split(b"\n")
    for line, checksum in parser.checksums.items():
        assert hashlib.md5(source[line - 1], usedforsecurity=False).hexdigest() == checksum


def test_gcov_json_gz_gives_the_working_directory_as_root() -> None:
    report = read_gcov((SAMPLES / "gcov-dose_limiter.c.gcov.json.gz").read_bytes(), "x.gz")
    assert report.diagnostics == []
    assert report.bases == ("/tmp/bolus-advisor/build/firmware-coverage",)
    [measured] = report.files
    assert measured.name == "/tmp/bolus-advisor/firmware/src/dose_limiter.c"
    assert measured.functions["dose_limiter_check"] == (27, 44)
    assert measured.lines[8] == 309


@pytest.mark.parametrize(
    ("data", "found"),
    [
        (b'{"gcovr/format_version": "0.15", "files": [', "malformed JSON, cut short"),
        (b'{"gcovr/format_version": "0.15"}', "JSON without a `files` list"),
        (b'{"gcovr/format_version": "0.15", "files": [7]}', "files[0] is not a file entry"),
        (b"\xff\xfe{}", "text that is not UTF-8"),
    ],
)
def test_bad_gcovr_json_is_reported(data: bytes, found: str) -> None:
    [problem] = read_gcovr(data, "gcovr.json").diagnostics
    assert problem.code == "MT140" and problem.found.startswith(found)


def test_a_cut_gzip_is_reported() -> None:
    data = (SAMPLES / "gcov-dose_limiter.c.gcov.json.gz").read_bytes()
    [problem] = read_gcov(data[: len(data) // 2], "x.gz").diagnostics
    assert problem.found == "a gzip file cut short"


def test_a_gzip_bomb_stops_at_the_limit(monkeypatch: pytest.MonkeyPatch) -> None:
    from medtrace.evidence import jsonio

    monkeypatch.setattr(jsonio, "MAX_UNZIPPED", 1000)
    data = gzip.compress(b'{"format_version": "1", "gcc_version": "12", "files": []}' + b" " * 5000)
    [problem] = read_gcov(data, "x.gz").diagnostics
    assert "unzips to more than" in problem.found


def test_malformed_line_entries_are_skipped() -> None:
    data = b"""{"gcovr/format_version": "0.15", "files": [{"file": "a.c", "lines": [
        {"line_number": 1, "count": 2},
        {"line_number": "x", "count": 1},
        {"line_number": 3, "count": -1},
        {"line_number": 4, "count": 0, "gcovr/noncode": true},
        {"line_number": 5, "count": 0, "branches": [{"count": 1}, {"count": 0}]}
    ]}]}"""
    [measured] = read_gcovr(data, "g.json").files
    assert measured.lines == {1: 2, 5: 0}
    assert measured.branches == {5: (1, 2)}
