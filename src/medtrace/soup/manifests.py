"""Direct and dev-only dependencies from the manifest beside a lockfile, where the lockfile
itself does not say: ``package.json`` for yarn.lock, ``pyproject.toml`` for poetry.lock and
pylock.toml, ``Pipfile`` for Pipfile.lock. A manifest that cannot be read is left aside (the
lockfile alone is still read; direct or transitive then stays unknown)."""

from __future__ import annotations

import json
import tomllib
from dataclasses import replace
from pathlib import Path

from medtrace.soup.model import Lock, normalise, reach
from medtrace.soup.python import read_pipfile_roots, read_pyproject_roots

__all__ = ["apply_manifest"]

_NPM_UNKNOWN_DEV = ("yarn.lock (classic)", "yarn.lock (berry)")
_PYPI_NO_ROOTS = {"poetry.lock": "pyproject.toml", "pylock.toml": "pyproject.toml"}


def _package_json(path: Path) -> tuple[set[str], set[str]] | None:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(data, dict):
        return None
    runtime = set()
    for section in ("dependencies", "optionalDependencies", "peerDependencies"):
        runtime |= {n.lower() for n in data.get(section) or {}}
    return runtime, {n.lower() for n in data.get("devDependencies") or {}}


def apply_manifest(lock: Lock, root: Path) -> Lock:
    """``lock`` with ``direct`` (and, for Yarn, ``dev``) set from the manifest beside it."""
    folder = (root / lock.path).parent
    if lock.format in _NPM_UNKNOWN_DEV and (folder / "package.json").is_file():
        found = _package_json(folder / "package.json")
        if found is None:
            return lock
        runtime, dev = found
        reachable = reach(lock.graph, runtime)
        lock.roots = runtime | dev
        lock.packages = [
            replace(p, direct=p.key in lock.roots, dev=p.key not in reachable)
            for p in lock.packages
        ]
    elif lock.format == "Pipfile.lock" and (folder / "Pipfile").is_file():
        try:
            roots = read_pipfile_roots((folder / "Pipfile").read_text(encoding="utf-8"))
        except (OSError, ValueError, tomllib.TOMLDecodeError):
            return lock
        lock.roots = roots
        lock.packages = [replace(p, direct=p.key in lock.roots) for p in lock.packages]
    elif lock.format in _PYPI_NO_ROOTS and (folder / "pyproject.toml").is_file():
        try:
            roots = read_pyproject_roots((folder / "pyproject.toml").read_text(encoding="utf-8"))
        except (OSError, ValueError, tomllib.TOMLDecodeError):
            return lock
        lock.roots = {normalise("pypi", r) for r in roots}
        lock.packages = [replace(p, direct=p.key in lock.roots) for p in lock.packages]
    return lock
