"""One item's trace, for ``medtrace show``: the code that implements it, its tests with their
latest results, its manual test cases and its status, as data and as text.

The data comes from :mod:`medtrace.tracing` (the same :class:`ItemTrace` the matrix shows) and
the status computed once when the trace was built (:mod:`medtrace.tracing.status`), so ``show``,
``matrix`` and ``check`` never disagree.
"""

from __future__ import annotations

from typing import Any

from medtrace.render.escaping import visible
from medtrace.tracing import ItemTrace
from medtrace.tracing.matrix import outcome_value

__all__ = ["trace_doc", "trace_lines"]


# @implements SRS-79
def trace_doc(entry: ItemTrace, status: str | None) -> dict[str, Any]:
    """The trace of one item as plain data (the ``trace`` of ``show --json``)."""
    return {
        "status": status,
        "missing": list(entry.missing),
        "code": [
            {
                "path": c.path,
                "line": c.line,
                "symbol": c.symbol,
                "symbol_line": c.symbol_line,
                "language": c.language,
            }
            for c in entry.code
        ],
        "tests": [_test(t) for t in entry.tests],
        "manual": [
            {
                "id": m.id,
                "title": m.title,
                "result": str(m.get("result") or "not-run"),
                "stale": entry.manual_stale.get(m.id),
            }
            for m in entry.manual
        ],
    }


def _test(test: Any) -> dict[str, Any]:
    return {
        "key": test.key,
        "name": test.name,
        "path": test.path,
        "line": test.line,
        "outcome": outcome_value(test),
        "results": [
            {
                "outcome": r.outcome.value,
                "message": r.message,
                "time": r.time,
                "source": r.source,
                "source_line": r.source_line,
            }
            for r in test.results
        ],
    }


def trace_lines(doc: dict[str, Any]) -> list[str]:
    """The trace as plain text lines (control characters escaped)."""
    lines = ["trace", f"  status: {doc['status'] or 'none'}"]
    lines += [f"    {m}" for m in doc.get("missing", [])]
    lines += _section("code", [_code(c) for c in doc["code"]])
    lines += _section("tests", [_test_line(t) for t in doc["tests"]])
    lines += _section("manual tests", [_manual_line(m) for m in doc["manual"]])
    return [visible(line) for line in lines]


def _manual_line(m: dict[str, Any]) -> str:
    stale = f" (stale: {m['stale']})" if m.get("stale") else ""
    return f"{m['id']} {m['title']}: {m['result']}{stale}"


def _section(title: str, rows: list[str]) -> list[str]:
    return [f"  {title}: none"] if not rows else [f"  {title}:", *(f"    {r}" for r in rows)]


def _code(c: dict[str, Any]) -> str:
    where = f"{c['path']}:{c['symbol_line'] or c['line']}"
    return f"{where} {c['symbol']}" if c["symbol"] else where


def _test_line(t: dict[str, Any]) -> str:
    where = f"{t['path']}:{t['line']} {t['name']}" if t["path"] else t["name"]
    outcome = t["outcome"] or "no result"
    failed = [
        r["message"] for r in t["results"] if r["outcome"] in ("failed", "error") and r["message"]
    ]
    return f"{where}: {outcome}" + (f" ({failed[0]})" if failed else "")
