"""Keys under which a test result can be found, to join results with the tests tagged in code.

:func:`test_keys` gives normalized candidate keys, most specific first, without duplicates. A
test found in code is matched by computing its own key in one of these forms and looking it up;
the first key that hits wins. The form depends on the runner's naming convention:

**pytest** (the ``file`` attribute ends in ``.py``, or the suite is called ``pytest``):
``classname="tests.test_x.TestY" name="test_z[param]"`` gives
``("tests/test_x.py::TestY::test_z", "test_x.TestY.test_z", "TestY.test_z", "test_z")``. The file
comes from the ``file`` attribute when present (``xunit1``), else from the classname: the
trailing segments that start with a capital letter are classes, the rest is the module path.

**Titles** (jest-junit, mocha, Cypress: the test or suite file is JavaScript/TypeScript, or the
classname is not an identifier): the full title, describe blocks and test title joined by single
spaces (``›`` and ``>`` separators become spaces, white space is collapsed), then the test's own
title when it can be told. jest-junit's ``classname="Calc › add" name="sums"`` gives
``("Calc add sums", "sums")``; mocha's ``classname="sums" name="Calc add sums"`` the same;
jest-junit's default (classname and name both the full title) gives ``("Calc add sums",)``.

**Qualified names** (Surefire, Gradle, NUnit, PHPUnit, go test, GoogleTest):
``classname.method``, then the class's last segment and the method, then the method alone.
Surefire's ``classname="org.acme.FlakyTest" name="testFlaky"`` gives
``("org.acme.FlakyTest.testFlaky", "FlakyTest.testFlaky", "testFlaky")``; go's
``classname="example.com/pkg" name="TestX/sub"`` gives
``("example.com/pkg.TestX", "pkg.TestX", "TestX")``; GoogleTest's
``classname="Inst/Suite" name="Test/0"`` gives ``("Inst/Suite.Test", "Suite.Test", "Test")``.
A test without a classname is owned by its suite when the suite's name is qualified
(gotestsum's package-level ``TestMain``).
JUnit 5 parameterized display names (``[1] 1, 2, 3``) carry no method name: only the two
class-qualified keys are given, so that they never match a method by accident.

**CTest** (classname equal to the name): the test name itself first, then the qualified keys of
``Suite.Test`` when the name has that shape (``gtest_discover_tests``).

Apart from CTest's exact test name, the parametrization is stripped from the keys (the keys of
all the variants of a test are the same): pytest and JUnit 4 ``[...]``,
JUnit 5 and NUnit ``(...)`` (also on NUnit fixture classnames), go subtests and GoogleTest value
parameters ``/...``, PHPUnit ``with data set ...``. :func:`split_test_name` gives the name
without it, and the parametrization itself.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Iterator

from medtrace.results.model import TestResult

__all__ = ["first_key", "first_keys", "split_test_name", "test_keys"]

_JS_FILES = (".js", ".jsx", ".ts", ".tsx", ".mjs", ".cjs", ".mts", ".cts")
_QUALIFIED = re.compile(r"[\w$.:/\\<>#-]+(?:\(.*\))?")
_PARAMETRIZED = (
    re.compile(r"(?P<base>\S+) with data set (?P<param>.+)"),  # PHPUnit
    re.compile(r"(?P<base>[^\[]*[^\[\s])\[(?P<param>.*)\]"),  # pytest, JUnit 4
    re.compile(r"(?P<base>[^(]*[^(\s])\((?P<param>.*)\)"),  # JUnit 5, NUnit, Kotlin
    re.compile(r"(?P<base>[\w$.]+)/(?P<param>.+)"),  # go subtests, GoogleTest value parameters
)
_CLASS_PARAMETERS = re.compile(r"(?:\(.*\)|/\d+)$")  # NUnit fixture arguments, GoogleTest types
_JUNIT5_INDEX = re.compile(r"\[\d+\]")
_SEPARATORS = re.compile(r"\s+(?:›|>)\s+|\s+")
_SEGMENTS = re.compile(r"[./\\:]+")


def test_keys(result: TestResult) -> tuple[str, ...]:
    """Candidate keys for ``result``, most specific first (see the module documentation)."""
    if _is_pytest(result):
        keys = _pytest_keys(result)
    elif _is_titled(result):
        keys = _title_keys(result)
    elif result.classname == result.name:
        keys = _ctest_keys(result.name)
    else:
        keys = _qualified_keys(result.classname or _qualified_suite(result), result.name)
    return tuple(dict.fromkeys(filter(None, keys)))  # without the empty ones, in order


test_keys.__test__ = False  # type: ignore[attr-defined]  # not a test, whatever its name


def first_key(result: TestResult) -> str | None:
    """``test_keys(result)[0]``, the most specific key (``None`` when there is none), without
    making the others: most results are matched by it alone. A pytest result with a file has
    its node ID first; any other result takes its keys' first."""
    if _is_pytest(result):
        base, _param = _split(result.name)
        path, classes, _module = _pytest_location(result.classname, result.file)
        if path:  # then the first of _pytest_keys, never empty
            return "::".join([path, *classes, base])
    keys = test_keys(result)
    return keys[0] if keys else None


