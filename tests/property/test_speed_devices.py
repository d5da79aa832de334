"""Property: the trace's speed devices give the answers of the plain algorithms they replace.

- the tests a tag on a symbol covers, looked up in a per-file index of enclosing names, are the
  ones the plain search over the file's tests finds (same tests, same order);
- a test name without parameter marks is split without running the patterns, as the patterns
  would split it;
- a result's first key, made alone, is the first of all its keys.
"""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from medtrace.results import Outcome, keys
from medtrace.results.model import make_result
from medtrace.tracing.build import _enclosing, _tests_inside
from medtrace.tracing.model import TestRef

pytestmark = pytest.mark.verifies("SRS-268")

parts = st.text(alphabet="ab./ [(])w", min_size=0, max_size=4)
names = st.lists(parts, min_size=1, max_size=4).map("".join)


@given(st.lists(names, max_size=12), st.one_of(st.none(), names, parts))
def test_enclosing_index_finds_what_the_search_finds(tests: list[str], symbol: str | None) -> None:
    refs = [TestRef(f"f::{n}", n, "f", i, "python") for i, n in enumerate(tests)]
    index = _enclosing({"f": refs})["f"]
    assert _tests_inside(refs, symbol, index) == _tests_inside(refs, symbol)


@given(st.one_of(names, st.text(max_size=30)))
def test_names_split_as_the_patterns_split_them(name: str) -> None:
    plain = next(
        (
            (m["base"], m["param"] or None)
            for m in (p.fullmatch(name) for p in keys._PARAMETRIZED)
            if m
        ),
        (name, None),
    )
    assert keys._split(name) == plain


words = st.text(alphabet="aT_.:/\\[]() >›-", max_size=12)
files = st.one_of(st.none(), words, words.map(lambda w: w + ".py"), words.map(lambda w: w + ".ts"))


@given(st.one_of(st.just("pytest"), words), words, words, files)
def test_the_first_key_is_the_first_of_all_keys(
    suite: str, classname: str, name: str, file: str | None
) -> None:
    values = (suite, classname, name, file, None, Outcome.PASSED, "", None, (), "r.xml", 1, None)
    result = make_result((*values, False))
    every = keys.test_keys(result)
    assert keys.first_key(result) == (every[0] if every else None)
