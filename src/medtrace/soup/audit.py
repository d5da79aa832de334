"""Vulnerability reports the team's CI already writes: pip-audit, npm audit (v7+), OSV-Scanner.

All three are JSON; each reader gives :class:`~medtrace.soup.model.Advisory` rows. Nothing is
fetched: an advisory is what the report says, nothing more.
"""

from __future__ import annotations

from typing import Any

from medtrace.soup.errors import BadInput
from medtrace.soup.model import Advisory
from medtrace.soup.registry import audit_reader

__all__: list[str] = []

_OSV_ECOSYSTEMS = {"pypi": "pypi", "npm": "npm", "packagist": "composer", "go": "golang"}


def _is_pip_audit(data: object) -> bool:
    return (
        isinstance(data, dict)
        and isinstance(data.get("dependencies"), list)
        and "vulnerabilities" not in data
    ) or (
        isinstance(data, list) and bool(data) and isinstance(data[0], dict) and "vulns" in data[0]
    )


def _is_npm_audit(data: object) -> bool:
    return isinstance(data, dict) and "auditReportVersion" in data


def _is_osv(data: object) -> bool:
    return isinstance(data, dict) and isinstance(data.get("results"), list)


# @implements SRS-135
@audit_reader("pip-audit", _is_pip_audit)
def read_pip_audit(data: object, rel: str) -> list[Advisory]:
    deps = data.get("dependencies", []) if isinstance(data, dict) else data
    assert isinstance(deps, list)
    out = []
    for dep in deps:
        for vuln in dep.get("vulns", []):
            out.append(
                Advisory(
                    str(vuln["id"]),
                    "pypi",
                    str(dep["name"]),
                    str(dep.get("version", "")),
                    rel,
                    tuple(str(a) for a in vuln.get("aliases", [])),
                    summary=str(vuln.get("description", ""))[:200],
                )
            )
    return out


# @implements SRS-135
@audit_reader("npm audit", _is_npm_audit)
def read_npm_audit(data: object, rel: str) -> list[Advisory]:
    assert isinstance(data, dict)
    version = data.get("auditReportVersion")
    if version != 2:
        raise BadInput(f"unknown auditReportVersion {version!r}", expected="2 (npm 7 or later)")
    out = []
    for name, entry in data.get("vulnerabilities", {}).items():
        for via in entry.get("via", []):
            if isinstance(via, dict):  # a string names another vulnerable package
                out.append(_npm_advisory(name, via, rel))
    return out


def _npm_advisory(name: str, via: dict[str, Any], rel: str) -> Advisory:
    url = str(via.get("url", ""))
    ident = url.rstrip("/").rsplit("/", 1)[-1] if url else str(via.get("source", ""))
    return Advisory(
        ident,
        "npm",
        str(via.get("name", name)),
        "",
        rel,
        summary=str(via.get("title", "")),
        affected=str(via.get("range", "")),
    )


# @implements SRS-135
@audit_reader("OSV-Scanner", _is_osv)
def read_osv(data: object, rel: str) -> list[Advisory]:
    assert isinstance(data, dict)
    out = []
    for result in data["results"]:
        for pkg in result.get("packages", []):
            info = pkg.get("package", {})
            eco = _OSV_ECOSYSTEMS.get(str(info.get("ecosystem", "")).lower(), "generic")
            for vuln in pkg.get("vulnerabilities", []):
                out.append(
                    Advisory(
                        str(vuln["id"]),
                        eco,
                        str(info.get("name", "")),
                        str(info.get("version", "")),
                        rel,
                        tuple(str(a) for a in vuln.get("aliases", [])),
                        published=str(vuln.get("published", ""))[:10],
                        summary=str(vuln.get("summary", "")),
                    )
                )
    return out
