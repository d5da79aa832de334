"""Everything the pages are made from, gathered once by :func:`medtrace.site.build.build_site`:
plain data, so that every page is a function of it."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from medtrace.site.stamp import Stamp
from medtrace.vcs.history import Histories

if TYPE_CHECKING:
    from medtrace.config import Config
    from medtrace.diagnostics import Diagnostic
    from medtrace.model import Model
    from medtrace.render.risks import Report
    from medtrace.results import ResultSet
    from medtrace.review.lock import Review
    from medtrace.soup.drift import Report as SoupReport
    from medtrace.tracing import Trace
    from medtrace.tracing.matrix import Matrix

__all__ = ["SiteData"]


@dataclass
class SiteData:
    config: Config
    model: Model
    trace: Trace
    results: ResultSet
    findings: list[Diagnostic]
    matrix: Matrix
    stamp: Stamp
    risks: Report | None = None
    #: the SOUP list against the lockfiles: as data for the page, and the report it came from
    soup: dict[str, Any] | None = None
    soup_report: SoupReport | None = None
    soup_note: str = ""
    architecture_svg: str = ""
    architecture_note: str = ""
    interfaces_html: str = ""
    history: Histories = field(default_factory=Histories)
    #: exports written beside the pages: label → file name (``Excel workbook`` → ``x.xlsx``)
    exports: dict[str, str] = field(default_factory=dict)
    #: item ID → its approvals in the lock file, oldest first (``medtrace approve``)
    approvals: dict[str, list[Review]] = field(default_factory=dict)
    #: test key → the test report page that holds its row (from the site root)
    test_pages: dict[str, str] = field(default_factory=dict)

    def title_of(self, kind: str) -> str:
        spec = self.config.kinds.get(kind)
        return (spec.title if spec and spec.title else kind.replace("-", " ")).capitalize()
