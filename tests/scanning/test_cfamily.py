"""QtTest and Catch2 tests are found, named as their JUnit output names them, and join it."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from medtrace.model import Model
from medtrace.results import ResultSet
from medtrace.results.junit import parse_junit
from medtrace.scanning import cfamily, scan
from medtrace.scanning.cfamily import prepare
from medtrace.tracing import build_trace

from .helpers import Scanned, Write

HEADERS = Path(__file__).resolve().parents[2] / ".." / "shared" / "data" / "headers"

pytestmark = pytest.mark.verifies("SRS-43")

QT_TEST = """#include <QtTest>

class TestQString : public QObject
{
    Q_OBJECT
public:
    void helper();
private slots:
    void initTestCase();
    // @verifies SRS-1
    void toUpper();
    void toUpper_data();
    void cleanup();
    void toLower() { QCOMPARE(QString("A").toLower(), QString("a")); }
public slots:
    void notATest();
signals:
    void done();
private Q_SLOTS:
    void trimmed();
};

// @verifies SRS-2
void TestQString::toUpper()
{
    QFETCH(QString, string);
    QCOMPARE(string.toUpper(), QString("HELLO"));
}

QTEST_MAIN(TestQString)
#include "tst_qstring.moc"
"""

CATCH2_TEST = """#include <catch2/catch_test_macros.hpp>

// @verifies SRS-1
TEST_CASE("vectors can be sized and resized", "[vector]") {
    std::vector<int> v(5);
    REQUIRE(v.size() == 5);
    SECTION("resizing bigger changes size and capacity") {
        // @verifies SRS-2
        v.resize(10);
        REQUIRE(v.size() == 10);
    }
}

SCENARIO("vectors can be sized", "[vector]") {
    GIVEN("A vector with some items") {
        std::vector<int> v(5);
        WHEN("the size is increased") {
            v.resize(10);
            THEN("the size changes") { REQUIRE(v.size() == 10); }
        }
    }
}

TEST_CASE_METHOD(Fixture, "fixture test", "[fix]") { REQUIRE(ready()); }
"""


def test_qt_private_slots_are_tests_named_class_dot_slot(write: Write, scanned: Scanned) -> None:
    write("tests/tst_qstring.cpp", QT_TEST)
    result = scanned()
    assert [t.name for t in result.tests] == [
        "TestQString.toUpper",
        "TestQString.toLower",
        "TestQString.trimmed",
    ]
    assert [(t.ids, t.symbol) for t in result.tags] == [
        (("SRS-1",), "TestQString.toUpper"),
        (("SRS-2",), "TestQString.toUpper"),
    ]


def test_slots_are_not_tests_without_qtest(write: Write, scanned: Scanned) -> None:
    write("tests/widget.cpp", QT_TEST.replace("#include <QtTest>", "").replace("QTEST_MAIN", "X"))
    assert scanned().tests == []


def test_qtest_main_names_the_test_class(write: Write, scanned: Scanned) -> None:
    other = "class Helper : public QObject {\n    Q_OBJECT\nprivate slots:\n    void tick();\n};\n"
    write("tests/tst_qstring.cpp", other + QT_TEST)
    assert "Helper.tick" not in [t.name for t in scanned().tests]


def test_catch2_tests_and_sections(write: Write, scanned: Scanned) -> None:
    write("tests/test_vector.cpp", CATCH2_TEST)
    result = scanned()
    assert [t.name for t in result.tests] == [
        "vectors can be sized and resized",
        "vectors can be sized and resized/resizing bigger changes size and capacity",
        "Scenario: vectors can be sized",
        "Scenario: vectors can be sized/Given: A vector with some items",
        "Scenario: vectors can be sized/Given: A vector with some items/"
        "When: the size is increased",
        "Scenario: vectors can be sized/Given: A vector with some items/"
        "When: the size is increased/Then: the size changes",
        "fixture test",
    ]
    assert [(t.ids, t.symbol) for t in result.tags] == [
        (("SRS-1",), "vectors can be sized and resized"),
        (("SRS-2",), "vectors can be sized and resized/resizing bigger changes size and capacity"),
    ]


def test_catch2_macros_outside_test_files_are_not_tests(write: Write, scanned: Scanned) -> None:
    write("src/vector.cpp", "// @implements SRS-1\n" + CATCH2_TEST)
    assert scanned().tests == []


# QtTest 6 JUnit (-o file,junitxml): classname is the test class, name the slot (data tags in
# parentheses); Catch2's JUnit reporter: classname "<binary>.global", sections "case/section".
QT_JUNIT = b"""<?xml version="1.0" encoding="UTF-8" ?>
<testsuite name="TestQString" tests="5" failures="1" errors="0" skipped="0" time="0.002">
  <testcase name="initTestCase" classname="TestQString" time="0.000"/>
  <testcase name="toUpper(all lower)" classname="TestQString" time="0.000"/>
  <testcase name="toUpper(mixed)" classname="TestQString" time="0.000">
    <failure type="fail" message="Compared values are not the same"/>
  </testcase>
  <testcase name="toLower" classname="TestQString" time="0.000"/>
  <testcase name="cleanupTestCase" classname="TestQString" time="0.000"/>
