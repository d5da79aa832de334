"""Find and read the project's lockfiles, SBOMs and vulnerability reports."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from medtrace.config import Config
from medtrace.diagnostics import Diagnostic
from medtrace.model import Model
from medtrace.soup.codes import SOUP_INPUT
from medtrace.soup.errors import BadInput
from medtrace.soup.files import input_files, input_problems
from medtrace.soup.model import Advisory, Lock

if TYPE_CHECKING:
    from medtrace.soup.drift import Report
    from medtrace.soup.registry import AuditReader, LockRead

__all__ = ["Inputs", "compared", "input_files", "load_inputs", "read_audit", "read_path"]


@dataclass
class Inputs:
    """Everything read: locks (lockfiles and SBOMs), advisories, and what could not be read."""

    locks: list[Lock] = field(default_factory=list)
    advisories: list[Advisory] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)

    @property
    def all_diagnostics(self) -> list[Diagnostic]:
        return [*self.diagnostics, *(d for lock in self.locks for d in lock.diagnostics)]


def _text(root: Path, rel: str, limit: int) -> str:
    path = root / rel
    if path.stat().st_size > limit:
        raise BadInput(f"the file is larger than {limit} bytes", expected="[limits] max_file_bytes")
    try:
        return path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        raise BadInput(f"not UTF-8 text ({exc.reason})", expected="UTF-8") from None


# @implements SRS-330
def _readers() -> tuple[LockRead, dict[str, AuditReader]]:
    """The registered readers: imported when there is a file to read, not before (``packaging``
    and the parsers are a tenth of a check's start-up, in a project without lockfiles)."""
    from medtrace.soup import audit, javascript, python, sbom  # noqa: F401  (they register)
    from medtrace.soup.registry import AUDITS, read_lock

    return read_lock, AUDITS


def read_path(root: Path, rel: str, limit: int = 50_000_000) -> Lock:
    """Read one lockfile or SBOM; a problem becomes the lock's diagnostic."""
    from medtrace.soup.manifests import apply_manifest
    from medtrace.soup.registry import bad

    read_lock, _ = _readers()

    try:
        text = _text(root, rel, limit)
    except (OSError, BadInput) as exc:
        return bad(rel, f"cannot read {rel}: {exc}", expected="a readable UTF-8 file")
    return apply_manifest(read_lock(text, rel), root)


def read_audit(
    root: Path, rel: str, limit: int = 50_000_000
) -> tuple[list[Advisory], list[Diagnostic]]:
    """Read one scanner report: its advisories, or a located diagnostic."""
    _, audits = _readers()
    try:
        data = json.loads(_text(root, rel, limit))
        for found in audits.values():
            if found.sniff(data):
                return found.read(data, rel), []
        raise BadInput(
            "not a pip-audit, npm audit or OSV-Scanner JSON report",
            expected="the JSON output of one of " + ", ".join(sorted(audits)),
        )
    except json.JSONDecodeError as exc:
        problem = (f"not valid JSON ({exc.msg})", "a JSON report", exc.lineno)
    except BadInput as exc:
        problem = (str(exc), exc.expected, exc.line)
    except OSError as exc:
        problem = (f"cannot read {rel}: {exc.strerror}", "a readable file", 0)
    except (KeyError, TypeError, ValueError, AttributeError, AssertionError) as exc:
        problem = (
            f"unexpected structure ({type(exc).__name__}: {exc})",
            "a report as the scanner writes it",
            0,
        )
    found_, expected, line = problem
    return [], [
        SOUP_INPUT(
            f"vulnerability report: {found_}",
            expected=expected,
            hint="write the report again with the scanner's JSON output, or remove it from [paths] audit",
            path=rel,
            line=line,
        )
    ]


# @implements SRS-130
def load_inputs(config: Config) -> Inputs:
    """Read every configured lockfile, SBOM and vulnerability report; never raises on content."""
    files, problems = input_problems(config)
    limit = config.limits.max_file_bytes * 10
    out = Inputs(diagnostics=problems)
    for rel in [*files["lockfiles"], *files["sbom"]]:
        out.locks.append(read_path(config.root, rel, limit))
    for rel in files["audit"]:
        advisories, problems = read_audit(config.root, rel, limit)
        out.advisories += advisories
        out.diagnostics += problems
    return out


def compared(config: Config, model: Model) -> tuple[Inputs, Report]:
    """The configured SOUP inputs, and the SOUP list of ``model`` held against them with the
    project's ``[soup]`` settings (development packages, ignored names)."""
    from medtrace.soup.drift import compare

    inputs = load_inputs(config)
    soup = config.soup
    report = compare(model, inputs.locks, inputs.advisories, dev=soup.dev, ignore=soup.ignore)
    return inputs, report
