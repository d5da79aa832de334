"""The files of ``[paths] lockfiles``, ``sbom`` and ``audit`` (light: no reader imported)."""

from __future__ import annotations

import glob
from pathlib import Path

from medtrace.config import Config

__all__ = ["input_files"]


def _expand(root: Path, patterns: list[str]) -> list[str]:
    out: list[str] = []
    for pattern in patterns:
        hits = sorted(glob.glob(pattern, root_dir=root, recursive=True))
        out += [h.replace("\\", "/") for h in hits if h not in out and (root / h).is_file()]
    return out


#: Manifests read beside a lockfile for its direct and dev-only dependencies.
MANIFESTS = ("package.json", "pyproject.toml", "Pipfile")


def input_files(config: Config) -> dict[str, list[str]]:
    """The files of ``[paths] lockfiles``, ``sbom`` and ``audit``, relative to the root, and
    the manifests beside the lockfiles (``manifests``: read for direct dependencies only)."""
    paths = config.paths
    locks = _expand(config.root, paths.lockfiles)
    beside = {str(Path(rel).parent / name) for rel in locks for name in MANIFESTS}
    return {
        "lockfiles": locks,
        "sbom": _expand(config.root, paths.sbom),
        "audit": _expand(config.root, paths.audit),
        "manifests": sorted(m.replace("\\", "/") for m in beside if (config.root / m).is_file()),
    }
