"""IDs as text: their number, a natural sort order, and the closest known ID to a misspelt one
(for hints: "did you mean SRS-1?").

Light on purpose (the pytest plugin uses it at collection time): only :mod:`difflib`. Numbers are ASCII digits only (``str.isdigit`` and ``\\d`` also accept ``²`` and
``①``), and they are compared as text, never converted with ``int`` (an ID of 100,000 digits is
above Python's conversion limit).
"""

from __future__ import annotations

import difflib
from collections.abc import Collection, Iterable

__all__ = ["closest_id", "natural_key", "padding_variant", "split_number", "split_numbers"]

#: Past this many candidates, fuzzy matching would cost more than the hint is worth.
POOL_LIMIT = 5000
_LOOKALIKE_DIGITS = str.maketrans({"l": "1", "I": "1", "i": "1", "O": "0", "o": "0"})
_DIGITS = "0123456789"
#: Zero-padded forms tried for a near miss: SYS-3 → SYS-03 ... SYS-00000003.
_MAX_PADDING = 8


def split_number(item_id: str) -> tuple[str, str] | None:
    """``(head, digits)`` of an ID that ends in ASCII digits: ``RW-SW-012`` → ``("RW-SW-", "012")``."""
    head = item_id.rstrip(_DIGITS)  # string methods, not a regular expression: called per item
    if not head or len(head) == len(item_id):
        return None
    return head, item_id[len(head) :]


def split_numbers(ids: Iterable[str]) -> dict[str, tuple[str, str]]:
    """:func:`split_number` of each of ``ids`` that ends in digits, by ID: one loop and no
    call per ID (rules split every ID of a project)."""
    out: dict[str, tuple[str, str]] = {}
    for item_id in ids:
        head = item_id.rstrip(_DIGITS)
        if head and len(head) != len(item_id):
            out[item_id] = (head, item_id[len(head) :])
    return out


def natural_key(item_id: str) -> tuple[str, int, str, str]:
    """Sort key putting ``SRS-2`` before ``SRS-10`` (and ``SYS-003`` next to ``SYS-3``)."""
    split = split_number(item_id)
    if split is None:
        return (item_id, 0, "", item_id)
    head, digits = split
    value = digits.lstrip("0") or "0"
    return (head, len(value), value, item_id)


# @implements SRS-60
def padding_variant(wanted: str, known: Collection[str]) -> str | None:
    """The ID of ``known`` that is ``wanted`` with its number padded differently, or ``None``.

    ``SYS-3`` and ``SYS-003`` name one number: written in two ways, they must not silently be
    two IDs.
    """
    split = split_number(wanted)
    if split is None:
        return None
    head, digits = split
    value = digits.lstrip("0") or "0"
    for width in range(len(value), max(len(value), _MAX_PADDING) + 1):
        candidate = head + value.zfill(width)
        if candidate != wanted and candidate in known:
            return candidate
    return None


def closest_id(
    wanted: str, known: Collection[str], pool: Collection[str] | None = None
) -> str | None:
    """The ID of ``known`` that ``wanted`` most likely means, or ``None``.

    In order: the same ID in upper case; the same number padded differently (``SYS-3`` →
    ``SYS-003``); the ID it spells with look-alike characters in its number (``SRS-l`` →
    ``SRS-1``, which fuzzy matching alone rates no closer than ``SRS-2``); the closest of
    ``pool`` (default: the known IDs with the same prefix, else all of them).
    """
    if wanted.upper() in known:
        return wanted.upper()
    padded = padding_variant(wanted, known) or padding_variant(wanted.upper(), known)
    if padded is not None:
        return padded
    prefix, dash, number = wanted.rpartition("-")
    if dash:
        fixed = f"{prefix.upper()}-{number.translate(_LOOKALIKE_DIGITS)}"
        if fixed in known:
            return fixed
    if pool is None:
        head = prefix.upper() + "-" if dash else ""
        pool = [k for k in known if head and k.startswith(head)] or list(known)
    if len(pool) > POOL_LIMIT:
        return None
    close = difflib.get_close_matches(wanted, list(pool), n=1, cutoff=0.6)
    return close[0] if close else None
