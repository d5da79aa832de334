"""The configuration as a typed schema (pydantic), validated all at once."""

from __future__ import annotations

import difflib
import re
from functools import cached_property
from pathlib import Path
from typing import Annotated, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    field_validator,
    model_validator,
)

from medtrace.config import defaults
from medtrace.fs.globs import normalize_all

SafetyClass = Literal["A", "B", "C"]
FieldType = Literal[
    "string",
    "text",
    "enum",
    "link",
    "links",
    "list",
    "mapping",
    "mapping-list",
    "integer",
    "boolean",
    "flag",
    "date",
    "scale",
    "any",
]
SeverityName = Literal["error", "warning", "note", "off"]
CLASS_RANK = {"A": 0, "B": 1, "C": 2}
_TRACED_FIRST = ("software-requirement", "system-requirement", "risk")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


class FieldSpec(_Strict):
    """One field of a kind. ``name`` is what users write; the key is its role in medtrace."""

    name: str = ""
    type: FieldType = "string"
    values: list[str] = []
    targets: list[str] = []
    required: list[SafetyClass] = []
    scale: Literal["severity", "probability", "p1", "p2"] | None = None
    derivation: bool = False
    keys: list[str] = []
    #: For ``mapping-list``: the keys of each entry, as fields (nested ``fields`` are ignored).
    fields: dict[str, FieldSpec] = {}
    description: str = ""

    @property
    def is_link(self) -> bool:
        return self.type in ("link", "links")


class KindSpec(_Strict):
    model_config = ConfigDict(extra="forbid", frozen=False, populate_by_name=True)

    title: str = ""
    prefix: str | None = None
    pattern: str | None = None
    digits: int | None = Field(default=None, ge=1, le=12)
    fields: dict[str, FieldSpec] = {}

    # @implements SRS-60
    @field_validator("prefix")
    @classmethod
    def _prefix_form(cls, v: str | None) -> str | None:
        if v is not None and not re.fullmatch(r"[A-Za-z](?:[A-Za-z0-9_-]*[A-Za-z0-9])?", v):
            raise ValueError(
                "a prefix is letters, digits, '-' and '_', starting with a letter and ending "
                "with a letter or digit (SRS, RW-SW, SDOC_SRS)"
            )
        return v

    @field_validator("pattern")
    @classmethod
    def _pattern_compiles(cls, v: str | None) -> str | None:
        if v is not None:
            try:
                re.compile(v)
            except re.error as exc:
                raise ValueError(f"not a regular expression: {exc}") from None
        return v

    # @implements SRS-60
    @cached_property
    def id_re(self) -> re.Pattern[str]:
        """The form of the kind's IDs: its ``pattern`` when it has one, else ``PREFIX-<digits>``.

        ASCII only: ``\\d`` in a pattern does not accept ``²`` or ``①``.
        """
        if self.pattern:
            return re.compile(f"(?:{self.pattern})", re.ASCII)
        if self.prefix:
            return re.compile(re.escape(self.prefix) + r"-[0-9]+", re.ASCII)
        return re.compile(r"[A-Za-z][A-Za-z0-9_.-]*", re.ASCII)

    def example_id(self, number: int = 1) -> str | None:
        """An ID of the ``PREFIX-<digits>`` form (``SYS-001`` when ``digits = 3``), if it has one."""
        if not self.prefix:
            return None
        candidate = f"{self.prefix}-{str(number).zfill(self.digits or 1)}"
        return candidate if self.id_re.fullmatch(candidate) else None

    @property
    def is_requirement(self) -> bool:
        """Derives from parents (``parents``): shown and traced like a requirement."""
        spec = self.fields.get("parents")
        return spec is not None and spec.is_link

    @property
    def is_risk(self) -> bool:
        """Assessed on the severity scale (``severity``): shown and traced like a risk."""
        spec = self.fields.get("severity")
        return spec is not None and spec.type == "scale"


#: What ends a line in a terminal, a log or a CI annotation.
_LINE_BREAKS = frozenset("\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029")


class ProjectSpec(_Strict):
    name: str = ""
    safety_class: SafetyClass = Field(alias="class")
    version: str = ""

    @field_validator("name", "version")
    @classmethod
    def _one_line(cls, value: str) -> str:
        """Shown in every report's closing line: one line of printable text, so that it can
        never pass for a finding line or recolour a terminal."""
        if any(c in _LINE_BREAKS for c in value):
            raise ValueError("is not one line of text (it holds a line break)")
        return value


