"""The rule registry: each rule is a small function registered under a stable code."""

from __future__ import annotations

import dataclasses
import difflib
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from medtrace.checks.context import Context
from medtrace.config import CONFIG_INVALID, Config, key_line
from medtrace.diagnostics import CODES, Code, Diagnostic, Severity, define
from medtrace.registry import registrar

__all__ = [
    "RULES",
    "Rule",
    "apply_severities",
    "rule",
    "rule_findings",
    "run_rules",
    "severity_overrides",
]

Check = Callable[[Context], Iterable[Diagnostic]]


@dataclass(frozen=True)
class Rule:
    code: Code
    check: Check
    classes: frozenset[str]
    needs: frozenset[str]


RULES: dict[str, Rule] = {}


def rule(
    code: str,
    name: str,
    severity: Severity,
    summary: str,
    *,
    classes: str = "ABC",
    needs: Iterable[str] = (),
) -> Callable[[Check], Check]:
    """Register ``check`` as rule ``code``; it runs only for the safety ``classes`` given."""

    made = define(code, name, severity, summary)
    return registrar(
        RULES, code, lambda check: Rule(made, check, frozenset(classes), frozenset(needs))
    )


# @implements SRS-13
def severity_overrides(config: Config) -> tuple[dict[str, Severity], list[Diagnostic]]:
    """``[rules]`` of the configuration, by code; unknown codes or names are diagnostics."""
    by_name = {c.name: c.code for c in CODES.values()}
    out: dict[str, Severity] = {}
    problems = []
    for key, value in config.rules.items():
        code = key if key in CODES else by_name.get(key)
        if code is None:
            close = difflib.get_close_matches(key, [*CODES, *by_name], n=1)
            problems.append(
                CONFIG_INVALID(
                    f"unknown rule '{key}' in [rules]",
                    expected="a rule code (MT010) or name (link-dangling)",
                    hint=f"Did you mean '{close[0]}'?"
                    if close
                    else "See the rules with 'medtrace rules'.",
                    path=config.source.name if config.source else "",
                    line=key_line(config, ["rules", key]),
                )
            )
            continue
        out[code] = Severity(value)
    return out, problems


def run_rules(
    ctx: Context, overrides: dict[str, Severity], available: set[str]
) -> list[Diagnostic]:
    """Run every rule enabled for the project's class whose inputs are ``available``."""
    return [d for _, found in rule_findings(ctx, overrides, available) for d in found]


def rule_findings(
    ctx: Context,
    overrides: dict[str, Severity],
    available: set[str],
    skip: set[str] | None = None,
) -> list[tuple[str, list[Diagnostic]]]:
    """Each rule's findings, by code in order, for the rules :func:`run_rules` runs, less
    (with ``skip``) those whose inputs are all within ``skip``: they ran elsewhere."""
    out: list[tuple[str, list[Diagnostic]]] = []
    project_class = ctx.config.safety_class
    for code, registered in sorted(RULES.items()):
        if overrides.get(code, registered.code.severity) is Severity.OFF:
            continue
        if project_class not in registered.classes and code not in overrides:
            continue
        if not registered.needs <= available:
            continue
        if skip is not None and registered.needs <= skip:
            continue
        out.append((code, list(registered.check(ctx))))
    return out


def apply_severities(
    diagnostics: Iterable[Diagnostic], overrides: dict[str, Severity]
) -> list[Diagnostic]:
    out = []
    for d in diagnostics:
        severity = overrides.get(d.code)
        if severity is Severity.OFF:
            continue
        out.append(d if severity is None else dataclasses.replace(d, severity=severity))
    return out
