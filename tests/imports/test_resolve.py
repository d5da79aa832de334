"""Imports resolved to the project's files, or to the third-party package they name."""

from __future__ import annotations

import pytest

from medtrace.imports import Edge, RawImport, resolve
from medtrace.imports.jvm import jvm_imports

pytestmark = pytest.mark.verifies("SRS-152")

FILES = [
    "svc/src/pkg/__init__.py",
    "svc/src/pkg/api.py",
    "svc/src/pkg/core/__init__.py",
    "svc/src/pkg/core/calc.py",
    "app/src/index.ts",
    "app/src/units.ts",
    "app/src/lib/index.ts",
    "fw/src/a.c",
    "fw/src/a.h",
    "fw/include/b.h",
    "java/src/com/acme/Pump.java",
    "java/src/com/acme/App.java",
]


def _one(path: str, raw: RawImport, include_dirs: list[str] | None = None) -> list[Edge]:
    return resolve({path: [raw]}, FILES, include_dirs or [])


def test_python_absolute_from_and_relative_imports() -> None:
    api = "svc/src/pkg/api.py"
    edges = resolve(
        {
            api: [
                RawImport(1, "python", "pkg.core", "pkg.core.calc"),
                RawImport(2, "python", "pkg.core", "pkg.core.missing_name"),
                RawImport(3, "python", ".core.calc"),
                RawImport(4, "python", "yaml"),
                RawImport(5, "python", "json"),
                RawImport(6, "python", "pkg.core.calc.function_not_module"),
            ]
        },
        FILES,
        [],
    )
    assert [(e.line, e.target, e.package) for e in edges] == [
        (1, "svc/src/pkg/core/calc.py", ""),
        (2, "svc/src/pkg/core/__init__.py", ""),
        (3, "svc/src/pkg/core/calc.py", ""),
        (4, "", "yaml"),
        (6, "svc/src/pkg/core/calc.py", ""),
    ]


def test_js_relative_specifiers_packages_and_builtins() -> None:
    index = "app/src/index.ts"
    edges = resolve(
        {
            index: [
                RawImport(1, "js", "./units"),
                RawImport(2, "js", "./units.js"),
                RawImport(3, "js", "./lib"),
                RawImport(4, "js", "@scope/name/deep"),
                RawImport(5, "js", "react-native"),
                RawImport(6, "js", "node:fs"),
                RawImport(7, "js", "path"),
                RawImport(8, "js", "./missing"),
            ]
        },
        FILES,
        [],
    )
    assert [(e.line, e.target, e.package, e.ecosystem) for e in edges] == [
        (1, "app/src/units.ts", "", ""),
        (2, "app/src/units.ts", "", ""),
        (3, "app/src/lib/index.ts", "", ""),
        (4, "", "@scope/name", "npm"),
        (5, "", "react-native", "npm"),
    ]


def test_c_includes_beside_the_file_then_in_include_dirs() -> None:
    assert _one("fw/src/a.c", RawImport(1, "include", "a.h"))[0].target == "fw/src/a.h"
    assert _one("fw/src/a.c", RawImport(1, "include", "b.h")) == []
    found = _one("fw/src/a.c", RawImport(1, "include", "b.h"), ["fw/include"])
    assert found[0].target == "fw/include/b.h"
    assert _one("fw/src/a.c", RawImport(1, "system", "b.h"), ["fw/include/"])[0].target == (
        "fw/include/b.h"
    )
    assert _one("fw/src/a.c", RawImport(1, "system", "stdint.h")) == []


def test_java_imports_matched_to_package_folders() -> None:
    raw = jvm_imports(
        b"package com.acme;\nimport com.acme.Pump;\nimport static com.acme.Pump.MAX;\n"
        b"import org.junit.Test;\n"
    )
    edges = resolve({"java/src/com/acme/App.java": raw}, FILES, [])
    assert [(e.line, e.target) for e in edges] == [
        (2, "java/src/com/acme/Pump.java"),
        (3, "java/src/com/acme/Pump.java"),
    ]
