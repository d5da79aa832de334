"""QML: tags belong to the enclosing or following function, object or property; the test_*
functions of a TestCase are tests named as Qt Quick Test reports them."""

from __future__ import annotations

from pathlib import Path

import pytest

from medtrace.model import Model
from medtrace.results import ResultSet
from medtrace.results.junit import parse_junit
from medtrace.scanning import scan
from medtrace.tracing import build_trace

from .helpers import Scanned, Write, owners

pytestmark = pytest.mark.verifies("SRS-42")

PUMP = """import QtQuick 2.15

// @implements SRS-1
Item {
    id: pump
    // @implements SRS-2
    property int rate: 0
    /* @implements SRS-3 */
    function start(units) {
        // @implements SRS-4
        rate = units
    }
    signal stopped(int reason)
    Rectangle {
        // @implements SRS-5
        width: 10
        onClicked: {
            // @implements SRS-6
            pump.start(1)
        }
    }
    // @implements SRS-7
    required property string label
    property string note: "@implements SRS-99"
}
"""

TESTS = """import QtQuick 2.15
import QtTest 1.2

TestCase {
    name: "PumpTests"
    // @verifies SRS-1
    function test_start() {
        compare(pump.rate, 1)
    }
    function init() {}
    function helper() {}
    function test_stop_data() { return [] }
    function test_stop() { verify(true) }
}
"""


def test_tags_belong_to_functions_objects_and_properties(write: Write, scanned: Scanned) -> None:
    write("src/Pump.qml", PUMP)
    result = scanned()
    assert owners(result) == {
        "SRS-1": "pump",
        "SRS-2": "pump.rate",
        "SRS-3": "pump.start",
        "SRS-4": "pump.start",
        "SRS-5": "pump.Rectangle.width",
        "SRS-6": "pump.Rectangle.onClicked",
        "SRS-7": "pump.label",
    }
    assert {t.language for t in result.tags} == {"qml"}
    assert not result.diagnostics


def test_testcase_functions_are_tests(write: Write, scanned: Scanned) -> None:
    write("tests/tst_pump.qml", TESTS)
    result = scanned()
    assert [t.name for t in result.tests] == [
        "PumpTests::test_start",
        "PumpTests::test_stop",
    ]
    assert [(t.ids, t.symbol) for t in result.tags] == [(("SRS-1",), "PumpTests::test_start")]


def test_functions_outside_a_testcase_are_not_tests(write: Write, scanned: Scanned) -> None:
    write("tests/Helper.qml", "Item {\n    function test_like() {}\n}\n")
    assert scanned().tests == []


# Qt Quick Test prefixes each function with its TestCase's name ("PumpTests::test_start()" in
# its plain output); its JUnit output keeps that as the test name, data rows in parentheses.
QML_JUNIT = b"""<?xml version="1.0" encoding="UTF-8" ?>
<testsuite name="qmltestrunner" tests="3" failures="1" errors="0" skipped="0" time="0.01">
  <testcase name="PumpTests::initTestCase" classname="qmltestrunner" time="0.0"/>
  <testcase name="PumpTests::test_start" classname="qmltestrunner" time="0.0"/>
  <testcase name="PumpTests::test_stop(empty)" classname="qmltestrunner" time="0.0">
    <failure type="fail" message="verify() failed"/>
  </testcase>
</testsuite>
"""


def test_qml_results_join_the_testcase_functions(write: Write, tmp_path: Path) -> None:
    write("tests/tst_pump.qml", TESTS)
    results, problems = parse_junit(QML_JUNIT, "results.xml")
    assert problems == []
    scanned = scan(tmp_path, [], ["tests/**"])
    trace = build_trace(Model(), scanned, ResultSet(results=results), tmp_path)
    outcomes = {t.name: [r.outcome.value for r in t.results] for t in trace.tests}
    assert outcomes == {"PumpTests::test_start": ["passed"], "PumpTests::test_stop": ["failed"]}
