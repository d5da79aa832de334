"""The real imports between the project's files, read statically (never run), for the
architecture conformance rules: Python through :mod:`ast`, JavaScript/TypeScript and C/C++
through tree-sitter, Java/Kotlin ``import`` lines."""

from medtrace.imports.model import RawImport
from medtrace.imports.read import language_of, read_imports
from medtrace.imports.resolve import Edge, resolve

__all__ = ["Edge", "RawImport", "language_of", "read_imports", "resolve"]
