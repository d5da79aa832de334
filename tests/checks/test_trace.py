"""The traceability rules (MT101-MT106, MT122, MT123) on small projects, through ``check``.

Each project has a software item, a risk, a requirement and a risk control; its tests are tagged
in the code and its results are JUnit XML in the shape pytest writes.
"""

from __future__ import annotations

import os
import time
from collections.abc import Mapping
from pathlib import Path

import pytest
from helpers import run_check, write_project

from medtrace.diagnostics import Diagnostic, Severity
from medtrace.pipeline import CheckResult

pytestmark = pytest.mark.verifies("SRS-22")

TRACE_CODES = {
    "MT101",
    "MT102",
    "MT103",
    "MT104",
    "MT105",
    "MT106",
    "MT122",
    "MT123",
    "MT200",
    "MT201",
    "MT204",
}

CONFIG = """\
[project]
name = "fixture"
class = "{cls}"

[paths]
items = ["docs"]
sources = ["src/**/*.py"]
tests = ["tests/**/test_*.py"]
results = ["build/results/*.xml"]
"""

ITEMS = """\
- {{id: calc, kind: software-item, title: Dose calculator, class: {cls}, paths: ["src/dose.py"]}}
- id: RISK-1
  title: Overdose
  hazard: Too much insulin
  situation: The patient receives more insulin than needed.
  harm: Mild hypoglycaemia
  severity: minor
  probability: remote
  residual_probability: improbable
  item: calc
  cause: hardware
- {{id: SRS-1, title: Add the doses, type: functional, item: calc}}
- id: SRS-2
  title: Cap the dose
  type: functional
  item: calc
  controls: [RISK-1]
  control_type: protective
"""

SOURCE = """\
def add(meal, correction):
    \"\"\"@implements SRS-1\"\"\"
    return meal + correction


def cap(dose, maximum):
    \"\"\"@implements SRS-2\"\"\"
    return min(dose, maximum)
"""

TEST_ADD = """\
def test_adds_doses():
    \"\"\"@verifies SRS-1\"\"\"
    assert 1 + 2 == 3
"""

TEST_CAP = """\
def test_caps_the_dose():
    \"\"\"@verifies SRS-2\"\"\"
    assert min(12, 10) == 10
"""

#: A test case of pytest's JUnit XML: (name, outcome, properties).
Case = tuple[str, str, dict[str, str]]

PASSED: list[Case] = [("test_adds_doses", "passed", {}), ("test_caps_the_dose", "passed", {})]


def junit(cases: list[Case], module: str = "tests.test_dose") -> str:
    """Results as ``pytest --junitxml`` writes them (xunit2), one test case per entry."""
    failures = sum(1 for _, outcome, _ in cases if outcome == "failed")
    body = []
    for name, outcome, properties in cases:
        inner = ""
        if properties:
            props = "".join(f'<property name="{k}" value="{v}" />' for k, v in properties.items())
            inner += f"<properties>{props}</properties>"
        if outcome == "failed":
            inner += (
                '<failure message="AssertionError: dose is wrong&#10;assert 3 == 4">'
                f"def {name}():\n&gt;       assert 3 == 4\nE       AssertionError: dose is wrong"
                f"\n\ntests/test_dose.py:3: AssertionError</failure>"
            )
        attributes = f'classname="{module}" name="{name}" time="0.001"'
        body.append(
            f"<testcase {attributes}>{inner}</testcase>" if inner else f"<testcase {attributes} />"
        )
    return (
        '<?xml version="1.0" encoding="utf-8"?><testsuites name="pytest tests">'
        f'<testsuite name="pytest" errors="0" failures="{failures}" skipped="0" '
        f'tests="{len(cases)}" time="0.031" timestamp="2026-03-02T10:15:04.000000+00:00" '
        f'hostname="ci">{"".join(body)}</testsuite></testsuites>'
    )


