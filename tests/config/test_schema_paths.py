"""``[paths]`` in the schema: patterns normalised once, those leaving the root refused."""

from __future__ import annotations

import pytest

from medtrace.config import validate
from medtrace.errors import ConfigError

pytestmark = pytest.mark.verifies("SRS-50")


def test_patterns_are_stored_in_their_one_written_form() -> None:
    config = validate(
        {
            "project": {"class": "A"},
            "paths": {
                "items": ["./docs/", "docs//x/.."],
                "sources": ["."],
                "tests": ["tests\\unit", "", "! ./tests/data"],
                "results": ["build/results/"],
                "exclude": ["src/gen/../vendor"],
            },
        }
    )
    paths = config.paths
    assert paths.items == ["docs", "docs"]
    assert paths.sources == ["**"]
    assert paths.tests == ["tests/unit", "!tests/data"]
    assert paths.results == ["build/results"]
    assert paths.exclude == ["src/vendor"]
    assert paths.follow_external_symlinks is False


def test_every_bad_pattern_is_reported_at_once_with_its_line() -> None:
    text = '[project]\nclass = "A"\n[paths]\nsources = ["../x", "/abs"]\nexclude = ["!"]\n'
    data = {"project": {"class": "A"}, "paths": {"sources": ["../x", "/abs"], "exclude": ["!"]}}
    with pytest.raises(ConfigError) as raised:
        validate(data, text)
    found = [(d.code, d.line, d.found) for d in raised.value.diagnostics]
    assert found == [
        (
            "MT090",
            4,
            "'paths.sources' is invalid: '../x' leads out of the project root; '/abs' is an "
            "absolute path; patterns are relative to the project root",
        ),
        ("MT090", 5, "'paths.exclude' is invalid: '!' has no pattern after its '!'"),
    ]


def test_following_links_out_of_the_project_is_a_boolean() -> None:
    with pytest.raises(ConfigError):
        validate({"project": {"class": "A"}, "paths": {"follow_external_symlinks": "sometimes"}})
    config = validate({"project": {"class": "A"}, "paths": {"follow_external_symlinks": True}})
    assert config.paths.follow_external_symlinks is True
