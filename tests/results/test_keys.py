"""test_keys: the keys that join a result with a test tagged in code, on the real samples."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from medtrace.results import Outcome, TestResult, split_test_name, test_keys
from medtrace.results.keys import first_key
from medtrace.results.model import make_result

from .helpers import Parsed, by_name

pytestmark = pytest.mark.verifies("SRS-20")

Sample = Callable[[str], Parsed]


def result(classname: str, name: str, *, suite: str = "", file: str | None = None) -> TestResult:
    values = (suite, classname, name, file, None, Outcome.PASSED, "", None, (), "r.xml", 1, None)
    return make_result((*values, False))


def test_the_pytest_example_of_the_brief() -> None:
    found = result("tests.test_x.TestY", "test_z[param]", suite="pytest")
    assert test_keys(found) == (
        "tests/test_x.py::TestY::test_z",
        "test_x.TestY.test_z",
        "TestY.test_z",
        "test_z",
    )
    assert split_test_name(found) == ("test_z", "param")


def test_pytest_with_the_file_attribute(sample: Sample) -> None:
    results, _ = sample("pytest-horovod-fail-skip.xml")
    assert test_keys(by_name(results)["test_rsh_events"]) == (
        "test/test_spark.py::SparkTests::test_rsh_events",
        "test_spark.SparkTests.test_rsh_events",
        "SparkTests.test_rsh_events",
        "test_rsh_events",
    )


def test_pytest_parametrized_without_a_class(sample: Sample) -> None:
    results, _ = sample("pytest-record-property.xml")
    param = by_name(results)["test_parameterized[param2]"]
    assert test_keys(param) == (
        "tests/test_lib.py::test_parameterized",
        "test_lib.test_parameterized",
        "test_parameterized",
    )
    assert split_test_name(param) == ("test_parameterized", "param2")


def test_pytest_nested_classes_and_a_file_in_windows_form() -> None:
    found = result("pkg.tests.test_a.TestOuter.TestInner", "test_b", file="pkg\\tests\\test_a.py")
    assert test_keys(found) == (
        "pkg/tests/test_a.py::TestOuter::TestInner::test_b",
        "test_a.TestOuter.TestInner.test_b",
        "TestOuter.TestInner.test_b",
        "TestInner.test_b",
        "test_b",
    )


def test_jest_junit_titles(sample: Sample) -> None:
    results, _ = sample("jest-junit-failures.xml")
    named = by_name(results)
    assert test_keys(named["Failing test"]) == ("Test 1 Test 1.1 Failing test", "Failing test")
    assert test_keys(named["Timeout test"]) == ("Timeout test",)
    assert split_test_name(named["Failing test"]) == ("Failing test", None)


def test_jest_junit_default_templates() -> None:
    full = "Calculator adds (two) numbers"
    found = result(full, full, suite="src/calc.test.ts")
    assert test_keys(found) == (full,)
    assert split_test_name(found) == (full, None)  # brackets in a title are not parameters


def test_mocha_titles(sample: Sample) -> None:
    results, _ = sample("mocha-junit-reporter-calculator.xml")
    factor = [r for r in results if r.classname.startswith("divides a positive integer by an i")]
    assert test_keys(factor[0]) == (
        "Arithmetic Division divides a positive integer by an integer factor",
        "divides a positive integer by an integer factor",
    )


def test_surefire_classname_and_method(sample: Sample) -> None:
    results, _ = sample("surefire-flaky-rerun.xml")
    assert test_keys(results[0]) == (
        "org.acme.FlakyTest.testFlaky",
        "FlakyTest.testFlaky",
        "testFlaky",
    )


def test_junit4_parameters_are_stripped() -> None:
    found = result("com.acme.LimitsTest", "rejectsAbove[3]")
    assert test_keys(found) == (
        "com.acme.LimitsTest.rejectsAbove",
        "LimitsTest.rejectsAbove",
        "rejectsAbove",
    )


def test_go_packages_and_subtests(sample: Sample) -> None:
    results, _ = sample("gotestsum-report.xml")
    sub = next(r for r in results if r.name == "TestNestedWithFailure/a/sub")
    assert test_keys(sub) == (
        "gotest.tools/gotestsum/testjson/internal/withfails.TestNestedWithFailure",
        "withfails.TestNestedWithFailure",
        "TestNestedWithFailure",
    )
    assert split_test_name(sub) == ("TestNestedWithFailure", "a/sub")
    main = results[0]  # no classname: the suite is the package
    assert test_keys(main) == (
        "gotest.tools/gotestsum/testjson/internal/badmain.TestMain",
        "badmain.TestMain",
        "TestMain",
    )


def test_ctest_test_names(sample: Sample) -> None:
    results, _ = sample("ctest-user-example.xml")
    assert test_keys(results[0]) == ("MyTestSuiteName.TestName", "TestName")
    assert test_keys(results[2]) == (
        "MyTestPattern/MyTestHelperPattern.TestName3/1",
        "MyTestPattern/MyTestHelperPattern.TestName3",
        "MyTestHelperPattern.TestName3",
        "TestName3",
    )
    assert split_test_name(results[2]) == ("MyTestPattern/MyTestHelperPattern.TestName3", "1")
    assert test_keys(result("unit_tests", "unit_tests")) == ("unit_tests",)
    assert split_test_name(result("unit_tests", "unit_tests")) == ("unit_tests", None)


def test_gtest_value_parameters(sample: Sample) -> None:
    results, _ = sample("gtest-user-example.xml")
    param = by_name(results)["TestName3/2"]
    assert test_keys(param) == (
        "MyTestPattern/MyTestHelperPattern.TestName3",
        "MyTestHelperPattern.TestName3",
        "TestName3",
    )
    assert split_test_name(param) == ("TestName3", "2")
    assert test_keys(by_name(results)["TestName"]) == ("MyTestSuiteName.TestName", "TestName")


def test_nunit_parametrized_tests_and_fixtures(sample: Sample) -> None:
    results, _ = sample("nunit-junit-testlogger.xml")
    data = next(r for r in results if r.name == 'TestData(2,"B")')
    assert test_keys(data)[1:] == ("ParametrizedTestCases.TestData", "TestData")
    assert split_test_name(data) == ("TestData", '2,"B"')
    fixture = next(r for r in results if r.classname.endswith('Fixture("Question",1)'))
    assert test_keys(fixture) == (
        "JUnit.Xml.TestLogger.NetFull.Tests.ParametrizedFixture.TestE",
        "ParametrizedFixture.TestE",
        "TestE",
    )


def test_gradle_methods_and_parameterized_display_names(sample: Sample) -> None:
    results, _ = sample("gradle-kotlin-calculator.xml")
    named = by_name(results)
    assert test_keys(named["additionTest()"]) == (
        "com.github.guenhter.junit.CalculatorTest.additionTest",
        "CalculatorTest.additionTest",
        "additionTest",
    )
    # "[1] 1, 2, 3" names no method: only class-qualified keys, never the bare display name
    assert test_keys(named["[1] 1, 2, 3"]) == (
        "com.github.guenhter.junit.CalculatorTest.[1] 1, 2, 3",
        "CalculatorTest.[1] 1, 2, 3",
    )
    kotlin = named["multiplication of two numbers()"]
    assert test_keys(kotlin)[-1] == "multiplication of two numbers"


def test_phpunit_classes_data_sets_and_phpt(sample: Sample) -> None:
    results, _ = sample("phpunit-nested-suites.xml")
    assert test_keys(by_name(results)["testFlushesCollectedEvents"]) == (
        "PHPUnit.Event.DeferringDispatcherTest.testFlushesCollectedEvents",
        "DeferringDispatcherTest.testFlushesCollectedEvents",
        "testFlushesCollectedEvents",
    )
    phpt = results[0]
    assert test_keys(phpt) == ("targeting-traits-with-coversclass-attribute-is-deprecated.phpt",)
    data_set = result("Acme.MathTest", 'testAdd with data set "two"')
    assert test_keys(data_set)[-1] == "testAdd"
    assert split_test_name(data_set) == ("testAdd", '"two"')


def test_every_sample_result_has_keys(sample: Sample) -> None:
    from .test_junit import EXPECTED

    for name in EXPECTED:
        for found in sample(name)[0]:
            keys = test_keys(found)
            assert keys and all(key.strip() == key and key for key in keys), (name, found)
            assert len(set(keys)) == len(keys)


def test_the_first_key_is_the_first_of_the_keys(sample: Sample) -> None:
    from .test_junit import EXPECTED

    made = [
        result("tests.test_x.TestY", "test_z[param]", suite="pytest"),
        result("tests.test_x.TestY", "test_z", file="tests/test_x.py"),
        result("TestY", "test_z", suite="pytest"),  # no module: no file, no node ID
        result("", "test_z", suite="pytest"),
        result("", "", suite="pytest"),
        result("", ""),
    ]
    found = [r for name in EXPECTED for r in sample(name)[0]]
    assert len(found) > 100
    for each in [*made, *found]:
        keys = test_keys(each)
        assert first_key(each) == (keys[0] if keys else None), each
    assert first_key(made[0]) == "tests/test_x.py::TestY::test_z"
    assert first_key(made[-1]) is None


def test_test_keys_is_not_taken_for_a_test() -> None:
    assert getattr(test_keys, "__test__", True) is False
