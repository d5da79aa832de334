"""parse_junit on the real samples of a dozen runners, and on the shapes JUnit XML takes."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from medtrace.results import Outcome, parse_junit

from .helpers import Parsed, by_name, counts, junit

pytestmark = pytest.mark.verifies("SRS-20")

Sample = Callable[[str], Parsed]

#: passed, failed, error, skipped per sample, counted by reading each file
EXPECTED = {
    "ctest-user-example.xml": (5, 0, 0, 0),
    "go-junit-report-pass-fail-skip.xml": (2, 1, 0, 2),
    "go-junit-report-stdout-subtests.xml": (8, 9, 0, 0),
    "gotestsum-report.xml": (42, 13, 0, 5),
    "gradle-kotlin-calculator.xml": (24, 0, 0, 0),
    "gtest-failing-disabled.xml": (1, 2, 0, 1),
    "gtest-user-example.xml": (5, 0, 0, 0),
    "jest-junit-failures.xml": (1, 4, 0, 1),
    "jest-junit-suite-error.xml": (0, 0, 2, 0),
    "mocha-junit-reporter-calculator.xml": (21, 9, 0, 0),
    "nunit-junit-testlogger.xml": (32, 14, 0, 6),
    "phpunit-nested-suites.xml": (10, 2, 0, 0),
    "pytest-horovod-fail-skip.xml": (3, 1, 0, 1),
    "pytest-record-property.xml": (6, 2, 0, 2),
    "surefire-failing-test.xml": (0, 2, 0, 0),
    "surefire-flaky-rerun.xml": (2, 0, 0, 0),
}


def test_every_sample_is_known_and_parses_cleanly(junit_dir: Path, sample: Sample) -> None:
    assert {path.name for path in junit_dir.glob("*.xml")} == set(EXPECTED)
    for name, expected in EXPECTED.items():
        results, diagnostics = sample(name)
        assert diagnostics == [], name
        assert counts(results) == expected, name
        assert {r.source for r in results} == {f"junit/{name}"}
        assert all(len(r.message) <= 300 and "\n" not in r.message for r in results)


# -- one test per sample ---------------------------------------------------------------------


def test_surefire_failing_test(sample: Sample) -> None:
    results, _ = sample("surefire-failing-test.xml")
    assert counts(results) == EXPECTED["surefire-failing-test.xml"]
    first = by_name(results)["defaultTestValueIs_Value"]
    assert first.classname == first.suite == "org.apache.maven.surefire.test.FailingTest"
    assert first.message == 'Expected: "wrong" got: "value"'
    assert first.time == 0.013
    assert first.properties == ()  # the 60 JVM properties belong to the suite
    assert by_name(results)["setTestAndRetrieveValue"].message == 'Expected: "bar" got: "foo"'


def test_surefire_flaky_rerun(sample: Sample) -> None:
    results, _ = sample("surefire-flaky-rerun.xml")
    assert counts(results) == EXPECTED["surefire-flaky-rerun.xml"]
    flaky, stable = by_name(results)["testFlaky"], by_name(results)["testStable"]
    assert flaky.outcome is Outcome.PASSED and flaky.flaky
    assert flaky.message == "flaky: expected: <1> but was: <0>"
    assert flaky.source_line == 6
    assert not stable.flaky and stable.message == ""
    assert stable.source_line == 362


def test_pytest_horovod_fail_skip(sample: Sample) -> None:
    results, _ = sample("pytest-horovod-fail-skip.xml")
    assert counts(results) == EXPECTED["pytest-horovod-fail-skip.xml"]
    failed = by_name(results)["test_rsh_events"]
    assert failed.outcome is Outcome.FAILED
    assert failed.message == "AssertionError: 143 != 0"  # the pytest "E" line
    # the start tag spans lines 16-17: the line is where it ends
    assert (failed.file, failed.line, failed.source_line) == ("test/test_spark.py", 819, 17)
    assert failed.classname == "test.test_spark.SparkTests"
    assert failed.suite == "pytest" and failed.timestamp == "2020-09-04T16:18:04.966371"
    skipped = by_name(results)["test_get_available_devices"]
    assert skipped.message == "get_available_devices only supported in Spark 3.0 and above"


def test_pytest_record_property(sample: Sample) -> None:
    results, _ = sample("pytest-record-property.xml")
    assert counts(results) == EXPECTED["pytest-record-property.xml"]
    named = by_name(results)
    assert named["test_expected_failure"].outcome is Outcome.SKIPPED
    assert named["test_expected_failure"].message == "xfail"
    assert named["test_always_fail"].message == "assert False"
    assert named["test_with_record_property"].properties == (("example_key", "1"),)
    assert named["test_always_pass"].properties == ()  # the suite's custom_prop is not the test's
    assert named["test_with_record_xml_attribute"].classname == "custom_classname"
    assert {"test_parameterized[param1]", "test_parameterized[param2]"} <= set(named)
    assert named["test_always_pass"].file is None and named["test_always_pass"].line is None


def test_jest_junit_failures(sample: Sample) -> None:
    results, _ = sample("jest-junit-failures.xml")
    assert counts(results) == EXPECTED["jest-junit-failures.xml"]
    failing = by_name(results)["Failing test"]
    assert failing.classname == "Test 1 › Test 1.1"
    assert failing.suite == "__tests__\\main.test.js"
    assert failing.message == "Error: expect(received).toBeTruthy()"  # no stack trace
    timeout = by_name(results)["Timeout test"]
    assert timeout.classname == "" and timeout.suite == "__tests__\\second.test.js"
    assert timeout.message.startswith(": Timeout - Async callback was not invoked")
    assert by_name(results)["Skipped test"].outcome is Outcome.SKIPPED


def test_jest_junit_suite_error(sample: Sample) -> None:
    results, _ = sample("jest-junit-suite-error.xml")
    assert counts(results) == EXPECTED["jest-junit-suite-error.xml"]
    assert [r.name for r in results] == ["libs/foo.spec.ts", "libs/bar.spec.ts"]
    assert all(r.classname == "Test suite failed to run" for r in results)
    assert results[0].message == "● Test suite failed to run"
    assert results[0].timestamp == "1970-01-01T00:00:00"


def test_go_junit_report_pass_fail_skip(sample: Sample) -> None:
    results, _ = sample("go-junit-report-pass-fail-skip.xml")
    assert counts(results) == EXPECTED["go-junit-report-pass-fail-skip.xml"]
    named = by_name(results)
    # "Failed" is a placeholder: the first line of the test output says more
    assert named["TestOne"].message == "fail_test.go:6: Error message"
    assert named["TestSkip"].message == "skip_test.go:6: skip message"
    assert named["TestSkip"].suite == named["TestSkip"].classname == "package/skip"
    assert named["TestPass"].time == 0.06
    assert named["TestPass"].properties == ()  # go.version is a suite property


def test_go_junit_report_stdout_subtests(sample: Sample) -> None:
    results, _ = sample("go-junit-report-stdout-subtests.xml")
    assert counts(results) == EXPECTED["go-junit-report-stdout-subtests.xml"]
    named = by_name(results)
    assert named["TestSubtests/TestFailWithNoTestOutput"].message == "Failed"
    assert named["TestFailWithTestOutput"].message == "stdout_test.go:22: single-line error"
    assert named["TestSubtests/TestPassWithNoTestOutput"].outcome is Outcome.PASSED
    assert len([r for r in results if r.name.startswith("TestSubtests")]) == 9


def test_gotestsum_report(sample: Sample) -> None:
    results, _ = sample("gotestsum-report.xml")
    assert counts(results) == EXPECTED["gotestsum-report.xml"]
    main = results[0]
    assert (main.name, main.classname, main.outcome) == ("TestMain", "", Outcome.FAILED)
    assert main.suite == "gotest.tools/gotestsum/testjson/internal/badmain"
    assert main.message == "sometimes main can exit 2"
    good = [r for r in results if r.suite.endswith("/internal/good")]
    assert len(good) == 18
    assert by_name(good)["TestSkippedWitLog"].message == "good_test.go:27: the skip message"
    assert not any(r.suite.endswith("/internal/empty") for r in results)


def test_ctest_user_example(sample: Sample) -> None:
    results, _ = sample("ctest-user-example.xml")
    assert counts(results) == EXPECTED["ctest-user-example.xml"]
    first = results[0]
    assert first.name == first.classname == "MyTestSuiteName.TestName"
    assert first.suite == "(empty)" and first.timestamp == "2025-03-18T16:42:24"
    assert first.source_line == 11  # the suite's attributes span lines 2 to 10
    assert first.time == 0.00497625
    assert results[-1].name == "MyTestPattern/MyTestHelperPattern.TestName3/3"


def test_gtest_user_example(sample: Sample) -> None:
    results, _ = sample("gtest-user-example.xml")
    assert counts(results) == EXPECTED["gtest-user-example.xml"]
    first = results[0]
    assert first.file is not None and first.file.endswith("/vc/test/gtest_test.cc")
    assert (first.line, first.time) == (13, 0.0)  # time="0."
    assert first.timestamp == "2025-03-18T16:42:17.879"
    param = by_name(results)["TestName3/1"]
    assert param.suite == param.classname == "MyTestPattern/MyTestHelperPattern"


def test_gtest_failing_disabled(sample: Sample) -> None:
    results, _ = sample("gtest-failing-disabled.xml")
    assert counts(results) == EXPECTED["gtest-failing-disabled.xml"]
    named = by_name(results)
    assert named["DISABLED_Testcase"].outcome is Outcome.SKIPPED
    assert named["DISABLED_Testcase"].message == "not run"
    assert named["Failing_Testcase"].message == "Value of: false Actual: false Expected: true"
    # GoogleTest reports an exception as a failure, not an error
    assert named["Error_Testcase"].outcome is Outcome.FAILED
    assert named["Error_Testcase"].message == "Unknown C++ exception thrown in the test body."


def test_gradle_kotlin_calculator(sample: Sample) -> None:
    results, _ = sample("gradle-kotlin-calculator.xml")
    assert counts(results) == EXPECTED["gradle-kotlin-calculator.xml"]
    assert {r.suite for r in results} == {"com.github.guenhter.junit.CalculatorTest"}
    assert {r.classname for r in results} == {"com.github.guenhter.junit.CalculatorTest"}
    names = [r.name for r in results]
    assert names[:2] == [
        "adding two numbers should be a positive sum when summing two positive numbers()",
        "[1] 1, 2, 3",
    ]
    assert "additionTest()" in names
    assert results[0].timestamp == "2023-01-11T08:51:38"


def test_nunit_junit_testlogger(sample: Sample) -> None:
    results, _ = sample("nunit-junit-testlogger.xml")  # UTF-8 BOM, no XML declaration
    assert counts(results) == EXPECTED["nunit-junit-testlogger.xml"]
    failed = [r for r in results if r.name == 'TestData(2,"A")']
    assert [r.classname for r in failed] == [
        "JUnit.Xml.TestLogger.NetFull.Tests.ParametrizedTestCases",
        "JUnit.Xml.TestLogger.Tests2.ParametrizedTestCases",
    ]
    assert failed[0].message == "failing for second case Expected: not equal to 2 But was: 2"
    assert failed[0].suite == "JUnit.Xml.TestLogger.NetCore.Tests.dll"
    ignored = by_name(results)["Ignored"]
    assert (ignored.outcome, ignored.message) == (Outcome.SKIPPED, "")
    fixtures = {r.classname for r in results if r.classname.endswith(",42)")}
    assert fixtures == {
        'JUnit.Xml.TestLogger.NetFull.Tests.ParametrizedFixture("Answer",42)',
        'JUnit.Xml.TestLogger.Tests2.ParametrizedFixture("Answer",42)',
    }


def test_mocha_junit_reporter_calculator(sample: Sample) -> None:
    results, _ = sample("mocha-junit-reporter-calculator.xml")
    assert counts(results) == EXPECTED["mocha-junit-reporter-calculator.xml"]
    first = results[0]
    assert first.name == "Arithmetic Validation rejects missing operation"
    assert first.classname == "rejects missing operation" and first.suite == "Validation"
    assert first.file == "/Users/ethomson/Projects/calculator/test/arithmetic.js"  # the suite's
    twice = [r for r in results if r.name == "Arithmetic Division divides by zero"]
    assert [r.outcome for r in twice] == [Outcome.FAILED, Outcome.FAILED]
    assert twice[0].message.startswith("Timeout of 10000ms exceeded. For async tests")
    assert not any(r.suite in ("Root Suite", "Arithmetic") for r in results)


def test_phpunit_nested_suites(sample: Sample) -> None:
    results, _ = sample("phpunit-nested-suites.xml")
    assert counts(results) == EXPECTED["phpunit-nested-suites.xml"]
    phpt = results[0]
    assert (phpt.suite, phpt.classname) == ("CLI Arguments", "")
    assert phpt.message == (
        "targeting-traits-with-coversclass-attribute-is-deprecated.phpt"
        "Failed asserting that string matches format description."
    )
    nested = by_name(results)["testCollectsEventsUntilFlush"]
    assert nested.suite == "PHPUnit\\Event\\DeferringDispatcherTest"  # the nearest suite
    assert nested.classname == "PHPUnit.Event.DeferringDispatcherTest"
    assert nested.line == 22 and nested.file is not None and nested.file.endswith(".php")


# -- shapes of JUnit XML ------------------------------------------------------------------


def test_a_bare_testsuite_root() -> None:
    results, diagnostics = parse_junit(
        b'<testsuite name="only"><testcase name="t"/></testsuite>', "r"
    )
    assert diagnostics == []
    assert [(r.suite, r.name, r.outcome) for r in results] == [("only", "t", Outcome.PASSED)]


def test_empty_roots_give_no_results_and_no_problem() -> None:
    for data in (b"<testsuites/>", b'<testsuite name="x" tests="0"></testsuite>'):
        assert parse_junit(data, "r") == ([], [])


def test_missing_attributes_have_defaults() -> None:
    results, diagnostics = parse_junit(junit("<testcase name='t'/>", suite="<testsuite>"), "r")
    assert diagnostics == []
    (result,) = results
    assert (result.suite, result.classname, result.file, result.line) == ("", "", None, None)
    assert (result.time, result.timestamp, result.message, result.flaky) == (None, None, "", False)


def test_a_testcase_outside_any_suite() -> None:
    results, _ = parse_junit(b'<testsuites timestamp="T"><testcase name="t"/></testsuites>', "r")
    assert [(r.suite, r.timestamp) for r in results] == [("", "T")]


def test_nested_suites_inherit_timestamp_and_file_from_the_nearest() -> None:
    data = b"""<testsuites><testsuite name="outer" timestamp="T1" file="a.php">
      <testsuite name="inner"><testcase name="t1"/></testsuite>
      <testsuite name="other" file="b.php" timestamp="T2"><testcase name="t2" file="c.php"/></testsuite>
      <testcase name="t3"/></testsuite></testsuites>"""
    results, _ = parse_junit(data, "r")
    found = [(r.name, r.suite, r.timestamp, r.file) for r in results]
    assert found == [
        ("t1", "inner", "T1", "a.php"),
        ("t2", "other", "T2", "c.php"),
        ("t3", "outer", "T1", "a.php"),
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1.5", 1.5),
        ("0.", 0.0),
        ("1,5", 1.5),
        ("1,234.5", 1234.5),
        ("abc", None),
        ("-1", None),
        ("nan", None),
        ("inf", None),
        ("", None),
    ],
)
def test_durations(text: str, expected: float | None) -> None:
    results, _ = parse_junit(junit(f'<testcase name="t" time="{text}"/>'), "r")
    assert results[0].time == expected


def test_a_line_that_is_not_a_number_is_none() -> None:
    results, _ = parse_junit(junit('<testcase name="t" line="12a"/>'), "r")
    assert results[0].line is None


def test_the_worst_verdict_wins() -> None:
    data = junit(
        '<testcase name="fe"><failure message="f"/><error message="e"/></testcase>',
        '<testcase name="sf"><skipped message="s"/><failure message="f"/></testcase>',
        '<testcase name="ss"><skipped message="first"/><skipped message="second"/></testcase>',
    )
    results, _ = parse_junit(data, "r")
    assert [(r.outcome, r.message) for r in results] == [
        (Outcome.ERROR, "e"),
        (Outcome.FAILED, "f"),
        (Outcome.SKIPPED, "first"),
    ]


def test_status_and_result_attributes() -> None:
    data = junit(
        '<testcase name="a" status="notrun"/>',
        '<testcase name="b" status="disabled"/>',
        '<testcase name="c" status="fail"/>',
        '<testcase name="d" status="run" result="skipped"/>',
        '<testcase name="e" status="run" result="completed"/>',
        '<testcase name="f" status="notrun"><skipped message="Disabled by CTest"/></testcase>',
    )
    results, _ = parse_junit(data, "r")
    assert [(r.outcome.value, r.message) for r in results] == [
        ("skipped", "not run"),
        ("skipped", "disabled"),
        ("failed", "failed"),
        ("skipped", "skipped"),
        ("passed", ""),
        ("skipped", "Disabled by CTest"),
    ]


def test_xfail_keeps_its_reason() -> None:
    data = junit('<testcase name="t"><skipped type="pytest.xfail" message="bug #12"/></testcase>')
    assert parse_junit(data, "r")[0][0].message == "xfail: bug #12"


def test_rerun_failures_that_never_passed_are_failures() -> None:
    data = junit(
        '<testcase name="t"><failure message="boom"/>'
        '<rerunFailure message="again"/><rerunFailure message="still"/></testcase>'
    )
    (result,) = parse_junit(data, "r")[0]
    assert (result.outcome, result.message, result.flaky) == (Outcome.FAILED, "boom", False)


def test_flaky_error_with_no_message() -> None:
    data = junit('<testcase name="t"><flakyError type="java.lang.Error"/></testcase>')
    (result,) = parse_junit(data, "r")[0]
    assert (result.outcome, result.message, result.flaky) == (Outcome.PASSED, "flaky", True)


def test_the_verifies_property_of_the_pytest_plugin() -> None:
    data = junit(
        '<testcase name="t"><properties><property name="verifies" value="SRS-1, SRS-2"/>'
        '<property name="note">text value</property><property value="nameless"/>'
        "</properties></testcase>"
    )
    (result,) = parse_junit(data, "r")[0]
    assert result.properties == (("verifies", "SRS-1, SRS-2"), ("note", "text value"))
    assert result.property_values("verifies") == ["SRS-1, SRS-2"]


def test_source_line_is_where_the_start_tag_ends() -> None:
    """libxml2 reports the line of the start tag's ``>``: its only line, as runners write it."""
    data = (
        b'<testsuite>\n\n<testcase\n name="t"\n classname="c"/>\n<testcase name="u"/>\n</testsuite>'
    )
    assert [r.source_line for r in parse_junit(data, "r")[0]] == [5, 6]


