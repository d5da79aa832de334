"""What ``adopt`` shows: text grouped by file with a count summary, JSON, or a unified diff.

Functions here return text; the command prints it.
"""

from __future__ import annotations

import json
from typing import Any

from medtrace.adopt.edits import unified_diff
from medtrace.adopt.model import Adoption, FilePlan, Proposal
from medtrace.diagnostics import Diagnostic

__all__ = ["diff", "json_report", "summary", "text_report"]


def _plural(n: int, word: str, words: str = "") -> str:
    return f"{n} {word if n == 1 else (words or word + 's')}"


def _owner(proposal: Proposal) -> str:
    if proposal.symbol is None:
        return "the file"
    return f"{proposal.symbol} (line {proposal.symbol_line})"


# @implements SRS-81
def text_report(adoption: Adoption, tags: bool = True) -> str:
    """Each file's tags to add (the line as it is, then the tag and its owner; left out unless
    ``tags``), then the unknown IDs, the mentions not converted, the files not read, and the
    summary."""
    out: list[str] = []
    for plan in adoption.files:
        if plan.proposals and tags:
            out += _file_block(plan)
    out += _unknown(adoption) + _refused(adoption) + _not_read(adoption.diagnostics)
    out.append(summary(adoption))
    return "\n".join(out)


def _unknown(adoption: Adoption) -> list[str]:
    if not adoption.unknown:
        return []
    out = ["Unknown IDs, not converted:"]
    for u in adoption.unknown:
        close = f"  (did you mean {u.closest}?)" if u.closest else ""
        out.append(f"  {u.path}:{u.line}: {u.id}{close}  {u.text}")
    return [*out, ""]


def _refused(adoption: Adoption) -> list[str]:
    reasons: dict[str, list[str]] = {}
    for r in adoption.refused:
        reasons.setdefault(r.reason, []).append(f"  {r.path}:{r.line}: {', '.join(r.ids)}")
    out: list[str] = []
    for reason, rows in reasons.items():
        out += [f"Not converted, {reason}:", *rows, ""]
    return out


#: Past this many files skipped for the same reason, the text report names a few and counts.
_FEW = 5


def _not_read(diagnostics: list[Diagnostic]) -> list[str]:
    """Each file not read; many skipped for one reason (files of no known language in the
    globs) are counted, with the first few named (the JSON report lists them all)."""
    if not diagnostics:
        return []
    groups: dict[str, list[Diagnostic]] = {}
    for d in diagnostics:
        groups.setdefault(f"{d.code}\0{d.found}" if d.code == "MT109" else str(id(d)), []).append(d)
    out = ["Not read:"]
    for group in groups.values():
        if len(group) <= _FEW:
            out += [f"  {_diagnostic(d)}" for d in group]
            continue
        first = group[0]
        named = ", ".join(d.path for d in group[:_FEW])
        out.append(
            f"  {len(group)} files: {first.severity.value} {first.code} {first.rule}: "
            f"{first.found} ({named} and {len(group) - _FEW} more)"
        )
    return [*out, ""]


def _file_block(plan: FilePlan) -> list[str]:
    width = len(str(max(p.line for p in plan.proposals)))
    lines = [plan.path]
    for p in plan.proposals:
        lines.append(f"  {p.line:>{width}}  {p.before.strip()}")
        lines.append(f"  {'':>{width}}  + {p.tag}  on {_owner(p)}")
    lines.append("")
    return lines


def _diagnostic(d: Diagnostic) -> str:
    return f"{d.location}: {d.severity.value} {d.code} {d.rule}: {d.message}"


def summary(adoption: Adoption) -> str:
    """One line of counts."""
    proposals = adoption.proposals
    mentions = sum(len(p.ids) for p in proposals)
    changed = len({p.path for p in proposals})
    if proposals:
        head = (
            f"{_plural(len(proposals), 'tag')} to add for {_plural(mentions, 'mention')} "
            f"in {_plural(changed, 'file')}"
        )
    else:
        head = "Nothing to adopt"
    parts = [head]
    if adoption.unknown:
        parts.append(f"{_plural(len(adoption.unknown), 'unknown ID')} not converted")
    if adoption.refused:
        parts.append(f"{_plural(len(adoption.refused), 'line')} not converted")
    if adoption.already:
        parts.append(f"{_plural(adoption.already, 'mention')} already tagged")
    kinds = ", ".join(adoption.kinds) or "none"
    return f"{'; '.join(parts)} ({_plural(adoption.read, 'file')} read; kinds: {kinds})"


def diff(adoption: Adoption) -> str:
    """The unified diff of every file that would change."""
    return "".join(
        unified_diff(plan.path, plan.text_before, plan.text_after) for plan in adoption.changed
    )


def json_report(adoption: Adoption, written: bool = False) -> str:
    """The whole adoption as JSON (``written``: whether the tags were written)."""
    proposals = adoption.proposals
    data = {
        "version": 1,
        "written": written,
        "files": [_file_json(plan) for plan in adoption.files],
        "not_read": [_diagnostic_json(d) for d in adoption.diagnostics],
        "summary": {
            "files_read": adoption.read,
            "files_to_change": len(adoption.changed),
            "tags": len(proposals),
            "mentions": sum(len(p.ids) for p in proposals),
            "unknown": len(adoption.unknown),
            "not_converted": len(adoption.refused),
            "already_tagged": adoption.already,
            "kinds": list(adoption.kinds),
        },
    }
    return json.dumps(data, indent=2, ensure_ascii=False)


def _file_json(plan: FilePlan) -> dict[str, Any]:
    return {
        "path": plan.path,
        "language": plan.language,
        "test_file": plan.is_test,
        "tags": [
            {
                "line": p.line,
                "verb": p.verb,
                "ids": list(p.ids),
                "symbol": p.symbol,
                "symbol_line": p.symbol_line,
                "before": p.before,
                "after": p.after,
            }
            for p in plan.proposals
        ],
        "unknown": [
            {"line": u.line, "id": u.id, "closest": u.closest, "text": u.text} for u in plan.unknown
        ],
        "not_converted": [
            {"line": r.line, "ids": list(r.ids), "reason": r.reason} for r in plan.refused
        ],
        "already_tagged": plan.already,
    }


def _diagnostic_json(d: Diagnostic) -> dict[str, Any]:
    return {
        "code": d.code,
        "rule": d.rule,
        "severity": d.severity.value,
        "path": d.path,
        "line": d.line,
        "message": d.message,
        "hint": d.hint,
    }
