"""medtrace: IEC 62304 evidence as code.

The public API is small; everything else is internal and may change::

    import medtrace

    result = medtrace.check(Path("."))          # load, link, trace, run the rules
    for d in result.diagnostics:                # medtrace.Diagnostic
        print(d.location, d.code, d.message)

    traced = medtrace.trace_project(Path("."))  # the model joined with code, tests, results

Errors are :class:`MedtraceError` (see :mod:`medtrace.errors` for the tree). Names are imported
on first use, so ``import medtrace`` stays cheap.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from medtrace.lazy import lazy_attributes

__version__ = "0.1.0"

if TYPE_CHECKING:
    from medtrace.diagnostics import Diagnostic, Severity
    from medtrace.errors import ConfigError, ExitCode, ItemNotFound, MedtraceError, UsageError
    from medtrace.model import Item, Model
    from medtrace.pipeline import (
        CheckResult,
        Project,
        Traced,
        check,
        load_project,
        trace_project,
    )

__all__ = [
    "CheckResult",
    "ConfigError",
    "Diagnostic",
    "ExitCode",
    "Item",
    "ItemNotFound",
    "MedtraceError",
    "Model",
    "Project",
    "Severity",
    "Traced",
    "UsageError",
    "__version__",
    "check",
    "load_project",
    "trace_project",
]

_HOME = {
    "CheckResult": "medtrace.pipeline",
    "Project": "medtrace.pipeline",
    "Traced": "medtrace.pipeline",
    "check": "medtrace.pipeline",
    "load_project": "medtrace.pipeline",
    "trace_project": "medtrace.pipeline",
    "Diagnostic": "medtrace.diagnostics",
    "Severity": "medtrace.diagnostics",
    "ConfigError": "medtrace.errors",
    "ExitCode": "medtrace.errors",
    "ItemNotFound": "medtrace.errors",
    "MedtraceError": "medtrace.errors",
    "UsageError": "medtrace.errors",
    "Item": "medtrace.model",
    "Model": "medtrace.model",
}


__getattr__ = lazy_attributes(__name__, _HOME)


def __dir__() -> list[str]:
    return sorted(__all__)
