"""What ``adopt`` finds: tags to add, unknown IDs, and what it could not convert."""

from __future__ import annotations

from dataclasses import dataclass, field

from medtrace.diagnostics import Diagnostic

__all__ = ["Adoption", "FilePlan", "Proposal", "Refusal", "Unknown"]


@dataclass(frozen=True, slots=True)
class Proposal:
    """A tag to add at the end of one comment line: ``@verb ID[, ID...]``.

    ``symbol`` is what the scanner attributes the tag to (``None``: the whole file), with the
    line of its name; ``before`` and ``after`` are the line without and with the tag.
    """

    path: str
    line: int
    verb: str
    ids: tuple[str, ...]
    symbol: str | None
    symbol_line: int | None
    before: str
    after: str

    @property
    def tag(self) -> str:
        return f"@{self.verb} {', '.join(self.ids)}"


@dataclass(frozen=True, slots=True)
class Unknown:
    """A mention of an ID that looks like the project's IDs but names no item."""

    path: str
    line: int
    id: str
    closest: str | None
    text: str


@dataclass(frozen=True, slots=True)
class Refusal:
    """Mentions that were found but are left as they are, and why."""

    path: str
    line: int
    ids: tuple[str, ...]
    reason: str


@dataclass(slots=True)
class FilePlan:
    """One file's adoption: its proposals, its unknown IDs, and its content before and after."""

    path: str
    language: str
    is_test: bool
    proposals: list[Proposal] = field(default_factory=list)
    unknown: list[Unknown] = field(default_factory=list)
    refused: list[Refusal] = field(default_factory=list)
    already: int = 0  # mentions whose symbol already carries a tag for the ID
    original: bytes = b""
    updated: bytes = b""  # the new content, in the file's own encoding ("": nothing to write)
    text_before: str = ""
    text_after: str = ""

    @property
    def changes(self) -> bool:
        return bool(self.proposals) and bool(self.updated)


@dataclass(slots=True)
class Adoption:
    """Every file's plan (only files with something to say), and files that could not be read."""

    files: list[FilePlan] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)
    read: int = 0
    kinds: tuple[str, ...] = ()
    unmatched: list[str] = field(default_factory=list)  # paths asked for that hold no file

    @property
    def proposals(self) -> list[Proposal]:
        return [p for f in self.files for p in f.proposals]

    @property
    def unknown(self) -> list[Unknown]:
        return [u for f in self.files for u in f.unknown]

    @property
    def refused(self) -> list[Refusal]:
        return [r for f in self.files for r in f.refused]

    @property
    def already(self) -> int:
        return sum(f.already for f in self.files)

    @property
    def changed(self) -> list[FilePlan]:
        return [f for f in self.files if f.changes]
