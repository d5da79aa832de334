"""A frozen release record (IEC 62304 5.8): one folder and one archive, with a manifest.

``make_release`` runs the checklist (a registry of named checks, each applying to the safety
classes ``[release] checks`` gives it), and only when every check passes writes
``release-VERSION/`` under ``[release] folder``: the documentation set, the snapshot of every
item, the trace with its results (the matrix as JSON), the SBOM, ``check``'s findings, the
commit and tag, and ``manifest.json`` with the SHA-256 of every other file; then the archive
``release-VERSION.tar.gz`` (or ``.zip``) of that folder, deterministic (sorted entries, fixed
times and owners). The folder is built under a temporary name beside its place and renamed into
place: an existing release is never overwritten, a failed run leaves nothing.

``verify_release`` re-reads a release folder: every file's SHA-256 against the manifest, and no
file added or removed.
"""

from __future__ import annotations

import dataclasses
import gzip
import hashlib
import io
import json
import os
import re
import shutil
import tarfile
import tempfile
import zipfile
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from medtrace import __version__
from medtrace.diagnostics import Diagnostic, Severity
from medtrace.errors import OutputError, UsageError
from medtrace.vcs.codes import RELEASE_REFUSED, RELEASE_TAMPERED
from medtrace.vcs.git import RepoState, changed_paths, commit_date, repo_state, tag_target

if TYPE_CHECKING:
    from medtrace.pipeline import CheckResult, Traced

__all__ = [
    "CHECKS",
    "MANIFEST",
    "Candidate",
    "Made",
    "ReleaseCheck",
    "make_release",
    "release_check",
    "verify_release",
]

MANIFEST = "manifest.json"
#: Modification time of every archive entry (1980-01-01, the earliest a zip can hold).
FIXED_MTIME = 315532800
_VERSION = re.compile(r"[A-Za-z0-9][A-Za-z0-9._+-]{0,99}")


@dataclass
class Candidate:
    """What the checklist looks at: the version, where it goes, the tree, and the check."""

    version: str
    root: Path
    out: Path
    state: RepoState
    result: CheckResult
    traced: Traced

    @property
    def folder(self) -> Path:
        return self.out / f"release-{self.version}"

    def archive(self, suffix: str) -> Path:
        return self.out / f"release-{self.version}.{suffix}"


Check = Callable[[Candidate], Iterator[Diagnostic]]


@dataclass(frozen=True)
class ReleaseCheck:
    name: str
    summary: str
    run: Check


#: The release checklist by name; ``[release] checks`` restricts a check to some classes.
CHECKS: dict[str, ReleaseCheck] = {}


def release_check(name: str, summary: str) -> Callable[[Check], Check]:
    """Register the decorated function as the checklist item ``name``: it yields a diagnostic
    for each reason the release must not be made."""

    def register(func: Check) -> Check:
        CHECKS[name] = ReleaseCheck(name, summary, func)
        return func

    return register


def _refused(found: str, expected: str, hint: str) -> Diagnostic:
    return RELEASE_REFUSED(found, expected=expected, hint=hint)


# @implements SRS-280
@release_check("no-errors", "'medtrace check' reports no error")
def _no_errors(c: Candidate) -> Iterator[Diagnostic]:
    errors = [d for d in c.result.diagnostics if d.severity is Severity.ERROR]
    if errors:
        codes = ", ".join(sorted({d.code for d in errors}))
        yield _refused(
            f"'medtrace check' reports {len(errors)} error{'s' if len(errors) != 1 else ''} "
            f"({codes})",
            "no error in the check",
            "run 'medtrace check' and correct them",
        )


# @implements SRS-280
@release_check("clean-tree", "the work tree is committed: nothing modified, added or removed")
def _clean_tree(c: Candidate) -> Iterator[Diagnostic]:
    if c.state.commit is None:
        yield _refused(
            f"{c.root} is not in a git repository (or has no commit)",
            "a committed project: a release records its commit",
            "commit the project to git first",
        )
        return
    configured = c.root / c.traced.project.config.release.folder
    outputs = {_inside(folder, c.root) for folder in (c.out, configured)}  # earlier releases
    changed = changed_paths(c.root, tuple(sorted(o for o in outputs if o)))
    if changed is None:
        yield _refused("git cannot tell whether the work tree is modified", "a clean tree", "")
    elif changed:
        shown = ", ".join(changed[:5]) + (
            f" and {len(changed) - 5} more" if len(changed) > 5 else ""
        )
        yield _refused(
            f"the work tree has {len(changed)} uncommitted change"
            f"{'s' if len(changed) != 1 else ''}: {shown}",
            "every change committed, so that the release is the commit it names",
            "commit or stash the changes (or add build outputs to .gitignore)",
        )


