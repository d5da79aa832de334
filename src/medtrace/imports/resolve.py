"""Resolving written imports to the project's files, or naming the third-party package.

- Python: a file's dotted name starts at its top package (the highest folder holding an
  ``__init__.py`` in an unbroken chain); ``from a import b`` depends on the module ``a.b`` if it
  is a file of the project, else on ``a``; a name not in the project, nor in the standard
  library, is a third-party package (its top-level name).
- JavaScript/TypeScript: ``./`` and ``../`` specifiers are tried as written, with the usual
  extensions, and as a folder's ``index``; a bare specifier is an npm package (``@scope/name``
  or ``name``), unless it is a Node.js built-in module.
- C/C++: ``#include "x.h"`` is looked for beside the including file, then in each configured
  include folder; ``#include <x.h>`` in the include folders, else it is a system header.
- Java/Kotlin: ``import a.b.C`` is the file ``.../a/b/C.java`` (or ``.kt``).
"""

from __future__ import annotations

import posixpath
import sys
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from medtrace.imports.model import RawImport
from medtrace.imports.python import absolute

__all__ = ["Edge", "resolve"]

_JS_EXTS = (".ts", ".tsx", ".d.ts", ".js", ".jsx", ".mjs", ".cjs", ".mts", ".cts")
_NODE_BUILTINS = frozenset(
    {
        *("assert", "async_hooks", "buffer", "child_process", "cluster", "console", "constants"),
        *("crypto", "dgram", "dns", "domain", "events", "fs", "http", "http2", "https"),
        *("inspector", "module", "net", "os", "path", "perf_hooks", "process", "punycode"),
        *("querystring", "readline", "repl", "stream", "string_decoder", "sys", "timers"),
        *("tls", "trace_events", "tty", "url", "util", "v8", "vm", "wasi", "worker_threads"),
        *("zlib", "test"),
    }
)


@dataclass(frozen=True, slots=True)
class Edge:
    """One import of ``path`` at ``line``: of the project file ``target``, or of the third-party
    ``package`` of ``ecosystem`` (``python``, ``npm``); neither for the standard library, a
    system header or an import that names nothing known."""

    path: str
    line: int
    written: str
    target: str = ""
    package: str = ""
    ecosystem: str = ""


# @implements SRS-152
def resolve(
    imports: Mapping[str, list[RawImport]], files: Iterable[str], include_dirs: list[str]
) -> list[Edge]:
    """Every import of ``imports`` resolved against the project's ``files``."""
    resolver = _Resolver(set(files), include_dirs)
    out = []
    for path, rows in sorted(imports.items()):
        for raw in rows:
            edge = resolver.edge(path, raw)
            if edge is not None:
                out.append(edge)
    return list(dict.fromkeys(out))  # ``from a import b, c``: one edge


class _Resolver:
    def __init__(self, files: set[str], include_dirs: list[str]) -> None:
        self.files = files
        self.include_dirs = [d.strip("/") for d in include_dirs]
        self.modules: dict[str, list[str]] = defaultdict(list)
        self.module_of: dict[str, str] = {}
        self.jvm: dict[str, str] = {}
        for path in sorted(files):
            self._index(path)

    def _index(self, path: str) -> None:
        stem, ext = posixpath.splitext(path)
        if ext in (".py", ".pyi"):
            name = self._module_name(path)
            self.module_of[path] = name
            self.modules[name].append(path)
        elif ext in (".java", ".kt", ".kts"):
            parts = stem.split("/")
            for i in range(len(parts)):
                self.jvm.setdefault(".".join(parts[i:]), path)

    def _module_name(self, path: str) -> str:
        folder, base = posixpath.split(path)
        parts = [] if base in ("__init__.py", "__init__.pyi") else [posixpath.splitext(base)[0]]
        while folder and posixpath.join(folder, "__init__.py") in self.files:
            folder, name = posixpath.split(folder)
            parts.insert(0, name)
        return ".".join(parts)

    def edge(self, path: str, raw: RawImport) -> Edge | None:
        if raw.style == "python":
            return self._python(path, raw)
        if raw.style == "js":
            return self._js(path, raw)
        if raw.style in ("include", "system"):
            return self._include(path, raw)
        return self._jvm(path, raw)

    def _python(self, path: str, raw: RawImport) -> Edge | None:
        module = self.module_of.get(path, "")
        is_package = path.endswith(("__init__.py", "__init__.pyi"))
        names = [absolute(n, module, is_package) for n in (raw.alternative, raw.target) if n]
        for name in names:
            while name:
                found = self._module(name, path)
                if found:
                    return Edge(path, raw.line, raw.target, target=found)
                if name is names[-1]:
                    name = name.rpartition(".")[0]
                else:
                    break
        top = (names[-1] or "").split(".")[0] if names else ""
        if not top or top in sys.stdlib_module_names:
            return None
        return Edge(path, raw.line, raw.target, package=top, ecosystem="python")

    def _module(self, name: str, importer: str) -> str:
        candidates = self.modules.get(name)
        if not candidates:
            return ""
        return max(candidates, key=lambda c: (len(posixpath.commonpath([c, importer])), c))

    def _js(self, path: str, raw: RawImport) -> Edge | None:
        spec = raw.target
        if spec.startswith(("./", "../")) or spec in (".", ".."):
            base = posixpath.normpath(posixpath.join(posixpath.dirname(path), spec))
            found = self._js_file(base)
            return Edge(path, raw.line, spec, target=found) if found else None
        if not spec or spec.startswith(("/", "node:")):
            return None
        parts = spec.split("/")
        package = "/".join(parts[:2]) if spec.startswith("@") else parts[0]
        if package in _NODE_BUILTINS:
            return None
        return Edge(path, raw.line, spec, package=package, ecosystem="npm")

    def _js_file(self, base: str) -> str:
        stem = base[: -len(".js")] if base.endswith(".js") else base
        candidates = [base, *(stem + e for e in _JS_EXTS), *(f"{base}/index{e}" for e in _JS_EXTS)]
        return next((c for c in candidates if c in self.files), "")

    def _include(self, path: str, raw: RawImport) -> Edge | None:
        here = [posixpath.dirname(path)] if raw.style == "include" else []
        for folder in [*here, *self.include_dirs]:
            candidate = posixpath.normpath(posixpath.join(folder, raw.target))
            if candidate in self.files:
                return Edge(path, raw.line, raw.target, target=candidate)
        return None

    def _jvm(self, path: str, raw: RawImport) -> Edge | None:
        name = raw.target
        for _ in range(3):  # a class, a nested class or a static member
            found = self.jvm.get(name)
            if found:
                return Edge(path, raw.line, name, target=found)
            name = name.rpartition(".")[0]
            if not name:
                break
        return None