def first_keys(results: Iterable[TestResult]) -> Iterator[str | None]:
    """:func:`first_key` of each result, in order: the pytest node ID (most results) is made
    in this loop, from the file and classes worked out once per classname and file, with no
    Python call for a name without parameter marks."""
    prefixes: dict[tuple[str, str | None] | str, str] = {}  # "path::Class::" ("": no path)
    for result in results:
        file = result.file
        if result.suite == "pytest" or (file is not None and file.endswith(".py")):
            where = result.classname if file is None else (result.classname, file)
            prefix = prefixes.get(where)
            if prefix is None:
                prefix = prefixes[where] = _node_prefix(result.classname, file)
            if prefix:
                name = result.name
                plain = "[" not in name and "(" not in name and "/" not in name
                yield prefix + (name if plain and " with data " not in name else _split(name)[0])
                continue
        keys = test_keys(result)
        yield keys[0] if keys else None


def _node_prefix(classname: str, file: str | None) -> str:
    """``path::Class::`` of a pytest result's node ID, or ``""`` when it has no file."""
    path, classes, _module = _pytest_location(classname, file)
    return "::".join([path, *classes, ""]) if path else ""


def split_test_name(result: TestResult) -> tuple[str, str | None]:
    """The test name without its parametrization, and the parametrization (``None`` if none).

    Titles (jest, mocha) are never split: their brackets are part of the sentence.
    """
    if _is_titled(result) and not _is_pytest(result):
        return result.name, None
    suite, dot, test = result.name.rpartition(".")
    if result.classname == result.name and dot and suite:  # CTest's Suite.Test/param
        base, param = _split(test)
        return f"{suite}.{base}", param
    return _split(result.name)


def _split(name: str) -> tuple[str, str | None]:
    if "[" not in name and "(" not in name and "/" not in name and " with data " not in name:
        return name, None  # what every pattern needs is missing (most names: no regex run)
    for pattern in _PARAMETRIZED:
        match = pattern.fullmatch(name)
        if match:
            return match["base"], match["param"] or None
    return name, None


def _is_pytest(result: TestResult) -> bool:
    return result.suite == "pytest" or (result.file or "").endswith(".py")


def _is_titled(result: TestResult) -> bool:
    if (result.file or "").endswith(_JS_FILES) or result.suite.endswith(_JS_FILES):
        return True
    if result.classname:
        return not _QUALIFIED.fullmatch(result.classname)
    return any(char.isspace() for char in result.name)


def _pytest_keys(result: TestResult) -> list[str]:
    base, _param = _split(result.name)
    path, classes, module = _pytest_location(result.classname, result.file)
    inner = ".".join([*classes, base])
    keys = [
        "::".join([path, *classes, base]) if path else "",
        f"{module}.{inner}" if module else "",
    ]
    return [*keys, inner, f"{classes[-1]}.{base}" if classes else "", base]


@functools.lru_cache(maxsize=4096)
def _pytest_location(classname: str, file: str | None) -> tuple[str, tuple[str, ...], str]:
    """The test file (as pytest names it), the classes and the module name of a pytest result.
    Kept for each (classname, file): the tests of a module or class share them, and working
    them out again for each of 100,000 results took a third of the time to key them."""
    path, classes = _file_and_classes(classname, file)
    return path, tuple(classes), path.rsplit("/", 1)[-1].removesuffix(".py")


def _file_and_classes(classname: str, file: str | None) -> tuple[str, list[str]]:
    parts = classname.split(".") if classname else []
    if file and file.endswith(".py"):
        path = file.replace("\\", "/")
        module = path.removesuffix(".py").replace("/", ".").split(".")
        if parts[: len(module)] == module:
            return path, parts[len(module) :]
        return path, _trailing_classes(parts)
    classes = _trailing_classes(parts)
    module = parts[: len(parts) - len(classes)]
    return ("/".join(module) + ".py" if module else ""), classes


def _trailing_classes(parts: list[str]) -> list[str]:
    count = 0
    while count < len(parts) - 1 and parts[-1 - count][:1].isupper():
        count += 1
    return parts[len(parts) - count :]


def _title_keys(result: TestResult) -> list[str]:
    name, classname = _title(result.name), _title(result.classname)
    if not classname or classname == name:
        return [name]
    if name.endswith(" " + classname):  # mocha: the name is the full title
        return [name, classname]
    if classname.endswith(" " + name):
        return [classname, name]
    return [f"{classname} {name}", name]


def _title(text: str) -> str:
    return _SEPARATORS.sub(" ", text).strip()


def _qualified_suite(result: TestResult) -> str:
    """The suite, as the owner of a test without a classname (gotestsum: the package)."""
    return result.suite if _QUALIFIED.fullmatch(result.suite) else ""


def _ctest_keys(name: str) -> list[str]:
    suite, dot, test = name.rpartition(".")
    if not dot or not suite or not test:
        return [name, _split(name)[0]]
    return [name, *_qualified_keys(suite, test)]


def _qualified_keys(classname: str, name: str) -> list[str]:
    base, _param = _split(name)
    owner = _CLASS_PARAMETERS.sub("", classname)
    if not owner:
        return [base]
    short = _SEGMENTS.split(owner)[-1] or owner
    if _JUNIT5_INDEX.match(name):
        return [f"{owner}.{name}", f"{short}.{name}"]
    return [f"{owner}.{base}", f"{short}.{base}", base]