def _inside(path: Path, root: Path) -> str | None:
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return None


# @implements SRS-283
@release_check("anomalies-evaluated", "every anomaly that is not closed has an evaluation")
def _anomalies(c: Candidate) -> Iterator[Diagnostic]:
    from medtrace.checks.context import Context
    from medtrace.checks.release import anomaly_unevaluated
    from medtrace.loading import Locator

    project = c.traced.project
    ctx = Context(project.config, project.model, Locator(project.config.root))
    for found in anomaly_unevaluated(ctx):  # a warning in check, a reason to refuse here
        yield dataclasses.replace(found, severity=Severity.ERROR)


# @implements SRS-280
@release_check("not-released", "the version has no release folder, archive or other tag yet")
def _not_released(c: Candidate) -> Iterator[Diagnostic]:
    for path in (c.folder, c.archive("tar.gz"), c.archive("zip")):
        if os.path.lexists(path):
            yield _refused(
                f"version {c.version} is already released: {path} exists",
                "a version released once",
                "give the next version; a release record is never overwritten",
            )
    for tag in (c.version, f"v{c.version}"):
        target = tag_target(c.root, tag)
        if target is not None and target != c.state.commit:
            yield _refused(
                f"tag {tag} names commit {target[:12]}, not HEAD {str(c.state.commit)[:12]}",
                f"version {c.version} released from the commit its tag names",
                "check out the tagged commit, or give the next version",
            )


def checklist(cls: str, configured: Mapping[str, list[str]]) -> list[ReleaseCheck]:
    """The checks that apply to class ``cls``; :class:`UsageError` for an unknown name."""
    unknown = sorted(set(configured) - set(CHECKS))
    if unknown:
        known = ", ".join(sorted(CHECKS))
        raise UsageError(f"[release] checks: unknown check {', '.join(unknown)}; known: {known}")
    return [c for name, c in CHECKS.items() if cls in configured.get(name, ["A", "B", "C"])]


@dataclass
class Made:
    """The outcome of :func:`make_release`: what was written, or every reason it was not."""

    folder: Path
    archive: Path | None = None
    files: int = 0
    refused: list[Diagnostic] = field(default_factory=list)
    checked: list[str] = field(default_factory=list)


# @implements SRS-279, SRS-280
def make_release(root: Path, version: str, out: Path | None = None) -> Made:
    """Run the checklist for the project at ``root``; when it passes, write the release."""
    from medtrace.pipeline import check, trace_project

    if not _VERSION.fullmatch(version):
        raise UsageError(f"{version!r}: a version is letters, digits, '.', '_', '+' and '-'")
    traced = trace_project(root)
    config = traced.project.config
    out = out if out is not None else config.root / config.release.folder
    candidate = Candidate(version, config.root, out, repo_state(config.root), check(root), traced)
    configured = {name: [str(c) for c in cls] for name, cls in config.release.checks.items()}
    checks = checklist(config.project.safety_class, configured)
    made = Made(candidate.folder, checked=[c.name for c in checks])
    for item in checks:
        made.refused.extend(item.run(candidate))
    if made.refused:
        return made
    made.archive, made.files = _write(candidate, config.release.archive)
    return made


def _write(c: Candidate, kind: str) -> tuple[Path, int]:
    from medtrace.fsutil import write_outputs

    try:
        c.out.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=f".release-{c.version}-", dir=c.out))
        staging.chmod(0o777 & ~_umask())  # mkdtemp makes it private; a release is not
    except OSError as exc:
        raise OutputError(f"cannot write the release in {c.out}: {exc.strerror or exc}") from None
    try:
        _document_set(c.traced, staging / "documents")
        write_outputs({staging / rel: data for rel, data in _records(c).items()})
        files = _listing(staging)
        manifest = _manifest(c, staging, files)
        write_outputs({staging / MANIFEST: manifest})
        archive = _archive(staging, f"release-{c.version}", kind)
        if os.path.lexists(c.folder):
            raise UsageError(f"{c.folder} appeared while the release was made; nothing replaced")
        staging.rename(c.folder)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    target = c.archive(kind)
    write_outputs({target: archive}, replace=False)
    return target, len(files)


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def _records(c: Candidate) -> dict[str, str | bytes]:
    """Every file of the release besides the documentation set and the manifest."""
    from medtrace.render import Summary, render_diagnostics
    from medtrace.render.matrix import FORMATS
    from medtrace.soup.export import sbom_json
    from medtrace.tracing.matrix import matrix_of
    from medtrace.vcs.snapshot import snapshot_of_traced

    project = c.traced.project
    config = project.config
    snapshot = snapshot_of_traced(c.traced, f"release {c.version}", c.state.commit)
    summary = Summary(
        config.project.name,
        config.project.safety_class,
        c.result.items,
        c.result.files,
        statuses=tuple(sorted(c.result.statuses.items())),
    )
    name, version = config.project.name, c.version
    return {
        "release.json": _json(_about(c)),
        "snapshot.json": snapshot.to_json(),
        "trace/matrix.json": FORMATS["json"].render(matrix_of(c.traced)),
        "check.json": render_diagnostics("json", c.result.diagnostics, summary) + "\n",
        "sbom.cdx.json": sbom_json(project.model, name, version),
    }


