"""The findings of the rules that read only the model, kept between checks.

Those rules (``needs`` within ``{"model"}``: IDs, fields, links, items, SOUP, architecture,
interfaces, the auditor's, release) are a function of the configuration, the item files, the
SOUP input files (lockfiles, SBOMs, audit reports, the manifests beside), today's date, and the
files they note reading (``read_files``: interface specs and what their extractors read,
recorded APIs, the Python packages of interfaces). An edit of a code or test file, or a new
results file, changes none of the first: when the rules read no other file, the findings the
last check made are the answer again, without running them (half a second of CPU at 100,000
requirements).

They are kept like a whole result (:class:`~medtrace.cache.ResultCache`): keyed by the
configuration text, the names of the code and test files and today's date; valid while every item
file and SOUP input has the same stat identity (and those modified within the racy window the
same content). Findings that depend on anything else are never kept: those of rules that read
files (an extractor may read more than it notes: a spec's references, the modules a Python
package imports from elsewhere), and a duplicate ID's (MT005 asks git whether a merge joined
the two).
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from medtrace.cache import FilesDigest, ResultCache, files_digest, joined_digest

__all__ = ["ModelInputs", "Part", "keep_part", "kept_part", "model_inputs"]

#: Some rules' findings, by rule code (as plain tuples), and the files they read besides the
#: inputs.
Part = tuple[list[tuple[str, list[tuple[Any, ...]]]], set[str]]

#: The result cache file of the model rules' findings.
NAME = "model-rules"
#: The layout of what is kept (part of the key: another layout is never read as this one).
FORMAT = 2
#: Findings of these rules depend on more than the kept inputs (git's history): never kept.
UNKEPT_CODES = frozenset({"MT005"})


@dataclass
class ModelInputs:
    """What the model rules' findings are kept by: a key, the digest of the files and those
    files (groups of path → stat, for the racy window), with the cache they are kept in."""

    key: str
    files: FilesDigest
    stats: list[dict[str, os.stat_result]]
    cache: ResultCache


# @implements SRS-357
def model_inputs(
    base_key: str,
    items: FilesDigest,
    item_stats: dict[str, os.stat_result],
    soup: dict[str, os.stat_result],
    code_names: Iterable[str],
    cache_dir: Path | None,
) -> ModelInputs:
    """The inputs of the model rules: ``base_key`` (the configuration text, medtrace's
    version, the root, what finding the item files reported and today's date, as a whole
    result's key holds them), the item files (``items``: their digest), the SOUP input files,
    the names of the code and test files."""
    names = hashlib.blake2b("\0".join(code_names).encode("utf-8", "surrogateescape"))
    blob = repr((FORMAT, base_key, names.hexdigest())).encode()
    key = hashlib.blake2b(blob, digest_size=16).hexdigest()
    files = joined_digest(items, files_digest(soup))
    return ModelInputs(key, files, [item_stats, soup], ResultCache(cache_dir, NAME))


def kept_part(inputs: ModelInputs, root: Path) -> Part | None:
    """The findings kept for these inputs, if any."""
    rows = inputs.cache.lookup(inputs.key, inputs.files, str(root))
    if not (isinstance(rows, list) and all(map(_rule_rows, rows))):
        return None
    return [(code, [_row(row) for row in found]) for code, found in rows], set()


def _rule_rows(value: object) -> bool:
    """Whether ``value`` is one rule's code and findings as :func:`keep_part` keeps them."""
    if not (isinstance(value, list) and len(value) == 2 and isinstance(value[0], str)):
        return False
    found = value[1]
    return isinstance(found, list) and all(isinstance(row, list) for row in found)


def keep_part(inputs: ModelInputs, part: Part, root: Path) -> None:
    """Keep ``part`` for these inputs, unless it depends on more than they are."""
    rows, read = part
    if read or any(code in UNKEPT_CODES and found for code, found in rows):
        return
    value = [[code, [list(row) for row in found]] for code, found in rows]
    inputs.cache.store(inputs.key, inputs.files, value, inputs.stats, str(root))


def _row(row: list[Any]) -> tuple[Any, ...]:
    """A finding's tuple as the rules made it (the cache gives its tuples back as lists)."""
    return tuple(tuple(v) if isinstance(v, list) else v for v in row)
