"""The loading stage: find item files, read them (from the cache when unchanged), build items."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import pathspec

from medtrace import __version__
from medtrace.cache import FileCache
from medtrace.config import Config
from medtrace.diagnostics import Diagnostic
from medtrace.loading.build import Builder
from medtrace.loading.codes import FILE_UNREADABLE
from medtrace.loading.discover import discover
from medtrace.loading.parse import parse_file
from medtrace.model import Item

__all__ = ["Loaded", "load_items"]


@dataclass
class Loaded:
    items: list[Item] = field(default_factory=list)
    files: list[str] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)


FileResult = tuple[list[Item], list[Diagnostic]]


def load_items(config: Config, *, use_cache: bool = True) -> Loaded:
    root = config.root
    found = discover(root, config.paths.items)
    out = Loaded(diagnostics=list(found.diagnostics))
    excluded = pathspec.PathSpec.from_lines("gitwildmatch", config.paths.exclude)
    cache = FileCache(config.cache_dir if use_cache else None, "items", _salt(config))
    builder = Builder(config)
    limit = config.limits.max_file_bytes
    for rel, st in sorted(found.files.items()):
        if excluded.match_file(rel):
            continue
        out.files.append(rel)
        result = cache.get(str(root / rel), st)
        if result is None:
            result = _load_file(root, rel, st.st_size, limit, builder, cache, st)
        items, diags = result
        out.items.extend(items)
        out.diagnostics.extend(diags)
    cache.save()
    return out


def _load_file(
    root: Path, rel: str, size: int, limit: int, builder: Builder, cache: FileCache, st: object
) -> FileResult:
    if size > limit:
        return [], [
            FILE_UNREADABLE(
                f"file is {size:,} bytes",
                expected=f"at most {limit:,} bytes (limits.max_file_bytes)",
                hint="split it into several files, or raise limits.max_file_bytes",
                path=rel,
            )
        ]
    path = root / rel
    try:
        data = path.read_bytes()
    except OSError as exc:
        return [], [
            FILE_UNREADABLE(
                f"cannot read: {exc.strerror or exc}",
                expected="a readable file",
                hint="check its permissions",
                path=rel,
            )
        ]
    result = _parse(data, rel, builder)
    cache.put(str(path), st, data, result)  # type: ignore[arg-type]
    return result


def _parse(data: bytes, rel: str, builder: Builder) -> FileResult:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        return [], [
            FILE_UNREADABLE(
                f"not UTF-8: byte 0x{data[exc.start]:02x} at offset {exc.start}",
                expected="text encoded as UTF-8",
                hint="re-save the file as UTF-8 (most editors offer 'Save with encoding')",
                path=rel,
                line=line,
            )
        ]
    if "\x00" in text:
        return [], [
            FILE_UNREADABLE(
                "binary content (NUL bytes)",
                expected="a text file",
                hint="keep binary files outside paths.items",
                path=rel,
            )
        ]
    parsed = parse_file(text, rel)
    items: list[Item] = []
    diags = list(parsed.diagnostics)
    for record in parsed.records:
        item, problems = builder.build(record, rel)
        diags.extend(problems)
        if item is not None:
            items.append(item)
    return items, diags


def _salt(config: Config) -> str:
    """What the cached items depend on besides the files: medtrace's version and the kinds."""
    kinds = {name: k.model_dump() for name, k in config.kinds.items()}
    blob = repr((__version__, sorted(kinds.items(), key=lambda kv: kv[0]))).encode()
    return hashlib.blake2b(blob, digest_size=16).hexdigest()


