"""The risk table: one row per risk, in the words of ISO 14971 and IEC 62304 7.1."""

from __future__ import annotations

from medtrace.risk import Analysis, Estimate, RiskInfo, chain_of

__all__ = ["COLUMNS", "rows"]

COLUMNS = [
    "ID",
    "Title",
    "Hazard",
    "Sequence of events",
    "Hazardous situation",
    "Harm",
    "Software item",
    "Cause",
    "SOUP",
    "Severity",
    "Probability",
    "Initial risk",
    "Controls",
    "Verification",
    "Effectiveness",
    "Residual severity",
    "Residual probability",
    "Residual risk",
    "Benefit-risk",
    "Introduced by",
    "Chain",
]


# @implements SRS-165
def rows(analysis: Analysis) -> list[dict[str, str]]:
    """Each risk as text by column (an empty string where nothing is written)."""
    return [_row(analysis, risk) for risk in analysis.risks]


def _row(analysis: Analysis, risk: RiskInfo) -> dict[str, str]:
    broken = [link.name for link in chain_of(risk) if not link.ok]
    values = [
        risk.id,
        risk.item.title,
        _text(risk, "hazard"),
        _text(risk, "sequence"),
        _text(risk, "situation"),
        _text(risk, "harm"),
        _text(risk, "item"),
        _text(risk, "cause"),
        ", ".join(risk.item.ids("soup")),
        _level(analysis.spec.severity, risk.initial.severity, risk.item.get("severity")),
        _probability(analysis, risk.initial, risk, ""),
        risk.initial.acceptability or "not estimated",
        "; ".join(f"{c.id} ({c.control_type or 'type not given'})" for c in risk.controls),
        "; ".join(f"{c.id}: {c.status}" for c in risk.controls),
        "; ".join(
            f"{c.id}: {_effect(c.effectiveness, c.evidence)}"
            for c in risk.controls
            if c.effectiveness
        ),
        _level(analysis.spec.severity, risk.residual.severity, risk.item.get("residual_severity")),
        _probability(analysis, risk.residual, risk, "residual_"),
        risk.residual.acceptability or "not estimated",
        _text(risk, "benefit_risk"),
        ", ".join(risk.item.ids("introduced_by")),
        "complete" if not broken else "missing: " + ", ".join(broken),
    ]
    return dict(zip(COLUMNS, values, strict=True))


def _text(risk: RiskInfo, role: str) -> str:
    value = risk.item.get(role)
    return " ".join(str(value).split()) if value is not None else ""


def _level(names: list[str], level: int | None, written: object) -> str:
    if level is not None:
        return f"{names[level]} ({level + 1})"
    return f"{written} (not on the scale)" if written is not None else ""


def _probability(analysis: Analysis, found: Estimate, risk: RiskInfo, prefix: str) -> str:
    spec = analysis.spec
    overall = _level(spec.probability, found.probability, risk.item.get(prefix + "probability"))
    if not found.split or found.p1 is None or found.p2 is None:
        return overall
    return f"{overall} = P1 {spec.p1[found.p1]} × P2 {spec.p2[found.p2]}"


def _effect(how: str | None, evidence: list[str]) -> str:
    text = " ".join((how or "").split())
    return f"{text} [{', '.join(evidence)}]" if evidence else text
