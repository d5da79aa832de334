"""The SOUP list as a CycloneDX 1.6 JSON SBOM, through ``cyclonedx-python-lib``.

Reproducible: the same SOUP list gives the same bytes. The serial number is derived from the
content, ``bom-ref`` is the SOUP ID, and there is no timestamp unless one is asked for. Each
component carries what the FDA asks of an SBOM (supplier, version, level of support, end of
support) and the other SOUP fields as ``medtrace:soup:*`` properties.
"""

from __future__ import annotations

import hashlib
import re
import uuid
from datetime import datetime

from cyclonedx.model import Property
from cyclonedx.model.bom import Bom
from cyclonedx.model.bom_ref import BomRef
from cyclonedx.model.component import Component, ComponentType
from cyclonedx.model.contact import OrganizationalEntity
from cyclonedx.model.license import DisjunctiveLicense, License, LicenseExpression
from cyclonedx.output.json import JsonV1Dot6
from packageurl import PackageURL

from medtrace.model import Item, Model
from medtrace.soup.entries import entry_of

__all__ = ["sbom_json"]

_PROPERTIES = (
    "purpose",
    "requirements",
    "hardware",
    "software",
    "support",
    "end_of_support",
    "adopted",
    "origin",
    "status",
)


def _component(item: Item) -> Component:
    entry = entry_of(item)
    purl = None
    text = item.get("purl") or item.get("package")
    if isinstance(text, str) and text.startswith("pkg:"):
        try:
            purl = PackageURL.from_string(text)
        except ValueError:
            purl = None
    licence = str(item.get("license", "") or "")
    return Component(
        name=entry.name if _named_package(item) else (item.title or item.id),
        version=str(item.get("version", "") or "") or None,
        type=ComponentType.LIBRARY,
        bom_ref=BomRef(item.id),
        purl=purl,
        cpe=str(item.get("cpe")) if item.get("cpe") else None,
        supplier=OrganizationalEntity(name=str(item.get("manufacturer")))
        if item.get("manufacturer")
        else None,
        description=item.title or None,
        licenses=_licences(licence),
        properties=_properties(item),
    )


def _named_package(item: Item) -> bool:
    """A SOUP item that names its package (``package`` or ``purl``): the package is its name."""
    return bool(item.get("purl") or item.get("package"))


_SPDX = re.compile(r"[A-Za-z0-9.+-]+(?: (?:AND|OR|WITH) [A-Za-z0-9.+-]+)*")


def _licences(text: str) -> list[License] | None:
    """An SPDX expression as such; any other licence text as a named licence."""
    if not text:
        return None
    if _SPDX.fullmatch(text):
        return [LicenseExpression(text)]
    return [DisjunctiveLicense(name=text)]


def _properties(item: Item) -> list[Property]:
    out = [Property(name="medtrace:soup:id", value=item.id)]
    for key in _PROPERTIES:
        value = item.get(key)
        if value not in (None, ""):
            out.append(Property(name=f"medtrace:soup:{key}", value=" ".join(str(value).split())))
    anomalies = item.get("anomalies")
    if isinstance(anomalies, dict):
        for key in sorted(anomalies):
            value = " ".join(str(anomalies[key]).split())
            out.append(Property(name=f"medtrace:soup:anomalies:{key}", value=value))
    users = item.get("items")
    if users:
        names = users if isinstance(users, list) else [users]
        out.append(Property(name="medtrace:soup:items", value=", ".join(map(str, names))))
    return out


# @implements SRS-138
def sbom_json(
    model: Model, project: str, version: str, *, timestamp: datetime | None = None
) -> str:
    """The SOUP items of ``model`` as CycloneDX 1.6 JSON, byte for byte the same each time."""
    items = sorted(model.of_kind("soup"), key=lambda i: i.id)
    bom = Bom()
    bom.metadata.component = Component(
        name=project or "project",
        version=version or None,
        type=ComponentType.APPLICATION,
        bom_ref=BomRef("project"),
    )
    bom.metadata.timestamp = timestamp  # type: ignore[assignment]
    for item in items:
        component = _component(item)
        bom.components.add(component)
        bom.register_dependency(bom.metadata.component, [component])
    bom.serial_number = uuid.UUID(int=0)
    draft = JsonV1Dot6(bom).output_as_string(indent=2)
    digest = hashlib.sha256(draft.encode()).digest()[:16]
    bom.serial_number = uuid.UUID(bytes=digest, version=5)
    return JsonV1Dot6(bom).output_as_string(indent=2) + "\n"
