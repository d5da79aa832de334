"""Java and Kotlin ``import`` lines (a dotted name, matched to paths by its package folders)."""

from __future__ import annotations

import re

from medtrace.imports.model import RawImport

__all__ = ["jvm_imports"]

_IMPORT = re.compile(rb"^[ \t]*import[ \t]+(?:static[ \t]+)?([\w.]+)(?:\.\*)?", re.MULTILINE)


# @implements SRS-152
def jvm_imports(source: bytes) -> list[RawImport]:
    """Imports are whole lines in Java and Kotlin (no nesting, no expressions), so a line
    pattern reads them exactly; a commented-out import line would be read too, which can only
    add a finding, never hide one."""
    out = []
    for match in _IMPORT.finditer(source):
        line = source.count(b"\n", 0, match.start()) + 1
        out.append(RawImport(line, "jvm", match.group(1).decode("utf-8", "replace")))
    return out
