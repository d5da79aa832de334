"""The configuration as a typed schema (pydantic), validated all at once."""

from __future__ import annotations

import re
from functools import cached_property
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from medtrace.config import defaults

SafetyClass = Literal["A", "B", "C"]
FieldType = Literal[
    "string", "text", "enum", "link", "links", "list", "mapping", "integer", "date", "scale", "any"
]
SeverityName = Literal["error", "warning", "note", "off"]
CLASS_RANK = {"A": 0, "B": 1, "C": 2}


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


class FieldSpec(_Strict):
    """One field of a kind. ``name`` is what users write; the key is its role in medtrace."""

    name: str = ""
    type: FieldType = "string"
    values: list[str] = []
    targets: list[str] = []
    required: list[SafetyClass] = []
    scale: Literal["severity", "probability"] | None = None
    derivation: bool = False
    keys: list[str] = []
    description: str = ""

    @property
    def is_link(self) -> bool:
        return self.type in ("link", "links")


class KindSpec(_Strict):
    model_config = ConfigDict(extra="forbid", frozen=False, populate_by_name=True)

    title: str = ""
    prefix: str | None = None
    pattern: str | None = None
    fields: dict[str, FieldSpec] = {}

    @field_validator("prefix")
    @classmethod
    def _prefix_form(cls, v: str | None) -> str | None:
        if v is not None and not re.fullmatch(r"[A-Za-z][A-Za-z0-9_]*", v):
            raise ValueError("a prefix is letters, digits and '_', starting with a letter")
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

    @cached_property
    def id_re(self) -> re.Pattern[str]:
        forms = []
        if self.prefix:
            forms.append(re.escape(self.prefix) + r"-\d+")
        if self.pattern:
            forms.append(f"(?:{self.pattern})")
        return re.compile("|".join(forms) or r"[A-Za-z][A-Za-z0-9_.-]*")


class ProjectSpec(_Strict):
    name: str = ""
    safety_class: SafetyClass = Field(alias="class")
    version: str = ""


class PathsSpec(_Strict):
    items: list[str] = defaults.PATHS["items"]
    sources: list[str] = []
    tests: list[str] = []
    results: list[str] = []
    exclude: list[str] = []
    lockfiles: list[str] = []
    sbom: list[str] = []
    audit: list[str] = []


Acceptability = Literal["acceptable", "review", "unacceptable"]


class RiskSpec(_Strict):
    severity: list[str] = defaults.SEVERITY
    probability: list[str] = defaults.PROBABILITY
    matrix: list[list[Acceptability]] = defaults.MATRIX  # type: ignore[assignment]

    @model_validator(mode="after")
    def _matrix_shape(self) -> RiskSpec:
        rows, cols = len(self.severity), len(self.probability)
        if len(self.matrix) != rows or any(len(r) != cols for r in self.matrix):
            raise ValueError(
                f"the matrix must have {rows} rows (one per severity) of {cols} columns "
                "(one per probability)"
            )
        return self

    def acceptability(self, severity: int, probability: int) -> Acceptability:
        """Acceptability of 0-based severity and probability levels."""
        return self.matrix[severity][probability]


class SoupSpec(_Strict):
    """``[soup]``: how the SOUP list is held against lockfiles and SBOMs."""

    dev: bool = False
    ignore: list[str] = []
    list_file: str = Field(default="", alias="list")


class LimitsSpec(_Strict):
    max_file_bytes: int = Field(default=5_000_000, gt=0)


class Config(_Strict):
    """A project's validated configuration."""

    model_config = ConfigDict(extra="forbid", frozen=False, populate_by_name=True)

    project: ProjectSpec
    paths: PathsSpec = PathsSpec()
    kinds: dict[str, KindSpec] = {}
    risk: RiskSpec = RiskSpec()
    rules: dict[str, SeverityName] = {}
    limits: LimitsSpec = LimitsSpec()
    soup: SoupSpec = SoupSpec()

    root: Path = Field(default=Path(), exclude=True)
    source: Path | None = Field(default=None, exclude=True)

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
    def cache_dir(self) -> Path:
        return self.root / ".medtrace" / "cache"
