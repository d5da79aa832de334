"""What git knows about the project's files, read without trusting the repository's settings.

Used by :mod:`medtrace.tracing.freshness` when no record tells what content a test result was
made from: a file is known unchanged since the results when its content is the one committed at
``HEAD`` and ``HEAD`` has not moved (commit, checkout, reset, pull) since the results were
written. Git is run only with commands that read the object store (``ls-tree``, ``log``), never
ones that refresh the index or run the repository's hooks, with its file-system monitor
(``core.fsmonitor``) and signature checks (``log.showSignature``) off, no pager, no prompt and no
network; when git is missing, slow or fails, nothing is known.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path

from medtrace.vcs.git import git

__all__ = ["GitView", "blob_id"]


def blob_id(data: bytes, hex_length: int) -> str:
    """Git's object ID of a file with content ``data`` (SHA-1, or SHA-256 repositories)."""
    algorithm = hashlib.sha256 if hex_length == 64 else hashlib.sha1
    return algorithm(b"blob %d\0" % len(data) + data).hexdigest()


# @implements SRS-105
@dataclass
class GitView:
    """The blobs of ``HEAD`` under ``root`` and when ``HEAD`` last moved, read once, lazily."""

    root: Path
    _blobs: dict[str, str] | None = field(default=None, init=False)
    _moved_at: int | None = field(default=None, init=False)
    _read: bool = field(default=False, init=False)

    def unchanged_since(self, path: str, data: bytes, written_ns: int) -> bool:
        """``path`` (relative to ``root``, holding ``data``) is as committed at ``HEAD``, and
        ``HEAD`` last moved in a second before the one ``written_ns`` falls in."""
        self._load()
        if self._blobs is None or self._moved_at is None:
            return False
        oid = self._blobs.get(path)
        if oid is None or blob_id(data, len(oid)) != oid:
            return False
        return written_ns // 1_000_000_000 > self._moved_at

    def _load(self) -> None:
        if self._read:
            return
        self._read = True
        listing = git(self.root, "ls-tree", "-r", "-z", "HEAD")
        moved = git(self.root, "log", "-g", "-1", "--date=unix", "--format=%gd%x00%ct", "HEAD")
        if moved is None or not moved.strip():
            moved = git(self.root, "log", "-1", "--format=x@{0}%x00%ct", "HEAD")
        if listing is None or moved is None:
            return
        self._blobs = _blobs(listing)
        self._moved_at = _moved_at(moved)


def _blobs(listing: str) -> dict[str, str]:
    """``ls-tree -r -z`` output → path (relative to the folder git ran in) → blob ID."""
    blobs: dict[str, str] = {}
    for record in listing.split("\0"):
        meta, _, path = record.partition("\t")
        parts = meta.split()
        if len(parts) == 3 and parts[1] == "blob":
            blobs[path] = parts[2]
    return blobs


def _moved_at(text: str) -> int | None:
    """The later of the reflog entry's time (``HEAD@{SECONDS}``) and the commit time."""
    selector, _, commit_time = text.strip().partition("\0")
    times = [commit_time.strip()]
    if selector.endswith("}") and "@{" in selector:
        times.append(selector[selector.rindex("@{") + 2 : -1])
    found = [int(t) for t in times if t.isdigit()]
    return max(found) if found else None
