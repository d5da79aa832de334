"""The tag scanner: ``@implements`` and ``@verifies`` tags in code and tests, and the tests.

>>> from medtrace.scanning import scan
>>> found = scan(root, sources=["src/**/*.c"], tests=["tests/**/*.c"],
...              cache_dir=root / ".medtrace" / "cache")

**Files.** Globs relative to ``root`` (``**`` spans folders; a glob naming a folder takes all
below it), from ``sources`` and ``tests``, minus ``exclude`` and what ``.gitignore`` files
ignore (see :mod:`medtrace.scanning.files`). Files matching ``tests`` are test files.

**Tags.** ``@implements ID[, ID...]`` and ``@verifies ID[, ID...]`` inside a comment or a Python
docstring, never inside a string literal of code. IDs are separated by commas and/or spaces and
the tag ends with its comment line (see :mod:`medtrace.scanning.tags`). A misspelt or
mispunctuated tag followed by an ID is a near miss (``MT111`` ``tag-near-miss``, warning, with
the fix; see :mod:`medtrace.scanning.nearmiss`).

**Attribution.** A tag belongs to the function, method, class or test call that encloses its
comment or that the comment stands directly before (only blank lines, other comments and the
symbol's own decorators, attributes or annotations between), else to the file (see
:mod:`medtrace.scanning.outline`). Qualified names: ``Class.method``, ``outer.inner``,
``describe title > test title``.

**Tests.** Every automated test of a test file, tagged or not: pytest's default rules, jest and
mocha ``test``/``it`` calls (in ``describe`` groups), C/C++ ``test...`` functions, GoogleTest
``TEST(Suite, Name)``, QtTest private slots (``Class.slot``) and Catch2 test cases and sections
(``title/section``) (see :mod:`medtrace.scanning.cfamily`), QML ``TestCase`` ``test_*``
functions (``Name::test_x``), Java/Kotlin ``@Test`` methods, C# ``[Test]``/``[Fact]``/``[TestMethod]``
methods, Go ``TestXxx(t *testing.T)``, Rust ``#[test]`` functions, Swift ``test...`` methods of
``XCTestCase`` subclasses (see :mod:`medtrace.scanning.grammars`).

**Languages.** Python (``ast`` and ``tokenize``), C, C++, Java, Kotlin, C#, Go, Rust,
JavaScript, TypeScript (and TSX), Swift and QML (tree-sitter); see
:mod:`medtrace.scanning.languages`. A ``.h`` header is C or C++ from its content or a C++
sibling (:mod:`medtrace.scanning.headers`); ``languages`` (the ``[languages]`` table) maps
globs to languages. Structure always comes from a real parser, never from patterns over the
text (C attribute macros, which the parser cannot expand, are blanked first).

**Robustness.** A file that is not UTF-8 is decoded as Windows-1252 or Latin-1 (``MT108``
``file-encoding``, warning); binary files, files larger than ``max_file_bytes`` and files of no
known language are skipped (``MT109`` ``file-skipped``, note); unreadable files are reported
(``MT110`` ``code-unreadable``, warning) and the rest is scanned. A malformed tag is an error
(``MT107`` ``tag-malformed``). A Python file that does not parse is read for its comments, its
tags then belong to the file. Each tree-sitter parse has a time budget (``parse_seconds``); a
file whose parse runs past it is reported (``MT112`` ``code-not-analysed``, warning) and read
for its comments, its tags belonging to the file.

**Cache.** With ``cache_dir``, each file's findings are kept (namespace ``tags``) and reused
while the file is unchanged (see :class:`medtrace.cache.FileCache`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from medtrace.lazy import lazy_attributes
from medtrace.scanning.codes import (
    FILE_ENCODING,
    FILE_SKIPPED,
    FILE_UNREADABLE,
    NOT_ANALYSED,
    TAG_MALFORMED,
    TAG_NEAR_MISS,
)
from medtrace.scanning.model import ScanResult, Tag, TestSymbol
from medtrace.scanning.tags import DEFAULT_ID_PATTERN

if TYPE_CHECKING:
    from medtrace.scanning.languages import LANGUAGES, Language, register
    from medtrace.scanning.scanner import scan

__all__ = [
    "DEFAULT_ID_PATTERN",
    "FILE_ENCODING",
    "FILE_SKIPPED",
    "FILE_UNREADABLE",
    "LANGUAGES",
    "NOT_ANALYSED",
    "TAG_MALFORMED",
    "TAG_NEAR_MISS",
    "Language",
    "ScanResult",
    "Tag",
    "TestSymbol",
    "register",
    "scan",
]

# The parsers (tree-sitter and its grammars) load on first use: finding files needs none of them.
_LAZY = {
    "LANGUAGES": "medtrace.scanning.languages",
    "Language": "medtrace.scanning.languages",
    "register": "medtrace.scanning.languages",
    "scan": "medtrace.scanning.scanner",
}


__getattr__ = lazy_attributes(__name__, _LAZY)
