"""The whole project's evidence as comparable data: a :class:`Snapshot`.

A snapshot holds every item (kind, title, status, fields, text, file, a hash of its content),
the verification status of every traced item, the risk estimates before and after control, the
SOUP versions and the public interfaces (OpenAPI operations, Python API). It is made from the
work tree (:func:`snapshot_of`), from a git revision (:func:`snapshot_at`: the revision's tree
extracted with ``git archive`` into a temporary folder, removed after) or from a release folder
(:func:`snapshot_from_release`), by the same pipeline ``check`` runs: nothing is loaded twice
or another way.

A revision holds only what was committed: test results are usually not, so a snapshot says
which results files it read (``results``) and :mod:`medtrace.vcs.diff` compares verification
statuses only when both sides read some.
"""

from __future__ import annotations

import dataclasses
import datetime
import hashlib
import io
import json
import os
import tarfile
import tempfile
from dataclasses import asdict, dataclass, field
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, Any

from medtrace.errors import UsageError
from medtrace.vcs.git import git, git_bytes, repo_state

if TYPE_CHECKING:
    from medtrace.config import Config
    from medtrace.model import Item
    from medtrace.pipeline import Traced

__all__ = [
    "FORMAT",
    "ItemRecord",
    "Snapshot",
    "content_hash",
    "snapshot_at",
    "snapshot_from_release",
    "snapshot_named",
    "snapshot_of",
    "snapshot_of_traced",
]

#: The layout of :meth:`Snapshot.to_json`; a release folder written with another is refused.
FORMAT = 1
#: The file of a release folder that holds its snapshot.
SNAPSHOT_FILE = "snapshot.json"
#: ``git archive`` of a large repository may take longer than an ordinary git call.
ARCHIVE_TIMEOUT_S = 300.0


@dataclass(frozen=True)
class ItemRecord:
    """One item as data: what is compared between two snapshots."""

    kind: str
    title: str
    status: str
    fields: dict[str, Any]
    text: str
    path: str
    hash: str


@dataclass
class Snapshot:
    """The project's evidence at one point: the work tree, a revision or a release.

    ``source`` says where it comes from (``work tree``, ``v1.0.0``, ``release v1.0.0``);
    ``risks`` maps a risk ID to ``{"initial": {...}, "residual": {...}}`` with the severity,
    probability and acceptability names; ``interfaces`` maps ``item: interface`` to each
    documented element's name and signature; ``results`` are the results files read.
    """

    source: str
    commit: str | None = None
    project: str = ""
    version: str = ""
    items: dict[str, ItemRecord] = field(default_factory=dict)
    verification: dict[str, str] = field(default_factory=dict)
    risks: dict[str, dict[str, dict[str, str | None]]] = field(default_factory=dict)
    soup: dict[str, str] = field(default_factory=dict)
    interfaces: dict[str, dict[str, str]] = field(default_factory=dict)
    results: list[str] = field(default_factory=list)

    def to_json(self) -> str:
        data = {"format": FORMAT, **asdict(self)}
        return json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False) + "\n"

    @classmethod
    def from_json(cls, text: str | bytes) -> Snapshot:
        """The snapshot a :meth:`to_json` wrote; :class:`UsageError` for anything else."""
        try:
            data = json.loads(text)
            if not isinstance(data, dict) or data.pop("format", None) != FORMAT:
                raise ValueError(f"not a medtrace snapshot of format {FORMAT}")
            items = {k: ItemRecord(**v) for k, v in data.pop("items").items()}
            return cls(items=items, **data)
        except (ValueError, TypeError, KeyError, AttributeError) as exc:
            raise UsageError(f"cannot read the snapshot: {exc}") from None


# @implements SRS-277
def content_hash(item: Item) -> str:
    """SHA-256 of an item's content: title, text (whitespace folded) and fields other than
    ``status``, independent of key order and of the file it lives in."""
    fields = {k: v for k, v in item.fields.items() if k not in _OWN}
    content = {
        "kind": item.kind,
        "title": " ".join(item.title.split()),
        "text": " ".join(item.text.split()),
        "fields": _plain(fields),
        "unknown": _plain(item.unknown),
    }
    blob = json.dumps(content, sort_keys=True, ensure_ascii=False).encode()
    return hashlib.sha256(blob).hexdigest()


