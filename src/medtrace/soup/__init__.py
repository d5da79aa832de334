"""SOUP held against the project's real lockfiles, SBOMs and vulnerability reports.

One reader per format registers by name in :mod:`medtrace.soup.registry`; :func:`load_inputs`
reads what ``[paths] lockfiles``, ``sbom`` and ``audit`` name; :func:`compare` matches the SOUP
items to the locked packages. Finding the input files (:func:`input_files`) is light; the
readers (TOML, JSON, YAML, ``packaging``) are imported on first use, so that a check answered
from the cache does not load them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from medtrace.lazy import lazy_attributes
from medtrace.soup.files import input_files
from medtrace.soup.model import Advisory, Lock, Package, normalise

if TYPE_CHECKING:
    from medtrace.soup.drift import Report, compare
    from medtrace.soup.load import Inputs, compared, load_inputs, read_audit, read_path

__all__ = [
    "Advisory",
    "Inputs",
    "Lock",
    "Package",
    "Report",
    "compare",
    "compared",
    "input_files",
    "load_inputs",
    "normalise",
    "read_audit",
    "read_path",
]

_LAZY = {
    "Report": "medtrace.soup.drift",
    "compare": "medtrace.soup.drift",
    "Inputs": "medtrace.soup.load",
    "compared": "medtrace.soup.load",
    "load_inputs": "medtrace.soup.load",
    "read_audit": "medtrace.soup.load",
    "read_path": "medtrace.soup.load",
}

__getattr__ = lazy_attributes(__name__, _LAZY)
