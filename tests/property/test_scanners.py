"""Property: every scanned language's reader takes any file content (code-like text, bytes
that are not UTF-8, NULs) and gives tags and tests on real lines, or located diagnostics."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from medtrace.scanning.languages import LANGUAGES
from medtrace.scanning.scanner import analyze
from medtrace.scanning.tags import DEFAULT_ID_PATTERN
from property.strategies import code_text

pytestmark = pytest.mark.verifies("SRS-93")

SUFFIX = {name: language.suffixes[0] for name, language in LANGUAGES.items()}


def _scan(name: str, data: bytes, is_test: bool) -> None:
    rel = f"src/x{SUFFIX[name]}"
    found = analyze(data, rel, LANGUAGES[name], is_test, DEFAULT_ID_PATTERN)
    lines = data.count(b"\n") + data.count(b"\r") + 1
    for _verb, ids, line, symbol, symbol_line in found.tags:
        assert 1 <= line <= lines, (line, lines)
        assert ids
        assert symbol_line is None or 1 <= symbol_line <= lines
        assert symbol is None or isinstance(symbol, str)
    for qualname, line in found.tests:
        assert qualname and 1 <= line <= lines
    for d in found.diagnostics:
        assert d.path == rel and 0 <= d.line <= lines, d


@pytest.mark.parametrize("name", sorted(LANGUAGES))
@given(code_text, st.booleans())
def test_code_like_text(name: str, text: str, is_test: bool) -> None:
    _scan(name, text.encode("utf-8", "surrogatepass"), is_test)


@pytest.mark.parametrize("name", sorted(LANGUAGES))
@given(st.binary(max_size=200), st.booleans())
def test_any_bytes(name: str, data: bytes, is_test: bool) -> None:
    _scan(name, b"// @implements SRS-1\n" + data, is_test)
