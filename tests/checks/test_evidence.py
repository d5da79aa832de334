"""The evidence rules: coverage below the class threshold (MT143), missing (MT144), older than
the code (MT145), open analysis findings (MT146), on small projects."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import pytest
from helpers import run_check, write_project

from medtrace.config import validate
from medtrace.diagnostics import Diagnostic
from medtrace.errors import ConfigError

pytestmark = pytest.mark.verifies("SRS-121", "SRS-122", "SRS-123", "SRS-124", "SRS-125")

CONFIG = """
[project]
name = "pump"
class = "C"

[paths]
items = ["docs"]
sources = ["src/**/*.c", "src/**/*.py"]
coverage = ["cov/*"]
analysis = ["lint/*"]
{extra}
"""

ITEMS = """
kind: software-item
items:
  - id: pump
    title: Pump
    level: system
    class: C
    rationale: Delivers insulin.
  - id: limiter
    title: Limiter
    parent: pump
    level: unit
    class: C
    rationale: Limits the dose.
    paths: [src/limiter.c]
  - id: motor
    title: Motor
    parent: pump
    level: unit
    class: C
    rationale: Turns the motor.
    paths: [src/motor.c]
  - id: ui
    title: Display
    parent: pump
    level: unit
    class: A
    rationale: Shows numbers only.
    segregation: Separate process; the pump does not use it.
    paths: [src/ui.py]
