"""A frozen release record (IEC 62304 5.8): one folder and one archive, with a manifest.

``make_release`` runs the checklist (a registry of named checks, each applying to the safety
classes ``[release] checks`` gives it), and only when every check passes writes
``release-VERSION/`` under ``[release] folder``: the documentation set, the snapshot of every
item, the trace with its results (the matrix as JSON), the SBOM, ``check``'s findings, the
commit and tag, and ``manifest.json`` with the SHA-256 of every other file; then the archive
``release-VERSION.tar.gz`` (or ``.zip``) of that folder, deterministic (sorted entries, fixed
times and owners). The folder is built under a temporary name beside its place and renamed into
place: an existing release is never overwritten, a failed run leaves nothing.

The checklist is :mod:`medtrace.vcs.checklist`; the manifest, the archive and
``verify_release`` are :mod:`medtrace.vcs.manifest`.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from medtrace import __version__
from medtrace.diagnostics import Diagnostic
from medtrace.errors import OutputError, UsageError
from medtrace.vcs.checklist import CHECKS, Candidate, ReleaseCheck, checklist, release_check
from medtrace.vcs.git import commit_date, repo_state
from medtrace.vcs.manifest import MANIFEST, archive_of, listing, manifest_of, verify_release

if TYPE_CHECKING:
    from medtrace.pipeline import Traced

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

_VERSION = re.compile(r"[A-Za-z0-9][A-Za-z0-9._+-]{0,99}")


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
        files = listing(staging)
        about = {"version": c.version, "commit": c.state.commit, "tag": c.state.tag}
        write_outputs({staging / MANIFEST: manifest_of(staging, files, about)})
        archive = archive_of(staging, f"release-{c.version}", kind)
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
    """Write the documentation set of the release into the folder ``out``: the site
    (``medtrace build``, stamped with the commit's time so that two releases of one commit are
    the same bytes) with its workbook, and beside it the traceability matrix (HTML, Excel), the
    risk table and heat maps, and the SOUP report when the project names lockfiles, SBOMs or
    audits, for readers who want one file each."""
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
    _site(traced, out / "site")


def _site(traced: Traced, out: Path) -> None:
    from datetime import UTC, datetime

    from medtrace.site.build import build_site
    from medtrace.vcs.git import commit_date

    root = traced.project.config.root
    when = commit_date(root, "HEAD")
    now = datetime.fromisoformat(when).astimezone(UTC) if when else None
    build_site(root, out, formats=("html", "xlsx"), now=now)


def _soup_report(traced: Traced) -> str | None:
    config = traced.project.config
    paths = config.paths
    if not any((paths.lockfiles, paths.sbom, paths.audit)):
        return None
    from medtrace.soup.load import compared
    from medtrace.soup.report import FORMATS, as_data

    inputs, report = compared(config, traced.project.model)
    return FORMATS["markdown"](as_data(report, inputs))
