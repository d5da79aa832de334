"""SOUP held against the project's real lockfiles, SBOMs and vulnerability reports.

One reader per format registers by name in :mod:`medtrace.soup.registry`; :func:`load_inputs`
reads what ``[paths] lockfiles``, ``sbom`` and ``audit`` name; :func:`compare` matches the SOUP
items to the locked packages.
"""

from medtrace.soup.compare import Report, compare
from medtrace.soup.load import Inputs, load_inputs, read_audit, read_path
from medtrace.soup.model import Advisory, Lock, Package, normalise

__all__ = [
    "Advisory",
    "Inputs",
    "Lock",
    "Package",
    "Report",
    "compare",
    "load_inputs",
    "normalise",
    "read_audit",
    "read_path",
]