"""

SOURCE = "int limit(int x)\n{\n    if (x > 10)\n        return 10;\n    return x;\n}\n"
THRESHOLDS = "[evidence.coverage]\nC = { lines = 80, branches = 50 }\n"


def lcov(path: str, hits: dict[int, int], branches: str = "") -> str:
    lines = "".join(f"DA:{n},{h}\n" for n, h in hits.items())
    return f"SF:{path}\n{lines}{branches}end_of_record\n"


def setup(tmp_path: Path, extra: str = THRESHOLDS, **files: str) -> Path:
    base = {
        "medtrace.toml": CONFIG.format(extra=extra),
        "docs/architecture.yaml": ITEMS,
        "src/limiter.c": SOURCE,
        "src/motor.c": SOURCE,
        "src/ui.py": "def show(x):\n    return str(x)\n",
    }
    return write_project(tmp_path, {**base, **files})


def found(root: Path, *codes: str) -> list[Diagnostic]:
    return [d for d in run_check(root).diagnostics if d.code in codes]


def test_below_the_threshold_names_item_figures_and_report(tmp_path: Path) -> None:
    report = lcov("src/limiter.c", {1: 1, 3: 1, 4: 0, 5: 1}, "BRDA:3,0,0,1\nBRDA:3,0,1,0\n")
    report += lcov("src/motor.c", {1: 1, 3: 1, 4: 1, 5: 1}, "BRDA:3,0,0,1\nBRDA:3,0,1,1\n")
    report += lcov("src/ui.py", {1: 1, 2: 0})  # class A: no threshold
    root = setup(tmp_path, **{"cov/c.info": report})
    [below] = found(root, "MT143", "MT144")
    assert (below.code, below.item, below.path, below.line) == (
        "MT143",
        "limiter",
        "docs/architecture.yaml",
        8,
    )
    assert below.found == (
        "software item limiter (class C) has 75% line coverage (3 of 4, in cov/c.info)"
    )
    assert below.expected == "at least 80% for class C (evidence.coverage.C.lines)"
    assert below.hint.startswith("Test the uncovered lines of src/limiter.c (75%), or justify")


def test_no_threshold_no_finding(tmp_path: Path) -> None:
    report = lcov("src/limiter.c", {1: 0, 3: 0})
    root = setup(tmp_path, extra="", **{"cov/c.info": report})
    assert found(root, "MT143", "MT144") == []


def test_a_unit_no_report_measures(tmp_path: Path) -> None:
    root = setup(tmp_path, **{"cov/c.info": lcov("src/limiter.c", {1: 1, 3: 1, 5: 1})})
    [missing] = found(root, "MT143", "MT144")
    assert (missing.code, missing.item) == ("MT144", "motor")
    assert missing.found == (
        "no coverage report measures the code of software item motor (class C) or of its "
        "units: src/motor.c"
    )


def test_stale_by_line_checksum(tmp_path: Path) -> None:
    digest = hashlib.md5(b"    if (x > 10)", usedforsecurity=False).hexdigest()
    gcovr = (
        '{"gcovr/format_version": "0.15", "files": [{"file": "src/limiter.c", "lines": ['
        f'{{"line_number": 3, "count": 1, "gcovr/md5": "{digest}"}}]}}]}}'
    )
    root = setup(tmp_path, extra="", **{"cov/g.json": gcovr})
    assert found(root, "MT145") == []
    (root / "src/limiter.c").write_text(SOURCE.replace("x > 10", "x >= 10"), encoding="utf-8")
    [stale] = found(root, "MT145")
    assert (stale.path, stale.severity.value) == ("cov/g.json", "warning")
    assert stale.found == (
        "the coverage report measures code that changed since: src/limiter.c (line 3 differs "
        "from the measured text)"
    )


def test_stale_by_lines_beyond_the_end_and_by_time(tmp_path: Path) -> None:
    root = setup(
        tmp_path,
        extra="",
        **{
            "cov/a.info": lcov("src/limiter.c", {1: 1, 9: 1}),
            "cov/b.info": lcov("src/motor.c", {1: 1}),
        },
    )
    old = (root / "cov/b.info").stat().st_mtime - 60
    os.utime(root / "cov/b.info", (old, old))
    stale = {d.path: d.found for d in found(root, "MT145")}
    assert stale == {
        "cov/a.info": "the coverage report measures code that changed since: src/limiter.c "
        "(it measures line 9 of a file of 6 lines)",
        "cov/b.info": "the coverage report measures code that changed since: src/motor.c "
        "(modified after the report was written)",
    }


SARIF = """{{"version": "2.1.0", "runs": [{{"tool": {{"driver": {{"name": "cppcheck"}}}},
"results": [
{{"ruleId": "nullPointer", "level": "{level}", "message": {{"text": "Null pointer"}},
 "locations": [{{"physicalLocation": {{"artifactLocation": {{"uri": "{uri}"}},
 "region": {{"startLine": 4, "startColumn": 9}}}}}}]}}]}}]}}"""


@pytest.mark.parametrize(
    ("uri", "level", "extra", "expected"),
    [
        ("src/limiter.c", "error", "", ["limiter"]),
        ("src/limiter.c", "warning", "", []),
        ("src/limiter.c", "warning", '[evidence.analysis]\nlevels = ["warning"]\n', ["limiter"]),
        ("src/ui.py", "error", "", []),  # class A item
        ("src/ui.py", "error", '[evidence.analysis]\nclasses = ["A", "C"]\n', ["ui"]),
    ],
)
def test_open_findings_by_level_and_class(
    tmp_path: Path, uri: str, level: str, extra: str, expected: list[str]
) -> None:
    root = setup(tmp_path, extra=extra, **{"lint/a.sarif": SARIF.format(uri=uri, level=level)})
    findings = found(root, "MT146")
    assert [d.item for d in findings] == expected
    for d in findings:
        assert (d.path, d.line, d.column) == (uri, 4, 9)
        assert d.found.startswith(f"cppcheck nullPointer ({level}): Null pointer [in {d.item}")


def test_severities_are_configurable(tmp_path: Path) -> None:
    extra = THRESHOLDS + '\n[rules]\ncoverage-missing = "warning"\nMT143 = "off"\n'
    root = setup(tmp_path, extra=extra, **{"cov/c.info": lcov("src/limiter.c", {1: 0, 3: 0})})
    assert [(d.code, d.severity.value) for d in found(root, "MT143", "MT144")] == [
        ("MT144", "warning")
    ]


def test_thresholds_are_percentages() -> None:
    with pytest.raises(ConfigError) as raised:
        validate({"project": {"class": "C"}, "evidence": {"coverage": {"C": {"lines": 101}}}})
    [problem] = raised.value.diagnostics
    assert problem.found == "'evidence.coverage.C.lines' is 101"
    config = validate({"project": {"class": "C"}, "evidence": {"coverage": {"B": {"lines": 70}}}})
    assert (config.evidence.coverage.of("B"), config.evidence.coverage.of("C")) == (
        {"lines": 70},
        {},
    )


def test_a_new_report_is_read_by_a_cached_check(tmp_path: Path) -> None:
    """The reports are inputs of the result cache: a re-run after a new coverage run sees it."""
    root = setup(tmp_path, **{"cov/c.info": lcov("src/limiter.c", {1: 0, 3: 0})})
    assert [d.item for d in found_cached(root, "MT143")] == ["limiter"]
    report = root / "cov/c.info"
    report.write_text(lcov("src/limiter.c", {1: 1, 3: 1}), encoding="utf-8")
    later = report.stat().st_mtime + 5
    os.utime(report, (later, later))
    assert found_cached(root, "MT143") == []


def found_cached(root: Path, code: str) -> list[Diagnostic]:
    return [d for d in run_check(root, use_cache=True).diagnostics if d.code == code]


def test_a_finding_in_code_of_no_item_is_held_to_the_system_class(tmp_path: Path) -> None:
    root = setup(
        tmp_path,
        extra="",
        **{"tools/gen.c": SOURCE, "lint/a.sarif": SARIF.format(uri="tools/gen.c", level="error")},
    )
    [finding] = found(root, "MT146")
    assert (finding.path, finding.item) == ("tools/gen.c", "")
    assert "[in no software item, system class C; lint/a.sarif]" in finding.found


def test_lcov_line_checksums_tell_a_changed_line(tmp_path: Path) -> None:
    import base64

    digest = hashlib.md5(b"    return x;", usedforsecurity=False).digest()
    checksum = base64.b64encode(digest).decode().rstrip("=")
    report = f"SF:src/limiter.c\nDA:5,1,{checksum}\nend_of_record\n"
    root = setup(tmp_path, extra="", **{"cov/a.info": report})
    assert found(root, "MT145") == []
    (root / "src/limiter.c").write_text(SOURCE.replace("return x;", "return x + 1;"), "utf-8")
    [stale] = found(root, "MT145")
    assert "src/limiter.c (line 5 differs from the measured text)" in stale.found


def test_coverage_of_test_files_is_not_the_items(tmp_path: Path) -> None:
    """A coverage run that measures the tests too (no --source) does not lift the item."""
    config = CONFIG.format(extra=THRESHOLDS).replace(
        'sources = ["src/**/*.c", "src/**/*.py"]',
        'sources = ["src/**/*.c", "src/**/*.py"]\ntests = ["src/test_*.c"]',
    )
    test = "/* @verifies SRS-1 */\nstatic void test_limit(void)\n{\n}\n"
    report = lcov("src/limiter.c", {1: 1, 3: 1, 4: 0, 5: 1}) + lcov(
        "src/test_limiter.c", {2: 1, 3: 1, 4: 1}
    )
    root = setup(
        tmp_path, **{"medtrace.toml": config, "src/test_limiter.c": test, "cov/c.info": report}
    )
    (root / "docs/architecture.yaml").write_text(
        ITEMS.replace("[src/limiter.c]", "[src/*limiter.c]"), "utf-8"
    )
    [below] = found(root, "MT143")
    assert below.found.startswith("software item limiter (class C) has 75% line coverage (3 of 4")
