"""Property: the configuration loader takes any file and any table and gives a configuration
or a ``ConfigError`` whose every problem names the file; nothing else escapes."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from medtrace.config.load import parse_config, validate
from medtrace.errors import ConfigError
from property.strategies import syntax_text, yaml_values

pytestmark = pytest.mark.verifies("SRS-93")

VALID = """\
[project]
name = "p"
class = "B"

[paths]
items = ["docs"]
"""

KEYS = [
    "project",
    "paths",
    "rules",
    "kinds",
    "risk",
    "limits",
    "class",
    "name",
    "items",
    "sources",
    "tests",
    "results",
    "exclude",
    "prefix",
    "pattern",
    "fields",
    "matrix",
    "severity",
    "probability",
    "max_file_bytes",
    "tool",
    "medtrace",
    "MT010",
]
tables = st.recursive(
    yaml_values.filter(lambda v: not isinstance(v, bytes)),
    lambda inner: st.dictionaries(
        st.one_of(st.sampled_from(KEYS), st.text(max_size=6)), inner, max_size=5
    ),
    max_leaves=15,
)


def _load(name: str, data: bytes) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / name
        path.write_bytes(data)
        try:
            parse_config(path)
        except ConfigError as exc:
            assert exc.diagnostics
            for d in exc.diagnostics:
                assert d.path == name, d
                assert d.line >= 0


@given(
    st.integers(0, len(VALID)), syntax_text, st.sampled_from(["medtrace.toml", "pyproject.toml"])
)
def test_any_edit_of_a_config_file(at: int, noise: str, name: str) -> None:
    text = VALID[:at] + noise + VALID[at:]
    if name == "pyproject.toml":
        text = text.replace("[", "[tool.medtrace.")
    _load(name, text.encode("utf-8", "surrogatepass"))


@given(st.binary(max_size=200))
def test_any_bytes_as_a_config_file(data: bytes) -> None:
    _load("medtrace.toml", data)


@given(st.dictionaries(st.sampled_from(KEYS), tables, max_size=6))
def test_any_table_validates_or_is_reported(data: dict) -> None:
    try:
        validate(data, "", "medtrace.toml")
    except ConfigError as exc:
        assert all(d.path == "medtrace.toml" for d in exc.diagnostics)
