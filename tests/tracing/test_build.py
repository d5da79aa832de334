"""``build_trace`` on real scans of small projects and on the JUnit XML their runners write.

The Python tests of the fixture projects really run (pytest in a subprocess, with
``--junitxml``); the jest and CTest results are written in the shape jest-junit and
``ctest --output-junit`` give them.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
from helpers import load, write_project

from medtrace.config import load_config
from medtrace.results import Outcome, load_results
from medtrace.scanning import scan
from medtrace.tracing import Status, TestRef, Trace, build_trace, map_files

pytestmark = pytest.mark.verifies("SRS-22")

CONFIG = """\
[project]
name = "fixture"
class = "B"

[paths]
items = ["docs"]
sources = ["src/**/*.py", "src/**/*.c"]
tests = ["tests/**/test_*.py", "web/**/*.test.ts", "fw/**/test_*.c"]
results = ["build/results/*.xml"]
"""

REQUIREMENTS = """\
kind: software-requirement
items:
  - {id: SRS-1, title: Add the doses, type: functional}
  - {id: SRS-2, title: Show the dose in units, type: usability}
  - {id: SRS-3, title: Stop the pump on occlusion, type: alarms}
  - {id: SRS-4, title: Log every dose, type: data}
  - {id: SRS-5, title: Refuse negative doses, type: functional}
  - {id: SRS-6, title: Round doses down, type: functional}
  - {id: SRS-7, title: Raise the low-glucose alarm, type: alarms}
  - {id: SRS-8, title: Export the history, type: data}
  - {id: SRS-9, title: No dynamic memory, type: maintenance, verification: analysis}
  - {id: SRS-10, title: Show the dose on the bench, type: usability}
  - {id: SRS-11, title: Sound the alarm on the bench, type: alarms}
  - {id: SRS-12, title: Keep the settings, type: data}
  - {id: SRS-13, title: Restore the settings, type: data}
  - {id: SRS-14, title: Show the battery level, type: usability}
  - {id: SRS-15, title: Reset the settings, type: data}
"""

TEST_CASES = """\
kind: test-case
items:
  - {id: TC-1, title: Dose display on the bench, verifies: [SRS-10], result: pass}
  - {id: TC-2, title: Alarm on the bench, verifies: [SRS-11], result: fail}
"""

DOSE_PY = """\
# @implements SRS-1
def add(meal: float, correction: float) -> float:
    return meal + correction


class Pump:
    def stop(self) -> None:
        \"\"\"Stop the motor.

        @implements SRS-3
        \"\"\"
"""

PUMP_C = """\
#include "pump.h"

/* @implements SRS-3 */
int pump_stop(void)
{
    return 0;
}
"""

TEST_DOSE_PY = """\
import pytest


def test_adds_doses():
    \"\"\"@verifies SRS-1\"\"\"
    assert 1 + 2 == 3


class TestDose:
    def test_adds_in_a_class(self):
        \"\"\"@verifies SRS-1\"\"\"
        assert sum([1, 2]) == 3


def test_refuses_negative_doses():
    \"\"\"@verifies SRS-5\"\"\"
    dose = -1
    assert dose >= 0, "negative dose accepted"


@pytest.mark.verifies("SRS-4")
def test_logs_every_dose():
    assert [1, 2][-1] == 2
"""

TEST_ROUNDING_PY = """\
\"\"\"Rounding of doses.

@verifies SRS-6
\"\"\"


def test_rounds_down():
    assert int(2.7) == 2


def test_rounds_small_doses_to_zero():
    assert int(0.4) == 0
"""

TEST_OK_PY = """\
def test_ok():
    \"\"\"@verifies {id}\"\"\"
    assert {verdict}
"""

DOSE_TEST_TS = """\
import { formatDose } from "../src/format";

describe("dose screen", () => {
  // @verifies SRS-2
  test("shows the dose in units", () => {
    expect(formatDose(1)).toBe("1.00 U");
  });

  describe("alarms", () => {
    // @verifies SRS-7
    test("raises the low-glucose alarm", () => {
      expect(true).toBe(true);
    });
  });

  // @verifies SRS-14
  test("shows the battery level", () => {
    expect(1).toBe(1);
  });
});
"""

TEST_PUMP_C = """\
#include <assert.h>
#include "pump.h"

