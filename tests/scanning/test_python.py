"""Python: both engines (``ast`` and the indentation reader) and the fallback for files that
do not parse."""

from __future__ import annotations

import re
from itertools import accumulate
from pathlib import Path

import pytest

from medtrace.scanning import python as python_engine
from medtrace.scanning.languages import LANGUAGES
from medtrace.scanning.outline import Outline
from medtrace.scanning.scanner import FileScan, analyze
from medtrace.scanning.tags import DEFAULT_ID_PATTERN

from .helpers import Scanned, Write, owners

pytestmark = pytest.mark.verifies("SRS-19")

TRICKY = {
    "black signature": """
def f(
    a: int,
    b: str = "x",
) -> int:
    # @implements SRS-1
    return a
# @implements SRS-2
def g():
    pass
""",
    "strings that close at the margin": '''
def f():
    query = """
SELECT *
FROM t
""".strip()
    # @implements SRS-1
    return query


def g(): pass  # @implements SRS-2
''',
    "continuations": """
def f():
    x = [
1, 2]
    y = 1 + \\
2
    # @implements SRS-1
    return x, y
""",
    "one-liners and nesting": """
class A: pass
class B:
    def m(self): return 1  # @implements SRS-1
    @property
    def p(self):
        '''@implements SRS-2'''
        def inner():
            # @implements SRS-3
            pass
        return inner
""",
    "compound statements": """
if True:
    def f():
        # @implements SRS-1
        pass
else:
    class C:
        def m(self):
            # @implements SRS-2
            pass
try:
    import x
except ImportError:
    def g():
        '''@implements SRS-3'''
""",
    "async and decorators with comments": """
@a
# a comment
@b(
    'x',  # @implements SRS-1
)
async def f():
    pass
""",
    "decorators over several lines": '''
@foo(a,
     b
)
def f():
    # @implements SRS-1
    pass


@skip("one "
      "two "
      "three")
# @implements SRS-2
def g():
    pass


@foo \\
    .bar
def h():
    """@implements SRS-3"""
''',
    "bare strings": '''
def f():
    x = "@implements SRS-99"
    y = ("@implements SRS-98"
         "more")
    """@implements SRS-1"""
    call("""
    @implements SRS-97
    """)
    return x
''',
}


def summary(outline: Outline) -> list[tuple[str, int, int, str | None]]:
    symbols = [
        (s.qualname, outline.lines.line(s.start), outline.lines.line(s.end - 1), s.kind)
        for s in outline.symbols
    ]
    tags = [(c.line, (o.qualname if o else None)) for c, o in outline.owners()]
    return [*symbols, *tags]  # type: ignore[list-item]


def test_strings_are_not_tags_but_docstrings_are(write: Write, scanned: Scanned) -> None:
    write("src/a.py", TRICKY["bare strings"])
    assert owners(scanned()) == {"SRS-1": "f"}


@pytest.mark.parametrize(
    "text",
    [
        "def f(:\n    # @implements SRS-1\n    pass\n",
        "def f():\n    x = '''\n    # @implements SRS-1\n",
        "# @implements SRS-1\nprint 'python 2'\n",
        "class A:\n    def f(self):\n  # @implements SRS-1\n        return (\n",
    ],
)
def test_a_file_that_does_not_parse_is_read_for_its_comments(
    text: str, write: Write, scanned: Scanned
) -> None:
    write("src/a.py", text)
    result = scanned()
    assert [t.ids for t in result.tags] in ([("SRS-1",)], [])
    assert all(t.symbol is None or t.symbol in ("f", "A.f") for t in result.tags)


def test_after_an_unterminated_string_comments_are_still_read(
    write: Write, scanned: Scanned
) -> None:
    """The file does not parse: better a tag too many than a silent miss."""
    write("src/a.py", "# @implements SRS-1\nx = '''never closed\n# @implements SRS-2\n")
    assert [(t.ids, t.symbol) for t in scanned().tags] == [(("SRS-1",), None), (("SRS-2",), None)]


def test_windows_line_endings(write: Write, scanned: Scanned) -> None:
    write("src/a.py", "# @implements SRS-1\r\ndef f():\r\n    # @implements SRS-2\r\n    pass\r\n")
    result = scanned()
    assert owners(result) == {"SRS-1": "f", "SRS-2": "f"}
    assert [t.line for t in result.tags] == [1, 3]


def test_unicode_names_and_text(write: Write, scanned: Scanned) -> None:
    write(
        "src/a.py", "# Größe @implements SRS-1\ndef größe():\n    return 'ü'  # @implements SRS-2\n"
    )
    assert owners(scanned()) == {"SRS-1": "größe", "SRS-2": "größe"}


