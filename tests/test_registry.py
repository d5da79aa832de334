"""The one registration decorator: the function comes back unchanged, its entry is filed."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from medtrace.registry import registrar, same

pytestmark = pytest.mark.verifies("SRS-14")  # the report formats register through it


def test_the_function_itself_is_filed_and_returned() -> None:
    table: dict[str, Callable[[str], str]] = {}

    @registrar(table, "shout", same)
    def shout(text: str) -> str:
        return text.upper()

    assert table == {"shout": shout} and shout("a") == "A"


def test_a_record_made_from_the_function_is_filed() -> None:
    table: dict[str, tuple[str, object]] = {}

    def entry(function: object) -> tuple[str, object]:
        return ("rule", function)

    @registrar(table, "MT999", entry)
    def check() -> None:
        return None

    assert table == {"MT999": ("rule", check)}