/* @verifies SRS-3 */
void test_pump_stops_on_occlusion(void)
{
    assert(pump_stop() == 0);
}

int main(void)
{
    test_pump_stops_on_occlusion();
    return 0;
}
"""

# jest with jest-junit: one <testsuite> per test file, the describe blocks joined by " › " in
# the classname, the test's own title as the name. "shows the battery level" did not run; the
# last test case is no longer in the code.
JEST_XML = """\
<?xml version="1.0" encoding="UTF-8"?>
<testsuites name="jest tests" tests="3" failures="0" errors="0" time="0.912">
  <testsuite name="web/dose.test.ts" errors="0" failures="0" skipped="0" timestamp="2026-03-02T10:15:04" time="0.35" tests="3">
    <testcase classname="dose screen" name="shows the dose in units" time="0.004">
    </testcase>
    <testcase classname="dose screen › alarms" name="raises the low-glucose alarm" time="0.001">
    </testcase>
    <testcase classname="dose screen" name="shows the dose in grams" time="0.001">
    </testcase>
  </testsuite>
</testsuites>
"""

# ctest --output-junit: a bare <testsuite>, each test's name also its classname.
CTEST_XML = """\
<?xml version="1.0" encoding="UTF-8"?>
<testsuite name="(empty)"
\ttests="1"
\tfailures="0"
\tdisabled="0"
\tskipped="0"
\thostname=""
\ttime="0"
\ttimestamp="2026-03-02T10:15:09"
\t>
\t<testcase name="test_pump_stops_on_occlusion" classname="test_pump_stops_on_occlusion" time="0.00131" status="run">
\t\t<system-out>PASS test_pump_stops_on_occlusion
</system-out>
\t</testcase>
</testsuite>
"""

FILES = {
    "medtrace.toml": CONFIG,
    "docs/requirements.yaml": REQUIREMENTS,
    "docs/test-cases.yaml": TEST_CASES,
    "src/dose.py": DOSE_PY,
    "src/pump.c": PUMP_C,
    "tests/unit/test_dose.py": TEST_DOSE_PY,
    "tests/unit/test_rounding.py": TEST_ROUNDING_PY,
    "tests/unit/test_alpha.py": TEST_OK_PY.format(id="SRS-12", verdict="True"),
    "tests/unit/test_beta.py": TEST_OK_PY.format(id="SRS-13", verdict="False"),
    "tests/unit/test_gamma.py": TEST_OK_PY.format(id="SRS-15", verdict="True"),  # not run
    "web/dose.test.ts": DOSE_TEST_TS,
    "fw/test_pump.c": TEST_PUMP_C,
}

#: Files are written this long before the tests run: results are always newer.
AGE = 1000.0


def run_pytest(root: Path, *args: str) -> None:
    """Run pytest in ``root`` in a fresh interpreter, as a project's CI would."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST_")}
    env["PYTHONDONTWRITEBYTECODE"] = "1"
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-q", *args],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    # 0: every test passed; 1: some failed (a result, not a broken run)
    assert done.returncode in (0, 1), done.stdout + done.stderr


def age(root: Path, seconds: float = AGE) -> None:
    """Set every file under ``root`` back in time by ``seconds``."""
    then = time.time() - seconds
    for path in root.rglob("*"):
        if path.is_file():
            os.utime(path, (then, then))


def make_project(root: Path) -> Path:
    write_project(root, FILES)
    age(root)
    run_pytest(
        root,
        "tests",
        "--rootdir=.",
        "--ignore=tests/unit/test_gamma.py",
        "--junitxml=build/results/pytest.xml",
    )
    (root / "build/results/jest.xml").write_text(JEST_XML, encoding="utf-8")
    (root / "build/results/ctest.xml").write_text(CTEST_XML, encoding="utf-8")
    return root


