"""SOUP items as package identities: ecosystem, normalised name, version, how they are shipped."""

from __future__ import annotations

import re
from dataclasses import dataclass

from packageurl import PackageURL
from packaging.version import InvalidVersion, Version

from medtrace.model import Item
from medtrace.soup.model import normalise

__all__ = ["Entry", "entry_of", "inexact", "same_version"]

_RANGE = re.compile(r"^\s*(latest|\*|x)\s*$|[<>=~^*|]|\s-\s|\.x\b|\bx\.", re.IGNORECASE)


@dataclass(frozen=True)
class Entry:
    """A SOUP item seen as a package. ``ecosystem`` is empty when any ecosystem may match.

    ``package`` is True when the item names a package (``package`` or ``purl``) and ships
    through a lockfile (``origin: lockfile``, the default then): only those can be unused.
    """

    item: Item
    ecosystem: str
    name: str
    version: str
    package: bool

    def keys(self, ecosystems: list[str]) -> list[tuple[str, str]]:
        if not self.name:
            return []  # shipped outside the lockfiles and named by no package: never matched
        where = [self.ecosystem] if self.ecosystem else ecosystems
        return [(e, normalise(e, self.name)) for e in where]


def _purl(text: str) -> PackageURL | None:
    try:
        return PackageURL.from_string(text)
    except ValueError:
        return None


def _purl_name(purl: PackageURL) -> str:
    if purl.namespace and purl.type == "npm":
        return f"{purl.namespace}/{purl.name}"
    if purl.namespace and purl.type in ("composer", "golang", "github"):
        return f"{purl.namespace}/{purl.name}"
    return purl.name


def entry_of(item: Item) -> Entry:
    """How ``item`` is matched: by its ``purl``, its ``package`` field (a name or a purl), or
    its ID (unless its ``origin`` says it ships outside the lockfiles)."""
    version = str(item.get("version", "") or "")
    for field in ("purl", "package"):
        value = item.get(field)
        if isinstance(value, str) and value.startswith("pkg:"):
            parsed = _purl(value)
            if parsed is not None:
                return Entry(item, parsed.type, _purl_name(parsed), version, _ships(item))
    package = item.get("package")
    if isinstance(package, str) and package:
        return Entry(item, "", package, version, _ships(item))
    by_id = item.id if _ships(item) else ""  # an ID is a package name only for lockfile SOUP
    return Entry(item, "", by_id, version, False)


def _ships(item: Item) -> bool:
    origin = item.get("origin")
    return origin in (None, "lockfile")


def inexact(version: str) -> bool:
    """``latest``, a range or a wildcard rather than one exact version."""
    return not version.strip() or bool(_RANGE.search(version))


def same_version(ecosystem: str, a: str, b: str) -> bool:
    """Equal versions; Python versions compare by PEP 440 (``1.0`` is ``1.0.0``)."""
    if a == b:
        return True
    if ecosystem == "pypi":
        try:
            return Version(a) == Version(b)
        except InvalidVersion:
            return False
    return a.lstrip("v") == b.lstrip("v")
