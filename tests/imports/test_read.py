"""Imports of many files, cached per file by content."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from medtrace.imports import RawImport, language_of, read_imports

pytestmark = pytest.mark.verifies("SRS-153")


def test_languages_by_extension() -> None:
    assert [language_of(p) for p in ("a.py", "b.tsx", "c.H", "d.hpp", "e.kt", "f.md")] == [
        "python",
        "tsx",
        "c",
        "cpp",
        "jvm",
        None,
    ]


def test_cached_values_follow_the_content(tmp_path: Path) -> None:
    (tmp_path / "a.py").write_text("import os\n")
    (tmp_path / "b.ts").write_text("import x from './x';\n")
    (tmp_path / "broken.py").write_text("import os\ndef (:\n")
    cache = tmp_path / ".medtrace"
    first = read_imports(tmp_path, ["a.py", "b.ts", "broken.py", "README.md"], cache)
    assert first == {"a.py": [RawImport(1, "python", "os")], "b.ts": [RawImport(1, "js", "./x")]}
    assert (cache / "imports.mtc").is_file()
    assert read_imports(tmp_path, ["a.py", "b.ts"], cache) == first
    (tmp_path / "a.py").write_text("import sys\n")
    st = (tmp_path / "a.py").stat()
    os.utime(tmp_path / "a.py", ns=(st.st_atime_ns, st.st_mtime_ns))  # same time, new content
    again = read_imports(tmp_path, ["a.py"], cache)
    assert again == {"a.py": [RawImport(1, "python", "sys")]}
