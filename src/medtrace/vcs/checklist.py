"""The release checklist (IEC 62304 5.8): named checks, each a reason to refuse a release.

A check is a function of the :class:`Candidate` (the version, the work tree, ``check``'s result
and the trace) yielding a diagnostic for each reason the release must not be made, registered
by name with :func:`release_check`; ``[release] checks`` restricts a check to some safety
classes. Adding a check is one decorated function here.
"""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from medtrace.diagnostics import Diagnostic, Severity
from medtrace.errors import UsageError
from medtrace.registry import registrar
from medtrace.vcs.codes import RELEASE_REFUSED
from medtrace.vcs.git import RepoState, changed_paths, tag_target

if TYPE_CHECKING:
    from medtrace.checks.context import Context
    from medtrace.pipeline import CheckResult, Traced

__all__ = ["CHECKS", "Candidate", "ReleaseCheck", "checklist", "release_check"]


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

    return registrar(CHECKS, name, lambda func: ReleaseCheck(name, summary, func))


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
    from medtrace.checks.release import anomaly_unevaluated

    for found in anomaly_unevaluated(_context(c)):  # a warning in check, a reason to refuse here
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


def _context(c: Candidate) -> Context:
    """What a rule of ``check`` reads, for the candidate's project and trace."""
    from medtrace.checks.context import Context
    from medtrace.loading import Locator

    project = c.traced.project
    ctx = Context(project.config, project.model, Locator(project.config.root))
    ctx.extras["trace"] = c.traced.trace
    return ctx


def checklist(cls: str, configured: Mapping[str, list[str]]) -> list[ReleaseCheck]:
    """The checks that apply to class ``cls``; :class:`UsageError` for an unknown name."""
    unknown = sorted(set(configured) - set(CHECKS))
    if unknown:
        known = ", ".join(sorted(CHECKS))
        raise UsageError(f"[release] checks: unknown check {', '.join(unknown)}; known: {known}")
    return [c for name, c in CHECKS.items() if cls in configured.get(name, ["A", "B", "C"])]


# @implements SRS-250
@release_check("approved", "every item of a class that needs approval is approved as it is now")
def _approved(c: Candidate) -> Iterator[Diagnostic]:
    from medtrace.checks.review import needs_approval
    from medtrace.review.approval import APPROVED

    ctx = _context(c)
    waiting = [(item, state) for item, state in needs_approval(ctx) if state != APPROVED]
    if waiting:
        shown = ", ".join(f"{item.id} ({state})" for item, state in waiting[:8])
        more = f" and {len(waiting) - 8} more" if len(waiting) > 8 else ""
        yield _refused(
            f"{len(waiting)} item{'s' if len(waiting) != 1 else ''} not approved as "
            f"{'they are' if len(waiting) != 1 else 'it is'} now: {shown}{more}",
            "an approval of the current content of every item whose class needs one "
            "([review] approval)",
            "review the changes, then run 'medtrace approve ID...'",
        )
