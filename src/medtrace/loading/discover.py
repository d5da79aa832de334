"""Find the item files: walk the configured folders and globs, never following a symlink loop."""

from __future__ import annotations

import glob
import hashlib
import os
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import pathspec

from medtrace import __version__
from medtrace.config import Config, setting_location
from medtrace.diagnostics import Diagnostic
from medtrace.loading.codes import FILE_UNREADABLE, ITEMS_MISSING
from medtrace.model import Item

__all__ = ["ITEM_SUFFIXES", "Discovered", "discover", "find_item_files", "salt"]

ITEM_SUFFIXES = (".md", ".markdown", ".yaml", ".yml")
_SKIP_DIRS = {".git", ".medtrace", "node_modules", "__pycache__", ".venv"}


@dataclass
class Discovered:
    """Item files (paths relative to the root, POSIX) with their ``os.stat`` results."""

    files: dict[str, os.stat_result] = field(default_factory=dict)
    diagnostics: list[Diagnostic] = field(default_factory=list)


def discover(root: Path, patterns: Iterable[str], config: Config | None = None) -> Discovered:
    out = Discovered()
    for pattern in patterns:
        before = len(out.files) + len(out.diagnostics)
        if glob.has_magic(pattern):
            for match in sorted(glob.glob(pattern, root_dir=root, recursive=True)):
                _visit(root, root / match, out, set())
        else:
            target = root / pattern
            if target.exists() or target.is_symlink():
                _visit(root, target, out, set())
        if len(out.files) + len(out.diagnostics) == before:
            out.diagnostics.append(_nothing_found(pattern, config))
    return out


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


def _visit(root: Path, path: Path, out: Discovered, ancestors: set[str]) -> None:
    rel = _rel(root, path)
    try:
        st = path.stat()
    except OSError as exc:
        out.diagnostics.append(_unreadable(rel, exc))
        return
    if path.is_dir():
        _walk(root, path, out, ancestors)
    elif path.suffix.lower() in ITEM_SUFFIXES:
        out.files.setdefault(rel, st)


def _walk(root: Path, folder: Path, out: Discovered, ancestors: set[str]) -> None:
    real = os.path.realpath(folder)
    if real in ancestors:
        out.diagnostics.append(
            FILE_UNREADABLE(
                "symbolic link loop: this folder leads back to one of its parents",
                expected="a folder tree without cycles",
                hint="Remove the link or add it to paths.exclude.",
                path=_rel(root, folder),
            )
        )
        return
    ancestors = ancestors | {real}
    prefix = _rel(root, folder)
    prefix = "" if prefix == "." else prefix + "/"
    try:
        entries = sorted(os.scandir(folder), key=lambda e: e.name)
    except OSError as exc:
        out.diagnostics.append(_unreadable(prefix.rstrip("/"), exc))
        return
    files = out.files
    for entry in entries:
        name = entry.name
        if name in _SKIP_DIRS or name.startswith("."):
            continue
        try:
            if entry.is_dir():
                _walk(root, Path(entry.path), out, ancestors)
                continue
            if name.lower().endswith(ITEM_SUFFIXES) and prefix + name not in files:
                files[prefix + name] = entry.stat()
        except OSError as exc:
            out.diagnostics.append(_unreadable(prefix + name, exc))


def _unreadable(rel: str, exc: OSError) -> Diagnostic:
    reason = exc.strerror or type(exc).__name__
    if isinstance(exc, FileNotFoundError):
        reason = "broken symbolic link or missing file"
    elif exc.errno == 40:  # ELOOP
        reason = "symbolic link loop"
    return FILE_UNREADABLE(
        f"cannot read: {reason}",
        expected="a readable file or folder",
        hint="Fix the path or its permissions, or add it to paths.exclude.",
        path=rel,
    )


def _rel(root: Path, path: Path) -> str:
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return os.path.relpath(path, root).replace(os.sep, "/")


def find_item_files(config: Config) -> Discovered:
    """Item files under ``paths.items``, less ``paths.exclude``."""
    found = discover(config.root, config.paths.items, config)
    excluded = pathspec.GitIgnoreSpec.from_lines(config.paths.exclude)
    if config.paths.exclude:
        found.files = {k: v for k, v in found.files.items() if not excluded.match_file(k)}
    return found


def salt(config: Config) -> str:
    """What the cached items depend on besides the files: medtrace's version and the kinds."""
    kinds = {name: k.model_dump() for name, k in config.kinds.items()}
    blob = repr((__version__, Item.LAYOUT, sorted(kinds.items(), key=lambda kv: kv[0]))).encode()
    return hashlib.blake2b(blob, digest_size=16).hexdigest()
