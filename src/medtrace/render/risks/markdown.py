"""The risk file as Markdown: the scales with their definitions, the acceptability matrix with
the count of risks per cell before and after control, then the risk table. Every cell is
escaped as the matrix's are (:func:`medtrace.render.matrix.markdown.escape`)."""

from __future__ import annotations

from medtrace.render.matrix.markdown import escape
from medtrace.render.matrix.registry import GENERATOR
from medtrace.render.risks.registry import Report, risk_format
from medtrace.render.risks.table import COLUMNS, rows
from medtrace.risk import HeatMap

__all__ = ["render_markdown"]


def _table(head: list[str], body: list[list[str]]) -> list[str]:
    out = ["| " + " | ".join(escape(h) for h in head) + " |", "|" + "---|" * len(head)]
    out += ["| " + " | ".join(escape(c) for c in row) + " |" for row in body]
    return out


def _scales(report: Report) -> list[str]:
    spec = report.analysis.spec
    out = []
    for title, levels in (
        ("Severity", spec.severity_levels),
        ("Probability", spec.probability_levels),
    ):
        body = [[str(n), lv.name, lv.definition] for n, lv in enumerate(levels, 1)]
        out += [f"### {title}", "", *_table(["Level", "Name", "Definition"], body), ""]
    return out


def _grid(heat: HeatMap) -> list[str]:
    head = ["Severity / probability", *heat.probability]
    body = [
        [heat.severity[s], *(f"{c.acceptability}: {len(c.risks)}" for c in heat.cells[s])]
        for s in reversed(range(len(heat.severity)))
    ]
    out = [f"### {heat.title}", "", *_table(head, body), ""]
    if heat.unplaced:
        out += [escape(f"Not estimated: {', '.join(heat.unplaced)}"), ""]
    return out


# @implements SRS-165
@risk_format("markdown", ".md")
def render_markdown(report: Report) -> str:
    spec = report.analysis.spec
    policy = "as far as possible (AFAP)" if spec.policy == "afap" else "ALARP"
    lines = [
        f"<!-- {GENERATOR} -->",
        f"# Risk table: {escape(report.project or 'project')}",
        "",
        f"{len(report.analysis.risks)} risks; residual risks in the review zone are reduced "
        f"{policy}.",
        "",
        "## Scales",
        "",
        *_scales(report),
        "## Risk matrix",
        "",
        *_grid(report.initial),
        *_grid(report.residual),
        "## Risks",
        "",
        *_table(COLUMNS, [[r[c] for c in COLUMNS] for r in rows(report.analysis)]),
    ]
    return "\n".join(lines) + "\n"
