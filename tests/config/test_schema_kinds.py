"""The schema's view of IDs and kinds: prefixes with '-' and '_', patterns, digits, roles."""

from __future__ import annotations

from typing import Any

import pytest

from medtrace.config import validate
from medtrace.errors import ConfigError

pytestmark = pytest.mark.verifies("SRS-60")


def config(**kinds: Any) -> Any:
    return validate({"project": {"class": "B"}, "kinds": kinds})


@pytest.mark.parametrize("prefix", ["RW-SW", "SDOC-SRS", "REQ_SW", "R2-D2", "SWR"])
def test_prefixes_with_dashes_and_underscores(prefix: str) -> None:
    c = config(**{"software-requirement": {"prefix": prefix}})
    spec = c.kinds["software-requirement"]
    assert spec.id_re.fullmatch(f"{prefix}-12")
    assert c.kind_of_id(f"{prefix}-12") == "software-requirement"


@pytest.mark.parametrize("prefix", ["RW-", "-RW", "R W", "1RW", "RW--", ""])
def test_prefixes_that_cannot_start_an_id(prefix: str) -> None:
    with pytest.raises(ConfigError) as info:
        config(**{"software-requirement": {"prefix": prefix}})
    (d,) = info.value.diagnostics
    assert "a prefix is letters, digits, '-' and '_'" in d.found


def test_the_longest_prefix_wins() -> None:
    c = config(
        **{
            "system-requirement": {"prefix": "RW"},
            "software-requirement": {"prefix": "RW-SW"},
        }
    )
    assert c.kind_of_id("RW-SW-12") == "software-requirement"
    assert c.kind_of_id("RW-12") == "system-requirement"
    assert c.kind_of_id("RWX-1") is None  # a prefix is followed by a non-letter
    assert c.kind_of_id("SRS-1") is None  # the default prefix was renamed


def test_numbers_are_ascii_digits() -> None:
    spec = config().kinds["software-requirement"]
    assert spec.id_re.fullmatch("SRS-12")
    for odd in ("SRS-²", "SRS-①", "SRS-٣", "SRS-"):
        assert not spec.id_re.fullmatch(odd)


def test_a_pattern_is_the_form_of_the_kind() -> None:
    c = config(**{"software-requirement": {"prefix": "REQ", "pattern": r"REQ_\d{4}"}})
    spec = c.kinds["software-requirement"]
    assert spec.id_re.fullmatch("REQ_0042")
    assert not spec.id_re.fullmatch("REQ-42")  # the pattern replaces PREFIX-<number>
    assert not spec.id_re.fullmatch("REQ_٠٠٤٢")  # \d is ASCII in a pattern too
    assert c.kind_of_id("REQ_0042") == "software-requirement"


def test_example_ids_follow_prefix_and_digits() -> None:
    c = config(**{"system-requirement": {"digits": 3}, "software-requirement": {"prefix": "RW-SW"}})
    assert c.kinds["system-requirement"].example_id() == "SYS-001"
    assert c.kinds["software-requirement"].example_id(12) == "RW-SW-12"
    assert c.kinds["software-item"].example_id() is None


@pytest.mark.verifies("SRS-62")
def test_roles_make_requirement_and_risk_like_kinds() -> None:
    c = config(
        **{
            "hardware-requirement": {
                "prefix": "HW",
                "fields": {"parents": {"type": "links", "targets": ["system-requirement"]}},
            },
            "hazard-analysis": {
                "prefix": "HA",
                "fields": {"severity": {"type": "scale", "scale": "severity"}},
            },
        }
    )
    assert c.requirement_kinds == [
        "system-requirement",
        "software-requirement",
        "hardware-requirement",
    ]
    assert c.risk_kinds == ["risk", "hazard-analysis"]
    assert c.traced_kinds == [
        "software-requirement",
        "system-requirement",
        "risk",
        "hardware-requirement",
        "hazard-analysis",
    ]


def test_two_kinds_cannot_share_a_prefix() -> None:
    with pytest.raises(ConfigError) as info:
        config(**{"hardware-requirement": {"prefix": "srs"}})
    (d,) = info.value.diagnostics
    assert d.found == (
        "'kinds.hardware-requirement.prefix' is invalid: 'srs' is already the prefix of "
        "software-requirement (an ID must tell its kind)"
    )
