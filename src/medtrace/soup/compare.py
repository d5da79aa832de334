"""The SOUP list held against the locked packages: unlisted, other version, no longer used."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from medtrace.model import Model
from medtrace.soup.entries import Entry, entry_of, inexact, same_version
from medtrace.soup.model import Advisory, Lock, Package, normalise

__all__ = ["Drift", "Mismatch", "Report", "Unlisted", "compare"]


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


Drift = Report

Index = dict[tuple[str, str], list[Package]]


def _index(locks: list[Lock], dev: bool, ignore: set[str]) -> tuple[Index, int]:
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
    locks: list[Lock],
    advisories: list[Advisory] = (),  # type: ignore[assignment]
    *,
    dev: bool = False,
    ignore: list[str] = (),  # type: ignore[assignment]
) -> Report:
    """Match every SOUP item to the locked packages and sort out what does not match."""
    index, left_out = _index(locks, dev, {normalise("pypi", n) for n in ignore} | set(ignore))
    ecosystems = sorted({e for e, _ in index})
    report = Report(dev_left_out=left_out, packages=sum(len(v) for v in index.values()))
    claimed: set[tuple[str, str]] = set()
    by_key: dict[tuple[str, str], list[Entry]] = defaultdict(list)
    for item in model.of_kind("soup"):
        entry = entry_of(item)
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
    report.concerns = _concerns(report.matched, advisories)
    return report


def _versions(entries: list[Entry], locked: list[Package], report: Report) -> None:
    """Each locked version needs an entry of that version; each entry a locked version."""
    exact = [e for e in entries if not inexact(e.version)]
    if not exact:
        return
    eco = locked[0].ecosystem
    covered = {p.version for p in locked if any(same_version(eco, e.version, p.version) for e in exact)}
    uncovered = tuple(p for p in locked if p.version not in covered)
    for entry in exact:
        if not any(same_version(eco, entry.version, p.version) for p in locked):
            report.mismatched.append(Mismatch(entry, uncovered or tuple(locked)))
            uncovered = ()
    if uncovered:
        report.mismatched.append(Mismatch(exact[0], uncovered))


def _via(locks: list[Lock]):  # type: ignore[no-untyped-def]
    by_source = {lock.path: lock for lock in locks}

    def via(p: Package) -> tuple[str, ...]:
        lock = by_source.get(p.source)
        return tuple(lock.via(p.key)) if lock is not None and p.direct is not True else ()

    return via


def _concerns(
    matched: list[tuple[Entry, list[Package]]], advisories: list[Advisory]
) -> list[Concern]:
    by_key: dict[str, list[Advisory]] = defaultdict(list)
    for a in advisories:
        by_key[a.key].append(a)
    out = []
    for entry, packages in matched:
        for a in by_key.get(packages[0].key, []):
            if a.ecosystem in (packages[0].ecosystem, "generic") and (
                not a.version or same_version(a.ecosystem, a.version, entry.version)
            ):
                out.append(Concern(entry, a))
    return out
