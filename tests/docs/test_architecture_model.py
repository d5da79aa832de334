"""``medtrace docs architecture-model`` tells the model, the formats and the rules as they are."""

from __future__ import annotations

import pytest

from medtrace.checks import RULES
from medtrace.config import defaults
from medtrace.docs import read_topic
from medtrace.render.arch import FORMATS

pytestmark = pytest.mark.verifies("SRS-149")


def _page() -> str:
    text = read_topic("architecture-model")
    assert text is not None
    return text


@pytest.mark.parametrize("code", [f"MT16{i}" for i in range(5)])
def test_every_architecture_rule_is_described(code: str) -> None:
    rule = RULES[code].code
    assert f"| `{code}` | {rule.name} |" in _page()


@pytest.mark.parametrize("fmt", sorted(FORMATS))
def test_every_format_is_described(fmt: str) -> None:
    assert f"| `{fmt}` | `{FORMATS[fmt].suffix}` |" in _page()


@pytest.mark.parametrize("kind", ["environment", "external", "actor", "flow"])
def test_every_kind_and_field_of_the_model_is_named(kind: str) -> None:
    page = _page()
    assert f"| `{kind}` |" in page
    for field in defaults.KINDS[kind]["fields"]:
        assert f"`{field}`" in page, (kind, field)


def test_the_interface_keys_and_kinds_are_named() -> None:
    page = _page()
    for key in defaults.INTERFACE_FIELDS:
        assert f"| `{key}` |" in page
    for kind in defaults.INTERFACE_KINDS:
        assert f"`{kind}`" in page
