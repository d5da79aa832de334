"""Find the item files: walk the configured folders and globs (:func:`medtrace.fs.walk`).

Patterns are in medtrace's one glob dialect (:mod:`medtrace.fs.globs`). Below the folder a
pattern names, hidden names and tool folders (``.git``, ``node_modules``...) are skipped. Each
file is found once; a pipe or device is reported, never read; a link out of the project is not
followed unless ``paths.follow_external_symlinks`` is set.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from medtrace import __version__
from medtrace.config import Config, setting_location
from medtrace.diagnostics import Diagnostic
from medtrace.fs import Globs, Policy, unmatched, walk
from medtrace.loading.codes import FILE_UNREADABLE, ITEMS_MISSING
from medtrace.model import Item

__all__ = ["ITEM_SUFFIXES", "Discovered", "discover", "find_item_files", "salt"]

ITEM_SUFFIXES = (".md", ".markdown", ".yaml", ".yml")
_SKIP_DIRS = frozenset({".git", ".medtrace", "node_modules", "__pycache__", ".venv"})


@dataclass
class Discovered:
    """Item files (paths relative to the root, POSIX) with their ``os.stat`` results; the
    files reached through a link out of the project (only when following is allowed)."""

    files: dict[str, os.stat_result] = field(default_factory=dict)
    diagnostics: list[Diagnostic] = field(default_factory=list)
    external: set[str] = field(default_factory=set)


# @implements SRS-4, SRS-50
def discover(
    root: Path,
    patterns: Sequence[str],
    exclude: Sequence[str] = (),
    *,
    follow_external: bool = False,
    config: Config | None = None,
) -> Discovered:
    """The item files that ``patterns`` select under ``root``, less ``exclude``."""
    policy = Policy(
        "paths.items",
        _unreadable,
        skip_hidden=True,
        skip_names=_SKIP_DIRS,
        follow_external=follow_external,
    )
    walked = walk(root, Globs(patterns), policy, Globs(exclude), _is_item_file)
    out = Discovered(
        {f.rel: f.stat for f in walked.files if f.stat is not None},  # stat_files: all
        walked.diagnostics,
        {f.rel for f in walked.files if f.external},
    )
    reached = [*out.files, *(d.path for d in out.diagnostics)]
    out.diagnostics.extend(_nothing_found(p, config) for p in unmatched(patterns, reached))
    return out


def _is_item_file(rel: str) -> bool:
    return rel.lower().endswith(ITEM_SUFFIXES)


# @implements SRS-64
def _nothing_found(pattern: str, config: Config | None) -> Diagnostic:
    where = setting_location(config, ["paths", "items"], pattern) if config is not None else {}
    return ITEMS_MISSING(
        f"paths.items entry '{pattern}' matches no item file",
        expected="a folder or glob with *.md, *.yaml or *.yml item files",
        hint="Fix the path in the configuration (it is relative to the project root), "
        "or create the items.",
        **where,
    )


def _unreadable(rel: str, reason: str) -> Diagnostic:
    return FILE_UNREADABLE(
        f"cannot read: {reason}",
        expected="a readable file or folder",
        hint="Fix the path or its permissions, or add it to paths.exclude.",
        path=rel,
    )


def find_item_files(config: Config) -> Discovered:
    """Item files under ``paths.items``, less ``paths.exclude``."""
    paths = config.paths
    return discover(
        config.root,
        paths.items,
        paths.exclude,
        follow_external=paths.follow_external_symlinks,
        config=config,
    )


def salt(config: Config) -> str:
    """What the cached items depend on besides the files: medtrace's version and the kinds."""
    kinds = {name: k.model_dump() for name, k in config.kinds.items()}
    blob = repr((__version__, Item.LAYOUT, sorted(kinds.items(), key=lambda kv: kv[0]))).encode()
    return hashlib.blake2b(blob, digest_size=16).hexdigest()