def make(
    root: Path,
    *,
    cls: str = "B",
    tests: str = TEST_ADD + "\n\n" + TEST_CAP,
    results: list[Case] | None = PASSED,
    files: Mapping[str, str] | None = None,
    rules: Mapping[str, str] | None = None,
) -> Path:
    """A project: config, items, code, tests, then (newer than all of them) its results."""
    project = {
        "docs/items.yaml": ITEMS.format(cls=cls),
        "src/dose.py": SOURCE,
        "tests/test_dose.py": tests,
        **(files or {}),
    }
    config = CONFIG.format(cls=cls)
    if rules:
        config += "\n[rules]\n" + "".join(f'{k} = "{v}"\n' for k, v in rules.items())
    write_project(root, project, config=config)
    then = time.time() - 1000
    for path in root.rglob("*"):
        if path.is_file():
            os.utime(path, (then, then))
    if results is not None:
        out = root / "build/results/pytest.xml"
        out.parent.mkdir(parents=True)
        out.write_text(junit(results), encoding="utf-8")
    return root


def trace_findings(result: CheckResult) -> list[Diagnostic]:
    return [d for d in result.diagnostics if d.code in TRACE_CODES]


def only(result: CheckResult, code: str) -> Diagnostic:
    """The one finding of ``code`` (and no other finding of the trace rules)."""
    found = trace_findings(result)
    assert [d.code for d in found] == [code], [d.message for d in found]
    return found[0]


def item_line(root: Path, item_id: str) -> int:
    lines = (root / "docs/items.yaml").read_text(encoding="utf-8").splitlines()
    return next(n for n, line in enumerate(lines, 1) if f"id: {item_id}," in line + ",")


@pytest.mark.parametrize("cls", ["A", "B", "C"])
def test_fully_traced_project_is_clean(tmp_path: Path, cls: str) -> None:
    result = run_check(make(tmp_path, cls=cls))
    if cls == "C":  # its control has a unit test only, its results no provenance record
        found = [(d.code, d.item or d.path, d.severity) for d in result.diagnostics]
        assert sorted(found) == [
            ("MT210", "SRS-2", Severity.WARNING),
            ("MT212", "build/results/pytest.xml", Severity.WARNING),
        ]
        assert not result.failed()
        return
    assert result.diagnostics == []
    assert not result.failed(strict=True)


# --- MT101 requirement-untested --------------------------------------------------------------


@pytest.mark.parametrize("cls", ["B", "C"])
def test_mt101_untested_requirement_in_class_b_and_c(tmp_path: Path, cls: str) -> None:
    root = make(tmp_path, cls=cls, tests=TEST_CAP, results=[("test_caps_the_dose", "passed", {})])
    result = run_check(root)
    finding = only(result, "MT101")
    assert (finding.rule, finding.severity) == ("requirement-untested", Severity.ERROR)
    assert finding.found == "software requirement SRS-1 has no verifying test"
    assert "@verifies SRS-1" in finding.expected
    assert (finding.path, finding.line, finding.item) == (
        "docs/items.yaml",
        item_line(root, "SRS-1"),
        "SRS-1",
    )
    assert result.failed()


def test_mt101_an_untested_requirement_is_fine_in_class_a(tmp_path: Path) -> None:
    root = make(tmp_path, cls="A", tests=TEST_CAP, results=[("test_caps_the_dose", "passed", {})])
    result = run_check(root)
    assert trace_findings(result) == []
    assert not result.failed(strict=True)


def test_mt101_follows_the_class_of_the_software_item(tmp_path: Path) -> None:
    # a class A item in a class B system: its untested requirement is fine
    items = ITEMS.format(cls="B") + (
        '- {id: log, kind: software-item, title: Log, class: A, paths: ["src/log.py"]}\n'
        "- {id: SRS-3, title: Keep a log, type: data, item: log}\n"
        "- {id: SRS-4, title: Show the log, type: data, item: calc}\n"
    )
    root = make(tmp_path, files={"docs/items.yaml": items, "src/log.py": "LOG = []\n"})
    finding = only(run_check(root), "MT101")
    assert finding.item == "SRS-4"


def test_mt101_not_for_a_requirement_verified_otherwise(tmp_path: Path) -> None:
    items = ITEMS.format(cls="B") + (
        "- {id: SRS-3, title: Fixed memory, type: maintenance, item: calc,"
        " verification: analysis}\n"
        "- {id: SRS-4, title: Show the dose, type: usability, item: calc}\n"
        "- {id: TC-1, kind: test-case, title: Bench, verifies: [SRS-4], result: pass}\n"
    )
    result = run_check(make(tmp_path, files={"docs/items.yaml": items}))
    assert trace_findings(result) == []


# --- MT124 requirement-unimplemented ---------------------------------------------------------

SOURCE_CAP_ONLY = SOURCE.replace('    """@implements SRS-1"""\n', "")


