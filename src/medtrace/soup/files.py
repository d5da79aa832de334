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


def input_files(config: Config) -> dict[str, list[str]]:
    """The files of ``[paths] lockfiles``, ``sbom`` and ``audit``, relative to the root."""
    paths = config.paths
    return {
        "lockfiles": _expand(config.root, paths.lockfiles),
        "sbom": _expand(config.root, paths.sbom),
        "audit": _expand(config.root, paths.audit),
    }