def trace_of(root: Path, exclude: tuple[str, ...] = ()) -> Trace:
    """The trace of the project in ``root``: a real scan, the real results, no cache."""
    config = load_config(root)
    paths = config.paths
    scanned = scan(root, paths.sources, paths.tests, [*paths.exclude, *exclude])
    results = load_results(root, paths.results)
    assert not results.diagnostics
    return build_trace(load(root).model, scanned, results, root)


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_project(tmp_path_factory.mktemp("project"))


@pytest.fixture(scope="module")
def trace(project: Path) -> Trace:
    return trace_of(project)


def verifying_tests(trace: Trace, item_id: str) -> list[TestRef]:
    entry = trace.of(item_id)
    assert entry is not None
    return entry.tests


def status_of(trace: Trace, item_id: str) -> Status:
    entry = trace.of(item_id)
    assert entry is not None
    return entry.status


# --- code -----------------------------------------------------------------------------------


def test_code_refs_belong_to_their_symbol(trace: Trace) -> None:
    entry = trace.of("SRS-1")
    assert entry is not None
    assert [(c.path, c.line, c.symbol, c.symbol_line) for c in entry.code] == [
        ("src/dose.py", 1, "add", 2)
    ]
    pump = trace.of("SRS-3")
    assert pump is not None
    assert sorted((c.path, c.symbol, c.language) for c in pump.code) == [
        ("src/dose.py", "Pump.stop", "python"),
        ("src/pump.c", "pump_stop", "c"),
    ]
    assert [c.label for c in pump.code if c.language == "c"] == ["src/pump.c:4 pump_stop"]


def test_items_without_code_have_no_code_refs(trace: Trace) -> None:
    entry = trace.of("SRS-2")
    assert entry is not None and entry.code == []


# --- matching tests with results --------------------------------------------------------------


def test_pytest_results_match_by_file_and_name(trace: Trace) -> None:
    tests = verifying_tests(trace, "SRS-1")
    assert [t.key for t in tests] == [
        "tests/unit/test_dose.py::test_adds_doses",
        "tests/unit/test_dose.py::TestDose.test_adds_in_a_class",
    ]
    found = [(r.classname, r.name, r.outcome) for t in tests for r in t.results]
    assert found == [
        ("tests.unit.test_dose", "test_adds_doses", Outcome.PASSED),
        ("tests.unit.test_dose.TestDose", "test_adds_in_a_class", Outcome.PASSED),
    ]
    assert all(r.source == "build/results/pytest.xml" for t in tests for r in t.results)


def test_jest_results_match_by_title(trace: Trace) -> None:
    [shown] = verifying_tests(trace, "SRS-2")
    assert (shown.name, shown.path) == ("dose screen > shows the dose in units", "web/dose.test.ts")
    assert [(r.classname, r.name) for r in shown.results] == [
        ("dose screen", "shows the dose in units")
    ]
    [nested] = verifying_tests(trace, "SRS-7")
    assert nested.name == "dose screen > alarms > raises the low-glucose alarm"
    assert [(r.classname, r.outcome) for r in nested.results] == [
        ("dose screen › alarms", Outcome.PASSED)
    ]


def test_ctest_results_match_by_test_name(trace: Trace) -> None:
    [test] = verifying_tests(trace, "SRS-3")
    assert (test.key, test.language) == ("fw/test_pump.c::test_pump_stops_on_occlusion", "c")
    [result] = test.results
    assert (result.name, result.outcome, result.source) == (
        "test_pump_stops_on_occlusion",
        Outcome.PASSED,
        "build/results/ctest.xml",
    )


def test_same_bare_name_in_two_files_keeps_its_own_result(trace: Trace) -> None:
    [alpha] = verifying_tests(trace, "SRS-12")
    [beta] = verifying_tests(trace, "SRS-13")
    assert (alpha.name, beta.name) == ("test_ok", "test_ok")
    assert [(r.classname, r.outcome) for r in alpha.results] == [
        ("tests.unit.test_alpha", Outcome.PASSED)
    ]
    assert [(r.classname, r.outcome) for r in beta.results] == [
        ("tests.unit.test_beta", Outcome.FAILED)
    ]
    assert status_of(trace, "SRS-12") is Status.VERIFIED
    assert status_of(trace, "SRS-13") is Status.FAILING