def _about(c: Candidate) -> dict[str, object]:
    config = c.traced.project.config
    return {
        "project": config.project.name,
        "class": config.project.safety_class,
        "version": c.version,
        "commit": c.state.commit,
        "tag": c.state.tag,
        "branch": c.state.branch,
        "date": commit_date(c.root, "HEAD"),
        "medtrace": __version__,
        "results": sorted(c.traced.results.files),
    }


def _json(data: object) -> str:
    return json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


# @implements SRS-279
def _document_set(traced: Traced, out: Path) -> None:
    """Write the documentation set of the release into the folder ``out``: the traceability
    matrix (HTML, Excel), the risk table and heat maps, and the SOUP report when the project
    names lockfiles, SBOMs or audits. (The documentation site replaces this body.)"""
    from medtrace.checks.risk import analysis_of
    from medtrace.fsutil import write_outputs
    from medtrace.render.matrix import FORMATS as MATRIX
    from medtrace.render.risks import FORMATS as RISKS
    from medtrace.render.risks import Report
    from medtrace.tracing.matrix import matrix_of

    project = traced.project
    config = project.config
    matrix = matrix_of(traced)
    report = Report.of(config.project.name, analysis_of(config, project.model, traced.trace))
    files: dict[Path, str | bytes] = {
        out / "matrix.html": MATRIX["html"].render(matrix),
        out / "matrix.xlsx": MATRIX["xlsx"].render(matrix),
        out / "risks.md": RISKS["markdown"].render(report),
        out / "risks.xlsx": RISKS["xlsx"].render(report),
    }
    split = RISKS["svg"].split
    if split is not None:
        files.update({out / name: svg for name, svg in split(report).items()})
    soup = _soup_report(traced)
    if soup is not None:
        files[out / "soup.md"] = soup
    write_outputs(files)


def _soup_report(traced: Traced) -> str | None:
    config = traced.project.config
    paths = config.paths
    if not any((paths.lockfiles, paths.sbom, paths.audit)):
        return None
    from medtrace.soup.drift import compare
    from medtrace.soup.load import load_inputs
    from medtrace.soup.report import FORMATS, as_data

    inputs = load_inputs(config)
    soup = config.soup
    report = compare(
        traced.project.model, inputs.locks, inputs.advisories, dev=soup.dev, ignore=soup.ignore
    )
    return FORMATS["markdown"](as_data(report, inputs))


def _listing(folder: Path) -> list[str]:
    """Every file under ``folder`` (POSIX, sorted); a link or a special file is an error."""
    out = []
    for path in sorted(folder.rglob("*")):
        if path.is_symlink() or not (path.is_file() or path.is_dir()):
            raise UsageError(f"{path}: not a regular file; a release holds regular files only")
        if path.is_file():
            out.append(path.relative_to(folder).as_posix())
    return sorted(out)


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _manifest(c: Candidate, folder: Path, files: list[str]) -> str:
    entries = {
        rel: {"sha256": _sha256(folder / rel), "bytes": (folder / rel).stat().st_size}
        for rel in files
    }
    about = {"version": c.version, "commit": c.state.commit, "tag": c.state.tag}
    return _json(
        {"medtrace": __version__, "release": about, "algorithm": "sha256", "files": entries}
    )


def _archive(folder: Path, name: str, kind: str) -> bytes:
    """The folder as ``name/...`` in a deterministic archive: sorted entries, fixed times."""
    files = {f"{name}/{rel}": (folder / rel).read_bytes() for rel in _listing(folder)}
    return _zip(files) if kind == "zip" else _tar_gz(files)


