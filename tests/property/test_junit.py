"""Property: the JUnit reader takes any bytes and gives results or located diagnostics, never
an exception, and never expands an entity."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from medtrace.results.junit import parse_junit
from property.strategies import junit_bytes

pytestmark = pytest.mark.verifies("SRS-93")


def _read(data: bytes) -> None:
    results, diagnostics = parse_junit(data, "results/x.xml")
    for d in diagnostics:
        assert d.path == "results/x.xml", d
        assert 0 <= d.line <= data.count(b"\n") + 1, d
    for result in results:
        assert isinstance(result.name, str)


@given(junit_bytes())
def test_junit_like_bytes(data: bytes) -> None:
    _read(data)


@given(st.binary(max_size=300))
def test_any_bytes_as_junit(data: bytes) -> None:
    _read(data)


def test_entities_are_never_expanded() -> None:
    doc = (
        '<?xml version="1.0"?><!DOCTYPE t [<!ENTITY e "EXPANDED">]>'
        '<testsuite name="s"><testcase classname="c" name="&e;"/></testsuite>'
    )
    results, _ = parse_junit(doc.encode(), "results/x.xml")
    assert all("EXPANDED" not in r.name for r in results)