def _plain(value: Any) -> Any:
    """``value`` as JSON data: YAML dates become ISO text, anything else unknown its text."""
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value)


#: Fields an :class:`ItemRecord` holds on its own (or, for ``id``, as its key).
_OWN = frozenset({"id", "title", "text", "status"})


def _record(item: Item) -> ItemRecord:
    status = item.get("status")
    fields = {k: v for k, v in {**item.fields, **item.unknown}.items() if k not in _OWN}
    return ItemRecord(
        kind=item.kind,
        title=item.title,
        status="" if status is None else str(status),
        fields=_plain(fields),
        text=item.text,
        path=item.path,
        hash=content_hash(item),
    )


# @implements SRS-277
def snapshot_of(root: Path, *, source: str = "work tree", use_cache: bool = True) -> Snapshot:
    """The snapshot of the project at ``root`` as it is on disk."""
    from medtrace.pipeline import trace_project

    traced = trace_project(root, use_cache=use_cache)
    return snapshot_of_traced(traced, source, repo_state(root).commit)


def snapshot_of_traced(traced: Traced, source: str, commit: str | None) -> Snapshot:
    project = traced.project
    config = project.config
    return Snapshot(
        source=source,
        commit=commit,
        project=config.project.name,
        version=config.project.version,
        items={item.id: _record(item) for item in sorted(project.model, key=lambda i: i.id)},
        verification={i: e.status.value for i, e in sorted(traced.trace.items.items())},
        risks=_risks(traced),
        soup=_soup(traced),
        interfaces=_interfaces(config, traced),
        results=sorted(traced.results.files),
    )


def _risks(traced: Traced) -> dict[str, dict[str, dict[str, str | None]]]:
    from medtrace.checks.risk import analysis_of

    project = traced.project
    analysis = analysis_of(project.config, project.model, traced.trace)
    spec = analysis.spec

    def named(names: list[str], level: int | None) -> str | None:
        return names[level] if level is not None and 0 <= level < len(names) else None

    out: dict[str, dict[str, dict[str, str | None]]] = {}
    for risk in analysis.risks:
        out[risk.id] = {
            when: {
                "severity": named(spec.severity, estimate.severity),
                "probability": named(spec.probability, estimate.probability),
                "acceptability": estimate.acceptability,
            }
            for when, estimate in (("initial", risk.initial), ("residual", risk.residual))
        }
    return out


def _soup(traced: Traced) -> dict[str, str]:
    """SOUP name (the package it names, else its ID) → version."""
    from medtrace.soup.entries import entry_of

    out: dict[str, str] = {}
    for item in traced.project.model.of_kind("soup"):
        entry = entry_of(item)
        out[entry.name or item.id] = entry.version
    return dict(sorted(out.items()))


def _interfaces(config: Config, traced: Traced) -> dict[str, dict[str, str]]:
    """``item: interface`` → element name → its signature and details, as one line each."""
    from medtrace.interfaces import declared_interfaces, document

    out: dict[str, dict[str, str]] = {}
    for doc in document(declared_interfaces(traced.project.model, config.root)):
        elements: dict[str, str] = {}
        for entry in doc.entries:
            details = "; ".join(f"{k}: {v}" for k, v in entry.details)
            elements[f"{entry.kind} {entry.name}"] = " | ".join(
                p for p in (entry.signature, details) if p
            )
        out[f"{doc.item}: {doc.name}"] = dict(sorted(elements.items()))
    return dict(sorted(out.items()))


# @implements SRS-278
def snapshot_at(root: Path, rev: str) -> Snapshot:
    """The snapshot of the project at ``root`` as revision ``rev`` has it: the revision's copy
    of the project folder is extracted with ``git archive`` into a temporary folder (removed
    after) and loaded there. :class:`UsageError` when ``rev`` cannot be read."""
    top, prefix = _where(root)
    commit = resolve_revision(root, rev)
    with tempfile.TemporaryDirectory(prefix="medtrace-rev-") as tmp:
        _extract(top, commit, prefix, Path(tmp))
        project = Path(tmp) / prefix if prefix else Path(tmp)
        if not project.is_dir():
            raise UsageError(f"{rev}: the project folder {prefix!r} does not exist at {rev}")
        snap = snapshot_of(project, source=rev, use_cache=False)
    return dataclasses.replace(snap, commit=commit)


