"""The site's search index (``medtrace.site.search``): read back as JSON and decoded as
``search.js`` decodes it, it gives every entry's ID, title, kind, URL and searchable words;
hostile text stays data; 20,000 entries stay under 2 MB."""

from __future__ import annotations

import json
import math
import random
import re

import pytest

from medtrace.site.search import (
    ALPHABET,
    CAPACITY,
    MAX_TEXT_WORDS,
    STOP_WORDS,
    SearchEntry,
    decode_codes,
    encode_code,
    search_index,
    search_index_js,
    words_of,
)

pytestmark = pytest.mark.verifies("SRS-220")

PREFIX = "window.MEDTRACE_SEARCH_INDEX = "


def read_back(script: str) -> dict[str, object]:
    assert script.startswith(PREFIX) and script.endswith(";\n")
    data: dict[str, object] = json.loads(script[len(PREFIX) : -2])
    return data


def decode(codes: str, table: list[str]) -> list[str]:
    return [table[rank] for rank in decode_codes(codes)]


def entries_of(data: dict[str, object]) -> list[tuple[str, str, str, str, list[str]]]:
    """(id, title, kind, url, text words) per entry, as search.js reads them."""
    kinds, table = data["kinds"], data["words"]
    assert isinstance(kinds, list) and isinstance(table, list)
    rows = data["entries"]
    assert isinstance(rows, list)
    return [
        (
            row[0],
            " ".join(decode(row[1], table)),
            kinds[row[2]],
            row[3] or f"items/{row[0]}.html",
            decode(row[4], table),
        )
        for row in rows
    ]


def test_every_entry_reads_back() -> None:
    entries = [
        SearchEntry("SRS-1", "Limit the  bolus dose", "software-requirement", "items/SRS-1.html",
                    "The pump shall limit the bolus dose to the configured maximum."),
        SearchEntry("RISK-2", "Over-delivery", "risk", "risks.html#RISK-2", "Insulin over-delivery."),
    ]  # fmt: skip
    decoded = entries_of(read_back(search_index_js(entries)))
    assert decoded == [
        ("SRS-1", "Limit the bolus dose", "software-requirement", "items/SRS-1.html",
         ["pump", "configured", "maximum"]),
        ("RISK-2", "Over-delivery", "risk", "risks.html#RISK-2", ["insulin"]),
    ]  # fmt: skip


def test_the_usual_url_is_not_repeated() -> None:
    data = search_index([SearchEntry("SRS-1", "T", "k", "items/SRS-1.html", "")])
    assert data["entries"] == [["SRS-1", encode_code(0), 0, 0, ""]]


@pytest.mark.parametrize(
    "hostile",
    [
        "</script><script>window.__pwned=1</script>",
        "line\u2028separator\u2029paragraph",
        "quotes \" ' ` and a backslash \\ and &amp; <!-- -->",
        "<img src=x onerror=alert(1)>",
        "\u202eright-to-left override",
    ],
)
def test_hostile_text_is_data(hostile: str) -> None:
    entry = SearchEntry(hostile, hostile, hostile, hostile, hostile)
    script = search_index_js([entry])
    assert not re.search("[<>&\u2028\u2029]", script), "only escapes of these characters"
    ((id_, title, kind, url, _),) = entries_of(read_back(script))
    assert (id_, kind, url) == (hostile, hostile, hostile)
    assert title == " ".join(hostile.split())


def test_text_is_reduced_to_its_first_distinct_words() -> None:
    text = " ".join(f"word{i} the word{i}" for i in range(100))
    assert words_of(text) == [f"word{i}" for i in range(MAX_TEXT_WORDS)]
    assert words_of("Café DÉBIT the a x", skip=["debit"]) == ["cafe"]


@pytest.mark.parametrize(
    ("rank", "length"),
    [(0, 1), (54, 1), (55, 2), (2518, 2), (2519, 3), (33_494, 3), (33_495, 4), (CAPACITY - 1, 4)],
)
def test_frequent_words_get_short_codes(rank: int, length: int) -> None:
    assert len(ALPHABET) == 88
    code = encode_code(rank)
    assert len(code) == length
    assert decode_codes(code + code) == [rank, rank]


def test_codes_round_trip_in_order_of_frequency() -> None:
    ranks = [*range(3000), *range(33_000, 34_000), CAPACITY - 1]
    assert decode_codes("".join(encode_code(r) for r in ranks)) == ranks
    with pytest.raises(ValueError):
        encode_code(CAPACITY)


def test_the_most_frequent_word_is_first() -> None:
    entries = [SearchEntry(f"T-{n}", f"pump {n}", "k", "", "") for n in range(3)]
    table = search_index(entries)["words"]
    assert isinstance(table, list) and table[0] == "pump"


def test_twenty_thousand_entries_stay_under_two_megabytes() -> None:
    rng = random.Random(5)
    vocabulary = [f"{a}{b}" for a in ("dose", "alarm", "pump", "log", "key") for b in range(400)]
    entries = [
        SearchEntry(
            f"SRS-{n}",
            " ".join(rng.choices(vocabulary, k=9)),
            "software-requirement",
            f"items/SRS-{n}.html",
            " ".join(rng.choices(vocabulary, k=40)),
        )
        for n in range(1, 20_001)
    ]
    script = search_index_js(entries)
    assert len(script.encode()) < 2_000_000
    assert len(entries_of(read_back(script))) == 20_000


def test_search_js_decodes_and_skips_as_the_index_encodes() -> None:
    """search.js has its own copies of the code alphabet, the code lengths and the stop words."""
    from importlib.resources import files

    from medtrace.site.search import CODE_LENGTHS

    script = files("medtrace.site").joinpath("assets/search.js").read_text(encoding="utf-8")
    stop = re.search(r"var STOP = new Set\(\s*\((.*?)\)\.split", script, re.S)
    assert stop and "".join(re.findall(r'"([^"]*)"', stop.group(1))) == STOP_WORDS
    assert f'"{ALPHABET}"' in script
    table = re.search(r"var LENGTHS = \[(.*?)\];", script)
    assert table
    pairs = re.findall(r"\[([\d *]+), ([\d *]+)\]", table.group(1))
    assert [(product(a), product(b)) for a, b in pairs] == list(CODE_LENGTHS)


def product(expression: str) -> int:
    """``28 * 88`` → 2464."""
    return math.prod(int(n) for n in expression.split("*"))