def unimplemented(result: CheckResult) -> list[Diagnostic]:
    return [d for d in result.diagnostics if d.code == "MT124"]


@pytest.mark.verifies("SRS-106")
@pytest.mark.parametrize("cls", ["B", "C"])
def test_mt124_requirement_without_code_in_class_b_and_c(tmp_path: Path, cls: str) -> None:
    root = make(tmp_path, cls=cls, files={"src/dose.py": SOURCE_CAP_ONLY})
    result = run_check(root)
    [finding] = unimplemented(result)
    assert (finding.rule, finding.severity) == ("requirement-unimplemented", Severity.ERROR)
    assert finding.found == "software requirement SRS-1 has no implementing code"
    assert "'@implements SRS-1'" in finding.expected
    assert finding.hint.startswith("Tag the code that implements it with '@implements SRS-1'")
    assert (finding.path, finding.line, finding.item) == (
        "docs/items.yaml",
        item_line(root, "SRS-1"),
        "SRS-1",
    )
    assert trace_findings(result) == [], "tested and passing: only the code is missing"
    assert result.failed()


@pytest.mark.verifies("SRS-106")
def test_mt124_a_risk_control_without_code_too(tmp_path: Path) -> None:
    source = SOURCE.replace('    """@implements SRS-2"""\n', "")
    [finding] = unimplemented(run_check(make(tmp_path, files={"src/dose.py": source})))
    assert finding.item == "SRS-2"


@pytest.mark.verifies("SRS-106")
def test_mt124_not_in_class_a_nor_for_a_class_a_item(tmp_path: Path) -> None:
    root = make(tmp_path, cls="A", files={"src/dose.py": SOURCE_CAP_ONLY})
    assert unimplemented(run_check(root)) == []
    items = ITEMS.format(cls="B") + (
        '- {id: log, kind: software-item, title: Log, class: A, paths: ["src/log.py"]}\n'
        "- {id: SRS-3, title: Keep a log, type: data, item: log}\n"
    )
    other = make(tmp_path / "b", files={"docs/items.yaml": items, "src/log.py": "LOG = []\n"})
    assert unimplemented(run_check(other)) == []


@pytest.mark.verifies("SRS-106")
@pytest.mark.parametrize("verification", ["inspection", "analysis"])
def test_mt124_not_for_a_requirement_met_without_code(tmp_path: Path, verification: str) -> None:
    items = ITEMS.format(cls="B") + (
        f"- {{id: SRS-3, title: Label, type: usability, item: calc, verification: {verification}}}\n"
    )
    assert unimplemented(run_check(make(tmp_path, files={"docs/items.yaml": items}))) == []


@pytest.mark.verifies("SRS-106")
def test_mt124_for_a_requirement_verified_by_demonstration(tmp_path: Path) -> None:
    """A demonstration runs the software: there is code to trace."""
    items = ITEMS.format(cls="B") + (
        "- {id: SRS-3, title: Show it, type: usability, item: calc, verification: demonstration}\n"
    )
    [finding] = unimplemented(run_check(make(tmp_path, files={"docs/items.yaml": items})))
    assert finding.item == "SRS-3"


@pytest.mark.verifies("SRS-106")
def test_mt124_not_when_the_project_scans_no_code(tmp_path: Path) -> None:
    """A project that keeps its requirements apart from its code has no code to trace to."""
    root = make(tmp_path, files={"src/dose.py": SOURCE_CAP_ONLY})
    config = (root / "medtrace.toml").read_text().replace('sources = ["src/**/*.py"]\n', "")
    (root / "medtrace.toml").write_text(config)
    assert unimplemented(run_check(root)) == []


@pytest.mark.verifies("SRS-106")
@pytest.mark.parametrize("key", ["MT124", "requirement-unimplemented"])
def test_mt124_severity_set_in_rules(tmp_path: Path, key: str) -> None:
    root = make(tmp_path, files={"src/dose.py": SOURCE_CAP_ONLY}, rules={key: "warning"})
    result = run_check(root)
    assert [d.severity for d in unimplemented(result)] == [Severity.WARNING]
    assert not result.failed()
    (root / "medtrace.toml").write_text(
        (root / "medtrace.toml").read_text().replace('"warning"', '"off"')
    )
    assert unimplemented(run_check(root)) == []


# --- MT102 control-unverified ----------------------------------------------------------------