def _where(root: Path) -> tuple[Path, str]:
    """The repository's top folder and the project folder inside it (``""`` at the top)."""
    top = git(root, "rev-parse", "--show-toplevel")
    prefix = git(root, "rev-parse", "--show-prefix")
    if top is None or prefix is None:
        raise UsageError(f"{root}: not in a git repository; give release folders to compare")
    return Path(top.strip()), prefix.strip().rstrip("/")


def resolve_revision(root: Path, rev: str) -> str:
    """The commit ``rev`` names, or :class:`UsageError` saying why not (a shallow clone that
    lacks the history is told as such)."""
    if rev.startswith("-"):
        raise UsageError(f"{rev}: not a revision")
    found = git(root, "rev-parse", "--verify", "-q", "--end-of-options", f"{rev}^{{commit}}")
    if found and found.strip():
        return found.strip()
    shallow = (git(root, "rev-parse", "--is-shallow-repository") or "").strip() == "true"
    if shallow:
        raise UsageError(
            f"{rev}: not found in this shallow clone, which lacks the older history; fetch it "
            "(git fetch --unshallow, or a deeper --depth and the tags) and run again"
        )
    raise UsageError(f"{rev}: no such revision, tag or release folder")


def _extract(top: Path, commit: str, prefix: str, into: Path) -> None:
    args = ["archive", "--format=tar", commit]
    data = git_bytes(top, *args, *(["--", prefix] if prefix else []), timeout=ARCHIVE_TIMEOUT_S)
    if data is None:
        raise UsageError(f"{commit[:12]}: git archive failed for {prefix or 'the repository'}")
    with tarfile.open(fileobj=io.BytesIO(data)) as archive:
        for member in archive.getmembers():
            _extract_member(archive, member, into)


def _extract_member(archive: tarfile.TarFile, member: tarfile.TarInfo, into: Path) -> None:
    """One entry of ``git archive``'s output, kept inside ``into``: folders, regular files,
    and symbolic links that stay inside (what ``tarfile``'s ``data`` filter allows; written
    here because Python 3.11 before 3.11.4 has no filters)."""
    parts = PurePosixPath(member.name).parts
    if not parts or PurePosixPath(member.name).is_absolute() or ".." in parts:
        return
    target = into.joinpath(*parts)
    if member.isdir():
        target.mkdir(parents=True, exist_ok=True)
    elif member.isfile():
        source = archive.extractfile(member)
        if source is not None:
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(source.read())
            target.chmod(0o755 if member.mode & 0o111 else 0o644)
    elif member.issym():
        link = PurePosixPath(member.linkname)
        inside = os.path.normpath(target.parent.joinpath(*link.parts))
        if not link.is_absolute() and inside.startswith(str(into) + os.sep):
            target.parent.mkdir(parents=True, exist_ok=True)
            target.symlink_to(member.linkname)


# @implements SRS-278
def snapshot_from_release(folder: Path) -> Snapshot:
    """The snapshot a release folder holds (``snapshot.json``)."""
    path = folder / SNAPSHOT_FILE
    try:
        text = path.read_bytes()
    except OSError as exc:
        raise UsageError(
            f"{folder}: not a release folder ({SNAPSHOT_FILE}: {exc.strerror})"
        ) from None
    return Snapshot.from_json(text)


# @implements SRS-286
def snapshot_named(root: Path, name: str | None) -> Snapshot:
    """What ``medtrace diff`` compares, by the name given: nothing → the work tree; a release
    folder (a path, or the project's ``release-NAME`` under ``[release] folder``, with or
    without a leading ``v``) → its frozen snapshot; else a git revision (tag, branch,
    commit)."""
    if name is None:
        return snapshot_of(root)
    folder = _release_folder(root, name)
    if folder is not None:
        snap = snapshot_from_release(folder)
        return dataclasses.replace(snap, source=f"{name} (release folder {folder.name})")
    return snapshot_at(root, name)


def _release_folder(root: Path, name: str) -> Path | None:
    from medtrace.config import load_config

    candidates = [Path(name), root / name]
    try:
        folder = load_config(root).release.folder
    except UsageError:
        folder = None  # the snapshot itself reports the configuration
    if folder is not None:
        base = root / folder
        candidates += [base / f"release-{name}", base / f"release-{name.removeprefix('v')}"]
    return next((c for c in candidates if (c / SNAPSHOT_FILE).is_file()), None)
