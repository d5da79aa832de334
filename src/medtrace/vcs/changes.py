"""What changed between two revisions: the files, their changed lines, and both versions.

``BASE..HEAD``, ``BASE...HEAD`` (from where the two diverged) or ``BASE`` alone (to ``HEAD``),
or ``BASE`` to the work tree. One ``git diff --raw -p -U0 -z`` gives the changed files with
their blobs and, in the same order, their hunks; one ``git cat-file --batch`` reads the blobs
that are wanted; the work tree side is read from disk.
"""

from __future__ import annotations

import io
import re
import tarfile
from dataclasses import dataclass, field
from pathlib import Path

from medtrace.errors import RevisionNotFound
from medtrace.fs.read import read_regular
from medtrace.vcs.git import git, git_bytes, read_blobs, repo_state

__all__ = ["FileChange", "Revisions", "Versions", "changed_files", "extract", "resolve"]

NULL = "0" * 40
_HUNK = re.compile(rb"^@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@", re.M)
_LIMIT = 50_000_000


@dataclass(frozen=True)
class Revisions:
    """The two sides: ``base`` and ``head`` commits (``head`` None: the work tree)."""

    base: str
    head: str | None
    label: str


@dataclass
class FileChange:
    """One changed file: ``status`` is A, M, D or R (renamed); the changed lines of each side
    as ``(first, last)`` ranges, 1-based and inclusive (lines only added have a range on the
    new side alone, lines only removed on the old side alone)."""

    status: str
    old_path: str
    new_path: str
    old_blob: str
    new_blob: str
    old_lines: list[tuple[int, int]] = field(default_factory=list)
    new_lines: list[tuple[int, int]] = field(default_factory=list)

    @property
    def path(self) -> str:
        return self.old_path if self.status == "D" else self.new_path


# @implements SRS-234
def resolve(root: Path, spec: str, worktree: bool) -> Revisions:
    """``BASE..HEAD``, ``BASE...HEAD`` or ``BASE`` as commits; a revision the clone does not
    have is a :class:`RevisionNotFound` that says how to fetch it."""
    if "..." in spec:
        left, right = spec.split("...", 1)
        base, head = _commit(root, left or "HEAD"), _commit(root, right or "HEAD")
        merge_base = git(root, "merge-base", base, head)
        if merge_base is None:
            raise RevisionNotFound(f"{spec}: the two revisions have no common ancestor here")
        return Revisions(merge_base.strip(), None if worktree else head, spec)
    left, _, right = spec.partition("..")
    base = _commit(root, left or "HEAD")
    if worktree:
        return Revisions(base, None, f"{left or 'HEAD'} to the work tree")
    return Revisions(base, _commit(root, right or "HEAD"), f"{left or 'HEAD'}..{right or 'HEAD'}")


# @implements SRS-238
def _commit(root: Path, rev: str) -> str:
    if rev.startswith("-"):
        raise RevisionNotFound(f"{rev!r} is not a revision")
    found = git(root, "rev-parse", "--verify", "-q", "--end-of-options", f"{rev}^{{commit}}")
    if found:
        return found.strip()
    state = repo_state(root)
    if state.commit is None:
        raise RevisionNotFound(f"no revision {rev!r}: {state.describe}")
    if state.shallow:
        raise RevisionNotFound(
            f"no revision {rev!r} in this clone: it is shallow, its history stops before it; "
            "fetch more history (fetch-depth: 0 in actions/checkout, or git fetch --unshallow, "
            "or git fetch origin <branch>)"
        )
    raise RevisionNotFound(
        f"no revision {rev!r} in this repository (fetch it, e.g. git fetch origin, or check the "
        "name)"
    )


