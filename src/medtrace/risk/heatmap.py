"""The risk matrix as data for heat maps: one grid before control and one after, each cell
with its acceptability and the risks estimated in it."""

from __future__ import annotations

from dataclasses import dataclass, field

from medtrace.config.schema import Acceptability
from medtrace.risk.analysis import Analysis

__all__ = ["Cell", "HeatMap", "heat_maps"]


@dataclass(slots=True)
class Cell:
    severity: int
    probability: int
    acceptability: Acceptability
    risks: list[str] = field(default_factory=list)


@dataclass(slots=True)
class HeatMap:
    """``cells[s][p]`` for 0-based severity ``s`` and probability ``p``; ``unplaced`` lists
    the risks that could not be estimated (shown beside the grid, never dropped)."""

    title: str
    severity: list[str]
    probability: list[str]
    definitions: dict[str, str]
    cells: list[list[Cell]]
    unplaced: list[str] = field(default_factory=list)

    @property
    def total(self) -> int:
        return sum(len(c.risks) for row in self.cells for c in row)


# @implements SRS-165
def heat_maps(analysis: Analysis) -> tuple[HeatMap, HeatMap]:
    """The matrix of the project's scales before control and after control."""
    return _map(analysis, "Before control", residual=False), _map(
        analysis, "After control", residual=True
    )


def _map(analysis: Analysis, title: str, *, residual: bool) -> HeatMap:
    spec = analysis.spec
    cells = [
        [Cell(s, p, spec.acceptability(s, p)) for p in range(len(spec.probability))]
        for s in range(len(spec.severity))
    ]
    definitions = {
        lv.name: lv.definition for lv in [*spec.severity_levels, *spec.probability_levels]
    }
    out = HeatMap(title, spec.severity, spec.probability, definitions, cells)
    for risk in analysis.risks:
        found = risk.residual if residual else risk.initial
        if found.severity is None or found.probability is None:
            out.unplaced.append(risk.id)
        else:
            cells[found.severity][found.probability].risks.append(risk.id)
    return out
