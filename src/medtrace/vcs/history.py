"""Item histories: every change of every item, from git, item by item.

One ``git log --raw -M -z`` over the item folders lists the commits and, for each, the item
files it touched with the blob of each side; one ``git cat-file --batch`` reads those blobs.
Each version of each file is parsed with medtrace's own loaders (from bytes, once per blob and
path), and the two sides of a commit are compared item by item, by ID: an item that leaves one
file and appears in another in the same commit is *renamed* (moved), not removed and added, and
in a file of many items only the items that differ are changes. The diff shown is that of a
stable rendering of the item (its fields, sorted, then its text), never of the whole file.

Merge commits are compared with their first parent, and an item counts as changed there only
when the merge's version differs from every parent's (a conflict resolved by hand, an edit made
in the merge): the changes merged from a branch stay with the commits that made them.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from medtrace.config import Config, load_config
from medtrace.errors import MedtraceError
from medtrace.fs import Globs
from medtrace.loading.build import Builder
from medtrace.loading.discover import ITEM_SUFFIXES
from medtrace.loading.parse import parse_file
from medtrace.model import Model
from medtrace.vcs.git import git, git_bytes, read_blobs, shallow_commits
from medtrace.vcs.versions import Version, Versions, changed_entries, render_item

__all__ = [
    "Change",
    "Histories",
    "item_file_filter",
    "item_histories",
    "read_items",
    "render_item",
]

_NULL = "0" * 40


# @implements SRS-230
@dataclass(frozen=True)
class Change:
    """One change of one item in one commit. ``path`` is the item's file after the change
    (before it, for a removal); ``diff`` is the unified diff of the item's own rendering."""

    commit: str
    author: str
    email: str
    date: str
    message: str
    path: str
    kind: str
    diff: str


@dataclass
class Histories:
    """Item ID → its changes, newest first; ``note`` says why history is missing or partial."""

    changes: dict[str, list[Change]] = field(default_factory=dict)
    note: str | None = None


@dataclass
class _Entry:
    """One file a commit touched: the blob before (``old``) and after, by path."""

    old_path: str
    new_path: str
    old: str
    new: str


@dataclass
class _Commit:
    sha: str
    parents: list[str]
    author: str
    email: str
    date: str
    message: str
    entries: list[_Entry] = field(default_factory=list)
    #: for a merge: path → the blobs of the other parents (combined diff)
    others: dict[str, list[str]] = field(default_factory=dict)


# @implements SRS-230, SRS-231
def item_histories(
    root: Path, model: Model, config: Config | None = None, *, only: str | None = None
) -> Histories:
    """Every change of every item under the project's item folders; items of ``model`` with no
    committed change have an empty list. Never raises for a missing git or repository. With
    ``only``, the history of that item alone (versions of files that never name it, in their
    path or their text, are not parsed)."""
    try:
        config = config or load_config(root)
    except MedtraceError as exc:
        return Histories({i.id: [] for i in model}, f"no history: {exc}")
    top = git(root, "rev-parse", "--show-toplevel")
    if top is None:
        return Histories({i.id: [] for i in model}, _no_git(root))
    commits = _log(root, config)
    if commits is None:
        return Histories({i.id: [] for i in model}, "no history: git log failed")
    shallow = shallow_commits(root)
    histories = _changes(root, config, commits, shallow, only)
    for item in model if only is None else [i for i in model if i.id == only]:
        histories.changes.setdefault(item.id, [])
    if shallow:
        histories.note = _shallow_note(shallow)
    return histories


def _no_git(root: Path) -> str:
    if git(root, "--version") is None:
        return "no history: git is not installed"
    return "no history: the project is not in a git repository"


def _shallow_note(shallow: set[str]) -> str:
    first = ", ".join(sorted(s[:12] for s in shallow))
    return (
        f"history stops at the shallow clone's boundary (commit {first}): older changes, and "
        "when the items were added, are not shown; fetch the whole history (git fetch "
        "--unshallow, or fetch-depth: 0 in CI)"
    )


def item_folders(config: Config) -> list[str]:
    """The git pathspecs that cover the item files: the literal folders of ``paths.items``."""
    bases = Globs(config.paths.items, lenient=True).bases()
    return [b or "." for b in bases] or ["."]


