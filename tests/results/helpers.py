"""Helpers for the results tests: where the shared samples are, and how to tally results."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from helpers import SHARED_DATA

from medtrace.diagnostics import Diagnostic
from medtrace.results import TestResult

#: the shared sample data beside the repository (never copied into it)
DATA = SHARED_DATA
JUNIT = DATA / "junit"

Parsed = tuple[list[TestResult], list[Diagnostic]]


def counts(results: Iterable[TestResult]) -> tuple[int, int, int, int]:
    """How many passed, failed, errored and were skipped."""
    found = Counter(result.outcome.value for result in results)
    return found["passed"], found["failed"], found["error"], found["skipped"]


def by_name(results: Iterable[TestResult]) -> dict[str, TestResult]:
    """Results by test name (the last one wins for repeated names)."""
    return {result.name: result for result in results}


def junit(*testcases: str, suite: str = '<testsuite name="s">') -> bytes:
    """A small JUnit document with the given ``<testcase>`` elements in one suite."""
    body = "\n".join(testcases)
    return f'<?xml version="1.0" encoding="UTF-8"?>\n<testsuites>\n{suite}\n{body}\n</testsuite>\n</testsuites>\n'.encode()