</testsuite>
"""
CATCH2_JUNIT = b"""<?xml version="1.0" encoding="UTF-8"?>
<testsuites>
  <testsuite name="tests" errors="0" failures="0" tests="4" hostname="tbd" time="0.01">
    <testcase classname="tests.global" name="vectors can be sized and resized" time="0.0"/>
    <testcase classname="tests.global"
      name="vectors can be sized and resized/resizing bigger changes size and capacity"
      time="0.0"/>
    <testcase classname="tests.global" name="Scenario: vectors can be sized/Given: A vector with some items/When: the size is increased/Then: the size changes" time="0.0"/>
    <testcase classname="Fixture" name="fixture test" time="0.0"/>
  </testsuite>
</testsuites>
"""


def _outcomes(tmp_path: Path, junit: bytes) -> dict[str, list[str]]:
    results, problems = parse_junit(junit, "results.xml")
    assert problems == []
    scanned = scan(tmp_path, [], ["tests/**"])
    trace = build_trace(Model(), scanned, ResultSet(results=results), tmp_path)
    return {t.name: sorted(r.outcome.value for r in t.results) for t in trace.tests}


def test_qt_results_join_the_slots(write: Write, tmp_path: Path) -> None:
    write("tests/tst_qstring.cpp", QT_TEST)
    outcomes = _outcomes(tmp_path, QT_JUNIT)
    assert outcomes["TestQString.toUpper"] == ["failed", "passed"]
    assert outcomes["TestQString.toLower"] == ["passed"]
    assert outcomes["TestQString.trimmed"] == []


def test_catch2_results_join_the_tests_and_sections(write: Write, tmp_path: Path) -> None:
    write("tests/test_vector.cpp", CATCH2_TEST)
    outcomes = _outcomes(tmp_path, CATCH2_JUNIT)
    assert outcomes["vectors can be sized and resized"] == ["passed"]
    section = "vectors can be sized and resized/resizing bigger changes size and capacity"
    assert outcomes[section] == ["passed"]
    then = (
        "Scenario: vectors can be sized/Given: A vector with some items/"
        "When: the size is increased/Then: the size changes"
    )
    assert outcomes[then] == ["passed"]
    assert outcomes["fixture test"] == ["passed"]


def test_a_test_macro_alone_on_its_line_keeps_its_block(write: Write, scanned: Scanned) -> None:
    write(
        "tests/test_pump.cpp",
        "#include <gtest/gtest.h>\n\n// @verifies SRS-1\nTEST(Pump, Starts)\n"
        "// the body follows\n{\n  EXPECT_TRUE(start());\n}\n",
    )
    result = scanned()
    assert [t.name for t in result.tests] == ["Pump.Starts"]
    assert [(t.ids, t.symbol) for t in result.tags] == [(("SRS-1",), "Pump.Starts")]


@pytest.mark.verifies("SRS-41")
def test_prepare_blanks_what_the_preprocessor_would_drop_and_keeps_offsets() -> None:
    source = (
        b"RCL_PUBLIC\nRCL_WARN_UNUSED\nrcl_ret_t rcl_init(void);\n"
        b"class LEVELDB_EXPORT DB : public Base {\n  Q_OBJECT\nprivate slots:\n  void a();\n"
        b'signals:\n  void b();\n  FLATBUFFERS_ATTRIBUTE([[deprecated("x")]])\n  int c();\n};\n'
        b"#define GUARD_H\nTEST(Suite, Name)\n{\n}\n"
    )
    prepared = prepare(source)
    assert len(prepared) == len(source)
    assert prepared.count(b"\n") == source.count(b"\n")
    for gone in (b"RCL_PUBLIC", b"RCL_WARN_UNUSED", b"LEVELDB_EXPORT", b"Q_OBJECT", b"slots"):
        assert gone not in prepared
    assert b"FLATBUFFERS_ATTRIBUTE" not in prepared
    assert b"public :" in prepared and b"signals" not in prepared  # signals: reads public:
    for kept in (b"class", b"DB : public Base", b"#define GUARD_H", b"TEST(Suite, Name)"):
        assert kept in prepared


@pytest.mark.parametrize("include", ["<QtTest>", "<QTest>", "<QtTest/QtTest>", "<QtTest/qtest.h>"])
def test_a_test_class_in_a_header_that_includes_qtest(
    include: str, write: Write, scanned: Scanned
) -> None:
    write(
        "tests/tst_pump.h",
        f"#include {include}\nclass TestPump : public QObject\n{{\n    Q_OBJECT\n"
        "private slots:\n    void starts();\n};\n",
    )
    assert [t.name for t in scanned().tests] == ["TestPump.starts"]


def _prepared_line_by_line(source: bytes) -> bytes:
    """What :func:`prepare` did with the two macro line patterns before they were tried only
    at the lines that start with an upper-case letter: each pattern searched at every byte."""
    data = bytearray(source)
    for match in cfamily._MACRO_LINES.finditer(source):
        data[match.start() : match.end()] = b" " * (match.end() - match.start())
    for match in cfamily._MACRO_CALL_LINES.finditer(source):
        following = cfamily._NEXT_CODE.match(source, match.end())
        if following is not None and following.group(1) != b"{":
            data[match.start() : match.end()] = b" " * (match.end() - match.start())
    return bytes(data)


_LINE_PIECES = [
    b"", b" ", b"\t", b"A", b"AB_1", b"RCL_PUBLIC", b"x", b"int f(void);", b"TEST(S, N)",
    b"M(a, (b), ((c)))", b"M(", b")", b"{", b"}", b"\r", b"// c", b"/* c */", b"#define X",
    b"  FOO BAR", b"FOO\tBAR ", b"\xc3\xa9", b"Q(1)\r", b"a B",
]  # fmt: skip


def _generated_sources(count: int) -> list[bytes]:
    """Sources of random lines made of the pieces above (a fixed seed: the same each run)."""
    chooser = random.Random(62304)
    sources = []
    for _ in range(count):
        lines = [
            b"".join(chooser.choice(_LINE_PIECES) for _ in range(chooser.randint(0, 3)))
            for _ in range(chooser.randint(0, 12))
        ]
        sources.append(b"\n".join(lines) + chooser.choice([b"", b"\n", b"\r\n"]))
    return sources


@pytest.mark.verifies("SRS-334")
def test_macro_lines_are_found_as_the_patterns_searched_everywhere_find_them() -> None:
    real = sorted(HEADERS.rglob("*.h*"))
    assert real, "the shared sample headers are beside the repository"
    sources = [p.read_bytes() for p in real] + _generated_sources(3000)
    sources += [b"RCL_PUBLIC\nint f(void);", b"  A\n", b"A", b"\nA\n", b"M(x)\n{\n}", b"M(x)"]
    words = (*cfamily._EXPORT_WORDS, *cfamily._QT_WORDS)
    checked = 0
    for source in sources:
        if any(word in source for word in words):
            continue  # (the patterns of words at work too: not what is compared here)
        assert prepare(source) == _prepared_line_by_line(source), source[:200]
        checked += 1
    assert checked > 2500
    assert sum(_prepared_line_by_line(s) != s for s in sources) > 500  # macro lines were blanked
