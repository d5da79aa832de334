"""Coverage and static-analysis reports as verification evidence (IEC 62304 5.5.4, class C).

::

    evidence = load_evidence(root, ["build/coverage/**"], ["build/analysis/*"])
    for path, file in evidence.coverage.items():
        print(path, file.figures.percent("lines"))
    for finding in evidence.findings:
        print(finding.path, finding.line, finding.level, finding.message)

:func:`load_evidence` finds the reports, picks the reader of each by its content (see
:mod:`medtrace.evidence.registry`: Cobertura XML, lcov, gcovr JSON, gcov JSON, SARIF 2.1.0,
GCC JSON diagnostics) and maps the file names in them to project files
(:mod:`medtrace.evidence.paths`). :func:`by_item` gives the figures per software item.

Diagnostics: ``MT140`` ``evidence-malformed`` (error) for a report that cannot be read, is of
no known format or is not well formed; ``MT141`` ``evidence-missing`` (warning) for a pattern
that matches no file; ``MT142`` ``evidence-unmapped`` (warning) for file names in a report
that map to no single project file. The rules on the evidence are in
:mod:`medtrace.checks.evidence`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from medtrace.evidence.codes import EVIDENCE_MALFORMED, EVIDENCE_MISSING, EVIDENCE_UNMAPPED
from medtrace.evidence.model import Evidence, Figures, FileCoverage, Finding, Report
from medtrace.lazy import lazy_attributes

if TYPE_CHECKING:
    from medtrace.evidence.loader import load_evidence
    from medtrace.evidence.summary import ItemEvidence, by_item

__all__ = [
    "EVIDENCE_MALFORMED",
    "EVIDENCE_MISSING",
    "EVIDENCE_UNMAPPED",
    "Evidence",
    "Figures",
    "FileCoverage",
    "Finding",
    "ItemEvidence",
    "Report",
    "by_item",
    "load_evidence",
]

# The readers (lxml among them) are imported on first use.
_LAZY = {
    "load_evidence": "medtrace.evidence.loader",
    "by_item": "medtrace.evidence.summary",
    "ItemEvidence": "medtrace.evidence.summary",
}

__getattr__ = lazy_attributes(__name__, _LAZY)