_LOG_FORMAT = "%x1e%H%x1f%P%x1f%an%x1f%ae%x1f%aI%x1f%B%x1f"


def _log(root: Path, config: Config, *extra: str) -> list[_Commit] | None:
    """The commits that touched the item folders, newest first, with their raw entries."""
    out = git_bytes(
        root,
        "log",
        f"--format={_LOG_FORMAT}",
        "--raw",
        "--no-abbrev",
        "-M",
        "-z",
        "--cc",
        "--relative",
        *extra,
        "--",
        *item_folders(config),
        timeout=120.0,
    )
    if out is None:
        return [] if _empty_repo(root) else None
    return list(parse_log(out))


def _empty_repo(root: Path) -> bool:
    return git(root, "rev-parse", "--verify", "-q", "HEAD") is None


def parse_log(out: bytes) -> Iterator[_Commit]:
    """Commits from ``git log --format=_LOG_FORMAT --raw -z`` (messages cannot hold NUL)."""
    pos = 0
    n = len(out)
    while True:
        start = out.find(b"\x1e", pos)
        if start < 0:
            return
        head_end = out.find(b"\x1f\x00", start)
        if head_end < 0:
            return
        fields = out[start + 1 : head_end].split(b"\x1f", 5)
        pos = head_end + 2
        if len(fields) < 6:
            continue
        sha, parents, author, email, date, message = (_text(f) for f in fields)
        commit = _Commit(sha, parents.split(), author, email, date, message.rstrip("\n"))
        while pos < n and out[pos : pos + 1] in (b"\n", b"\x00"):
            pos += 1
        pos = _entries(out, pos, commit)
        yield commit


def _entries(out: bytes, pos: int, commit: _Commit) -> int:
    """Read the ``:mode... sha... status\\0path\\0[path\\0]`` entries from ``pos``."""
    while out[pos : pos + 1] == b":":
        meta_end = out.index(b"\x00", pos)
        meta = out[pos:meta_end].decode("ascii", "replace")
        colons = len(meta) - len(meta.lstrip(":"))
        parts = meta[colons:].split()
        shas = parts[colons + 1 : 2 * colons + 2]
        status = parts[-1]
        pos = meta_end + 1
        end = out.index(b"\x00", pos)
        path = _text(out[pos:end])
        pos = end + 1
        old_path = path
        if colons == 1 and status[:1] in ("R", "C"):
            end = out.index(b"\x00", pos)
            path = _text(out[pos:end])
            pos = end + 1
        commit.entries.append(_Entry(old_path, path, shas[0], shas[-1]))
        if colons > 1:
            commit.others[path] = shas[1:-1]
    return pos


def _text(raw: bytes) -> str:
    return raw.decode("utf-8", "replace")


# -- comparing the two sides of each commit, item by item ----------------------------------------