class PathsSpec(_Strict):
    items: list[str] = defaults.PATHS["items"]
    sources: list[str] = []
    tests: list[str] = []
    results: list[str] = []
    coverage: list[str] = []
    analysis: list[str] = []
    exclude: list[str] = []
    lockfiles: list[str] = []
    sbom: list[str] = []
    audit: list[str] = []
    follow_external_symlinks: bool = False

    # @implements SRS-50
    @field_validator(
        "items",
        "sources",
        "tests",
        "results",
        "coverage",
        "analysis",
        "exclude",
        "lockfiles",
        "sbom",
        "audit",
    )
    @classmethod
    def _normalized(cls, patterns: list[str]) -> list[str]:
        """Each pattern in its one written form (medtrace.fs.globs); one leaving the root is
        an error."""
        good, problems = normalize_all(patterns)
        if problems:
            raise ValueError("; ".join(problems))
        return good


Acceptability = Literal["acceptable", "review", "unacceptable"]
ACCEPTABILITY: tuple[Acceptability, ...] = ("acceptable", "review", "unacceptable")
ScaleName = Literal["severity", "probability", "p1", "p2"]


def _level_table(value: object) -> object:
    """A level written as its name alone (``"serious"``) is a level without a definition."""
    return {"name": value} if isinstance(value, str) else value


class LevelSpec(_Strict):
    """One level of a risk scale: its name, its definition and (severity) the class it needs."""

    name: str = Field(min_length=1)
    definition: str = ""
    #: Severity levels only: the lowest software safety class a software item contributing to
    #: a harm of this severity may have (IEC 62304 4.3).
    safety_class: SafetyClass | None = Field(default=None, alias="class")


Level = Annotated[LevelSpec, BeforeValidator(_level_table)]


def _default_levels(names: list[str]) -> list[Level]:
    return [LevelSpec(name=n) for n in names]


# @implements SRS-160
class RiskSpec(_Strict):
    """``[risk]``: the scales, the acceptability matrix, the P1×P2 table and the policy."""

    severity_levels: list[Level] = Field(
        default=_default_levels(defaults.SEVERITY), alias="severity"
    )
    probability_levels: list[Level] = Field(
        default=_default_levels(defaults.PROBABILITY), alias="probability"
    )
    p1_levels: list[Level] | None = Field(default=None, alias="p1")
    p2_levels: list[Level] | None = Field(default=None, alias="p2")
    matrix: list[list[str]] = defaults.MATRIX
    #: P1 × P2 → overall probability: one row per P1 level of one probability name per P2 level.
    combine: list[list[str]] | None = None
    policy: Literal["afap", "alarp"] = "afap"

    @field_validator("severity_levels", "probability_levels", "p1_levels", "p2_levels")
    @classmethod
    def _distinct(cls, levels: list[LevelSpec] | None) -> list[LevelSpec] | None:
        if levels is None:
            return None
        if not levels:
            raise ValueError("a scale needs at least one level")
        names = [lv.name.casefold() for lv in levels]
        twice = sorted({lv.name for lv in levels if names.count(lv.name.casefold()) > 1})
        if twice:
            raise ValueError(f"the level {twice[0]!r} is written twice")
        return levels

    @cached_property
    def severity(self) -> list[str]:
        return [lv.name for lv in self.severity_levels]

    @cached_property
    def probability(self) -> list[str]:
        return [lv.name for lv in self.probability_levels]

    @cached_property
    def p1(self) -> list[str]:
        return [lv.name for lv in self.p1_levels or self.probability_levels]

    @cached_property
    def p2(self) -> list[str]:
        return [lv.name for lv in self.p2_levels or self.probability_levels]

    @cached_property
    def index(self) -> dict[str, dict[str, int]]:
        """Each scale's 0-based level by its name, case folded."""
        scales: tuple[ScaleName, ...] = ("severity", "probability", "p1", "p2")
        return {s: {name.casefold(): n for n, name in enumerate(getattr(self, s))} for s in scales}

    def levels(self, scale: ScaleName) -> list[LevelSpec]:
        table = {
            "severity": self.severity_levels,
            "probability": self.probability_levels,
            "p1": self.p1_levels or self.probability_levels,
            "p2": self.p2_levels or self.probability_levels,
        }
        return table[scale]

    @model_validator(mode="after")
    def _tables_fit(self) -> RiskSpec:
        problems = _matrix_problems(self) + _combine_problems(self)
        if problems:
            raise ValueError("; ".join(problems))
        return self

    def acceptability(self, severity: int, probability: int) -> Acceptability:
        """Acceptability of 0-based severity and probability levels."""
        value = self.matrix[severity][probability]
        assert value in ACCEPTABILITY
        return value

    def combined(self, p1: int, p2: int) -> int:
        """0-based overall probability of 0-based P1 and P2 levels (the ``combine`` table, or
        by default the product on the scales' positions: P1 at the top level leaves P2)."""
        if self.combine is not None:
            return self.probability.index(self.combine[p1][p2])
        top = len(self.probability) - 1
        n1, n2 = len(self.p1) - 1, len(self.p2) - 1
        share = (p1 / n1 if n1 else 1.0) + (p2 / n2 if n2 else 1.0) - 1.0
        return max(0, round(share * top))

    def class_for(self, severity: int) -> SafetyClass | None:
        """The lowest class a contributing software item may have for a harm of this level:
        the level's ``class``; when no level gives one, the top two levels need C and the one
        below them B (IEC 62304 4.3: death or serious injury, non-serious injury)."""
        levels = self.severity_levels
        if any(lv.safety_class for lv in levels):
            return levels[severity].safety_class
        below_top = len(levels) - 1 - severity
        return "C" if below_top < 2 else "B" if below_top == 2 else None


