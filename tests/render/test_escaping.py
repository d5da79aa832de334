"""Control characters made visible; hints made sentences."""

from __future__ import annotations

import pytest

from medtrace.render.escaping import sentence, visible


@pytest.mark.verifies("SRS-76")
@pytest.mark.parametrize(
    ("raw", "shown"),
    [
        ("plain", "plain"),
        ("a\nb", "a\\nb"),
        ("a\r\nb\tc", "a\\r\\nb\\tc"),
        ("\x1b[31mred\x1b[0m", "\\x1b[31mred\\x1b[0m"),
        ("nul\x00 del\x7f c1\x9b", "nul\\x00 del\\x7f c1\\x9b"),
        ("abc\u202edcba", "abc\\u202edcba"),
        ("C:\\docs\\SRS-1.md", "C:\\docs\\SRS-1.md"),
        ("café → ok", "café → ok"),
    ],
)
def test_visible(raw: str, shown: str) -> None:
    assert visible(raw) == shown


@pytest.mark.verifies("SRS-76")
def test_visible_keeps_what_it_is_told() -> None:
    assert visible("line one\nline\ttwo\x1b", keep="\n\t") == "line one\nline\ttwo\\x1b"


@pytest.mark.verifies("SRS-75")
@pytest.mark.parametrize(
    ("hint", "shown"),
    [
        ("did you mean SYS-1?", "Did you mean SYS-1?"),
        (
            "add front matter, or keep notes outside paths.items",
            "Add front matter, or keep notes outside paths.items.",
        ),
        ("re-save the file as UTF-8", "Re-save the file as UTF-8."),
        ("Already a sentence.", "Already a sentence."),
        ("see 'medtrace rules'", "See 'medtrace rules'."),
        ("docs/items/SRS-1.md holds it", "docs/items/SRS-1.md holds it."),
        ("SRS-1 is close", "SRS-1 is close."),
        ("'class' is the key", "'class' is the key."),
        ("stop!", "Stop!"),
        ("  padded  ", "Padded."),
        ("", ""),
    ],
)
def test_sentence(hint: str, shown: str) -> None:
    assert sentence(hint) == shown
