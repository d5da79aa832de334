"""The closest known ID to a misspelt one, for hints ("did you mean SRS-1?").

Light on purpose (the pytest plugin uses it at collection time): only :mod:`difflib`.
"""

from __future__ import annotations

import difflib
from collections.abc import Collection

__all__ = ["closest_id"]

#: Past this many candidates, fuzzy matching would cost more than the hint is worth.
POOL_LIMIT = 5000
_LOOKALIKE_DIGITS = str.maketrans({"l": "1", "I": "1", "i": "1", "O": "0", "o": "0"})


def closest_id(
    wanted: str, known: Collection[str], pool: Collection[str] | None = None
) -> str | None:
    """The ID of ``known`` that ``wanted`` most likely means, or ``None``.

    In order: the same ID in upper case; the ID it spells with look-alike characters in its
    number (``SRS-l`` → ``SRS-1``, which fuzzy matching alone rates no closer than ``SRS-2``);
    the closest of ``pool`` (default: the known IDs with the same prefix, else all of them).
    """
    if wanted.upper() in known:
        return wanted.upper()
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