@pytest.mark.parametrize("cls", ["A", "B", "C"])
def test_mt102_unverified_risk_control_in_every_class(tmp_path: Path, cls: str) -> None:
    root = make(tmp_path, cls=cls, tests=TEST_ADD, results=[("test_adds_doses", "passed", {})])
    result = run_check(root)
    finding = only(result, "MT102")
    assert (finding.rule, finding.severity) == ("control-unverified", Severity.ERROR)
    assert finding.found == "risk control SRS-2 (controls RISK-1) has no verifying test"
    assert finding.item == "SRS-2"
    assert finding.line == item_line(root, "SRS-2")
    assert finding.hint == "Tag the test that verifies it with '@verifies SRS-2'."
    assert result.failed()


def test_mt102_not_when_the_control_is_verified(tmp_path: Path) -> None:
    root = make(tmp_path, tests=TEST_CAP, results=[("test_caps_the_dose", "passed", {})])
    assert "MT102" not in {d.code for d in run_check(root).diagnostics}


# --- MT103 test-failing ----------------------------------------------------------------------


@pytest.mark.parametrize("cls", ["A", "B", "C"])
def test_mt103_failing_test(tmp_path: Path, cls: str) -> None:
    results: list[Case] = [("test_adds_doses", "failed", {}), ("test_caps_the_dose", "passed", {})]
    root = make(tmp_path, cls=cls, results=results)
    result = run_check(root)
    finding = only(result, "MT103")
    assert (finding.rule, finding.severity, finding.item) == (
        "test-failing",
        Severity.ERROR,
        "SRS-1",
    )
    assert finding.found.startswith(
        "software-requirement SRS-1 has failing tests: tests/test_dose.py:1 test_adds_doses"
    )
    assert finding.found.endswith(": AssertionError: dose is wrong assert 3 == 4")
    assert result.failed()


def test_mt103_failing_manual_test_case(tmp_path: Path) -> None:
    items = ITEMS.format(cls="B") + (
        "- {id: SRS-3, title: Show the dose, type: usability, item: calc}\n"
        "- {id: TC-1, kind: test-case, title: Bench, verifies: [SRS-3], result: fail}\n"
    )
    finding = only(run_check(make(tmp_path, files={"docs/items.yaml": items})), "MT103")
    assert finding.item == "SRS-3"
    assert finding.found == "software-requirement SRS-3 has failing tests: TC-1"


def test_mt103_not_when_every_test_passes(tmp_path: Path) -> None:
    result = run_check(make(tmp_path))
    assert "MT103" not in {d.code for d in result.diagnostics}


# --- MT104 tag-unknown-id --------------------------------------------------------------------


def test_mt104_typo_in_a_tag_gets_the_closest_id(tmp_path: Path) -> None:
    typo = TEST_ADD.replace("@verifies SRS-1", "@verifies SRS-l") + "\n\n" + TEST_CAP
    result = run_check(make(tmp_path, tests=typo))
    found = trace_findings(result)
    # the typo is reported, and SRS-1 lost its only test
    assert sorted(d.code for d in found) == ["MT101", "MT104"]
    [finding] = [d for d in found if d.code == "MT104"]
    assert (finding.rule, finding.severity) == ("tag-unknown-id", Severity.ERROR)
    assert finding.found == "@verifies names SRS-l, which is not an item"
    assert finding.hint == "Did you mean SRS-1?"
    assert (finding.path, finding.line, finding.item) == ("tests/test_dose.py", 2, "SRS-l")


def test_mt104_unknown_id_in_code_without_a_close_one(tmp_path: Path) -> None:
    source = SOURCE + '\n\n# @implements TICKET-4711\nNAME = "dose"\n'
    finding = only(run_check(make(tmp_path, files={"src/dose.py": source})), "MT104")
    assert finding.found == "@implements names TICKET-4711, which is not an item"
    assert finding.hint == "Fix the tag or create the item."
    assert finding.path == "src/dose.py"


def test_mt104_unknown_id_in_a_result_property(tmp_path: Path) -> None:
    tests = TEST_ADD + "\n\n" + TEST_CAP + "\n\n\ndef test_logs_doses():\n    assert True\n"
    results = [*PASSED, ("test_logs_doses", "passed", {"verifies": "SRS-l"})]
    finding = only(run_check(make(tmp_path, tests=tests, results=results)), "MT104")
    assert finding.found == (
        "test test_logs_doses is recorded as verifying SRS-l, which is not an item"
    )
    assert finding.hint == "Did you mean SRS-1?"
    assert finding.path == "build/results/pytest.xml"


