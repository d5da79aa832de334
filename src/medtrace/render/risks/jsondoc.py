"""The risk file as JSON: the scales, the policy, both heat maps and the table's rows, with
``generator`` as the first key (how a later run knows the file is medtrace's)."""

from __future__ import annotations

import json
from typing import Any

from medtrace.render.matrix.registry import GENERATOR
from medtrace.render.risks.registry import Report, risk_format
from medtrace.render.risks.table import rows
from medtrace.risk import HeatMap

__all__ = ["render_json"]


def _heat(heat: HeatMap) -> dict[str, Any]:
    cells = [
        {
            "severity": heat.severity[c.severity],
            "probability": heat.probability[c.probability],
            "acceptability": c.acceptability,
            "risks": c.risks,
        }
        for row in heat.cells
        for c in row
    ]
    return {"title": heat.title, "cells": cells, "not_estimated": heat.unplaced}


# @implements SRS-165
@risk_format("json", ".json")
def render_json(report: Report) -> str:
    spec = report.analysis.spec
    doc = {
        "generator": GENERATOR,
        "project": report.project,
        "policy": spec.policy,
        "scales": {
            "severity": [lv.model_dump(by_alias=True) for lv in spec.severity_levels],
            "probability": [lv.model_dump(by_alias=True) for lv in spec.probability_levels],
        },
        "matrix": spec.matrix,
        "initial": _heat(report.initial),
        "residual": _heat(report.residual),
        "risks": rows(report.analysis),
    }
    return json.dumps(doc, indent=2, ensure_ascii=False) + "\n"