def _zip(files: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in files.items():
            entry = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
            entry.external_attr = 0o644 << 16
            entry.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(entry, data)
    return buffer.getvalue()


def _tar_gz(files: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with (
        gzip.GzipFile(fileobj=buffer, mode="wb", mtime=0) as gz,
        tarfile.open(fileobj=gz, mode="w", format=tarfile.PAX_FORMAT) as archive,
    ):
        for name, data in files.items():
            info = tarfile.TarInfo(name)
            info.size, info.mtime, info.mode = len(data), FIXED_MTIME, 0o644
            info.uid = info.gid = 0
            info.uname = info.gname = ""
            archive.addfile(info, io.BytesIO(data))
    return buffer.getvalue()


_LINK = "a symbolic link"
_SPECIAL = "not a regular file"


# @implements SRS-281
def verify_release(path: Path) -> tuple[list[Diagnostic], int]:
    """Every difference between a release (its folder, or its archive) and the manifest it
    holds: a file changed, missing, added or not a regular file; and the number of files the
    manifest lists."""
    expected_manifest = "a manifest.json written by medtrace release"
    try:
        manifest, digests = _archive_digests(path) if path.is_file() else _folder_digests(path)
        data = json.loads(manifest)
        expected = {str(rel): str(entry["sha256"]) for rel, entry in data["files"].items()}
    except OSError as exc:
        problem = f"{MANIFEST} cannot be read: {exc.strerror or exc}"
        return [_tampered(path, problem, expected_manifest)], 0
    except (tarfile.TarError, zipfile.BadZipFile, EOFError) as exc:
        return [_tampered(path, f"the archive cannot be read: {exc}", expected_manifest)], 0
    except (ValueError, TypeError, KeyError, AttributeError):
        return [_tampered(path, f"{MANIFEST} is not a release manifest", expected_manifest)], 0
    found = [
        _tampered(path, problem, wanted, rel)
        for rel in sorted(set(expected) | set(digests))
        for problem, wanted in _difference(rel, expected.get(rel), digests.get(rel))
    ]
    return found, len(expected)


def _difference(rel: str, expected: str | None, digest: str | None) -> list[tuple[str, str]]:
    if digest is None:
        return [(f"{rel} is missing", "every file the manifest lists")]
    if expected is None:
        return [(f"{rel} was added", "only the files the manifest lists")]
    if digest in (_LINK, _SPECIAL):
        return [(f"{rel} is {digest}", "a regular file")]
    if digest != expected:
        return [(f"{rel} was changed: its SHA-256 differs", "the SHA-256 of the manifest")]
    return []


def _folder_digests(folder: Path) -> tuple[bytes, dict[str, str]]:
    """The manifest of a release folder, and every other entry's SHA-256 (or what it is)."""
    manifest = (folder / MANIFEST).read_bytes()
    out = {}
    for path in folder.rglob("*"):
        rel = path.relative_to(folder).as_posix()
        if path.is_symlink():
            out[rel] = _LINK
        elif path.is_file():
            out[rel] = _sha256(path)
        elif not path.is_dir():
            out[rel] = _SPECIAL
    out.pop(MANIFEST, None)
    return manifest, out


def _archive_digests(archive: Path) -> tuple[bytes, dict[str, str]]:
    """The same for an archive (``.tar.gz`` or ``.zip``) holding one ``release-*/`` folder."""
    entries: dict[str, bytes | None] = {}
    if zipfile.is_zipfile(archive):
        with zipfile.ZipFile(archive) as z:
            for info in z.infolist():
                if not info.is_dir():
                    entries[info.filename] = z.read(info)
    else:
        with tarfile.open(archive) as t:
            for member in t.getmembers():
                if member.isfile():
                    f = t.extractfile(member)
                    entries[member.name] = f.read() if f is not None else None
                elif not member.isdir():
                    entries[member.name] = None
    inside = {name.partition("/")[2] or name: data for name, data in entries.items()}
    manifest = inside.pop(MANIFEST, None)
    if manifest is None:
        raise FileNotFoundError(f"no {MANIFEST} in {archive.name}")
    out = {
        rel: _SPECIAL if data is None else hashlib.sha256(data).hexdigest()
        for rel, data in inside.items()
    }
    return manifest, out


def _tampered(where: Path, found: str, expected: str, rel: str = MANIFEST) -> Diagnostic:
    return RELEASE_TAMPERED(
        found,
        expected=expected,
        hint="restore the release from its archive or from where it was filed; a release record "
        "is never edited",
        path=(where / rel).as_posix(),
    )
