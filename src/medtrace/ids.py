"""IDs as text: their number, a natural sort order, and the closest known ID to a misspelt one
(for hints: "did you mean SRS-1?").

Light on purpose (the pytest plugin uses it at collection time): only :mod:`difflib`, and
rapidfuzz imported where a pool is large. Numbers are ASCII digits only (``str.isdigit`` and
``\\d`` also accept ``²`` and ``①``), and they are compared as text, never converted with
``int`` (an ID of 100,000 digits is above Python's conversion limit).
"""

from __future__ import annotations

import difflib
from collections.abc import Callable, Collection, Hashable, Iterable

__all__ = [
    "CloseIds",
    "closest_id",
    "natural_key",
    "padding_variant",
    "split_number",
    "split_numbers",
]

#: Past this many candidates, fuzzy matching would cost more than the hint is worth.
POOL_LIMIT = 5000
#: From this many candidates, rapidfuzz picks the few that difflib must rate.
_PREFILTER_FROM = 100
_CUTOFF = 0.6
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
    exact = _same_id_otherwise(wanted, known)
    if exact is not None:
        return exact
    return _fuzzy(wanted, _default_pool(wanted, known) if pool is None else pool)


# @implements SRS-352
class CloseIds:
    """:func:`closest_id` over one set of known IDs, asked many times (a check's rules).

    A misspelt or retired ID is often named many times (fifty children of a deleted parent, a
    tag copied into every test of a file): each answer is kept, so it is looked for once. The
    default pool, the known IDs with the wanted one's prefix, is filtered once per prefix, not
    once per lookup over 100,000 IDs. Answers are :func:`closest_id`'s, whatever the order of
    the lookups.
    """

    def __init__(self, known: Collection[str]) -> None:
        self._known = known
        self._heads: dict[str, list[str]] = {}
        self._answers: dict[tuple[str, Hashable], str | None] = {}

    def closest(
        self,
        wanted: str,
        pool_key: Hashable = None,
        pool: Callable[[], Collection[str]] | None = None,
    ) -> str | None:
        """The ID ``wanted`` most likely means: among ``pool()`` if given (``pool_key`` names
        that pool, the same key for the same candidates), else among the default pool."""
        key = (wanted, pool_key)
        if key not in self._answers:
            self._answers[key] = self._look_up(wanted, pool)
        return self._answers[key]

    def _look_up(self, wanted: str, pool: Callable[[], Collection[str]] | None) -> str | None:
        exact = _same_id_otherwise(wanted, self._known)
        if exact is not None:
            return exact
        if pool is not None:
            return _fuzzy(wanted, pool())
        head = _head(wanted)
        if head not in self._heads:
            self._heads[head] = [k for k in self._known if head and k.startswith(head)]
        return _fuzzy(wanted, self._heads[head] or self._known)


def _same_id_otherwise(wanted: str, known: Collection[str]) -> str | None:
    """The known ID ``wanted`` writes otherwise: in upper case, padded, with look-alikes."""
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
    return None


def _head(wanted: str) -> str:
    """The prefix that the default pool's IDs share with ``wanted`` (``""``: none)."""
    prefix, dash, _ = wanted.rpartition("-")
    return prefix.upper() + "-" if dash else ""


def _default_pool(wanted: str, known: Collection[str]) -> Collection[str]:
    head = _head(wanted)
    return [k for k in known if head and k.startswith(head)] or known


def _fuzzy(wanted: str, pool: Collection[str]) -> str | None:
    """The closest of ``pool`` by :mod:`difflib`'s ratio (at least 0.6; of equals, the
    greatest ID), unless the pool is too large."""
    if len(pool) > POOL_LIMIT:
        return None
    if len(pool) <= _PREFILTER_FROM:
        close = difflib.get_close_matches(wanted, list(pool), n=1, cutoff=_CUTOFF)
        return close[0] if close else None
    return _fuzzy_ranked(wanted, pool)


# @implements SRS-352
def _fuzzy_ranked(wanted: str, pool: Collection[str]) -> str | None:
    """:func:`difflib.get_close_matches`'s answer, rating few candidates with difflib.

    difflib's ratio counts the characters of matching blocks, a common subsequence, so it is
    at most the longest common subsequence's ratio, which rapidfuzz's ``fuzz.ratio`` computes
    in C++ (Indel distance). Candidates are rated by difflib in falling order of that bound,
    and the loop ends where the bound falls below the best ratio found: no candidate left can
    reach it. Equal bounds are still rated (difflib keeps the greatest of equal ratios). A
    thousand dangling links over 3,000 IDs took difflib alone 12 s.
    """
    from rapidfuzz import fuzz, process

    matcher = difflib.SequenceMatcher()
    matcher.set_seq2(wanted)  # as get_close_matches: the wanted ID is the second sequence
    best: tuple[float, str] | None = None
    ranked = process.extract(
        wanted,
        list(pool),
        scorer=fuzz.ratio,
        processor=None,
        score_cutoff=_CUTOFF * 100 - 1e-6,
        limit=None,
    )
    for candidate, bound, _ in ranked:
        if best is not None and bound / 100 < best[0] - 1e-9:
            break
        matcher.set_seq1(candidate)
        ratio = matcher.ratio()
        if ratio >= _CUTOFF and (best is None or (ratio, candidate) > best):
            best = (ratio, candidate)
    return best[1] if best else None