def test_same_bare_name_without_a_result_of_its_own_takes_none(trace: Trace) -> None:
    # test_gamma.py did not run: the results of the other test_ok are not its results
    [gamma] = verifying_tests(trace, "SRS-15")
    assert (gamma.path, gamma.name) == ("tests/unit/test_gamma.py", "test_ok")
    assert gamma.results == []
    assert status_of(trace, "SRS-15") is Status.NOT_RUN


def test_file_level_tag_covers_every_test_of_the_file(trace: Trace) -> None:
    tests = verifying_tests(trace, "SRS-6")
    assert [t.name for t in tests] == ["test_rounds_down", "test_rounds_small_doses_to_zero"]
    assert all(t.path == "tests/unit/test_rounding.py" for t in tests)
    assert [t.outcome for t in tests] == [Outcome.PASSED, Outcome.PASSED]
    assert status_of(trace, "SRS-6") is Status.VERIFIED


def test_result_property_verifies_a_test_without_tag(trace: Trace) -> None:
    [test] = verifying_tests(trace, "SRS-4")
    assert test.key == "tests/unit/test_dose.py::test_logs_every_dose"
    [result] = test.results
    assert result.property_values("verifies") == ["SRS-4"]  # the medtrace pytest plugin's
    assert test.verifies == ["SRS-4"]
    assert status_of(trace, "SRS-4") is Status.VERIFIED


@pytest.mark.verifies("SRS-173")
def test_result_property_without_a_test_in_the_code_is_no_evidence(project: Path) -> None:
    trace = trace_of(project, exclude=("tests/unit/test_dose.py",))
    assert verifying_tests(trace, "SRS-4") == []
    [orphan] = trace.orphan_results
    assert (orphan.classname, orphan.name) == ("tests.unit.test_dose", "test_logs_every_dose")
    assert orphan.outcome is Outcome.PASSED
    assert status_of(trace, "SRS-4") is Status.UNTESTED
    # the tags of the file are gone with it: what they verified has no test any more
    assert status_of(trace, "SRS-1") is Status.UNTESTED
    assert "test_adds_doses" in {r.name for r in trace.unmatched_results}


def test_results_of_tests_not_in_the_code_are_unmatched(trace: Trace) -> None:
    assert [(r.classname, r.name) for r in trace.unmatched_results] == [
        ("dose screen", "shows the dose in grams")
    ]


def test_pytest_rootdir_below_the_project_root_matches_by_path_suffix(tmp_path: Path) -> None:
    # two test files called test_io.py: only the folder tells their results apart
    files = {
        "medtrace.toml": CONFIG,
        "docs/requirements.yaml": REQUIREMENTS,
        "tests/unit/test_io.py": TEST_OK_PY.format(id="SRS-12", verdict="True"),
        "tests/integration/test_io.py": TEST_OK_PY.format(id="SRS-13", verdict="False"),
    }
    write_project(tmp_path, files)
    age(tmp_path)
    run_pytest(
        tmp_path,
        "tests",
        "--rootdir=tests",
        "--import-mode=importlib",
        "--junitxml=build/results/pytest.xml",
    )
    trace = trace_of(tmp_path)
    [unit] = verifying_tests(trace, "SRS-12")
    [integration] = verifying_tests(trace, "SRS-13")
    assert unit.path == "tests/unit/test_io.py"
    assert [(r.classname, r.outcome) for r in unit.results] == [("unit.test_io", Outcome.PASSED)]
    assert integration.path == "tests/integration/test_io.py"
    assert [(r.classname, r.outcome) for r in integration.results] == [
        ("integration.test_io", Outcome.FAILED)
    ]
    assert trace.unmatched_results == []