# @implements SRS-160
def _matrix_problems(spec: RiskSpec) -> list[str]:
    """``risk.matrix: ...``: each problem of the matrix's shape and cells, in words."""
    rows, cols = spec.severity, spec.probability
    out = []
    if len(spec.matrix) != len(rows):
        out.append(
            f"risk.matrix: has {len(spec.matrix)} rows, not {len(rows)}: one per severity "
            f"level from the lowest ({', '.join(rows)})"
        )
    for number, (name, row) in enumerate(zip(rows, spec.matrix, strict=False), 1):
        if len(row) != len(cols):
            out.append(
                f"risk.matrix: row {number} ({name}) has {len(row)} cells, not "
                f"{len(cols)}: one per probability level from the lowest ({', '.join(cols)})"
            )
        out += [
            f"risk.matrix: row {number} ({name}) has the cell {cell!r}, which is not "
            "acceptable, review or unacceptable"
            for cell in row
            if cell not in ACCEPTABILITY
        ]
    return out


def _combine_problems(spec: RiskSpec) -> list[str]:
    if spec.combine is None:
        return []
    out = []
    if len(spec.combine) != len(spec.p1):
        out.append(
            f"risk.combine: has {len(spec.combine)} rows, not {len(spec.p1)}: one per P1 "
            f"level ({', '.join(spec.p1)})"
        )
    known = set(spec.probability)
    for number, (name, row) in enumerate(zip(spec.p1, spec.combine, strict=False), 1):
        if len(row) != len(spec.p2):
            out.append(
                f"risk.combine: row {number} (P1 {name}) has {len(row)} cells, not "
                f"{len(spec.p2)}: one per P2 level ({', '.join(spec.p2)})"
            )
        out += [
            f"risk.combine: row {number} (P1 {name}) names {cell!r}, which is not a probability "
            f"level ({', '.join(spec.probability)})"
            for cell in row
            if cell not in known
        ]
    return out


# @implements SRS-121
class Thresholds(_Strict):
    """The least coverage, in %, a software item of a class must have."""

    lines: float | None = Field(default=None, ge=0, le=100)
    branches: float | None = Field(default=None, ge=0, le=100)
    functions: float | None = Field(default=None, ge=0, le=100)

    def required(self) -> dict[str, float]:
        """The measures that have a threshold, with it."""
        values = {"lines": self.lines, "branches": self.branches, "functions": self.functions}
        return {name: value for name, value in values.items() if value is not None}


