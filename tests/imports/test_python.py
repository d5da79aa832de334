"""Python imports read with ``ast``, relative ones made absolute from the file's package."""

from __future__ import annotations

import pytest

from medtrace.imports.model import RawImport
from medtrace.imports.python import absolute, python_imports

pytestmark = pytest.mark.verifies("SRS-152")


def test_every_import_form_with_its_line() -> None:
    source = b"""from __future__ import annotations
import os, json as j
from pkg.sub import a, b
from . import sibling
from ..up import thing

def f():
    import lazy.inner
"""
    assert python_imports(source) == [
        RawImport(2, "python", "json"),
        RawImport(2, "python", "os"),
        RawImport(3, "python", "pkg.sub", "pkg.sub.a"),
        RawImport(3, "python", "pkg.sub", "pkg.sub.b"),
        RawImport(4, "python", ".", ".sibling"),
        RawImport(5, "python", "..up", "..up.thing"),
        RawImport(8, "python", "lazy.inner"),
    ]


def test_a_file_that_does_not_parse_gives_none() -> None:
    assert python_imports(b"import os\ndef broken(:\n") is None
    assert python_imports(b"def broken(:\n") == []  # no import can be written without the word


@pytest.mark.parametrize(
    ("target", "module", "is_package", "expected"),
    [
        ("os", "a.b", False, "os"),
        (".sibling", "pkg.mod", False, "pkg.sibling"),
        ("..up.thing", "pkg.sub.mod", False, "pkg.up.thing"),
        (".inner", "pkg", True, "pkg.inner"),
        ("...too.far", "pkg.mod", False, None),
    ],
)
def test_relative_imports_made_absolute(
    target: str, module: str, is_package: bool, expected: str | None
) -> None:
    assert absolute(target, module, is_package) == expected