# --- statuses ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("item_id", "status"),
    [
        ("SRS-1", Status.VERIFIED),  # pytest, passed
        ("SRS-2", Status.VERIFIED),  # jest, passed
        ("SRS-3", Status.VERIFIED),  # CTest, passed
        ("SRS-5", Status.FAILING),  # a failing test
        ("SRS-8", Status.UNTESTED),  # no test at all
        ("SRS-9", Status.NOT_REQUIRED),  # verification: analysis
        ("SRS-10", Status.VERIFIED),  # manual test case, result: pass
        ("SRS-11", Status.FAILING),  # manual test case, result: fail
        ("SRS-14", Status.NOT_RUN),  # a test, but no result
    ],
)
def test_status(trace: Trace, item_id: str, status: Status) -> None:
    assert status_of(trace, item_id) is status


def test_failing_test_keeps_its_message(trace: Trace) -> None:
    [test] = verifying_tests(trace, "SRS-5")
    assert test.outcome is Outcome.FAILED
    assert "negative dose accepted" in test.results[0].message


def test_manual_test_cases_are_attached(trace: Trace) -> None:
    passed, failed = trace.of("SRS-10"), trace.of("SRS-11")
    assert passed is not None and failed is not None
    assert [(c.id, c.get("result")) for c in passed.manual] == [("TC-1", "pass")]
    assert [(c.id, c.get("result")) for c in failed.manual] == [("TC-2", "fail")]
    assert passed.tests == [] and failed.tests == []


def test_not_run_test_has_no_result(trace: Trace) -> None:
    [test] = verifying_tests(trace, "SRS-14")
    assert test.name == "dose screen > shows the battery level"
    assert test.results == [] and test.outcome is None


@pytest.mark.parametrize(
    ("touched", "stale", "fresh"),
    [
        ("tests/unit/test_dose.py", {"SRS-1", "SRS-4"}, {"SRS-2", "SRS-3", "SRS-6", "SRS-12"}),
        ("src/dose.py", {"SRS-1", "SRS-3"}, {"SRS-2", "SRS-4", "SRS-6", "SRS-12"}),
        ("web/dose.test.ts", {"SRS-2", "SRS-7"}, {"SRS-1", "SRS-3", "SRS-4", "SRS-6"}),
    ],
)
def test_stale_when_tests_or_code_change_after_the_results(
    project: Path, tmp_path: Path, touched: str, stale: set[str], fresh: set[str]
) -> None:
    copy = tmp_path / "copy"
    shutil.copytree(project, copy)  # keeps the times of the files
    results = list((copy / "build/results").iterdir())
    later = max(r.stat().st_mtime for r in results) + 60
    os.utime(copy / touched, (later, later))
    trace = trace_of(copy)
    assert {i for i in stale | fresh if status_of(trace, i) is Status.STALE} == stale
    assert status_of(trace, "SRS-5") is Status.FAILING  # a failure is a failure, however old
    for path in results:  # the tests run again after the change
        os.utime(path, (later + 1, later + 1))
    trace = trace_of(copy)
    assert {i for i in stale | fresh if status_of(trace, i) is Status.VERIFIED} == stale | fresh


# --- software items of code files -------------------------------------------------------------

ARCHITECTURE = """\
kind: software-item
items:
  - {id: rounding, title: Rounding, parent: calculator, class: C, paths: ["src/calc/round*.py"]}
  - {id: system, title: The system, class: C, paths: ["src/**"]}
  - {id: calculator, title: Calculator, parent: system, class: C, paths: ["src/calc/"]}
  - {id: firmware, title: Firmware, parent: system, class: C, paths: ["**/*.c"]}
  - {id: docs-only, title: No code, class: A}
"""


def test_map_files_chooses_the_deepest_matching_item(tmp_path: Path) -> None:
    write_project(tmp_path, {"docs/architecture.yaml": ARCHITECTURE})
    model = load(tmp_path).model
    files = ["src/calc/rounding.py", "src/calc/add.py", "src/ui.py", "lib/util.py", "fw/pump.c"]
    assert map_files(model, files) == {
        "src/calc/rounding.py": "rounding",  # rounding < calculator < system
        "src/calc/add.py": "calculator",
        "src/ui.py": "system",
        "lib/util.py": None,
        "fw/pump.c": "firmware",  # '**/' matches at any depth
    }