class CoverageSpec(_Strict):
    """Coverage thresholds per safety class: none unless the project sets them."""

    A: Thresholds | None = None
    B: Thresholds | None = None
    C: Thresholds | None = None

    def of(self, safety_class: str) -> dict[str, float]:
        found = getattr(self, safety_class, None)
        return found.required() if isinstance(found, Thresholds) else {}


AnalysisLevel = Literal["error", "warning", "note"]


class AnalysisSpec(_Strict):
    """Which open static-analysis findings fail the check: their levels, in items of which
    classes."""

    classes: list[SafetyClass] = ["C"]
    levels: list[AnalysisLevel] = ["error"]


class EvidenceSpec(_Strict):
    coverage: CoverageSpec = CoverageSpec()
    analysis: AnalysisSpec = AnalysisSpec()


class SoupSpec(_Strict):
    """``[soup]``: how the SOUP list is held against lockfiles and SBOMs."""

    dev: bool = False
    ignore: list[str] = []
    list_file: str = Field(default="", alias="list")


class StrictnessSpec(_Strict):
    """The safety classes in which missing, partial and stale results, and stale test records,
    are errors rather than warnings."""

    classes: list[SafetyClass] = ["C"]


# @implements SRS-282
class ReleaseSpec(_Strict):
    """``[release]``: where ``medtrace release`` writes and which checks of its checklist apply
    to which safety classes (a check not named applies to every class)."""

    folder: str = "releases"
    archive: Literal["tar.gz", "zip"] = "tar.gz"
    checks: dict[str, list[SafetyClass]] = {}


TestLevel = Literal["unit", "integration", "system"]


class ReviewSpec(_Strict):
    """``[review]``: reviewed links, suspect links and approvals (see ``medtrace docs changes``)."""

    #: The lock file (from the root) that keeps reviews and approvals.
    lock: str = "medtrace.lock"
    #: The link fields whose links are reviewed (``verifies`` covers tags and test cases).
    links: list[str] = ["parents", "controls", "verifies"]
    #: Classes in which a suspect link or a suspect verification is an error (else a warning).
    suspect_links: list[SafetyClass] = ["C"]
    #: Classes whose requirements and risks need an approval of their current content.
    approval: list[SafetyClass] = ["C"]

    @field_validator("lock")
    @classmethod
    def _inside(cls, value: str) -> str:
        """The lock file is a path inside the project."""
        parts = value.replace("\\", "/").split("/")
        if not value or value.startswith(("/", "~")) or ".." in parts or ":" in parts[0]:
            raise ValueError(f"{value!r}: a path inside the project, such as 'medtrace.lock'")
        return value


class LimitsSpec(_Strict):
    max_file_bytes: int = Field(default=5_000_000, gt=0)
    #: Worker processes for a cold load and scan; 0: the cores this process may use.
    jobs: int = Field(default=0, ge=0)


class ConformanceSpec(_Strict):
    """``[conformance]``: how the architecture conformance rules read the code."""

    #: Folders (from the root) searched for ``#include`` files after the including file's own.
    include_dirs: list[str] = []
    #: Where ``medtrace interfaces --record`` writes the recorded Python APIs.
    api_records: str = "docs/interfaces"


_LANGUAGE_ALIASES = {
    "c++": "cpp",
    "cxx": "cpp",
    "cc": "cpp",
    "h": "c",
    "hpp": "cpp",
    "cplusplus": "cpp",
    "c#": "csharp",
    "cs": "csharp",
    "golang": "go",
    "js": "javascript",
    "kt": "kotlin",
    "py": "python",
    "qmljs": "qml",
    "rs": "rust",
    "ts": "typescript",
}


# @implements SRS-40
def _known_language(name: str) -> str:
    """A ``[languages]`` value must name a language the scanner reads."""
    if name not in defaults.LANGUAGES:
        alias = _LANGUAGE_ALIASES.get(name.lower().lstrip("."))
        close = [alias] if alias else difflib.get_close_matches(name.lower(), defaults.LANGUAGES, 1)
        known = ", ".join(defaults.LANGUAGES)
        hint = f"did you mean '{close[0]}'? " if close else ""
        raise ValueError(f"unknown language {name!r}; {hint}known languages: {known}")
    return name


LanguageName = Annotated[str, AfterValidator(_known_language)]


