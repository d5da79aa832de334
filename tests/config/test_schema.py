"""The [languages] table of the configuration: globs to the language their files are read as."""

from __future__ import annotations

from pathlib import Path

import pytest

from medtrace.config import parse_config
from medtrace.errors import ConfigError

pytestmark = pytest.mark.verifies("SRS-40")


def _write(tmp_path: Path, languages: str) -> Path:
    path = tmp_path / "medtrace.toml"
    path.write_text(f'[project]\nclass = "B"\n\n[languages]\n{languages}', "utf-8")
    return path


def test_globs_map_to_languages(tmp_path: Path) -> None:
    config = parse_config(_write(tmp_path, '"*.h" = "cpp"\n"*.qml" = "qml"\n"*.tpp" = "cpp"\n'))
    assert config.languages == {"*.h": "cpp", "*.qml": "qml", "*.tpp": "cpp"}


def test_the_default_is_no_mapping(tmp_path: Path) -> None:
    assert parse_config(_write(tmp_path, "")).languages == {}


@pytest.mark.parametrize(
    ("name", "closest"), [("cxx", "cpp"), ("c++", "cpp"), ("pyhton", "python"), ("QML", "qml")]
)
def test_an_unknown_language_is_a_located_error_with_the_closest_name(
    tmp_path: Path, name: str, closest: str
) -> None:
    path = _write(tmp_path, f'"*.h" = "cpp"\n"*.tpp" = "{name}"\n')
    with pytest.raises(ConfigError) as info:
        parse_config(path)
    (problem,) = info.value.diagnostics
    assert problem.code == "MT090"
    assert (problem.path, problem.line) == ("medtrace.toml", 6)
    assert f"unknown language '{name}'" in problem.found
    assert f"did you mean '{closest}'?" in problem.found
