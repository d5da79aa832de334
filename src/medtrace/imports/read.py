"""Reading the imports of many files, cached per file by content (:class:`FileCache`)."""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path, PurePosixPath

from medtrace.cache import FileCache
from medtrace.fs.read import read_regular
from medtrace.imports.jvm import jvm_imports
from medtrace.imports.model import RawImport
from medtrace.imports.python import python_imports

__all__ = ["language_of", "read_imports"]

_EXTENSIONS = {
    ".py": "python",
    ".pyi": "python",
    ".ts": "typescript",
    ".mts": "typescript",
    ".cts": "typescript",
    ".tsx": "tsx",
    ".js": "javascript",
    ".jsx": "javascript",
    ".mjs": "javascript",
    ".cjs": "javascript",
    ".c": "c",
    ".h": "c",
    ".cc": "cpp",
    ".cpp": "cpp",
    ".cxx": "cpp",
    ".hh": "cpp",
    ".hpp": "cpp",
    ".hxx": "cpp",
    ".java": "jvm",
    ".kt": "jvm",
    ".kts": "jvm",
}
#: Bump when what is cached per file changes meaning.
_FORMAT = "imports-1"


def language_of(path: str) -> str | None:
    """The import dialect of a file, by its extension; ``None``: no imports are read."""
    return _EXTENSIONS.get(PurePosixPath(path).suffix.lower())


# @implements SRS-153
def read_imports(
    root: Path, files: Iterable[str], cache_dir: Path | None, max_bytes: int = 5_000_000
) -> dict[str, list[RawImport]]:
    """The imports written in each of ``files`` (relative to ``root``) whose language has
    imports. A file that cannot be read or parsed is left out (the scanner reports it)."""
    from medtrace import __version__

    cache = FileCache(cache_dir, "imports", f"{__version__}/{_FORMAT}")
    out: dict[str, list[RawImport]] = {}
    for rel in files:
        language = language_of(rel)
        if language is None:
            continue
        found = _read_one(root, rel, language, cache, max_bytes)
        if found is not None:
            out[rel] = found
    cache.save()
    return out


def _read_one(
    root: Path, rel: str, language: str, cache: FileCache, max_bytes: int
) -> list[RawImport] | None:
    full = os.path.join(root, rel)
    try:
        st = os.stat(full)  # noqa: PTH116  (a str path: no Path object per file)
    except OSError:
        return None
    if st.st_size > max_bytes:
        return None
    cached = cache.get(rel, st, root=str(root))
    if cached is not None:
        return [RawImport(*row) for row in cached]
    read = read_regular(full, st.st_size, st)
    if not read.ok:
        return None
    found = _parse(read.data, language)
    if found is not None:
        cache.put(rel, st, read.data, [tuple(r) for r in found])
    return found


def _parse(data: bytes, language: str) -> list[RawImport] | None:
    if language == "python":
        return python_imports(data)
    if language == "jvm":
        return jvm_imports(data)
    from medtrace.imports.treesitter import C_LANGUAGES, c_imports, js_imports

    if language in C_LANGUAGES:
        return c_imports(data, language)
    return js_imports(data, language)
