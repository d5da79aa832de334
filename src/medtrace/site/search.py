"""The site's search index: every item as a compact, script-safe table for ``assets/search.js``.

The index is a script (``assets/search-index.js``) that sets ``window.MEDTRACE_SEARCH_INDEX``:
Chromium does not let a page opened from ``file://`` fetch a JSON file, but it runs a script.
It holds, per entry, the ID, the title, the kind (a number into a table of kinds), the URL
(``0`` when it is the usual ``items/<ID>.html``), and the title and the text written as codes
into one table of words ranked by frequency (one character for each of the 55 most
frequent words, two for the next 2,464, three for the next 30,976, four beyond:
:data:`CODE_LENGTHS`). The title is kept whole (its space-separated words, as written: it is
shown); the text is reduced to its first :data:`MAX_TEXT_WORDS` distinct words of two
characters or more, folded to lower case, stop words and the title's words left out. At 20,000
requirements the index stays under 2 MB (``bench/site/README.md``). The browser builds its
word and ID tables from this once, on first use (see ``search.js``).

Every string is JSON-escaped, and ``<``, ``>``, ``&``, U+2028 and U+2029 are written as
``\\uXXXX``: the index is safe inside an inline ``<script>`` too, whatever the item text holds.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

__all__ = [
    "ALPHABET",
    "CAPACITY",
    "CODE_LENGTHS",
    "MAX_TEXT_WORDS",
    "MAX_TITLE",
    "SearchEntry",
    "decode_codes",
    "encode_code",
    "search_index",
    "search_index_js",
    "words_of",
]

#: Distinct words of an item's text kept for search (the title's words are always searchable).
MAX_TEXT_WORDS = 24
#: Characters of a title kept (longer titles are cut with an ellipsis).
MAX_TITLE = 200
#: The 88 characters of word codes: none needs escaping in JSON or a script (no double quote,
#: backslash, <, >, &).
ALPHABET = (
    "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ!#$%'()*+,-./:;=?@[]^_{|}~"
)
_WORD = re.compile(r"[^\W_]+")
#: Words too common to find anything by (the title's words are searchable whatever they are).
STOP_WORDS = (
    "a an and are as at be been by can for from has have if in into is it its may must of on or"
    " shall should such that the their then there these this those to was were when where which"
    " while will with"
)
_STOP = frozenset(STOP_WORDS.split(" "))
_UNSAFE = {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "\u2028": "\\u2028", "\u2029": "\\u2029"}
_UNSAFE_RE = re.compile("[<>&\u2028\u2029]")


@dataclass(frozen=True)
class SearchEntry:
    """One searchable page: ``url`` is relative to the site root (``items/SRS-1.html``), ``text``
    plain text (reduced here to its searchable words)."""

    id: str
    title: str
    kind: str
    url: str
    text: str


def fold(text: str) -> str:
    """Lower case without accents: how the index and the query compare words."""
    if text.isascii():
        return text.lower()
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def words_of(text: str, skip: Iterable[str] = (), limit: int = MAX_TEXT_WORDS) -> list[str]:
    """The first ``limit`` distinct searchable words of ``text``, not in ``skip``."""
    seen = set(skip)
    found: list[str] = []
    for word in _WORD.findall(fold(text)):
        if len(word) < 2 or word in _STOP or word in seen:
            continue
        seen.add(word)
        found.append(word)
        if len(found) == limit:
            break
    return found


#: Word codes by length: (first characters that start a code of this length, ranks it covers).
#: 55 one-character codes for the most frequent words, then 28 × 88 of two characters, 4 × 88²
#: of three and 88³ of four: 715,000 words in all.
CODE_LENGTHS = ((55, 55), (28, 28 * 88), (4, 4 * 88**2), (1, 88**3))
CAPACITY = sum(ranks for _, ranks in CODE_LENGTHS)


def _digits(number: int, count: int) -> str:
    chars = []
    for _ in range(count):
        number, digit = divmod(number, len(ALPHABET))
        chars.append(ALPHABET[digit])
    return "".join(reversed(chars))


def encode_code(rank: int) -> str:
    """The code of the word of ``rank`` (0: the most frequent), one to four characters."""
    lead = 0
    for extra, (leads, ranks) in enumerate(CODE_LENGTHS):
        if rank < ranks:
            first, rest = divmod(rank, len(ALPHABET) ** extra)
            return ALPHABET[lead + first] + _digits(rest, extra)
        rank, lead = rank - ranks, lead + leads
    raise ValueError("more distinct words than the index can number")


def decode_codes(codes: str) -> list[int]:
    """The ranks of a string of codes (what ``search.js`` does)."""
    ranks, i = [], 0
    while i < len(codes):
        lead, base = ALPHABET.index(codes[i]), 0
        for extra, (leads, count) in enumerate(CODE_LENGTHS):
            if lead < leads:
                number = lead
                for char in codes[i + 1 : i + 1 + extra]:
                    number = number * len(ALPHABET) + ALPHABET.index(char)
                ranks.append(base + number)
                i += 1 + extra
                break
            lead, base = lead - leads, base + count
    return ranks


def _title(title: str) -> str:
    title = " ".join(title.split())
    return title if len(title) <= MAX_TITLE else title[: MAX_TITLE - 1] + "…"


# @implements SRS-220
def search_index(entries: Sequence[SearchEntry]) -> dict[str, object]:
    """The index as plain data (what ``search_index_js`` writes)."""
    kinds = sorted({e.kind for e in entries})
    kind_of = {k: i for i, k in enumerate(kinds)}
    titles = [_title(e.title).split() for e in entries]
    text_words = [
        words_of(e.text, skip=_WORD.findall(fold(e.title)) + _WORD.findall(fold(e.id)))
        for e in entries
    ]
    counts = Counter(w for words in (*titles, *text_words) for w in words)
    table = sorted(counts, key=lambda w: (-counts[w], w))[:CAPACITY]
    number = {w: encode_code(rank) for rank, w in enumerate(table)}
    rows: list[list[object]] = []
    for entry, title, words in zip(entries, titles, text_words, strict=True):
        url: object = 0 if entry.url == f"items/{entry.id}.html" else entry.url
        rows.append(
            [
                entry.id,
                "".join(number.get(w, "") for w in title),
                kind_of[entry.kind],
                url,
                "".join(number.get(w, "") for w in words),
            ]
        )
    return {"version": 2, "kinds": kinds, "words": table, "entries": rows}


def _script_safe(text: str) -> str:
    return _UNSAFE_RE.sub(lambda m: _UNSAFE[m.group()], text)


# @implements SRS-220
def search_index_js(entries: Sequence[SearchEntry]) -> str:
    """JavaScript source that sets ``window.MEDTRACE_SEARCH_INDEX`` (safe for any item text)."""
    data = json.dumps(search_index(entries), ensure_ascii=False, separators=(",", ":"))
    return f"window.MEDTRACE_SEARCH_INDEX = {_script_safe(data)};\n"
