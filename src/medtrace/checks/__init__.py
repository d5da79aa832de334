"""Rules: small checks registered by stable codes, run for the project's safety class."""

from medtrace.checks import (  # noqa: F401  (they register rules)
    architecture,
    auditor,
    conformance,
    evidence,
    fields,
    ids,
    interfaces,
    items,
    levels,
    links,
    paths,
    release,
    review,
    risk,
    soup,
    trace,
)
from medtrace.checks.context import Context
from medtrace.checks.registry import (
    RULES,
    Rule,
    apply_severities,
    rule,
    rule_findings,
    run_rules,
    severity_overrides,
)

__all__ = [
    "RULES",
    "Context",
    "Rule",
    "apply_severities",
    "rule",
    "rule_findings",
    "run_rules",
    "severity_overrides",
]