def read_items(data: bytes, path: str, builder: Builder) -> dict[str, tuple[str, str]]:
    """The items of one version of an item file: ID → (path, rendering); a version that is not
    UTF-8 text or not valid has none (``check`` reports the current one; an old one is
    history)."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return {}
    out: dict[str, tuple[str, str]] = {}
    for record in parse_file(text, path).records:
        item, _ = builder.build(record, path)
        if item is not None:
            out.setdefault(item.id, (path, render_item(item)))
    return out


def item_file_filter(config: Config) -> Callable[[str], bool]:
    """Whether a path (relative to the project root) is an item file by the configuration."""
    wanted = Globs(config.paths.items, lenient=True)
    excluded = Globs(config.paths.exclude, lenient=True)

    def is_item_file(path: str) -> bool:
        return (
            path.lower().endswith(ITEM_SUFFIXES)
            and wanted.match(path)
            and not (excluded and excluded.match(path))
        )

    return is_item_file


def _changes(
    root: Path, config: Config, commits: list[_Commit], shallow: set[str], only: str | None
) -> Histories:
    is_item_file = item_file_filter(config)
    for commit in commits:
        commit.entries = [
            e for e in commit.entries if is_item_file(e.old_path) or is_item_file(e.new_path)
        ]
    shas = {s for c in commits for e in c.entries for s in (e.old, e.new) if s != _NULL}
    shas |= {s for c in commits for others in c.others.values() for s in others if s != _NULL}
    blobs = read_blobs(root, sorted(shas))
    if only is not None:
        _naming(commits, blobs, only)
    uses: dict[tuple[str, str], int] = {}
    for c in commits:
        for e in c.entries:
            for key in ((e.old, e.old_path), (e.new, e.new_path)):
                uses[key] = uses.get(key, 0) + 1
        for e in c.entries:
            for sha in c.others.get(e.new_path, []):
                uses[(sha, e.old_path)] = uses.get((sha, e.old_path), 0) + 1
    versions = Versions(Builder(config), blobs, uses)
    out = Histories()
    for commit in commits:
        boundary = commit.sha in shallow
        for item_id, change in _commit_changes(commit, versions, boundary):
            if only is None or item_id == only:
                out.changes.setdefault(item_id, []).append(change)
    return out


def _naming(commits: list[_Commit], blobs: dict[str, bytes], item_id: str) -> None:
    """Keep the changed files whose path or some version names ``item_id`` (a plain search:
    more files than needed, never fewer)."""
    needle = item_id.encode()

    def names(e: _Entry, others: list[str]) -> bool:
        if item_id in e.old_path or item_id in e.new_path:
            return True
        return any(needle in blobs.get(sha, b"") for sha in (e.old, e.new, *others))

    for c in commits:
        c.entries = [e for e in c.entries if names(e, c.others.get(e.new_path, []))]


def _sides(entries: list[_Entry], versions: Versions) -> tuple[dict[str, Version], ...]:
    """The items on each side of a commit that may differ: every item of each changed file,
    or, for a YAML file read entry by entry, those of the entries not on both sides."""
    before: dict[str, Version] = {}
    after: dict[str, Version] = {}
    for e in entries:
        old, new = versions.file(e.old, e.old_path), versions.file(e.new, e.new_path)
        pair = changed_entries(old, new) or (old.items, new.items)
        for item_id, version in pair[0].items():
            before.setdefault(item_id, version)
        for item_id, version in pair[1].items():
            after.setdefault(item_id, version)
    return before, after


def _commit_changes(
    commit: _Commit, versions: Versions, boundary: bool
) -> Iterator[tuple[str, Change]]:
    before, after = _sides(commit.entries, versions)
    merged = _merge_sides(commit, versions) if commit.others else None
    for item_id in sorted(before.keys() | after.keys()):
        old, new = before.get(item_id), after.get(item_id)
        if old == new or (merged is not None and new in merged.get(item_id, [])):
            continue
        if old is not None and new is not None and (old.path, old.text) == (new.path, new.text):
            continue  # written differently, the same item
        kind = _kind(old, new)
        if boundary and kind == "added":
            continue  # the first visible commit of a shallow clone: not where it was added
        yield item_id, _change(commit, item_id, kind, old, new)


def _merge_sides(commit: _Commit, versions: Versions) -> dict[str, list[Version]]:
    """For a merge: each item's versions in the other parents (one equal to the merge's means
    the merge took that side, which is not a change made by the merge)."""
    out: dict[str, list[Version]] = {}
    for e in commit.entries:
        for sha in commit.others.get(e.new_path, []):
            for item_id, value in versions.items(sha, e.old_path).items():
                out.setdefault(item_id, []).append(value)
    return out


def _kind(old: Version | None, new: Version | None) -> str:
    if old is None:
        return "added"
    if new is None:
        return "removed"
    return "renamed" if old.path != new.path else "modified"


def _change(
    commit: _Commit,
    item_id: str,
    kind: str,
    old: Version | None,
    new: Version | None,
) -> Change:
    path = new.path if new else old.path if old else ""
    a = old.text.splitlines(keepends=True) if old else []
    b = new.text.splitlines(keepends=True) if new else []
    names = (f"a/{old.path}" if old else "/dev/null", f"b/{new.path}" if new else "/dev/null")
    diff = "".join(difflib.unified_diff(a, b, *names, n=3)) or f"--- {names[0]}\n+++ {names[1]}\n"
    return Change(
        commit=commit.sha,
        author=commit.author,
        email=commit.email,
        date=commit.date,
        message=commit.message,
        path=path,
        kind=kind,
        diff=diff,
    )
