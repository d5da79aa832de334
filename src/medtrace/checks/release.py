"""Release readiness that ``check`` reports too (IEC 62304 5.8): no open anomaly without an
evaluation. ``medtrace release`` refuses on the same finding."""

from __future__ import annotations

from collections.abc import Iterator

from medtrace.checks.context import Context
from medtrace.checks.registry import rule
from medtrace.config import Config
from medtrace.diagnostics import CODES, Diagnostic, Severity
from medtrace.model import Item, Model
from medtrace.vcs import codes as _release_codes  # noqa: F401  (MT223, MT224 for 'medtrace rules')

__all__ = ["unevaluated_anomalies"]


def _anomaly_kinds(config: Config) -> list[str]:
    """Kinds that are problem reports: they have an ``evaluation`` field and a ``status``."""
    return [
        name
        for name, kind in config.kinds.items()
        if "evaluation" in kind.fields and "status" in kind.fields
    ]


# @implements SRS-283
def unevaluated_anomalies(config: Config, model: Model) -> list[Item]:
    """Anomalies that are not closed and whose evaluation is missing or empty."""
    found = []
    for kind in _anomaly_kinds(config):
        for item in model.of_kind(kind):
            status = str(item.get("status") or "").strip().lower()
            evaluation = item.get("evaluation")
            if status == "closed":
                continue
            if not (isinstance(evaluation, str) and evaluation.strip()):
                found.append(item)
    return found


# @implements SRS-283
@rule(
    "MT222",
    "anomaly-unevaluated",
    Severity.WARNING,
    "An anomaly that is not closed has no evaluation of its effect on safety.",
    needs=("model",),
)
def anomaly_unevaluated(ctx: Context) -> Iterator[Diagnostic]:
    code = CODES["MT222"]
    for item in unevaluated_anomalies(ctx.config, ctx.model):
        status = item.get("status") or "no status"
        yield code(
            f"anomaly {item.id} ({status}) has no evaluation",
            expected="an 'evaluation' of its effect on safety before the release (62304 5.8.3)",
            hint="write the evaluation, or close the anomaly when it is fixed; "
            "'medtrace release' refuses a release while one is missing",
            **ctx.at(item),
        )
