"""The files of ``[paths] lockfiles``, ``sbom`` and ``audit`` (light: no reader imported).

They are found by medtrace's one glob dialect and walk (:mod:`medtrace.fs`): a link out of the
project, a pipe or a device is reported, never read, and a pattern that finds nothing is a
finding, not a silent miss.
"""

from __future__ import annotations

from pathlib import Path

from medtrace.config import Config, setting_location
from medtrace.diagnostics import Diagnostic
from medtrace.fs import Globs, Policy, unmatched, walk
from medtrace.soup.codes import SOUP_INPUT

__all__ = ["input_files", "input_problems"]

#: Manifests read beside a lockfile for its direct and dev-only dependencies.
MANIFESTS = ("package.json", "pyproject.toml", "Pipfile")


def _expand(config: Config, key: str, problems: list[Diagnostic]) -> list[str]:
    patterns: list[str] = getattr(config.paths, key)
    if not patterns:
        return []
    policy = Policy(
        f"paths.{key}",
        _unreadable,
        follow_external=config.paths.follow_external_symlinks,
        stat_files=False,
    )
    walked = walk(config.root, Globs(patterns), policy)
    problems.extend(walked.diagnostics)
    files = [f.rel for f in walked.files]
    reached = [*files, *(d.path for d in walked.diagnostics)]
    problems.extend(_nothing(config, key, p) for p in unmatched(patterns, reached))
    return files


def _unreadable(rel: str, reason: str) -> Diagnostic:
    return SOUP_INPUT(
        f"cannot read: {reason}",
        expected="a readable lockfile, SBOM or vulnerability report",
        hint="Fix the path or its permissions, or remove it from [paths].",
        path=rel,
    )


def _nothing(config: Config, key: str, pattern: str) -> Diagnostic:
    return SOUP_INPUT(
        f"paths.{key} entry '{pattern}' matches no file",
        expected="the project's lockfiles, SBOMs or vulnerability reports",
        hint="Fix the path (relative to the project root), or write the file.",
        **setting_location(config, ["paths", key], pattern),
    )


def _collect(config: Config, problems: list[Diagnostic]) -> dict[str, list[str]]:
    locks = _expand(config, "lockfiles", problems)
    beside = {(Path(rel).parent / name).as_posix() for rel in locks for name in MANIFESTS}
    return {
        "lockfiles": locks,
        "sbom": _expand(config, "sbom", problems),
        "audit": _expand(config, "audit", problems),
        "manifests": sorted(m for m in beside if (config.root / m).is_file()),
    }


def input_files(config: Config) -> dict[str, list[str]]:
    """The files of ``[paths] lockfiles``, ``sbom`` and ``audit``, relative to the root, and
    the manifests beside the lockfiles (``manifests``: read for direct dependencies only)."""
    return _collect(config, [])


def input_problems(config: Config) -> tuple[dict[str, list[str]], list[Diagnostic]]:
    """:func:`input_files`, with what finding them reported."""
    problems: list[Diagnostic] = []
    return _collect(config, problems), problems
