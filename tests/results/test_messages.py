"""One-line messages from failure, error and skip elements."""

from __future__ import annotations

import pytest

from medtrace.results.messages import LIMIT, shorten, summarize

pytestmark = pytest.mark.verifies("SRS-20")


@pytest.mark.parametrize(
    ("attribute", "text", "expected"),
    [
        ("assert False", "def test():\n  assert False", "assert False"),
        ("\nExpected: 1\n     got: 2\n", "java.lang.AssertionError", "Expected: 1 got: 2"),
        (None, "Error: boom\n    at Object.<anonymous> (x.js:1:1)", "Error: boom"),
        ("", "\n\n  first line  \nsecond", "first line"),
        (
            "Failed",
            "=== RUN   TestX\n    x_test.go:7: wrong\n--- FAIL: TestX (0.00s)",
            "x_test.go:7: wrong",
        ),
        ("Failed", "", "Failed"),
        ("Failed", "=== RUN   TestX\n--- FAIL: TestX (0.00s)", "Failed"),
        (
            "=== RUN   TestS\n    s_test.go:3: why\n--- SKIP: TestS (0.00s)\n",
            None,
            "s_test.go:3: why",
        ),
        (
            "self = <T> def test(): > check() E   AssertionError: 1 != 2",
            None,
            "AssertionError: 1 != 2",
        ),
        (
            None,
            "def test():\n>   check()\nE   assert 1 == 2\nE    +  where 1 = f()",
            "assert 1 == 2",  # text: its first meaningful line only
        ),
        (None, None, ""),
        ("   ", "  ", ""),
    ],
)
def test_summarize(attribute: str | None, text: str | None, expected: str) -> None:
    assert summarize(attribute, text) == expected


def test_long_messages_are_cut_with_an_ellipsis() -> None:
    message = summarize("word " * 200, None)
    assert len(message) == LIMIT and message.endswith("…")
    assert shorten("x" * LIMIT) == "x" * LIMIT


def test_shorten_collapses_white_space() -> None:
    assert shorten("  a\t\tb\r\n c  ") == "a b c"
