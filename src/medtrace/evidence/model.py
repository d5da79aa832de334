"""What coverage and static-analysis reports say, as plain data.

A reader turns one report into a :class:`ReportData`: the files it measures
(:class:`MeasuredFile`, named as the report names them) and the findings it holds
(:class:`RawFinding`). The loader maps those names to project files and gathers everything in
an :class:`Evidence`: coverage merged per project file (:class:`FileCoverage`) and findings
located in the project (:class:`Finding`).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from medtrace.diagnostics import Diagnostic

__all__ = [
    "Evidence",
    "Figures",
    "FileCoverage",
    "Finding",
    "MeasuredFile",
    "RawFinding",
    "Report",
    "ReportData",
]

#: line → hits
Lines = dict[int, int]
#: line → (branches taken, branches)
Branches = dict[int, tuple[int, int]]
#: function name → (first line, hits)
Functions = dict[str, tuple[int, int]]


@dataclass(slots=True)
class MeasuredFile:
    """One file of a coverage report, as the report names it (``line``: where, in the report)."""

    name: str
    line: int = 0
    lines: Lines = field(default_factory=dict)
    branches: Branches = field(default_factory=dict)
    functions: Functions = field(default_factory=dict)
    #: line → checksum the report recorded for the line's text (lcov ``--checksum``)
    checksums: dict[int, str] = field(default_factory=dict)

    def add(self, other: MeasuredFile) -> None:
        """Merge another measurement of the same file (the higher count of each line wins)."""
        _merge_max(self.lines, other.lines)
        for line, (taken, total) in other.branches.items():
            known = self.branches.get(line, (0, 0))
            self.branches[line] = (max(known[0], taken), max(known[1], total))
        for name, (line, hits) in other.functions.items():
            known_fn = self.functions.get(name)
            self.functions[name] = (line, max(hits, known_fn[1] if known_fn else 0))
        self.checksums.update(other.checksums)


def _merge_max(into: dict[int, int], other: dict[int, int]) -> None:
    for key, value in other.items():
        into[key] = max(into.get(key, 0), value)


@dataclass(frozen=True, slots=True)
class RawFinding:
    """One result of a static analyser, its file as the report names it."""

    tool: str
    rule: str
    level: str  # "error", "warning", "note" or "none" (SARIF's levels)
    message: str
    uri: str | None
    line: int
    column: int
    bases: tuple[str, ...] = ()


@dataclass(slots=True)
class ReportData:
    """What a reader read from one report."""

    format: str
    kind: str  # "coverage" or "analysis"
    files: list[MeasuredFile] = field(default_factory=list)
    findings: list[RawFinding] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)
    #: the folders the report says its file names are relative to (Cobertura ``<source>``,
    #: gcov's working directory)
    bases: tuple[str, ...] = ()
    #: the report, relative to the project root
    source: str = ""


@dataclass(frozen=True, slots=True)
class Figures:
    """Covered and total counts of lines, branches and functions."""

    lines: tuple[int, int] = (0, 0)
    branches: tuple[int, int] = (0, 0)
    functions: tuple[int, int] = (0, 0)

    def __add__(self, other: Figures) -> Figures:
        return Figures(
            _sum(self.lines, other.lines),
            _sum(self.branches, other.branches),
            _sum(self.functions, other.functions),
        )

    def percent(self, measure: str) -> float | None:
        """The covered share of ``lines``, ``branches`` or ``functions`` in %, None if none."""
        covered, total = getattr(self, measure)
        return 100.0 * covered / total if total else None


def _sum(a: tuple[int, int], b: tuple[int, int]) -> tuple[int, int]:
    return (a[0] + b[0], a[1] + b[1])


MEASURES = ("lines", "branches", "functions")


@dataclass(slots=True)
class FileCoverage:
    """The coverage of one project file, merged over every report that measures it."""

    path: str
    measured: MeasuredFile
    reports: list[str] = field(default_factory=list)

    @property
    def figures(self) -> Figures:
        m = self.measured
        lines = (sum(1 for hits in m.lines.values() if hits > 0), len(m.lines))
        branches = (sum(t for t, _ in m.branches.values()), sum(n for _, n in m.branches.values()))
        functions = (sum(1 for _, hits in m.functions.values() if hits > 0), len(m.functions))
        return Figures(lines, branches, functions)


@dataclass(frozen=True, slots=True)
class Finding:
    """An open static-analysis finding in a project file."""

    tool: str
    rule: str
    level: str
    message: str
    path: str
    line: int
    column: int
    source: str  # the report it was read from


@dataclass(slots=True)
class Report:
    """A report file read: its format and kind, when it was written, what it measures."""

    source: str
    format: str
    kind: str
    mtime: float
    #: project file → the highest line the report has data for
    measured: dict[str, int] = field(default_factory=dict)
    #: project file → {line: checksum} where the report recorded line checksums
    checksums: dict[str, dict[int, str]] = field(default_factory=dict)
    findings: int = 0


@dataclass(slots=True)
class Evidence:
    """Every coverage and analysis report of a project, read and mapped to project files."""

    reports: list[Report] = field(default_factory=list)
    coverage: dict[str, FileCoverage] = field(default_factory=dict)
    findings: list[Finding] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)

    def of_kind(self, kind: str) -> list[Report]:
        return [r for r in self.reports if r.kind == kind]
