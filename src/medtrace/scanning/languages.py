"""The languages the scanner reads, registered by name, and how a file's language is told.

A :class:`Language` reads a file's outline with a real parser: tree-sitter's grammar for the
language, or :mod:`ast` for Python. Register another language with :func:`register`.

A file's language comes from the ``[languages]`` table of the configuration when one of its
globs matches the path (gitwildmatch, as in ``.gitignore``; the last matching glob wins), else
from its suffix; a ``.h`` header is C or C++ as :mod:`medtrace.scanning.headers` decides.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import partial

from medtrace.fs.globs import Globs
from medtrace.scanning import python, treesitter
from medtrace.scanning.grammars import GRAMMARS
from medtrace.scanning.headers import looks_cpp, sibling_is_cpp
from medtrace.scanning.outline import Outline

__all__ = [
    "AUTO_HEADER",
    "LANGUAGES",
    "Chooser",
    "Language",
    "Source",
    "for_path",
    "mapped_language",
    "register",
]


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


#: How a ``.h`` file's language is told when nothing else says: from its content.
AUTO_HEADER = "auto"
#: A compiled ``[languages]`` table: (glob's matcher, language name), in the table's order.
LanguageTable = list[tuple[Globs, str]]


def compile_mapping(table: Mapping[str, str]) -> LanguageTable:
    """The ``[languages]`` globs, in medtrace's one glob dialect (:mod:`medtrace.fs.globs`); a
    pattern without a ``/`` names files in any folder (``"*.h"`` is ``"**/*.h"``)."""
    return [(Globs([_anywhere(glob)], lenient=True), name) for glob, name in table.items()]


def _anywhere(glob: str) -> str:
    return glob if "/" in glob.strip("/") else f"**/{glob}"


# @implements SRS-40
def mapped_language(rel: str, mapping: LanguageTable) -> str | None:
    """The language the ``[languages]`` table gives to ``rel`` (the last matching glob wins)."""
    found = None
    for spec, name in mapping:
        if spec.match(rel):
            found = name
    return found


class Chooser:
    """Tells each file's language: the ``[languages]`` table, else the suffix; a ``.h`` header
    is C++ when a C++ file of the same name is beside it, else decided from its content."""

    def __init__(self, table: Mapping[str, str] | None = None) -> None:
        self._mapping = compile_mapping(table or {})

    def choose(self, rel: str, path: str) -> tuple[Language | None, str]:
        """The language and how it was told: ``"table"``, ``"suffix"``, ``"sibling"`` or
        :data:`AUTO_HEADER` (C for now; the content decides)."""
        if self._mapping:
            name = mapped_language(rel, self._mapping)
            if name is not None and name in LANGUAGES:
                return LANGUAGES[name], "table"
        language = for_path(rel)
        if language is None or language.name != "c" or not rel.lower().endswith(".h"):
            return language, "suffix"
        if sibling_is_cpp(path):
            return LANGUAGES["cpp"], "sibling"
        return language, AUTO_HEADER

    @staticmethod
    def settle(language: Language, how: str, data: bytes) -> Language:
        """The language once the content is known: an :data:`AUTO_HEADER` whose code is C++
        is read as C++."""
        if how == AUTO_HEADER and looks_cpp(data):
            return LANGUAGES["cpp"]
        return language


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
_grammar("qml", (".qml",))