def test_mt104_not_for_known_ids(tmp_path: Path) -> None:
    tests = TEST_ADD + "\n\n" + TEST_CAP + "\n\n\ndef test_logs_doses():\n    assert True\n"
    results = [*PASSED, ("test_logs_doses", "passed", {"verifies": "SRS-1, RISK-1"})]
    assert trace_findings(run_check(make(tmp_path, tests=tests, results=results))) == []


# --- MT105 test-untraced ---------------------------------------------------------------------

UNTAGGED = (
    TEST_ADD + "\n\n" + TEST_CAP + "\n\n\ndef test_parses_numbers():\n    assert int('3') == 3\n"
)
UNTAGGED_RESULTS = [*PASSED, ("test_parses_numbers", "passed", {})]


def test_mt105_untagged_test(tmp_path: Path) -> None:
    result = run_check(make(tmp_path, tests=UNTAGGED, results=UNTAGGED_RESULTS))
    finding = only(result, "MT105")
    assert (finding.rule, finding.severity) == ("test-untraced", Severity.WARNING)
    assert finding.found == "test test_parses_numbers verifies nothing"
    assert (finding.path, finding.line) == ("tests/test_dose.py", 12)
    assert not result.failed() and result.failed(strict=True)


def test_mt105_not_for_a_test_verified_through_its_result(tmp_path: Path) -> None:
    results = [*PASSED, ("test_parses_numbers", "passed", {"verifies": "SRS-1"})]
    assert trace_findings(run_check(make(tmp_path, tests=UNTAGGED, results=results))) == []


@pytest.mark.parametrize("key", ["test-untraced", "MT105"])
def test_mt105_turned_off_in_rules(tmp_path: Path, key: str) -> None:
    root = make(tmp_path, tests=UNTAGGED, results=UNTAGGED_RESULTS, rules={key: "off"})
    result = run_check(root)
    assert result.diagnostics == []
    assert not result.failed(strict=True)


def test_mt105_made_an_error_in_rules(tmp_path: Path) -> None:
    root = make(tmp_path, tests=UNTAGGED, results=UNTAGGED_RESULTS, rules={"MT105": "error"})
    result = run_check(root)
    assert only(result, "MT105").severity is Severity.ERROR
    assert result.failed()


def test_rules_can_lower_an_error_to_a_warning(tmp_path: Path) -> None:
    root = make(
        tmp_path,
        tests=TEST_CAP,
        results=[("test_caps_the_dose", "passed", {})],
        rules={"requirement-untested": "warning"},
    )
    result = run_check(root)
    assert only(result, "MT101").severity is Severity.WARNING
    assert not result.failed() and result.failed(strict=True)


# --- MT106 code-unmapped ---------------------------------------------------------------------


def test_mt106_code_file_of_no_software_item(tmp_path: Path) -> None:
    result = run_check(make(tmp_path, files={"src/extra.py": "def helper():\n    return 1\n"}))
    finding = only(result, "MT106")
    assert (finding.rule, finding.severity) == ("code-unmapped", Severity.WARNING)
    assert finding.found == "code file src/extra.py belongs to no software item"
    assert finding.path == "src/extra.py"


def test_mt106_not_for_mapped_code_nor_test_files(tmp_path: Path) -> None:
    # tests/test_dose.py matches no software item's paths: test files are not code
    result = run_check(make(tmp_path))
    assert "MT106" not in {d.code for d in result.diagnostics}


# --- MT122 results-stale ---------------------------------------------------------------------


@pytest.mark.parametrize("touched", ["tests/test_dose.py", "src/dose.py"])
def test_mt122_results_older_than_the_tests_or_code(tmp_path: Path, touched: str) -> None:
    root = make(tmp_path)
    later = time.time() + 60
    os.utime(root / touched, (later, later))
    result = run_check(root)
    found = trace_findings(result)
    assert {(d.code, d.item) for d in found} == {("MT122", "SRS-1"), ("MT122", "SRS-2")}
    finding = found[0]
    assert (finding.rule, finding.severity) == ("results-stale", Severity.WARNING)
    assert finding.found == (
        f"the results for {finding.item} are older than its code or tests: "
        "the code or tests changed after the results were written"
    )
    assert not result.failed()


