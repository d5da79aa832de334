"""Write a big JUnit XML file, shaped like pytest's ``--junitxml`` output, for benchmarks.

    python bench/results/make_big_junit.py OUT.xml [--count 100000] [--seed 62304]

Test cases come in suites of 250 (one per test module), each with ``classname``, ``name``,
``file``, ``line`` and ``time``; about 2% fail with a 20-line traceback, 1% are skipped, 1% are
expected failures and 5% carry a ``verifies`` property.
"""

from __future__ import annotations

import argparse
import random
from pathlib import Path
from xml.sax.saxutils import quoteattr

SUITE_SIZE = 250
_TRACEBACK = "\n".join(
    f'  File "src/app/module_{n}.py", line {10 * n}, in step_{n}\n    value = step_{n + 1}(value)'
    for n in range(10)
)


def make_junit(count: int, seed: int = 62304) -> bytes:
    """A JUnit XML document with ``count`` test cases, the same for the same seed."""
    rng = random.Random(seed)
    parts = ['<?xml version="1.0" encoding="utf-8"?>\n<testsuites name="bench">\n']
    for start in range(0, count, SUITE_SIZE):
        parts.append(_suite(rng, start, min(SUITE_SIZE, count - start)))
    parts.append("</testsuites>\n")
    return "".join(parts).encode("utf-8")


def _suite(rng: random.Random, start: int, size: int) -> str:
    module = f"tests/area_{start // 5000}/test_module_{start // SUITE_SIZE}.py"
    lines = [
        f'  <testsuite name="pytest" tests="{size}" time="{size * 0.01:.3f}" '
        'timestamp="2025-01-01T12:00:00" hostname="ci">\n'
    ]
    lines.extend(_testcase(rng, module, start + n) for n in range(size))
    lines.append("  </testsuite>\n")
    return "".join(lines)


def _testcase(rng: random.Random, module: str, number: int) -> str:
    classname = module.removesuffix(".py").replace("/", ".") + f".TestFeature{number % 7}"
    attributes = (
        f'classname="{classname}" name="test_case_{number}[variant-{number % 3}]" '
        f'file="{module}" line="{number % 900 + 1}" time="{rng.random() / 10:.6f}"'
    )
    body = _body(rng, number)
    if not body:
        return f"    <testcase {attributes} />\n"
    return f"    <testcase {attributes}>\n{body}    </testcase>\n"


def _body(rng: random.Random, number: int) -> str:
    roll = rng.random()
    body = ""
    if roll < 0.02:
        message = quoteattr(f"AssertionError: expected {number} == {number + 1}")
        body = f"      <failure message={message}>Traceback:\n{_TRACEBACK}\n</failure>\n"
    elif roll < 0.03:
        body = '      <skipped type="pytest.skip" message="needs the device simulator" />\n'
    elif roll < 0.04:
        body = '      <skipped type="pytest.xfail" message="known anomaly ANOM-3" />\n'
    if rng.random() < 0.05:
        verifies = f"SRS-{number % 400 + 1}, SRS-{number % 400 + 2}"
        body += f'      <properties><property name="verifies" value="{verifies}" /></properties>\n'
    return body


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("output", type=Path)
    parser.add_argument("--count", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=62304)
    args = parser.parse_args()
    args.output.write_bytes(make_junit(args.count, args.seed))


if __name__ == "__main__":
    main()
