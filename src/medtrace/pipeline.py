"""The whole check, as one short function of named steps.

    config → load items → link → rules → severities → result

Each step takes data and returns data; nothing here prints.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from medtrace.checks import Context, apply_severities, run_rules, severity_overrides
from medtrace.config import Config, load_config
from medtrace.diagnostics import Diagnostic, Severity, sort_key
from medtrace.linking import link_items
from medtrace.loading import Locator, load_items
from medtrace.model import Model

__all__ = ["CheckResult", "Project", "check", "load_project"]


@dataclass
class Project:
    """A loaded and linked project: its configuration, model and loading diagnostics."""

    config: Config
    model: Model
    files: list[str]
    diagnostics: list[Diagnostic] = field(default_factory=list)


@dataclass
class CheckResult:
    project: Project
    diagnostics: list[Diagnostic]

    def count(self, severity: Severity) -> int:
        return sum(1 for d in self.diagnostics if d.severity is severity)

    def failed(self, strict: bool = False) -> bool:
        return bool(self.count(Severity.ERROR) or (strict and self.count(Severity.WARNING)))


def load_project(start: Path, *, use_cache: bool = True, config: Config | None = None) -> Project:
    config = config or load_config(start)
    loaded = load_items(config, use_cache=use_cache)
    model = link_items(loaded.items, config)
    return Project(config, model, loaded.files, loaded.diagnostics)


def check(start: Path, *, use_cache: bool = True) -> CheckResult:
    project = load_project(start, use_cache=use_cache)
    overrides, config_problems = severity_overrides(project.config)
    ctx = Context(project.config, project.model, Locator(project.config.root))
    findings = run_rules(ctx, overrides, available={"model"})
    diagnostics = apply_severities([*project.diagnostics, *findings], overrides)
    diagnostics = sorted([*config_problems, *diagnostics], key=sort_key)
    return CheckResult(project, diagnostics)


