"""The whole check, as one short function of named steps.

    config → find inputs → (unchanged? cached result) → load items → link → rules → result

Each step takes data and returns data; nothing here prints.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from medtrace.cache import ResultCache
from medtrace.config import Config, load_config
from medtrace.diagnostics import Diagnostic, Severity, sort_key
from medtrace.errors import ConfigError
from medtrace.gcpause import gc_paused
from medtrace.loading import Discovered, find_item_files, salt

if TYPE_CHECKING:
    from medtrace.model import Model
    from medtrace.results import ResultSet
    from medtrace.scanning import ScanResult
    from medtrace.scanning.files import Selection
    from medtrace.tracing import Trace

# Parsing, linking, scanning and the rules are imported where they are used: an unchanged
# project is answered from the result cache without loading any of them.

__all__ = ["CheckResult", "Project", "Traced", "check", "load_project", "trace_project"]


@dataclass
class Project:
    """A loaded and linked project: its configuration, model and loading diagnostics."""

    config: Config
    model: Model
    files: list[str]
    diagnostics: list[Diagnostic] = field(default_factory=list)


@dataclass
class Traced:
    """A project with its trace: tags in code, tests, results, joined with the items."""

    project: Project
    scan: ScanResult
    results: ResultSet
    trace: Trace

    @property
    def diagnostics(self) -> list[Diagnostic]:
        return [*self.project.diagnostics, *self.scan.diagnostics, *self.results.diagnostics]


@dataclass
class CheckResult:
    """Findings of ``check``, with the figures a report needs."""

    config: Config
    diagnostics: list[Diagnostic]
    items: int
    files: int
    cached: bool = False

    def count(self, severity: Severity) -> int:
        return sum(1 for d in self.diagnostics if d.severity is severity)

    def failed(self, strict: bool = False) -> bool:
        return bool(self.count(Severity.ERROR) or (strict and self.count(Severity.WARNING)))


def load_project(
    start: Path,
    *,
    use_cache: bool = True,
    config: Config | None = None,
    found: Discovered | None = None,
) -> Project:
    from medtrace.linking import link_items
    from medtrace.loading import load_items

    with gc_paused():
        config = config or load_config(start)
        loaded = load_items(config, found, use_cache=use_cache)
        model = link_items(loaded.items, config)
        return Project(config, model, loaded.files, loaded.diagnostics)


def trace_project(start: Path, *, use_cache: bool = True, config: Config | None = None) -> Traced:
    """Load the project, scan code and tests for tags, read the results and join them."""
    with gc_paused():
        project = load_project(start, use_cache=use_cache, config=config)
        return _trace(project, use_cache)


def _trace(project: Project, use_cache: bool, selection: Selection | None = None) -> Traced:
    from medtrace.results import load_results
    from medtrace.scanning import scan
    from medtrace.tracing import build_trace

    config = project.config
    cache_dir = config.cache_dir if use_cache else None
    paths = config.paths
    scanned = scan(
        config.root,
        paths.sources,
        paths.tests,
        paths.exclude,
        cache_dir=cache_dir,
        selection=selection,
    )
    results = load_results(config.root, paths.results, cache_dir=cache_dir)
    trace = build_trace(project.model, scanned, results, config.root)
    return Traced(project, scanned, results, trace)


def check(start: Path, *, use_cache: bool = True) -> CheckResult:
    with gc_paused():
        return _check(start, use_cache)


def _check(start: Path, use_cache: bool) -> CheckResult:
    from medtrace.scanning.files import discover

    config = load_config(start)
    found = find_item_files(config)
    paths = config.paths
    selection = discover(config.root, paths.sources, paths.tests, paths.exclude)
    inputs = {**found.files, **_code_and_result_files(config, selection)}
    results = ResultCache(config.cache_dir if use_cache else None, "check")
    key = _fingerprint(config, found)
    cached = results.lookup(key, inputs)
    if isinstance(cached, CheckResult):  # stored only when [rules] was valid
        cached.config, cached.cached = config, True
        return cached
    from medtrace.checks import severity_overrides

    overrides, problems = severity_overrides(config)
    if problems:
        raise ConfigError(problems)
    project = load_project(start, use_cache=use_cache, config=config, found=found)
    traced = _trace(project, use_cache, selection)
    findings = _findings(traced, overrides)
    result = CheckResult(config, findings, len(project.model), len(project.files))
    results.store(key, inputs, result)
    return result


def _code_and_result_files(config: Config, selection: Selection) -> dict[str, os.stat_result]:
    """The code, test and result files a check reads, with their stat, for the result cache."""
    from medtrace.results.loader import expand
    from medtrace.soup.files import input_files

    names = [c.rel for c in selection.files] + expand(config.root, config.paths.results, [])
    names += [rel for group in input_files(config).values() for rel in group]  # SOUP inputs
    out = {}
    for rel in names:
        try:
            out[rel] = (config.root / rel).stat()
        except OSError:
            continue  # reported by the scan; an unreadable file is never served from cache
    return out


def _findings(traced: Traced, overrides: dict[str, Severity]) -> list[Diagnostic]:
    from medtrace.checks import Context, apply_severities, run_rules
    from medtrace.loading import Locator

    project = traced.project
    ctx = Context(project.config, project.model, Locator(project.config.root))
    ctx.extras.update(
        trace=traced.trace, scan=traced.scan, results=traced.results, test_files=_test_files(traced)
    )
    findings = run_rules(ctx, overrides, available={"model", "trace"})
    diagnostics = apply_severities([*traced.diagnostics, *findings], overrides)
    return sorted(diagnostics, key=sort_key)


def _test_files(traced: Traced) -> set[str]:
    """Files of the tests globs, with tests, or with ``@verifies`` tags: not code to allocate."""
    scan = traced.scan
    return {*scan.test_files, *(t.path for t in scan.tests)} | {
        t.path for t in scan.tags if t.verb == "verifies"
    }


def _fingerprint(config: Config, found: Discovered) -> str:
    """Everything besides the input files that the result depends on.

    That includes what finding the files reported: a broken link or a link loop is no input
    file, yet appearing or going away changes the result.
    """
    source = config.source.read_bytes() if config.source else b""
    problems = [d.to_tuple() for d in found.diagnostics]
    from medtrace.soup.clock import today  # end-of-support findings change with the date

    blob = repr((salt(config), source, str(config.root.resolve()), problems, today())).encode()
    return hashlib.blake2b(blob, digest_size=16).hexdigest()
