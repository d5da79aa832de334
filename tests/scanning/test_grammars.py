"""The tests found in test files, per language, tagged or not."""

from __future__ import annotations

import pytest

from .helpers import Scanned, Write

pytestmark = pytest.mark.verifies("SRS-19")

CASES: dict[str, tuple[str, str, list[str]]] = {
    "python": (
        "tests/test_pump.py",
        """import pytest


def test_clamps():
    assert True


async def test_async_clamp():
    assert True


def helper():
    def test_nested():  # not collected: inside a function
        pass


class TestPump:
    def test_rate(self):
        pass

    def helper(self):
        pass

    class TestNested:
        def test_deep(self):
            pass


class TestWithInit:
    def __init__(self):
        pass

    def test_ignored(self):
        pass


class Helper:
    def test_not_in_a_test_class(self):
        pass
""",
        ["test_clamps", "test_async_clamp", "TestPump.test_rate", "TestPump.TestNested.test_deep"],
    ),
    "c": (
        "tests/test_pump.c",
        """#include "unity.h"

void setUp(void) {}

void test_clamps(void)
{
    TEST_ASSERT_EQUAL(1, 1);
}

static int helper(void) { return 0; }

void test_rates(void) { TEST_ASSERT_TRUE(helper() == 0); }
""",
        ["test_clamps", "test_rates"],
    ),
    "cpp": (
        "tests/pump_test.cpp",
        """#include <gtest/gtest.h>

TEST(PumpTest, Clamps) {
  EXPECT_EQ(1, 1);
}

TEST_F(PumpFixture, Rates) {
  EXPECT_TRUE(true);
}

static int helper() { return 0; }
""",
        ["PumpTest.Clamps", "PumpFixture.Rates"],
    ),
    "java": (
        "tests/PumpTest.java",
        """import org.junit.jupiter.api.Test;

class PumpTest {
  @Test
  void clamps() {}

  @org.junit.Test
  public void rates() {}

  @ParameterizedTest
  @ValueSource(ints = {1, 2})
  void sizes(int n) {}

  void helper() {}
}
""",
        ["PumpTest.clamps", "PumpTest.rates", "PumpTest.sizes"],
    ),
    "kotlin": (
        "tests/PumpTest.kt",
        """import org.junit.jupiter.api.Test

class PumpTest {
    @Test
    fun clamps() {
    }

    fun helper() {
    }
}
""",
        ["PumpTest.clamps"],
    ),
    "csharp": (
        "tests/PumpTests.cs",
        """using NUnit.Framework;

namespace Pumps.Tests
{
    public class PumpTests
    {
        [Test]
        public void Clamps() { }

        [Fact]
        public void Rates() { }

        [TestMethod, Timeout(10)]
        public void Sizes() { }

        public void Helper() { }
    }
}
""",
        ["PumpTests.Clamps", "PumpTests.Rates", "PumpTests.Sizes"],
    ),
    "go": (
        "tests/pump_test.go",
        """package pump

import "testing"

func TestClamp(t *testing.T) {
	t.Run("sub", func(t *testing.T) {})
}

func Testify(t *testing.T) {}

func helper() {}

func BenchmarkClamp(b *testing.B) {}
""",
        ["TestClamp"],
    ),
    "rust": (
        "tests/pump.rs",
        """#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clamps() {
        assert!(true);
    }

    #[tokio::test]
    async fn rates() {}

    fn helper() {}
}
""",
        ["tests.clamps", "tests.rates"],
    ),
    "swift": (
        "tests/PumpTests.swift",
        """import XCTest

final class PumpTests: XCTestCase {
    func testClamp() throws {
        XCTAssertEqual(1, 1)
    }

    func helper() {}
}

class NotATestCase {
    func testIgnored() {}
}
""",
        ["PumpTests.testClamp"],
    ),
    "javascript": (
        "tests/pump.test.js",
        """const { clamp } = require("../src/pump");

describe("clamp", () => {
  it("limits the dose", () => {
    expect(clamp(20)).toBe(10);
  });

  describe("when negative", () => {
    test("gives zero", () => expect(clamp(-1)).toBe(0));
    it.todo("warns");
  });
});

test("top level", async function () {});
""",
        [
            "clamp > limits the dose",
            "clamp > when negative > gives zero",
            "clamp > when negative > warns",
            "top level",
        ],
    ),
    "typescript": (
        "tests/pump.test.ts",
        """import { clamp } from "../src/pump";

describe("clamp", () => {
  beforeEach(() => {
    jest.resetAllMocks();
  });

  it("limits the dose", () => {
    expect(clamp(20)).toBe(10);
  });

  it.each([1, 2])("keeps %i", (n: number) => {
    expect(clamp(n)).toBe(n);
  });
});
""",
        ["clamp > limits the dose", "clamp > keeps %i"],
    ),
    "tsx": (
        "tests/Pump.test.tsx",
        """import { render } from "@testing-library/react";

describe("Pump", () => {
  it("renders", () => {
    render(<Pump units={1} />);
  });
});
""",
        ["Pump > renders"],
    ),
}


@pytest.mark.parametrize("language", sorted(CASES))
def test_tests_are_found(language: str, write: Write, scanned: Scanned) -> None:
    path, text, expected = CASES[language]
    write(path, text)
    result = scanned()
    assert [t.name for t in result.tests] == expected
    assert {t.language for t in result.tests} == {language}
    lines = text.splitlines()
    for test in result.tests:
        assert test.path == path
        last = test.name.replace(" > ", ".").split(".")[-1]
        assert last.split(" ")[0] in lines[test.line - 1]


@pytest.mark.parametrize("language", sorted(CASES))
def test_source_files_have_no_tests(language: str, write: Write, scanned: Scanned) -> None:
    path, text, _ = CASES[language]
    write(path.replace("tests/", "src/"), text)
    assert scanned().tests == []


def test_a_tag_above_a_test_belongs_to_it(write: Write, scanned: Scanned) -> None:
    write(
        "tests/test_x.py",
        "# @verifies SRS-1\ndef test_a():\n    pass\n\n\ndef test_b():\n    '''@verifies SRS-2'''\n",
    )
    result = scanned()
    assert [(t.ids, t.symbol, t.symbol_line) for t in result.tags] == [
        (("SRS-1",), "test_a", 2),
        (("SRS-2",), "test_b", 6),
    ]
