"""The languages the scanner reads, registered by name, and how a file's language is told.

A :class:`Language` reads a file's outline with a real parser: tree-sitter's grammar for the
language, or :mod:`ast` for Python. Register another language with :func:`register`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import partial

from medtrace.scanning import python, treesitter
from medtrace.scanning.grammars import GRAMMARS
from medtrace.scanning.outline import Outline

__all__ = ["LANGUAGES", "Language", "Source", "for_path", "register"]


@dataclass(frozen=True, slots=True)
class Source:
    """A file's content: decoded text and the same text as UTF-8 bytes."""

    text: str
    data: bytes


#: ``engine(source, is_test_file)`` gives the file's outline.
Engine = Callable[[Source, bool], Outline]


@dataclass(frozen=True)
class Language:
    """A language: its name (as reported in tags), file suffixes and parsing engine."""

    name: str
    suffixes: tuple[str, ...]
    exact: Engine

    def outline(self, source: Source, is_test_file: bool) -> Outline:
        return self.exact(source, is_test_file)


LANGUAGES: dict[str, Language] = {}
_BY_SUFFIX: dict[str, Language] = {}


def register(language: Language) -> Language:
    """Add (or replace) a language; its suffixes then map to it."""
    LANGUAGES[language.name] = language
    for suffix in language.suffixes:
        _BY_SUFFIX[suffix] = language
    return language


def for_path(path: str) -> Language | None:
    """The language of a file, from its suffix (``.test.ts`` is TypeScript)."""
    name = path[path.rfind("/") + 1 :]
    dot = name.rfind(".")
    if dot <= 0:
        return None
    suffix = name[dot:]
    return _BY_SUFFIX.get(suffix) or _BY_SUFFIX.get(suffix.lower())


def _tree_sitter(name: str, source: Source, is_test_file: bool) -> Outline:
    return treesitter.outline(GRAMMARS[name], source.data, is_test_file)


def _python_exact(source: Source, is_test_file: bool) -> Outline:
    return python.exact_outline(source.text, is_test_file)


def _grammar(name: str, suffixes: tuple[str, ...]) -> Language:
    return register(Language(name, suffixes, partial(_tree_sitter, name)))


register(Language("python", (".py", ".pyi", ".pyw"), _python_exact))
_grammar("c", (".c", ".h"))
_grammar("cpp", (".cc", ".cpp", ".cxx", ".c++", ".hh", ".hpp", ".hxx", ".h++", ".ipp", ".inl"))
_grammar("java", (".java",))
_grammar("kotlin", (".kt", ".kts"))
_grammar("csharp", (".cs",))
_grammar("go", (".go",))
_grammar("rust", (".rs",))
_grammar("swift", (".swift",))
_grammar("javascript", (".js", ".jsx", ".mjs", ".cjs"))
_grammar("typescript", (".ts", ".mts", ".cts"))
_grammar("tsx", (".tsx",))
