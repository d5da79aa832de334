"""The registry of languages."""

from __future__ import annotations

import pytest

from medtrace.scanning import LANGUAGES, Language, register
from medtrace.scanning.languages import for_path
from medtrace.scanning.outline import Outline

pytestmark = pytest.mark.verifies("SRS-19")


@pytest.mark.parametrize(
    ("path", "language"),
    [
        ("src/a.py", "python"),
        ("src/a.test.ts", "typescript"),
        ("src/A.TSX", "tsx"),
        ("src/a.h", "c"),
        ("src/a.hpp", "cpp"),
        ("src/Main.kt", "kotlin"),
        ("src/noext", None),
        ("src/.hidden", None),
    ],
)
def test_the_language_of_a_path(path: str, language: str | None) -> None:
    found = for_path(path)
    assert (found.name if found else None) == language


def test_a_language_can_be_registered(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("medtrace.scanning.languages.LANGUAGES", dict(LANGUAGES))
    monkeypatch.setattr("medtrace.scanning.languages._BY_SUFFIX", {})

    def exact(source: object, is_test: bool) -> Outline:
        raise NotImplementedError

    register(Language("cobol", (".cbl",), exact))
    found = for_path("src/PAY.CBL")
    assert found is not None and found.name == "cobol"
