"""Coverage and findings per software item: the files each item owns (by its ``paths``
globs, as the trace maps code files), their figures, and the items' rolled-up totals."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from medtrace.evidence.model import Evidence, Figures, Finding

__all__ = ["ItemEvidence", "by_item"]


@dataclass(slots=True)
class ItemEvidence:
    """The evidence of one software item.

    ``files`` are the measured files it owns itself (the most specific item whose ``paths``
    match a file owns it); ``unmeasured`` the code files it owns that no coverage report
    measures; ``own`` the figures of its own files, ``total`` with its descendants' too, and
    ``measured`` the number of measured files in both.
    """

    item: str
    files: list[str] = field(default_factory=list)
    unmeasured: list[str] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    own: Figures = field(default_factory=Figures)
    total: Figures = field(default_factory=Figures)
    #: how many measured files the item and its descendants own
    measured: int = 0

    @property
    def owns_code(self) -> bool:
        return bool(self.files or self.unmeasured)


def by_item(
    evidence: Evidence,
    owners: Mapping[str, str | None],
    parents: Mapping[str, str | None],
    sources: Iterable[str] = (),
) -> dict[str, ItemEvidence]:
    """Each software item of ``parents`` (item → parent item) with its evidence.

    ``owners`` gives the item owning each file (of the reports and of ``sources``, the code
    files that coverage should measure).
    """
    out = {item: ItemEvidence(item) for item in parents}
    for path, file in sorted(evidence.coverage.items()):
        entry = out.get(owners.get(path) or "")
        if entry is not None:
            entry.files.append(path)
            entry.own = entry.own + file.figures
    for path in sorted(set(sources) - set(evidence.coverage)):
        entry = out.get(owners.get(path) or "")
        if entry is not None:
            entry.unmeasured.append(path)
    for finding in evidence.findings:
        entry = out.get(owners.get(finding.path) or "")
        if entry is not None:
            entry.findings.append(finding)
    for item, entry in out.items():
        entry.total = entry.total + entry.own
        entry.measured += len(entry.files)
        for ancestor in _ancestors(item, parents):
            if ancestor in out:
                out[ancestor].total = out[ancestor].total + entry.own
                out[ancestor].measured += len(entry.files)
    return out


def _ancestors(item: str, parents: Mapping[str, str | None]) -> list[str]:
    found: list[str] = []
    parent = parents.get(item)
    while parent is not None and parent not in found and parent != item:
        found.append(parent)
        parent = parents.get(parent)
    return found
