"""The risk report formats, registered by name (``medtrace risks --format NAME``)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from medtrace.registry import registrar
from medtrace.risk import Analysis, HeatMap, heat_maps

__all__ = ["FORMATS", "Report", "RiskFormat", "risk_format"]

Rendered = str | bytes


@dataclass(frozen=True)
class Report:
    """What every format renders: the analysis, its heat maps and the project's name."""

    project: str
    analysis: Analysis
    initial: HeatMap
    residual: HeatMap

    @classmethod
    def of(cls, project: str, analysis: Analysis) -> Report:
        return cls(project, analysis, *heat_maps(analysis))


@dataclass(frozen=True)
class RiskFormat:
    """A renderer; ``split`` gives its files by name when the output is a folder; ``owner``
    tells how an existing file is known as medtrace's (:mod:`medtrace.render.matrix.ownership`)."""

    name: str
    suffix: str
    render: Callable[[Report], Rendered]
    binary: bool = False
    split: Callable[[Report], dict[str, Rendered]] | None = None
    owner: str = "marker"


FORMATS: dict[str, RiskFormat] = {}

Renderer = Callable[[Report], Rendered]


def risk_format(
    name: str,
    suffix: str,
    *,
    binary: bool = False,
    split: Callable[[Report], dict[str, Rendered]] | None = None,
    owner: str = "marker",
) -> Callable[[Renderer], Renderer]:
    return registrar(
        FORMATS, name, lambda func: RiskFormat(name, suffix, func, binary, split, owner)
    )
