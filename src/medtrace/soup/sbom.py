"""SBOMs read as lockfiles: CycloneDX JSON (1.2-1.6) and SPDX 2.x JSON.

Both are JSON (the standard library reads them); the ecosystem of a component comes from its
package URL (``packageurl-python``), its supplier and licence from the SBOM's own fields.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import replace
from typing import Any

from packageurl import PackageURL

from medtrace.soup.errors import BadInput
from medtrace.soup.lines import LineFinder
from medtrace.soup.model import Lock, Package, normalise
from medtrace.soup.registry import reader

__all__: list[str] = []

_SPDX_PURL = "purl"


def _need(condition: bool, message: str, expected: str, line: int = 0) -> None:
    if not condition:
        raise BadInput(message, expected=expected, line=line)


def _is_cyclonedx(text: str) -> bool:
    return '"bomFormat"' in text


def _is_spdx(text: str) -> bool:
    return '"spdxVersion"' in text


def _ecosystem(purl: str) -> str:
    try:
        return PackageURL.from_string(purl).type if purl else "generic"
    except ValueError:
        return "generic"


def _full_name(purl: str, group: str, name: str) -> str:
    """The name an ecosystem uses: ``@scope/name`` for npm, ``group/name`` for Composer."""
    if not group:
        return name
    kind = _ecosystem(purl)
    if kind == "npm":
        return f"{group}/{name}" if group.startswith("@") else f"@{group}/{name}"
    if kind in ("composer", "golang", "github"):
        return f"{group}/{name}"
    return name


# @implements SRS-131
@reader("CycloneDX JSON", "*.json", sniff=_is_cyclonedx)
def read_cyclonedx(text: str, rel: str) -> Lock:
    data = json.loads(text)
    _need(
        isinstance(data, dict) and data.get("bomFormat") == "CycloneDX",
        "not a CycloneDX document",
        'bomFormat "CycloneDX"',
        1,
    )
    spec = str(data.get("specVersion", ""))
    _need(
        spec in ("1.2", "1.3", "1.4", "1.5", "1.6", "1.7"),
        f"unknown CycloneDX specVersion {spec!r}",
        "specVersion 1.2 to 1.7",
        text.count("\n", 0, max(text.find('"specVersion"'), 0)) + 1,
    )
    lock = Lock(rel, "CycloneDX JSON", "")
    finder = LineFinder(text)
    refs: dict[str, str] = {}
    for comp in _components(data.get("components", [])):
        purl = str(comp.get("purl", ""))
        eco = _ecosystem(purl)
        name = _full_name(purl, str(comp.get("group", "")), str(comp.get("name", "")))
        refs[str(comp.get("bom-ref", ""))] = normalise(eco, name)
        lock.packages.append(
            Package(
                eco,
                name,
                str(comp.get("version", "")),
                rel,
                finder.line(f'"name": "{comp.get("name", "")}"'),
                license=_cdx_license(comp.get("licenses", [])),
                purl=purl,
                supplier=str((comp.get("supplier") or {}).get("name", "")),
            )
        )
    _cdx_graph(data, refs, lock)
    return lock


def _components(items: list[dict[str, Any]]) -> Iterator[dict[str, Any]]:
    for comp in items:
        yield comp
        yield from _components(comp.get("components", []))


def _cdx_license(licenses: list[dict[str, Any]]) -> str:
    names = []
    for entry in licenses:
        if "expression" in entry:
            names.append(str(entry["expression"]))
            continue
        lic = entry.get("license", {})
        names.append(str(lic.get("id") or lic.get("name") or ""))
    return " AND ".join(n for n in names if n)


def _cdx_graph(data: dict[str, Any], refs: dict[str, str], lock: Lock) -> None:
    root = str((data.get("metadata", {}).get("component") or {}).get("bom-ref", ""))
    for dep in data.get("dependencies", []):
        children = {refs[d] for d in dep.get("dependsOn", []) if d in refs}
        ref = str(dep.get("ref", ""))
        if ref == root:
            lock.roots |= children
        elif ref in refs:
            lock.graph.setdefault(refs[ref], set()).update(children)
    if lock.roots:
        lock.packages = [replace(p, direct=p.key in lock.roots) for p in lock.packages]


# @implements SRS-131
@reader("SPDX JSON", "*.json", sniff=_is_spdx)
def read_spdx(text: str, rel: str) -> Lock:
    data = json.loads(text)
    version = str(data.get("spdxVersion", "")) if isinstance(data, dict) else ""
    _need(
        version.startswith("SPDX-2."),
        f"unknown spdxVersion {version!r}",
        "SPDX-2.2 or 2.3",
        text.count("\n", 0, max(text.find('"spdxVersion"'), 0)) + 1,
    )
    lock = Lock(rel, "SPDX JSON", "")
    finder = LineFinder(text)
    ids: dict[str, str] = {}
    for pkg in data.get("packages", []):
        purl = next(
            (
                str(r.get("referenceLocator", ""))
                for r in pkg.get("externalRefs", [])
                if r.get("referenceType") == _SPDX_PURL
            ),
            "",
        )
        eco, name = _ecosystem(purl), str(pkg.get("name", ""))
        ids[str(pkg.get("SPDXID", ""))] = normalise(eco, name)
        lock.packages.append(
            Package(
                eco,
                name,
                str(pkg.get("versionInfo", "")),
                rel,
                finder.line(f'"name": "{name}"', f'"name" : "{name}"'),
                license=_spdx_license(pkg),
                purl=purl,
                supplier=str(pkg.get("supplier", "")).split(": ", 1)[-1],
            )
        )
    for rel_ in data.get("relationships", []):
        if rel_.get("relationshipType") in ("DEPENDS_ON", "CONTAINS", "DYNAMIC_LINK"):
            a, b = ids.get(rel_.get("spdxElementId", "")), ids.get(rel_.get("relatedSpdxElement"))
            if a and b:
                lock.graph.setdefault(a, set()).add(b)
    return lock


def _spdx_license(pkg: dict[str, Any]) -> str:
    for key in ("licenseConcluded", "licenseDeclared"):
        value = str(pkg.get(key, ""))
        if value and value not in ("NOASSERTION", "NONE"):
            return value
    return ""
