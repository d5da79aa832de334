"""Find a project's coverage and analysis reports, read each with the reader of its format,
and map the files they name to project files."""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path

import medtrace
from medtrace.cache import FileCache
from medtrace.diagnostics import Diagnostic
from medtrace.evidence import codes
from medtrace.evidence.model import (
    Evidence,
    FileCoverage,
    Finding,
    MeasuredFile,
    RawFinding,
    Report,
    ReportData,
)
from medtrace.evidence.paths import PathMapper
from medtrace.evidence.registry import detect
from medtrace.fs import Globs, Policy, unmatched, walk

__all__ = ["expand", "load_evidence"]

#: At most this many unmapped names are listed in one diagnostic.
_LISTED = 3
#: Bump when the meaning of what the readers return changes, to drop cached reports.
FORMAT = 1
SALT = f"{medtrace.__version__}/{FORMAT}"


# @implements SRS-129
def load_evidence(
    root: Path,
    coverage: Sequence[str] = (),
    analysis: Sequence[str] = (),
    *,
    cache_dir: Path | None = None,
) -> Evidence:
    """Read every report matching the ``coverage`` and ``analysis`` globs (relative to ``root``).

    A folder matched by a glob stands for every file below it. A glob that matches nothing is
    reported (``MT141``), a report that cannot be read (``MT140``), a name in a report that
    maps to no single project file (``MT142``); the other reports and files are still read.
    With ``cache_dir``, a report unchanged since the last run is not parsed again (its file
    names are mapped again: the project's files may have moved).
    """
    evidence = Evidence()
    mapper = PathMapper(root)
    cache = FileCache(cache_dir, "evidence", SALT) if cache_dir is not None else None
    for key, patterns in (("coverage", coverage), ("analysis", analysis)):
        for relative in expand(root, patterns, key, evidence.diagnostics):
            _load(root, relative, mapper, evidence, cache)
    if cache is not None:
        cache.save()
    return evidence


def expand(
    root: Path, patterns: Sequence[str], key: str, diagnostics: list[Diagnostic]
) -> list[str]:
    """The files matching ``patterns``, relative to ``root`` (POSIX), each once: medtrace's one
    glob dialect and walk (:mod:`medtrace.fs`), so a link out of the project, a pipe or a loop
    of links is reported, never followed; hidden files below a named folder (coverage.py's
    ``.coverage`` database) are no report."""
    policy = Policy(f"paths.{key}", _unreadable, skip_hidden=True, stat_files=False)
    walked = walk(root, Globs(patterns), policy)
    diagnostics.extend(walked.diagnostics)
    files = [f.rel for f in walked.files]
    reached = [*files, *(d.path for d in walked.diagnostics)]
    diagnostics.extend(codes.missing(p, key) for p in unmatched(patterns, reached))
    return files


def _unreadable(rel: str, reason: str) -> Diagnostic:
    return codes.malformed(rel, f"cannot read: {reason}", hint="Fix the path or its permissions.")


def _load(
    root: Path, relative: str, mapper: PathMapper, evidence: Evidence, cache: FileCache | None
) -> None:
    path = root / relative
    try:
        st = path.stat()
        data_read = _parsed(path, relative, st, cache)
    except OSError as exc:
        found = f"a report that cannot be read ({exc.strerror or type(exc).__name__})"
        evidence.diagnostics.append(codes.malformed(relative, found))
        return
    evidence.diagnostics.extend(data_read.diagnostics)
    if data_read.kind:
        report = Report(relative, data_read.format, data_read.kind, st.st_mtime)
        evidence.reports.append(report)
        _Mapping(mapper, report, data_read, evidence).run()


def _parsed(path: Path, relative: str, st: os.stat_result, cache: FileCache | None) -> ReportData:
    """What the reader of its format reads from the report (from the cache when unchanged)."""
    key = str(path.absolute())
    cached = cache.get(key, st) if cache is not None else None
    if isinstance(cached, ReportData) and cached.source == relative:
        return cached
    data = path.read_bytes()
    found = _read(data, relative)
    if cache is not None:
        cache.put(key, st, data, found)
    return found


