"""The one way things register by name: a decorator that files the decorated function (or a
record made from it) in a table and hands the function back unchanged.

Every table of kinds (rule, format, reader, page, checklist item...) is filled through
:func:`registrar`, so adding one is one decorated function and no other module lists names.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

__all__ = ["registrar", "same"]

F = TypeVar("F")
V = TypeVar("V")


def registrar(table: dict[str, V], name: str, entry: Callable[[F], V]) -> Callable[[F], F]:
    """A decorator putting ``entry(function)`` into ``table`` under ``name``."""

    def register(function: F) -> F:
        table[name] = entry(function)
        return function

    return register


def same(function: F) -> F:
    """The entry of a table that holds the functions themselves."""
    return function