class Config(_Strict):
    """A project's validated configuration."""

    model_config = ConfigDict(extra="forbid", frozen=False, populate_by_name=True)

    project: ProjectSpec
    paths: PathsSpec = PathsSpec()
    kinds: dict[str, KindSpec] = {}
    risk: RiskSpec = RiskSpec()
    rules: dict[str, SeverityName] = {}
    limits: LimitsSpec = LimitsSpec()
    evidence: EvidenceSpec = EvidenceSpec()
    soup: SoupSpec = SoupSpec()
    conformance: ConformanceSpec = ConformanceSpec()
    strictness: StrictnessSpec = StrictnessSpec()
    release: ReleaseSpec = ReleaseSpec()
    review: ReviewSpec = ReviewSpec()
    #: Test level → globs of the test files at that level (an `@level` tag wins).
    levels: dict[TestLevel, list[str]] = {}
    #: Globs (medtrace's dialect; without a ``/``, in any folder) to the language their files
    #: are read as: ``"*.h" = "cpp"``.
    languages: dict[str, LanguageName] = {}

    @field_validator("languages")
    @classmethod
    def _language_globs(cls, table: dict[str, str]) -> dict[str, str]:
        """Every key a glob of the one dialect; one leaving the root is an error."""
        _, problems = normalize_all(list(table))
        if problems:
            raise ValueError("; ".join(problems))
        return table

    root: Path = Field(default=Path(), exclude=True)
    source: Path | None = Field(default=None, exclude=True)
    #: The text this configuration was parsed from (what a check's result is keyed by: the
    #: file read again could already hold another).
    source_text: str | None = Field(default=None, exclude=True)

    @model_validator(mode="after")
    def _links_name_kinds(self) -> Config:
        problems = []
        for kname, kind in self.kinds.items():
            for fname, f in kind.fields.items():
                problems += [
                    f"kinds.{kname}.fields.{fname}: target kind {t!r} is not a kind"
                    for t in f.targets
                    if t not in self.kinds
                ]
                if f.type == "enum" and not f.values:
                    problems.append(f"kinds.{kname}.fields.{fname}: an enum needs values")
        owners: dict[str, str] = {}
        for kname, kind in self.kinds.items():
            if kind.prefix is None:
                continue
            other = owners.setdefault(kind.prefix.upper(), kname)
            if other != kname:
                problems.append(
                    f"kinds.{kname}.prefix: {kind.prefix!r} is already the prefix of {other} "
                    "(an ID must tell its kind)"
                )
        if problems:
            raise ValueError("; ".join(problems))
        return self

    @property
    def safety_class(self) -> str:
        return self.project.safety_class

    @cached_property
    def kind_by_prefix(self) -> dict[str, str]:
        return {k.prefix: name for name, k in self.kinds.items() if k.prefix}

    @cached_property
    def _prefix_re(self) -> re.Pattern[str] | None:
        prefixes = sorted(self.kind_by_prefix, key=len, reverse=True)  # RW-SW before RW
        if not prefixes:
            return None
        return re.compile("(" + "|".join(map(re.escape, prefixes)) + r")(?![A-Za-z])", re.ASCII)

    # @implements SRS-60
    def kind_of_id(self, item_id: str) -> str | None:
        """The kind whose prefix starts ``item_id``, the longest prefix first (``RW-SW-12`` is
        of the kind of ``RW-SW``, not of ``RW``); whether the rest is well formed is MT004's."""
        regex = self._prefix_re
        m = regex.match(item_id) if regex is not None else None
        return self.kind_by_prefix[m.group(1)] if m is not None else None

    @cached_property
    def requirement_kinds(self) -> list[str]:
        return [name for name, k in self.kinds.items() if k.is_requirement]

    @cached_property
    def risk_kinds(self) -> list[str]:
        return [name for name, k in self.kinds.items() if k.is_risk]

    @cached_property
    def traced_kinds(self) -> list[str]:
        """Kinds whose items are traced to code and tests: requirement-like and risk-like (the
        default kinds first, in their usual order)."""
        kinds = dict.fromkeys([*self.requirement_kinds, *self.risk_kinds])
        return sorted(kinds, key=lambda k: _TRACED_FIRST.index(k) if k in _TRACED_FIRST else 3)

    @cached_property
    def cache_dir(self) -> Path:
        return self.root / ".medtrace" / "cache"