def test_mt122_not_when_the_results_are_newer(tmp_path: Path) -> None:
    result = run_check(make(tmp_path))
    assert "MT122" not in {d.code for d in result.diagnostics}


# --- MT123 test-not-run ----------------------------------------------------------------------


@pytest.mark.parametrize("cls", ["B", "C"])
def test_mt123_tests_without_results(tmp_path: Path, cls: str) -> None:
    root = make(tmp_path, cls=cls, results=[("test_caps_the_dose", "passed", {})])
    result = run_check(root)
    finding = only(result, "MT123")
    # class C: a test without a result is an error (SRS-172); class B: a warning
    severity = Severity.ERROR if cls == "C" else Severity.WARNING
    assert (finding.rule, finding.severity, finding.item) == ("test-not-run", severity, "SRS-1")
    assert finding.found == "the tests of SRS-1 have no passing result (test_adds_doses)"
    assert result.failed() is (cls == "C") and result.failed(strict=True)


def test_mt123_not_in_class_a(tmp_path: Path) -> None:
    root = make(tmp_path, cls="A", results=[("test_caps_the_dose", "passed", {})])
    assert trace_findings(run_check(root)) == []


def test_mt123_manual_test_case_not_run(tmp_path: Path) -> None:
    items = ITEMS.format(cls="B") + (
        "- {id: SRS-3, title: Show the dose, type: usability, item: calc}\n"
        "- {id: TC-1, kind: test-case, title: Bench, verifies: [SRS-3], result: not-run}\n"
    )
    finding = only(run_check(make(tmp_path, files={"docs/items.yaml": items})), "MT123")
    assert finding.found == "the tests of SRS-3 have no passing result (TC-1)"


def test_no_results_at_all(tmp_path: Path) -> None:
    result = run_check(make(tmp_path, results=None))
    assert {(d.code, d.item) for d in trace_findings(result)} == {
        ("MT123", "SRS-1"),
        ("MT123", "SRS-2"),
    }
    assert "MT121" in {d.code for d in result.diagnostics}  # no results file at all


def test_mt104_a_result_property_naming_a_longer_id_is_not_the_unknown_one(tmp_path: Path) -> None:
    # the tag names ISK-1, which is unknown; the result says RISK-1, which is known
    tests = TEST_ADD.replace("@verifies SRS-1", "@verifies SRS-1, ISK-1") + "\n\n" + TEST_CAP
    results: list[Case] = [
        ("test_adds_doses", "passed", {"verifies": "RISK-1"}),
        ("test_caps_the_dose", "passed", {}),
    ]
    finding = only(run_check(make(tmp_path, tests=tests, results=results)), "MT104")
    assert (finding.found, finding.path) == (
        "@verifies names ISK-1, which is not an item",
        "tests/test_dose.py",
    )


@pytest.mark.verifies("SRS-106")
def test_mt124_accepts_files_named_in_implemented_in_and_reports_missing_ones(
    tmp_path: Path,
) -> None:
    """A requirement met by build configuration names its files instead of a tag."""
    (tmp_path / "Makefile").write_text("all:\n")
    items = {
        "docs/items.yaml": (
            "- id: SRS-1\n  title: t\n  type: installation\n  implemented_in: [Makefile]\n"
            "- id: SRS-2\n  title: u\n  type: installation\n  implemented_in: [no/such.mk]\n"
        )
    }
    write_project(tmp_path, items, cls="B", config=MT124_CONFIG)
    found = [d for d in run_check(tmp_path).diagnostics if d.code == "MT124"]
    assert [(d.item, d.found) for d in found] == [
        ("SRS-2", "'implemented_in' of SRS-2 names no/such.mk, which is not a file of the project")
    ]


MT124_CONFIG = """\
[project]
name = "fixture"
class = "B"

[paths]
items = ["docs"]
sources = ["src"]
"""


# --- MT200 result-without-test, MT204 partially verified, MT201 manual record stale ----------


