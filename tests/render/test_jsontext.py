"""``indented`` is ``json.dumps(value, indent=2, ensure_ascii=False)``, character for character,
for any JSON value (and what the standard library converts or rejects is left to it)."""

from __future__ import annotations

import enum
import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from medtrace.diagnostics import Severity
from medtrace.render import Summary, render_diagnostics
from medtrace.render.jsontext import indented
from medtrace.results import load_results

pytestmark = pytest.mark.verifies("SRS-340")

DATA = Path(__file__).resolve().parents[2].parent / "shared" / "data"


def plain(value: object) -> str:
    return json.dumps(value, indent=2, ensure_ascii=False)


scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(),  # control characters, quotes, backslashes, astral and lone surrogates
)
values = st.recursive(
    scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4),
        st.lists(inner, max_size=3).map(tuple),
        st.dictionaries(st.text(max_size=5), inner, max_size=4),
        st.dictionaries(st.text(max_size=3), st.text(max_size=4), max_size=5),  # the statuses
    ),
    max_leaves=30,
)


@settings(max_examples=500)
@given(values)
def test_any_json_value_is_written_as_the_standard_library_writes_it(value: Any) -> None:
    assert indented(value) == plain(value)


class Level(enum.IntEnum):
    LOW = 1


@given(
    st.dictionaries(
        st.one_of(st.integers(), st.floats(allow_nan=False), st.booleans(), st.none()),
        scalars,
        min_size=1,
        max_size=3,
    )
)
def test_keys_the_standard_library_converts_are_left_to_it(value: dict[Any, Any]) -> None:
    assert indented({"a": [value]}) == plain({"a": [value]})


def test_subclasses_and_unknown_types_are_left_to_the_standard_library() -> None:
    assert indented({"level": Level.LOW, "name": Severity.ERROR.value}) == plain(
        {"level": Level.LOW, "name": "error"}
    )
    with pytest.raises(TypeError):
        indented({"when": object()})
    loop: list[Any] = []
    loop.append(loop)
    with pytest.raises(ValueError, match="Circular"):
        indented(loop)


def test_the_json_report_is_the_standard_librarys_text() -> None:
    """A report of real findings (the failures of a real JUnit file made into findings) and a
    statuses table, as ``render_json`` wrote it with ``json.dumps``."""
    from medtrace.render import diagnostics as module

    results = load_results(
        DATA, ["junit/jest-junit-failures.xml", "junit/surefire-failing-test.xml"]
    )
    assert results.results
    found = [
        module.Diagnostic(
            "MT120",
            "test-failed",
            Severity.ERROR,
            r.message or r.name,
            path=r.source,
            line=r.source_line,
            item=r.name,
            related=(r.classname,),
            hint="fix it",
        )
        for r in results.results
    ]
    statuses = tuple((f"SRS-{n}", "verified" if n % 3 else "stale") for n in range(500))
    summary = Summary("pump «ü»", "C", 500, 12, statuses=statuses)
    text = render_diagnostics("json", found, summary)
    assert text == plain(json.loads(text))
    assert json.loads(text)["statuses"]["SRS-2"] == "verified"