def _read(data: bytes, relative: str) -> ReportData:
    """The report read by the reader of its format; a report of no format has no ``kind``."""
    if not data.strip():
        return _unusable(relative, "an empty file")
    reader = detect(data)
    if reader is None:
        return _unusable(relative, "a file of no known coverage or analysis format")
    try:
        found = reader.read(data, relative)
    except Exception as exc:  # a bug in a reader: this report is reported, the rest is read
        problem = f"a {reader.name} report the reader failed on ({type(exc).__name__}: {exc})"
        diagnostic = codes.malformed(relative, problem, hint=codes.BUG_HINT)
        return ReportData(reader.name, "", diagnostics=[diagnostic], source=relative)
    found.source = relative
    return found


def _unusable(relative: str, found: str) -> ReportData:
    return ReportData("", "", diagnostics=[codes.malformed(relative, found)], source=relative)


class _Mapping:
    """Moves what one report read into the evidence, under project paths."""

    def __init__(
        self, mapper: PathMapper, report: Report, data: ReportData, evidence: Evidence
    ) -> None:
        self.mapper, self.report, self.data, self.evidence = mapper, report, data, evidence
        self.unmapped: dict[str, str] = {}

    def run(self) -> None:
        for measured in self.data.files:
            rel = self._map(measured.name)
            if rel is not None:
                self._add_coverage(rel, measured)
        for raw in self.data.findings:
            self._add_finding(raw.uri, raw)
        self._report_unmapped()

    def _map(self, name: str, bases: tuple[str, ...] = ()) -> str | None:
        mapped = self.mapper.map(name, bases or self.data.bases, self.report.source)
        if mapped.path is None:
            self.unmapped.setdefault(name, mapped.reason)
        return mapped.path

    def _add_coverage(self, rel: str, measured: MeasuredFile) -> None:
        report = self.report
        highest = max(measured.lines, default=0)
        report.measured[rel] = max(report.measured.get(rel, 0), highest)
        if measured.checksums:
            report.checksums.setdefault(rel, {}).update(measured.checksums)
        known = self.evidence.coverage.get(rel)
        if known is None:
            copy = MeasuredFile(rel, measured.line)
            copy.add(measured)
            self.evidence.coverage[rel] = FileCoverage(rel, copy, [report.source])
            return
        known.measured.add(measured)
        if report.source not in known.reports:
            known.reports.append(report.source)

    def _add_finding(self, uri: str | None, raw: RawFinding) -> None:
        rel = self._map(uri, raw.bases) if uri else None
        if uri is None:
            self.unmapped.setdefault(f"{raw.rule or raw.tool} finding", "no file location")
        if rel is None:
            return
        self.report.findings += 1
        self.evidence.findings.append(
            Finding(
                raw.tool,
                raw.rule,
                raw.level,
                raw.message,
                rel,
                raw.line,
                raw.column,
                self.report.source,
            )
        )

    def _report_unmapped(self) -> None:
        if not self.unmapped:
            return
        names = list(self.unmapped.items())
        listed = "; ".join(f"{name} ({reason})" for name, reason in names[:_LISTED])
        more = f" and {len(names) - _LISTED} more" if len(names) > _LISTED else ""
        one = len(names) == 1
        what = "coverage" if self.report.kind == "coverage" else "findings"
        verb = "is" if what == "coverage" else "are"
        self.evidence.diagnostics.append(
            codes.EVIDENCE_UNMAPPED(
                f"{len(names)} file name{'' if one else 's'} in this report map{'s' if one else ''} "
                f"to no single project file; {'its' if one else 'their'} {what} {verb} not counted: "
                f"{listed}{more}",
                expected="file names that are, or end with, the path of one project file",
                hint="run the tool from the project (or give it the project root, e.g. "
                "`gcovr --root`, coverage.py `[run] relative_files`), and leave files that are "
                "not the project's out of the report",
                path=self.report.source,
            )
        )
