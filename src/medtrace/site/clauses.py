"""The clauses of IEC 62304:2006+A1:2015 that the documentation set gives evidence for, with
the software safety classes each applies to (the standard's Table A.1, by clause), the page
that holds its evidence and the probe that tells whether the project has any.

Data only: :mod:`medtrace.site.pages.clauses` runs the probes and renders the map.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["CLAUSES", "Clause", "applicable"]


@dataclass(frozen=True)
class Clause:
    number: str
    title: str
    classes: str  # the classes it applies to, e.g. "BC"
    page: str  # the page (relative to the site root) where its evidence is
    probe: str  # the name of the check that tells whether evidence exists
    evidence: str  # what the evidence is, in words


CLAUSES: tuple[Clause, ...] = (
    Clause(
        "5.1",
        "Software development planning",
        "ABC",
        "index.html",
        "config",
        "The configuration: safety class, item locations, rules and their severities. The "
        "development plan itself is a document of its own.",
    ),
    Clause(
        "5.2",
        "Software requirements analysis",
        "ABC",
        "documents.html",
        "requirements",
        "Software requirements by document, each traced to its system requirement.",
    ),
    Clause(
        "5.2.3",
        "Risk control measures in software requirements",
        "BC",
        "risks.html",
        "controls",
        "Requirements that are risk control measures (their controls field).",
    ),
    Clause(
        "5.3",
        "Software architectural design",
        "BC",
        "architecture.html",
        "architecture",
        "The architecture model: software items, their class, interfaces and flows.",
    ),
    Clause(
        "5.3.5",
        "Segregation needed for risk control",
        "C",
        "architecture.html",
        "segregation",
        "Segregation rationale of items with a lower class than the system.",
    ),
    Clause(
        "5.4",
        "Software detailed design",
        "BC",
        "architecture.html#interfaces",
        "interfaces",
        "Interfaces of the software items and units (5.4.2, 5.4.3: class C).",
    ),
    Clause(
        "5.5",
        "Software unit implementation and verification",
        "ABC",
        "tests.html",
        "units",
        "Code tagged with the requirements it implements; unit tests and results.",
    ),
    Clause(
        "5.6",
        "Software integration and integration testing",
        "BC",
        "tests.html",
        "integration",
        "Tests at the integration level and their results.",
    ),
    Clause(
        "5.7",
        "Software system testing",
        "ABC",
        "tests.html",
        "system",
        "System tests and manual test cases with their recorded results.",
    ),
    Clause(
        "5.8",
        "Software release",
        "ABC",
        "anomalies.html",
        "release",
        "The released version, the known residual anomalies and this stamped record.",
    ),
    Clause(
        "6",
        "Software maintenance process",
        "ABC",
        "anomalies.html",
        "anomalies",
        "Problem reports and each item's change history.",
    ),
    Clause(
        "7.1",
        "Analysis of software contributing to hazardous situations",
        "BC",
        "risks.html",
        "risks",
        "Risks with the software item and cause they come from.",
    ),
    Clause(
        "7.2",
        "Risk control measures",
        "BC",
        "risks.html",
        "controls",
        "The control measures of each risk, as requirements.",
    ),
    Clause(
        "7.3",
        "Verification of risk control measures",
        "BC",
        "risks.html",
        "verified_controls",
        "Each control's tests and latest results.",
    ),
    Clause(
        "7.4",
        "Risk management of software changes",
        "ABC",
        "anomalies.html",
        "history",
        "Each item's change history from git (the diff of its own text).",
    ),
    Clause(
        "8.1.2",
        "Identify SOUP",
        "ABC",
        "soup.html",
        "soup",
        "The SOUP list: title, manufacturer, version; held against the lockfiles.",
    ),
    Clause(
        "9",
        "Software problem resolution process",
        "ABC",
        "anomalies.html",
        "anomalies",
        "Problem reports (anomalies) with their evaluation and status.",
    ),
)


def applicable(safety_class: str) -> list[Clause]:
    """The clauses that apply to a software system of ``safety_class``."""
    return [c for c in CLAUSES if safety_class in c.classes]