def test_trace_maps_every_scanned_file(project: Path, trace: Trace) -> None:
    assert set(trace.file_items) == {
        "src/dose.py",
        "src/pump.c",
        "tests/unit/test_dose.py",
        "tests/unit/test_rounding.py",
        "tests/unit/test_alpha.py",
        "tests/unit/test_beta.py",
        "tests/unit/test_gamma.py",
        "web/dose.test.ts",
        "fw/test_pump.c",
    }
    assert set(trace.file_items.values()) == {None}  # the project has no software items


def test_a_marker_on_a_test_class_covers_its_tests(tmp_path: Path) -> None:
    from medtrace.model import Item, Model
    from medtrace.results import ResultSet
    from medtrace.scanning import scan
    from medtrace.tracing import build_trace

    (tmp_path / "tests").mkdir()
    (tmp_path / "tests" / "test_c.py").write_text(
        "import pytest\n\n\nclass TestPump:\n"
        "    pytestmark = pytest.mark.verifies('SRS-1')\n\n"
        "    def test_a(self):\n        pass\n\n    def test_b(self):\n        pass\n",
        encoding="utf-8",
    )
    model = Model()
    model.add(Item("SRS-1", "software-requirement", title="t"))
    trace = build_trace(model, scan(tmp_path, [], ["tests/**"]), ResultSet(), tmp_path)
    assert sorted(t.name for t in trace.items["SRS-1"].tests) == [
        "TestPump.test_a",
        "TestPump.test_b",
    ]


@pytest.mark.verifies("SRS-170", "SRS-171")
def test_statuses_roll_up_through_loops_and_skip_risks(tmp_path: Path) -> None:
    from medtrace.model import Item, Link, Model
    from medtrace.results import ResultSet
    from medtrace.scanning import scan

    model = Model()
    for item_id, kind, fields in [
        ("SRS-1", "software-requirement", {"verification": "analysis"}),
        ("SRS-2", "software-requirement", {}),
        ("SRS-3", "software-requirement", {}),
        ("SRS-4", "software-requirement", {}),
        ("SRS-5", "software-requirement", {"verification": "analysis"}),
        ("SYS-1", "system-requirement", {}),
        ("RISK-1", "risk", {}),
        ("RISK-2", "risk", {}),
    ]:
        model.add(Item(item_id, kind, fields=fields))
    for source, field, target in [
        ("SRS-1", "parents", "SYS-1"),
        ("RISK-1", "parents", "SYS-1"),  # a risk is no child: it rolls up from its controls
        ("SRS-2", "parents", "SYS-1"),
        ("SRS-3", "parents", "SRS-4"),  # a loop (MT012): cut where it closes
        ("SRS-4", "parents", "SRS-3"),
        ("SRS-5", "parents", "SRS-4"),
        ("SRS-1", "controls", "RISK-1"),
        ("RISK-2", "controls", "RISK-1"),  # a risk is no control
        ("SRS-2", "controls", "RISK-1"),
    ]:
        model.link(Link(source, field, target, True))
    trace = build_trace(model, scan(tmp_path, [], []), ResultSet(), tmp_path)
    found = {i: (e.status, e.missing) for i, e in trace.items.items()}
    assert found == {
        "SRS-1": (Status.NOT_REQUIRED, []),
        "SRS-2": (Status.UNTESTED, []),
        "SRS-3": (Status.PARTIAL, ["SRS-4 is partially-verified"]),
        "SRS-4": (Status.PARTIAL, ["SRS-3 is untested"]),
        "SRS-5": (Status.NOT_REQUIRED, []),
        "SYS-1": (Status.PARTIAL, ["SRS-2 is untested"]),
        "RISK-1": (Status.UNTESTED, ["SRS-2 is untested"]),
        "RISK-2": (Status.UNTESTED, []),
    }
