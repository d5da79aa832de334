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


#: Lists of dicts with the same keys (the findings of a report), some with keys in another
#: order or other keys mixed in, and keys with braces (the template's own syntax).
records = st.lists(
    st.one_of(st.text(max_size=4), st.sampled_from(["{", "}", "{0}", "{}", "a{b}c"])),
    min_size=1,
    max_size=5,
    unique=True,
).flatmap(
    lambda keys: st.one_of(
        st.lists(st.fixed_dictionaries(dict.fromkeys(keys, values)), max_size=12),
        st.lists(
            st.one_of(
                st.fixed_dictionaries(dict.fromkeys(keys, values)),
                st.fixed_dictionaries(dict.fromkeys(reversed(keys), values)),
                st.dictionaries(st.text(max_size=3), scalars, max_size=3),
            ),
            max_size=12,
        ),
    )
)


@pytest.mark.verifies("SRS-359")
@settings(max_examples=300)
@given(records)
def test_lists_of_dicts_with_the_same_keys_are_written_as_the_standard_library_writes_them(
    rows: list[dict[str, Any]],
) -> None:
    assert indented(rows) == plain(rows)
    assert indented({"diagnostics": rows, "n": [rows]}) == plain({"diagnostics": rows, "n": [rows]})


@pytest.mark.verifies("SRS-359")
def test_findings_are_written_column_by_column() -> None:
    """The path that writes records column by column is the one taken for a report's
    findings (eight or more dicts of the same keys), and writes what the standard library
    writes, braces, numbers, nested values and all."""
    from medtrace.render import jsontext

    rows = [
        {"{k}": f"v{{{n}}}", "line": n, "related": [str(n)] * (n % 2), "x": None} for n in range(9)
    ]
    made = jsontext._records(rows, 1)
    assert made is not None and len(made) == 9
    assert indented(rows) == plain(rows)
    assert jsontext._records([*rows[:8], {"line": 1, "{k}": "v"}], 1) is None  # another order


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
