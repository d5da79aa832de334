"""Risk management (ISO 14971 with IEC 62304 clause 7): the scales and acceptability of the
project's ``[risk]``, the estimate of each risk (P, or P1 × P2), its controls and their
verification, the chain from hazardous situation to test result, and the heat-map data.

Plain data in, plain data out: the verification status of each control comes from the trace as
a mapping, so this package needs neither the tracing nor the rules.
"""

from medtrace.risk.analysis import Analysis, ControlInfo, RiskInfo, Verification, analyse
from medtrace.risk.chain import ChainLink, chain_of
from medtrace.risk.estimate import Estimate, estimate, level_of
from medtrace.risk.heatmap import Cell, HeatMap, heat_maps

__all__ = [
    "Analysis",
    "Cell",
    "ChainLink",
    "ControlInfo",
    "Estimate",
    "HeatMap",
    "RiskInfo",
    "Verification",
    "analyse",
    "chain_of",
    "estimate",
    "heat_maps",
    "level_of",
]