@pytest.mark.verifies("SRS-173")
def test_mt200_a_result_for_a_test_not_in_the_code_is_no_evidence(tmp_path: Path) -> None:
    fake = [("test_proves_everything", "passed", {"verifies": "SRS-1, RISK-1"})]
    root = make(tmp_path, cls="C", tests=TEST_CAP)
    (root / "build/results/fake.xml").write_text(junit(fake, "tests.test_fake"), encoding="utf-8")
    result = run_check(root)
    [orphan] = [d for d in result.diagnostics if d.code == "MT200"]
    assert (orphan.severity, orphan.path, orphan.line) == (
        Severity.ERROR,
        "build/results/fake.xml",
        1,
    )
    assert orphan.found == (
        "result of test tests.test_fake.test_proves_everything claims to verify RISK-1, SRS-1, "
        "but no such test is found in the code; it is not counted as evidence"
    )
    # SRS-1 is still untested: the claim made it neither verified nor tested
    assert "MT101" in {d.code for d in result.diagnostics if d.item == "SRS-1"}


@pytest.mark.verifies("SRS-170", "SRS-172")
@pytest.mark.parametrize(("cls", "severity"), [("B", Severity.WARNING), ("C", Severity.ERROR)])
def test_mt204_one_of_two_tests_without_a_result(
    tmp_path: Path, cls: str, severity: Severity
) -> None:
    tests = TEST_ADD + '\n\ndef test_adds_zero():\n    """@verifies SRS-1"""\n'
    root = make(tmp_path, cls=cls, tests=tests + "\n\n" + TEST_CAP)
    finding = only(run_check(root), "MT204")
    assert (finding.rule, finding.severity, finding.item) == (
        "requirement-partially-verified",
        severity,
        "SRS-1",
    )
    assert finding.found == (
        "software-requirement SRS-1 is only partially verified: "
        "no result for tests/test_dose.py:6 test_adds_zero"
    )


@pytest.mark.verifies("SRS-170")
def test_mt204_a_manual_pass_does_not_mask_a_missing_result(tmp_path: Path) -> None:
    case = """\
    - id: TC-1
      kind: test-case
      title: Bench
      verifies: [SRS-1]
      steps: [Add]
      expected: Sum
      result: pass
    """
    root = make(
        tmp_path,
        results=[("test_caps_the_dose", "passed", {})],
        files={"docs/cases.yaml": case},
        rules={"manual-record-incomplete": "off"},
    )
    finding = only(run_check(root), "MT204")
    assert finding.found.endswith("no result for tests/test_dose.py:1 test_adds_doses")


@pytest.mark.verifies("SRS-176", "SRS-172")
def test_mt201_a_manual_pass_on_another_version(tmp_path: Path) -> None:
    case = """\
    - id: TC-1
      kind: test-case
      title: Bench
      verifies: [SRS-1]
      steps: [Add]
      expected: Sum
      result: pass
      executed: 2024-01-02
      version: 0.9.0
    """
    config = CONFIG.format(cls="C").replace('class = "C"', 'class = "C"\nversion = "1.0.0"')
    root = make(tmp_path, cls="C", files={"docs/cases.yaml": case})
    (root / "medtrace.toml").write_text(config, encoding="utf-8")
    result = run_check(root)
    [finding] = [d for d in result.diagnostics if d.code == "MT201"]
    assert (finding.severity, finding.path, finding.line) == (
        Severity.ERROR,
        "docs/cases.yaml",
        1,
    )
    assert finding.found == (
        "the pass of test case TC-1 no longer stands for SRS-1: "
        "run on version 0.9.0, not on the project's 1.0.0"
    )


@pytest.mark.verifies("SRS-174")
def test_mt212_class_c_results_without_a_provenance_record(tmp_path: Path) -> None:
    root = make(tmp_path, cls="C")
    [finding] = [d for d in run_check(root).diagnostics if d.code == "MT212"]
    assert (finding.path, finding.severity) == ("build/results/pytest.xml", Severity.WARNING)
    assert finding.found == (
        "results file build/results/pytest.xml has no provenance record "
        "(build/results/pytest.xml.medtrace.json)"
    )
    assert "MT212" not in {d.code for d in run_check(make(tmp_path / "b", cls="B")).diagnostics}


@pytest.mark.verifies("SRS-172")
def test_strictness_classes_make_class_b_strict(tmp_path: Path) -> None:
    root = make(tmp_path, results=[("test_caps_the_dose", "passed", {})])
    config = (root / "medtrace.toml").read_text(encoding="utf-8")
    (root / "medtrace.toml").write_text(config + '\n[strictness]\nclasses = ["B", "C"]\n')
    finding = only(run_check(root), "MT123")
    assert (finding.item, finding.severity) == ("SRS-1", Severity.ERROR)
