"""JavaScript/TypeScript and C/C++ imports read through tree-sitter."""

from __future__ import annotations

import pytest

from medtrace.imports.model import RawImport
from medtrace.imports.treesitter import c_imports, js_imports

pytestmark = pytest.mark.verifies("SRS-152")


def test_js_import_export_require_and_dynamic_import() -> None:
    source = b"""import { a } from './a';
import * as b from "../b/index";
export * from './c';
export { d } from '@scope/pkg/deep';
const e = require('lodash');
const f = await import('./f');
// import { g } from './commented-out';
const h = other('./not-an-import');
"""
    assert js_imports(source, "javascript") == [
        RawImport(1, "js", "./a"),
        RawImport(2, "js", "../b/index"),
        RawImport(3, "js", "./c"),
        RawImport(4, "js", "@scope/pkg/deep"),
        RawImport(5, "js", "lodash"),
        RawImport(6, "js", "./f"),
    ]


def test_typescript_type_imports_count() -> None:
    source = b"import type { Pump } from './pump';\nlet x: number = 1;\n"
    assert js_imports(source, "typescript") == [RawImport(1, "js", "./pump")]


def test_c_local_and_system_includes_not_in_comments() -> None:
    source = b"""#include "a.h"
#include <stdint.h>
/* #include "commented.h" */
#ifdef X
#  include "sub/b.h"
#endif
"""
    assert c_imports(source, "c") == [
        RawImport(1, "include", "a.h"),
        RawImport(2, "system", "stdint.h"),
        RawImport(5, "include", "sub/b.h"),
    ]
