"""The one error a reader raises on a file it cannot read; turned into a located diagnostic."""

from __future__ import annotations

from medtrace.errors import MedtraceError

__all__ = ["BadInput"]


class BadInput(MedtraceError):
    """``message`` says what is wrong and what was expected; ``line`` is 1-based, 0 if unknown."""

    def __init__(self, message: str, *, expected: str = "", line: int = 0) -> None:
        super().__init__(message)
        self.expected = expected
        self.line = line