MARKED = """
import pytest
from pytest import mark

pytestmark = [pytest.mark.slow, pytest.mark.verifies("SRS-1")]


@pytest.mark.verifies("SRS-2", "RISK-3")
@pytest.mark.parametrize("x", [1, 2])
def test_decorated(x):
    assert x


@mark.verifies("SRS-4, SRS-5")
def test_imported_mark():
    pass


class TestGroup:
    pytestmark = pytest.mark.verifies("SRS-6")

    def test_in_class(self):
        pass


@pytest.mark.other("SRS-9")
def test_other_marker():
    verifies = "pytest.mark.verifies('SRS-10')"  # a string, not a marker
"""


def test_pytest_verifies_markers_are_read_from_the_syntax_tree(
    write: Write, scanned: Scanned
) -> None:
    write("tests/test_marked.py", MARKED)
    tags = {(t.ids, t.symbol, t.line) for t in scanned().tags}
    assert tags == {
        (("SRS-1",), None, 5),
        (("SRS-2", "RISK-3"), "test_decorated", 8),
        (("SRS-4", "SRS-5"), "test_imported_mark", 14),
        (("SRS-6",), "TestGroup", 20),
    }
    assert all(t.verb == "verifies" for t in scanned().tags)


MARKS_IN_STRINGS = {
    "a comment sign in a decorator's string": (
        '@app.route("/#x")\ndef f():\n    # @implements SRS-1\n    pass\n'
    ),
    "a comment sign in a default": 'def f(a="#"):  # @implements SRS-1\n    pass\n',
    "strings in handlers and cases": (
        'try:\n    pass\nexcept E("#"):  # @implements SRS-1\n    pass\n'
        'match x:\n    case "#" if y == "#":  # @implements SRS-2\n        pass\n'
    ),
    "a multi-line string with a comment sign": (
        'def f():\n    s = """\n    # @implements SRS-9\n    """\n    # @implements SRS-1\n'
    ),
    "nested f-strings": "def f():\n    return f\"{'#'} {x!r:>{w}}\"  # @implements SRS-1\n",
    "a verb in a string between concatenated parts": (
        'x = ("@implements SRS-9"  # @implements SRS-1\n     "b")\n'
    ),
    "a one-line docstring after its header": 'def f(): "@implements SRS-1"\n',
}


def _python_files() -> list[tuple[str, str]]:
    root = Path(__file__).resolve().parents[2]
    files = sorted([*(root / "src").rglob("*.py"), *(root / "tests").rglob("*.py")])
    return [(str(p), p.read_text("utf-8") + "\n# @implements X-1\n") for p in files]


@pytest.mark.verifies("SRS-45")
def test_only_the_strings_that_may_hide_a_comment_or_a_tag_are_located(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Locating only the strings of the statements whose lines hold a ``#`` or an ``@`` finds
    the same tags, tests and diagnostics as locating every string of the tree, on every Python
    file of this repository and on strings placed where a walk could miss them."""
    cases = [*_python_files(), *MARKS_IN_STRINGS.items()]
    python, pattern = LANGUAGES["python"], DEFAULT_ID_PATTERN

    def scans() -> list[FileScan]:
        return [analyze(t.encode(), "a.py", python, True, pattern) for _, t in cases]

    marked = scans()
    monkeypatch.setattr(python_engine, "_marked_strings", lambda tree, rows: None)
    assert marked == scans()
    assert sum(len(found.tags) for found in marked) >= len(cases) + len(MARKS_IN_STRINGS)


@pytest.mark.verifies("SRS-363")
def test_marked_lines_are_counted_as_a_pattern_per_line_would() -> None:
    """The count of lines holding a ``#`` or an ``@`` before each line is the count a pattern
    searched in every line gives, on this repository's files and on lines of every shape."""
    mark = re.compile("[#@]")
    texts = [text for _, text in _python_files()]
    texts += ["", "\n", "#", "@", "a\n#b\n\n@c\n", "é # ü\r\n@\n\n", "x = '#'\nfoo@bar\n"]
    for text in texts:
        rows = text.split("\n")
        plain = list(accumulate(map(bool, map(mark.search, rows)), initial=0))
        assert python_engine._marks(rows) == plain


@pytest.mark.verifies("SRS-363")
@pytest.mark.parametrize("gap", [0, 1, 255, 256, 257, 4095, 4096, 4097, 5000, 9000])
def test_the_code_before_a_symbol_is_found_however_far(gap: int) -> None:
    """A tag comment stands directly before a function however much blank space comes
    between the code above it and the function (the small window, then the larger ones);
    code left above the comment breaks the link."""
    text = "x = 1\n" + " " * gap + "\n# @implements SRS-1\ndef f():\n    pass\n"
    found = analyze(text.encode(), "a.py", LANGUAGES["python"], False, DEFAULT_ID_PATTERN)
    assert [(tag[0], tag[3]) for tag in found.tags] == [("implements", "f")]
    outline = python_engine.exact_outline(text, False)
    symbol_start = outline.symbols[0].start
    assert outline._code_end(symbol_start) == len(str(outline.code)[:symbol_start].rstrip())
    assert outline._code_end(symbol_start) < outline.comments[0].start
