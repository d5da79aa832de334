"""What the readers of lockfiles, SBOMs and vulnerability reports give: plain data."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from medtrace.diagnostics import Diagnostic

__all__ = ["Advisory", "Lock", "Package", "normalise", "reach"]

_PEP503 = re.compile(r"[-_.]+")


def normalise(ecosystem: str, name: str) -> str:
    """A package name as its ecosystem compares it: PEP 503 for Python, lower case elsewhere."""
    if ecosystem == "pypi":
        return _PEP503.sub("-", name).lower()
    return name.lower()


@dataclass(frozen=True, slots=True)
class Package:
    """One locked dependency. ``direct`` is None when the file does not say."""

    ecosystem: str
    name: str
    version: str
    source: str
    line: int = 0
    direct: bool | None = None
    dev: bool = False
    license: str = ""
    purl: str = ""
    supplier: str = ""

    @property
    def key(self) -> str:
        return normalise(self.ecosystem, self.name)


@dataclass
class Lock:
    """A read lockfile or SBOM: its packages, the dependency graph by key, and problems."""

    path: str
    format: str
    ecosystem: str
    packages: list[Package] = field(default_factory=list)
    graph: dict[str, set[str]] = field(default_factory=dict)
    roots: set[str] = field(default_factory=set)
    diagnostics: list[Diagnostic] = field(default_factory=list)

    def via(self, key: str) -> list[str]:
        """The shortest chain of keys from a direct dependency down to ``key`` (empty if none).

        One breadth-first walk from the roots serves every package (kept after the first call).
        """
        if key in self.roots:
            return [key]
        parents = self._parents()
        return _chain(parents, key) if key in parents else []

    def _parents(self) -> dict[str, str]:
        cached = self.__dict__.get("_parent_map")
        if cached is not None:
            return cached  # type: ignore[no-any-return]
        parents: dict[str, str] = {}
        frontier = sorted(self.roots)
        seen = set(frontier)
        while frontier:
            following = []
            for node in frontier:
                for child in sorted(self.graph.get(node, ())):
                    if child not in seen:
                        seen.add(child)
                        parents[child] = node
                        following.append(child)
            frontier = following
        self.__dict__["_parent_map"] = parents
        return parents


def _chain(parents: dict[str, str], key: str) -> list[str]:
    out = [key]
    while out[-1] in parents:
        out.append(parents[out[-1]])
    return out[::-1]


@dataclass(frozen=True, slots=True)
class Advisory:
    """One known vulnerability of a package version, from a scanner's report."""

    id: str
    ecosystem: str
    name: str
    version: str
    source: str
    aliases: tuple[str, ...] = ()
    published: str = ""
    summary: str = ""
    affected: str = ""

    @property
    def key(self) -> str:
        return normalise(self.ecosystem, self.name)


def reach(graph: dict[str, set[str]], roots: set[str]) -> set[str]:
    """Every package ``roots`` pull in through ``graph`` (package → its dependencies), with
    the roots."""
    seen, stack = set(roots), list(roots)
    while stack:
        for child in graph.get(stack.pop(), ()):
            if child not in seen:
                seen.add(child)
                stack.append(child)
    return seen
