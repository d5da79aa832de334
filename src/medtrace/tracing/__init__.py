"""Traceability: items joined with code, tests and test results."""

from medtrace.tracing.build import TRACED_KINDS, build_trace, map_files, test_ref_keys
from medtrace.tracing.model import CodeRef, ItemTrace, Status, TestRef, Trace

__all__ = [
    "TRACED_KINDS",
    "CodeRef",
    "ItemTrace",
    "Status",
    "TestRef",
    "Trace",
    "build_trace",
    "map_files",
    "test_ref_keys",
]
