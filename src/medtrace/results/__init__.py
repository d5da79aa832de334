"""Test results from JUnit XML files: what each test case of the latest run says.

::

    found = load_results(root, ["build/results/*.xml"], cache_dir=root / ".medtrace" / "cache")
    for result in found.results:
        print(test_keys(result), result.outcome.value, result.message)

:func:`load_results` finds the files, :func:`parse_junit` reads one (see
:mod:`medtrace.results.junit` for the formats and the outcome rules) and :func:`test_keys` gives
the keys to join a result with a tagged test (see :mod:`medtrace.results.keys`).

Diagnostics: ``MT120`` ``results-malformed`` (error) for a file that cannot be read, is empty,
is not well-formed XML or not JUnit, and for a ``<testcase>`` without a name; ``MT121``
``results-missing`` (warning) for a pattern that matches no file.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from medtrace.lazy import lazy_attributes
from medtrace.results.codes import RESULTS_MALFORMED, RESULTS_MISSING
from medtrace.results.keys import split_test_name, test_keys
from medtrace.results.model import Outcome, ResultSet, TestResult

if TYPE_CHECKING:
    from medtrace.results.junit import parse_junit
    from medtrace.results.loader import load_results

__all__ = [
    "RESULTS_MALFORMED",
    "RESULTS_MISSING",
    "Outcome",
    "ResultSet",
    "TestResult",
    "load_results",
    "parse_junit",
    "split_test_name",
    "test_keys",
]

# The XML parser (lxml) is imported on first use: finding result files needs none of it.
_LAZY = {"parse_junit": "medtrace.results.junit", "load_results": "medtrace.results.loader"}


__getattr__ = lazy_attributes(__name__, _LAZY)
