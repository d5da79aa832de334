"""The site's search index: every item as a compact, script-safe table for ``assets/search.js``.

The index is a script (``assets/search-index.js``) that sets ``window.MEDTRACE_SEARCH_INDEX``:
Chromium does not let a page opened from ``file://`` fetch a JSON file, but it runs a script.
It holds, per entry, the ID, the title, the kind (a number into a table of kinds), the URL
(``0`` when it is the usual ``items/<ID>.html``) and the text, the title and the text written as
codes into one sorted table of words (one to three characters each: two cover 7,744 distinct
words, three 681,472). The title is kept whole (its space-separated words, as written: it is
shown); the text is reduced to its first :data:`MAX_TEXT_WORDS` distinct words of two
characters or more, folded to lower case, stop words and the title's words left out. At 20,000
requirements the index stays well under 2 MB (``bench/site/README.md``). The
browser builds its word and ID tables from this once, on first use (see ``search.js``).

Every string is JSON-escaped, and ``<``, ``>``, ``&``, U+2028 and U+2029 are written as
``\\uXXXX``: the index is safe inside an inline ``<script>`` too, whatever the item text holds.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

__all__ = [
    "ALPHABET",
    "MAX_TEXT_WORDS",
    "MAX_TITLE",
    "SearchEntry",
    "code_width",
    "encode_code",
    "search_index",
    "search_index_js",
    "words_of",
]

#: Distinct words of an item's text kept for search (the title's words are always searchable).
MAX_TEXT_WORDS = 32
#: Characters of a title kept (longer titles are cut with an ellipsis).
MAX_TITLE = 200
#: Characters of a word code: none needs escaping in JSON or HTML (no quotes, backslash, <, >, &).
ALPHABET = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ!#$%()*+,-./:;=?@[]^_{|}~"
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


def code_width(words: int) -> int:
    """Characters per word code for a table of ``words`` words."""
    width, capacity = 1, len(ALPHABET)
    while capacity < words:
        width, capacity = width + 1, capacity * len(ALPHABET)
    return width


def encode_code(number: int, width: int) -> str:
    """``number`` in :data:`ALPHABET`, most significant character first, ``width`` characters."""
    base = len(ALPHABET)
    chars = []
    for _ in range(width):
        number, digit = divmod(number, base)
        chars.append(ALPHABET[digit])
    return "".join(reversed(chars))


def _title(title: str) -> str:
    title = " ".join(title.split())
    return title if len(title) <= MAX_TITLE else title[: MAX_TITLE - 1] + "…"


# @implements SRS-220
def search_index(entries: Sequence[SearchEntry]) -> dict[str, object]:
    """The index as plain data (what ``search_index_js`` writes)."""
    kinds = sorted({e.kind for e in entries})
    kind_of = {k: i for i, k in enumerate(kinds)}
    titles = [_title(e.title).split(" ") for e in entries]
    text_words = [
        words_of(e.text, skip=_WORD.findall(fold(e.title)) + _WORD.findall(fold(e.id)))
        for e in entries
    ]
    table = sorted({w for words in (*titles, *text_words) for w in words})
    width = code_width(len(table))
    number = {w: encode_code(i, width) for i, w in enumerate(table)}
    rows: list[list[object]] = []
    for entry, title, words in zip(entries, titles, text_words, strict=True):
        url: object = 0 if entry.url == f"items/{entry.id}.html" else entry.url
        rows.append(
            [
                entry.id,
                "".join(number[w] for w in title),
                kind_of[entry.kind],
                url,
                "".join(number[w] for w in words),
            ]
        )
    return {"version": 1, "kinds": kinds, "width": width, "words": table, "entries": rows}


def _script_safe(text: str) -> str:
    return _UNSAFE_RE.sub(lambda m: _UNSAFE[m.group()], text)


# @implements SRS-220
def search_index_js(entries: Sequence[SearchEntry]) -> str:
    """JavaScript source that sets ``window.MEDTRACE_SEARCH_INDEX`` (safe for any item text)."""
    data = json.dumps(search_index(entries), ensure_ascii=False, separators=(",", ":"))
    return f"window.MEDTRACE_SEARCH_INDEX = {_script_safe(data)};\n"
