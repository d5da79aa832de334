"""Running git safely: read-only commands, no repository settings that run code, no network.

Every git call medtrace makes goes through :func:`git_bytes`: the file-system monitor
(``core.fsmonitor``, which runs a configured program), signature checks, optional locks, the
pager and credential prompts are off, stdin is closed and each call has a time limit. A missing
``git``, a folder outside a work tree, a timeout or a failing command all give ``None``: callers
say what is unknown rather than fail.
"""

from __future__ import annotations

import os
import subprocess
from dataclasses import dataclass
from pathlib import Path

__all__ = ["RepoState", "git", "git_bytes", "repo_state"]

TIMEOUT_S = 30.0
_GIT = (
    "git",
    "-c",
    "core.fsmonitor=false",
    "-c",
    "log.showSignature=false",
    "-c",
    "core.quotePath=false",
    "--no-optional-locks",
    "--no-pager",
)


# @implements SRS-275
def git_bytes(
    root: Path | str, *args: str, timeout: float = TIMEOUT_S, stdin: bytes | None = None
) -> bytes | None:
    """The standard output of ``git ARGS`` run in ``root``, or ``None`` when it fails; ``stdin``
    is written to the command (``cat-file --batch``), else its input is empty."""
    env = {**os.environ, "GIT_TERMINAL_PROMPT": "0", "GIT_OPTIONAL_LOCKS": "0", "LC_ALL": "C"}
    try:
        done = subprocess.run(
            [*_GIT, *args],
            cwd=root,
            env=env,
            capture_output=True,
            timeout=timeout,
            check=False,
            input=stdin or b"",  # an empty pipe: git never waits for input
        )
    except (OSError, subprocess.SubprocessError):
        return None
    return done.stdout if done.returncode == 0 else None


def git(root: Path | str, *args: str, timeout: float = TIMEOUT_S) -> str | None:
    """:func:`git_bytes` decoded as UTF-8 (undecodable bytes kept as surrogates)."""
    out = git_bytes(root, *args, timeout=timeout)
    return None if out is None else out.decode("utf-8", "surrogateescape")


@dataclass(frozen=True)
class RepoState:
    """Where a folder's work tree stands: what a published document is stamped with."""

    commit: str | None
    dirty: bool | None
    branch: str | None = None
    tag: str | None = None
    shallow: bool = False

    @property
    def short(self) -> str | None:
        return self.commit[:12] if self.commit else None

    @property
    def describe(self) -> str:
        """``abc123def456`` (``v1.0.0``), with ``modified`` when the tree is dirty."""
        if self.commit is None:
            return "not in a git repository"
        text = f"{self.short} ({self.tag})" if self.tag else str(self.short)
        return text + (", modified" if self.dirty else "")


# @implements SRS-276
def repo_state(root: Path | str) -> RepoState:
    """The commit at ``HEAD``, whether the work tree under ``root`` differs from it, the branch,
    an exact tag at ``HEAD`` and whether the clone is shallow; ``commit=None`` outside git."""
    head = git(root, "rev-parse", "--verify", "-q", "HEAD")
    if head is None or not head.strip():
        return RepoState(commit=None, dirty=None)
    status = git(root, "status", "--porcelain=v1", "-z", "--untracked-files=normal", "--", ".")
    branch = git(root, "symbolic-ref", "-q", "--short", "HEAD")
    tag = git(root, "describe", "--tags", "--exact-match", "HEAD")
    shallow = git(root, "rev-parse", "--is-shallow-repository")
    return RepoState(
        commit=head.strip(),
        dirty=None if status is None else bool(status.strip("\0\n")),
        branch=branch.strip() or None if branch else None,
        tag=tag.strip() or None if tag else None,
        shallow=(shallow or "").strip() == "true",
    )


# Releases and snapshots (medtrace.vcs.release, medtrace.vcs.snapshot).


# @implements SRS-280
def changed_paths(root: Path | str, exclude: tuple[str, ...] = ()) -> list[str] | None:
    """Files under ``root`` that differ from ``HEAD`` (modified, staged, untracked, removed),
    relative to the repository, leaving out the folders ``exclude`` (relative to ``root``);
    ``None`` when git cannot tell."""
    specs = [".", *(f":(exclude){e}" for e in exclude)]
    out = git(root, "status", "--porcelain=v1", "-z", "--untracked-files=normal", "--", *specs)
    if out is None:
        return None
    return sorted(
        e[3:] for e in out.split("\0") if len(e) > 3 and e[2] == " "
    )  # not rename sources


def commit_date(root: Path | str, rev: str) -> str | None:
    """The committer date of ``rev`` (ISO 8601), or ``None``."""
    out = git(root, "log", "-1", "--format=%cI", "--end-of-options", rev, "--")
    return out.strip() or None if out else None


# @implements SRS-280
def tag_target(root: Path | str, tag: str) -> str | None:
    """The commit the tag ``tag`` points to, or ``None`` when there is no such tag."""
    out = git(
        root, "rev-parse", "--verify", "-q", "--end-of-options", f"refs/tags/{tag}^{{commit}}"
    )
    return out.strip() or None if out else None


# Change control: which commits added an ID, and whether they were made on two branches.


# @implements SRS-255
def commits_changing(root: Path | str, text: str, paths: list[str]) -> list[str] | None:
    """The commits (newest first) that changed how often ``text`` occurs in ``paths``
    (``git log -S``), or ``None`` outside git."""
    out = git(root, "log", "--format=%H", f"-S{text}", "--", *paths)
    return None if out is None else out.split()


# @implements SRS-255
def is_ancestor(root: Path | str, older: str, newer: str) -> bool:
    """Whether commit ``older`` is an ancestor of (or is) ``newer``."""
    return git(root, "merge-base", "--is-ancestor", older, newer) is not None


def top_level(root: Path | str) -> Path | None:
    """The top folder of the work tree ``root`` is in, or ``None`` outside git."""
    out = git(root, "rev-parse", "--show-toplevel")
    return Path(out.strip()).resolve() if out and out.strip() else None


# --- history and impact: batch reads --------------------------------------------------------


# @implements SRS-230
def read_blobs(root: Path | str, shas: list[str]) -> dict[str, bytes]:
    """The content of each blob in ``shas`` (one ``git cat-file --batch`` for all); a blob git
    does not have is left out."""
    if not shas:
        return {}
    names = "".join(s + "\n" for s in shas).encode()
    out = git_bytes(root, "cat-file", "--batch", stdin=names)
    blobs: dict[str, bytes] = {}
    pos = 0
    while out is not None and pos < len(out):
        end = out.index(b"\n", pos)
        header = out[pos:end].split()
        pos = end + 1
        if len(header) != 3:  # "<sha> missing"
            continue
        size = int(header[2])
        blobs[header[0].decode()] = out[pos : pos + size]
        pos += size + 1
    return blobs


def shallow_commits(root: Path | str) -> set[str]:
    """The commits where a shallow clone's history stops (empty for a full clone)."""
    where = git(root, "rev-parse", "--path-format=absolute", "--git-path", "shallow")
    if where is None:
        return set()
    try:
        text = Path(where.strip()).read_text("ascii", "replace")
    except OSError:
        return set()
    return {line.strip() for line in text.splitlines() if line.strip()}