# @implements SRS-234
def changed_files(root: Path, revs: Revisions) -> list[FileChange]:
    """Every file that differs between the two sides (renames followed), with its hunks."""
    sides = [revs.base] if revs.head is None else [revs.base, revs.head]
    out = git_bytes(
        root,
        "diff",
        "--raw",
        "-p",
        "-U0",
        "-z",
        "-M",
        "--no-abbrev",
        "--no-color",
        "--no-ext-diff",
        "--no-textconv",
        "--relative",
        *sides,
        "--",
        timeout=120.0,
    )
    if out is None:
        raise RevisionNotFound(f"git cannot compare {revs.label}")
    changes, patch = _raw(out)
    _hunks(patch, changes)
    if revs.head is None:
        changes.extend(_untracked(root))
    return changes


def _raw(out: bytes) -> tuple[list[FileChange], bytes]:
    """The raw entries (NUL-separated), then the patch text that follows them."""
    changes: list[FileChange] = []
    pos = 0
    while out[pos : pos + 1] == b":":
        meta_end = out.index(b"\x00", pos)
        _, _, old, new, status = out[pos + 1 : meta_end].decode("ascii", "replace").split()
        pos = meta_end + 1
        end = out.index(b"\x00", pos)
        old_path = new_path = _text(out[pos:end])
        pos = end + 1
        if status[:1] in ("R", "C"):
            end = out.index(b"\x00", pos)
            new_path = _text(out[pos:end])
            pos = end + 1
        changes.append(FileChange(status[:1], old_path, new_path, old, new))
    return changes, out[pos:]


def _hunks(patch: bytes, changes: list[FileChange]) -> None:
    """The ``@@`` ranges of each file's patch (patches come in the order of the raw entries)."""
    parts = re.split(rb"(?m)^diff --git ", patch.lstrip(b"\x00"))[1:]
    for change, part in zip(changes, parts, strict=False):
        for m in _HUNK.finditer(part):
            old_start, old_n, new_start, new_n = (
                int(g) if g is not None else 1 for g in m.groups()
            )
            if old_n:  # nothing on a side (lines only added, or only removed): no range there
                change.old_lines.append((old_start, old_start + old_n - 1))
            if new_n:
                change.new_lines.append((new_start, new_start + new_n - 1))


def _untracked(root: Path) -> list[FileChange]:
    out = git_bytes(root, "ls-files", "-z", "--others", "--exclude-standard", "--", ".")
    names = [_text(n) for n in (out or b"").split(b"\x00") if n]
    return [FileChange("A", n, n, NULL, NULL, [], [(1, 1 << 30)]) for n in names]


def _text(raw: bytes) -> str:
    return raw.decode("utf-8", "surrogateescape")


class Versions:
    """Both versions of changed files: blobs read in one batch, the work tree from disk."""

    def __init__(self, root: Path, changes: list[FileChange], wanted: set[str]) -> None:
        self.root = root
        shas = {c.old_blob for c in changes if c.old_path in wanted or c.new_path in wanted}
        shas |= {c.new_blob for c in changes if c.new_path in wanted}
        self.blobs = read_blobs(root, sorted(shas - {NULL}))

    def old(self, change: FileChange) -> bytes | None:
        return None if change.status == "A" else self.blobs.get(change.old_blob)

    def new(self, change: FileChange) -> bytes | None:
        if change.status == "D":
            return None
        if change.new_blob != NULL:
            return self.blobs.get(change.new_blob)
        content = read_regular(str(self.root / change.new_path), _LIMIT)
        return content.data if content.ok else None


def extract(root: Path, commit: str, folder: Path, paths: list[str] | None = None) -> bool:
    """The files of ``commit`` under the project root (only ``paths``, when given) written into
    ``folder``: regular files and folders only. ``False`` when git cannot give them."""
    prefix = (git(root, "rev-parse", "--show-prefix") or "").strip()
    tree = f"{commit}:{prefix}" if prefix else commit
    data = git_bytes(root, "archive", "--format=tar", tree, "--", *(paths or []), timeout=300.0)
    if data is None:
        return False
    with tarfile.open(fileobj=io.BytesIO(data)) as tar:
        members = [m for m in tar.getmembers() if m.isfile() or m.isdir()]
        safe = {"filter": "data"} if hasattr(tarfile, "data_filter") else {}
        tar.extractall(folder, members=members, **safe)  # type: ignore[arg-type]
    return True
