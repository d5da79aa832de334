"""The SOUP list held against the locked packages: unlisted, other version, no longer used."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from medtrace.model import Model
from medtrace.soup.entries import Entry, entry_of, inexact, same_version
from medtrace.soup.model import Advisory, Lock, Package, normalise

__all__ = ["Concern", "Mismatch", "Report", "Unlisted", "compare"]


@dataclass(frozen=True)
class Unlisted:
    package: Package
    via: tuple[str, ...]


@dataclass(frozen=True)
class Mismatch:
    entry: Entry
    locked: tuple[Package, ...]


@dataclass(frozen=True)
class Concern:
    entry: Entry
    advisory: Advisory


@dataclass
class Report:
    """What ``medtrace soup`` shows and the drift rules report."""

    matched: list[tuple[Entry, list[Package]]] = field(default_factory=list)
    unlisted: list[Unlisted] = field(default_factory=list)
    mismatched: list[Mismatch] = field(default_factory=list)
    unused: list[Entry] = field(default_factory=list)
    concerns: list[Concern] = field(default_factory=list)
    dev_left_out: int = 0
    packages: int = 0

    @property
    def drift(self) -> bool:
        return bool(self.unlisted or self.mismatched or self.unused)


Index = dict[tuple[str, str], list[Package]]


def _index(locks: Sequence[Lock], dev: bool, ignore: set[str]) -> tuple[Index, int]:
    index: Index = defaultdict(list)
    left_out, seen = 0, set()
    for lock in locks:
        for p in lock.packages:
            if p.dev and not dev:
                left_out += 1
                continue
            ident = (p.ecosystem, p.key, p.version)
            if ident in seen or p.key in ignore or p.name in ignore:
                continue
            seen.add(ident)
            index[(p.ecosystem, p.key)].append(p)
    return index, left_out


# @implements SRS-132
def compare(
    model: Model,
    locks: Sequence[Lock],
    advisories: Sequence[Advisory] = (),
    *,
    dev: bool = False,
    ignore: Sequence[str] = (),
) -> Report:
    """Match every SOUP item to the locked packages and sort out what does not match."""
    index, left_out = _index(locks, dev, {normalise("pypi", n) for n in ignore} | set(ignore))
    ecosystems = sorted({e for e, _ in index})
    report = Report(dev_left_out=left_out, packages=sum(len(v) for v in index.values()))
    claimed: set[tuple[str, str]] = set()
    by_key: dict[tuple[str, str], list[Entry]] = defaultdict(list)
    entries = [entry_of(item) for item in model.of_kind("soup")]
    for entry in entries:
        hits = [k for k in entry.keys(ecosystems) if k in index]
        for k in hits:
            by_key[k].append(entry)
        claimed.update(hits)
        found = [p for k in hits for p in index[k]]
        if found:
            report.matched.append((entry, found))
        elif entry.package and locks:
            report.unused.append(entry)
    for key, entries in by_key.items():
        _versions(entries, index[key], report)
    via_of = _via(locks)
    for key in sorted(set(index) - claimed):
        for p in index[key]:
            report.unlisted.append(Unlisted(p, via_of(p)))
    report.concerns = _concerns(entries, advisories)
    return report


def _versions(entries: list[Entry], locked: list[Package], report: Report) -> None:
    """Each locked version needs an entry of that version; each entry a locked version."""
    exact = [e for e in entries if not inexact(e.version)]
    if not exact:
        return
    eco = locked[0].ecosystem
    covered = {
        p.version for p in locked if any(same_version(eco, e.version, p.version) for e in exact)
    }
    uncovered = tuple(p for p in locked if p.version not in covered)
    for entry in exact:
        if not any(same_version(eco, entry.version, p.version) for p in locked):
            report.mismatched.append(Mismatch(entry, uncovered or tuple(locked)))
            uncovered = ()
    if uncovered:
        report.mismatched.append(Mismatch(exact[0], uncovered))


def _via(locks: Sequence[Lock]) -> Callable[[Package], tuple[str, ...]]:
    by_source = {lock.path: lock for lock in locks}

    def via(p: Package) -> tuple[str, ...]:
        lock = by_source.get(p.source)
        return tuple(lock.via(p.key)) if lock is not None and p.direct is not True else ()

    return via


def _concerns(entries: list[Entry], advisories: Sequence[Advisory]) -> list[Concern]:
    """Each advisory on a SOUP item of that package (and version, when the report names one)."""
    by_key: dict[tuple[str, str], list[Advisory]] = defaultdict(list)
    for a in advisories:
        by_key[(a.ecosystem, a.key)].append(a)
    ecosystems = sorted({e for e, _ in by_key})
    out = []
    for entry in entries:
        for key in entry.keys(ecosystems):
            for a in by_key.get(key, []):
                if _affects(a, entry.version):
                    out.append(Concern(entry, a))
    return out


def _affects(advisory: Advisory, version: str) -> bool:
    """Whether the advisory concerns ``version``: its exact version when the report names one,
    else its npm range (``node-semver``); in doubt (a range or version it cannot read), yes."""
    if advisory.version:
        return same_version(advisory.ecosystem, advisory.version, version)
    if advisory.affected and advisory.ecosystem == "npm":
        import nodesemver

        try:
            return bool(nodesemver.satisfies(version, advisory.affected, loose=True))
        except (ValueError, TypeError):
            return True
    return True
