"""``medtrace soup`` output: the drift report as text, JSON or Markdown."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from medtrace.soup.drift import Report
from medtrace.soup.load import Inputs

__all__ = ["FORMATS", "as_data"]


def as_data(report: Report, inputs: Inputs) -> dict[str, Any]:
    """The report as plain data (the JSON format, and the source of the others)."""
    return {
        "inputs": [
            {"path": lock.path, "format": lock.format, "packages": len(lock.packages)}
            for lock in inputs.locks
        ],
        "problems": [
            {"code": d.code, "rule": d.rule, "path": d.path, "line": d.line, "message": d.message}
            for d in inputs.all_diagnostics
        ],
        "packages": report.packages,
        "dev_left_out": report.dev_left_out,
        "matched": [
            {"soup": e.item.id, "version": e.version, "locked": sorted({p.version for p in ps})}
            for e, ps in report.matched
        ],
        "unlisted": [
            {
                "name": u.package.name,
                "version": u.package.version,
                "ecosystem": u.package.ecosystem,
                "direct": u.package.direct,
                "via": list(u.via),
                "path": u.package.source,
                "line": u.package.line,
            }
            for u in report.unlisted
        ],
        "mismatched": [
            {
                "soup": m.entry.item.id,
                "version": m.entry.version,
                "locked": sorted({p.version for p in m.locked}),
            }
            for m in report.mismatched
        ],
        "unused": [
            {"soup": e.item.id, "name": e.name, "version": e.version} for e in report.unused
        ],
        "advisories": [
            {"soup": c.entry.item.id, "advisory": c.advisory.id, "source": c.advisory.source}
            for c in report.concerns
        ],
    }


def _text(data: dict[str, Any]) -> str:
    lines = [f"{i['path']}: {i['format']}, {i['packages']} packages" for i in data["inputs"]]
    lines += [
        f"{p['path']}:{p['line']}: error {p['code']} {p['rule']}: {p['message']}"
        for p in data["problems"]
    ]
    for u in data["unlisted"]:
        kind = {True: "direct", False: "transitive", None: "locked"}[u["direct"]]
        via = f" via {' → '.join(u['via'])}" if len(u["via"]) > 1 else ""
        lines.append(
            f"{u['path']}:{u['line']}: not in the SOUP list: {u['name']} {u['version']} "
            f"({u['ecosystem']}, {kind}{via})"
        )
    for m in data["mismatched"]:
        lines.append(f"{m['soup']}: version {m['version']}, locked {', '.join(m['locked'])}")
    for e in data["unused"]:
        lines.append(f"{e['soup']}: {e['name']} {e['version']} is in no lockfile or SBOM")
    for a in data["advisories"]:
        lines.append(f"{a['soup']}: advisory {a['advisory']} ({a['source']})")
    drift = len(data["unlisted"]) + len(data["mismatched"]) + len(data["unused"])
    lines.append(
        f"{'OK' if not drift else 'DRIFT'}: {len(data['matched'])} SOUP items match "
        f"{data['packages']} packages; {len(data['unlisted'])} unlisted, "
        f"{len(data['mismatched'])} other version, {len(data['unused'])} no longer locked; "
        f"{data['dev_left_out']} dev-only left out; {len(data['advisories'])} advisories"
    )
    return "\n".join(lines) + "\n"


def _cell(text: object) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def _markdown(data: dict[str, Any]) -> str:
    out = ["# SOUP against lockfiles", ""]
    out += ["| status | SOUP | package | SOUP version | locked |", "|---|---|---|---|---|"]
    for m in data["matched"]:
        out.append(
            f"| ok | {_cell(m['soup'])} | | {_cell(m['version'])} | {_cell(', '.join(m['locked']))} |"
        )
    for m in data["mismatched"]:
        out.append(
            f"| other version | {_cell(m['soup'])} | | {_cell(m['version'])} | {_cell(', '.join(m['locked']))} |"
        )
    for u in data["unlisted"]:
        out.append(f"| unlisted | | {_cell(u['name'])} | | {_cell(u['version'])} |")
    for e in data["unused"]:
        out.append(
            f"| not locked | {_cell(e['soup'])} | {_cell(e['name'])} | {_cell(e['version'])} | |"
        )
    return "\n".join(out) + "\n"


def _json(data: dict[str, Any]) -> str:
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


FORMATS: dict[str, Callable[[dict[str, Any]], str]] = {
    "text": _text,
    "json": _json,
    "markdown": _markdown,
}