def test_a_nameless_testcase_is_reported_and_left_out() -> None:
    data = junit(
        '<testcase name="before"/>',
        '<testcase classname="c"><failure message="lost"/></testcase>',
        '<testcase name="  "/>',
        '<testcase name="after"/>',
    )
    results, diagnostics = parse_junit(data, "build/r.xml")
    assert [r.name for r in results] == ["before", "after"]
    assert [(d.code, d.rule, d.line, d.path) for d in diagnostics] == [
        ("MT120", "results-malformed", 5, "build/r.xml"),
        ("MT120", "results-malformed", 6, "build/r.xml"),
    ]
    assert "without a name (failed)" in diagnostics[0].found


def test_many_testcases_across_nested_suites_are_all_read() -> None:
    """Earlier test cases are released while reading; suites must still be right."""
    first = "".join(f'<testcase name="a{n}"/>' for n in range(700))
    inner = "".join(f'<testcase name="b{n}"><failure/></testcase>' for n in range(600))
    last = "".join(f'<testcase name="c{n}"/>' for n in range(300))
    data = (
        f'<testsuites><testsuite name="A">{first}<testsuite name="B">{inner}</testsuite>'
        f"{last}</testsuite></testsuites>"
    ).encode()
    results, _ = parse_junit(data, "r")
    assert len(results) == 1600
    assert {r.suite for r in results if r.name.startswith("b")} == {"B"}
    assert {r.suite for r in results if r.name[0] in "ac"} == {"A"}
    assert counts(results) == (1000, 600, 0, 0)


def test_deep_nesting_is_read_with_huge_tree() -> None:
    depth = 300  # beyond libxml2's default limit of 256
    data = (
        "<testsuites>"
        + '<testsuite name="s">' * depth
        + '<testcase name="deep"/>'
        + "</testsuite>" * depth
        + "</testsuites>"
    ).encode()
    results, diagnostics = parse_junit(data, "r")
    assert diagnostics == [] and [r.name for r in results] == ["deep"]


def test_other_encodings_are_decoded() -> None:
    latin = '<?xml version="1.0" encoding="ISO-8859-1"?><testsuite><testcase name="é"/></testsuite>'
    utf16 = '<?xml version="1.0" encoding="UTF-16"?><testsuite><testcase name="ü"/></testsuite>'
    assert parse_junit(latin.encode("latin-1"), "r")[0][0].name == "é"
    assert parse_junit(utf16.encode("utf-16"), "r")[0][0].name == "ü"
