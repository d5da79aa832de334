"""What changed between two snapshots: the change history an auditor reads between releases.

Items added, removed and changed (field by field, the text and the file included),
requirements whose verification status changed, risks re-estimated (before or after control),
SOUP added, removed or upgraded, interfaces and their elements added, removed or changed.

Verification statuses come from test results, which a git revision rarely holds: they are
compared only when both snapshots read results files, and a note says so otherwise (a status
compared against no results would be wrong evidence).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from medtrace.vcs.snapshot import ItemRecord, Snapshot

__all__ = ["FieldChange", "ItemChange", "ItemRef", "Rechange", "SnapshotDiff", "diff"]


@dataclass(frozen=True)
class ItemRef:
    id: str
    kind: str
    title: str


@dataclass(frozen=True)
class FieldChange:
    """One field of an item (``title``, ``text``, ``status``, ``file`` or a named field)."""

    field: str
    old: Any
    new: Any


@dataclass(frozen=True)
class ItemChange:
    """An item in both snapshots whose content changed; ``controls`` are the risks it is a
    control measure of (a change an auditor looks at first)."""

    id: str
    kind: str
    title: str
    changes: tuple[FieldChange, ...]
    controls: tuple[str, ...] = ()


@dataclass(frozen=True)
class Rechange:
    """A value that changed: a verification status, an estimate, a SOUP version, an
    interface element. ``old``/``new`` are ``None`` when it was added/removed."""

    key: str
    what: str
    old: str | None
    new: str | None


@dataclass
class SnapshotDiff:
    old: str
    new: str
    old_commit: str | None = None
    new_commit: str | None = None
    added: list[ItemRef] = field(default_factory=list)
    removed: list[ItemRef] = field(default_factory=list)
    changed: list[ItemChange] = field(default_factory=list)
    verification: list[Rechange] = field(default_factory=list)
    risks: list[Rechange] = field(default_factory=list)
    soup: list[Rechange] = field(default_factory=list)
    interfaces: list[Rechange] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        parts = (self.added, self.removed, self.changed, self.verification, self.risks)
        return not any((*parts, self.soup, self.interfaces))

    def to_data(self) -> dict[str, Any]:
        return asdict(self)


# @implements SRS-284
def diff(old: Snapshot, new: Snapshot) -> SnapshotDiff:
    """Everything that differs from ``old`` to ``new``, each list in ID order."""
    out = SnapshotDiff(old.source, new.source, old.commit, new.commit)
    before, after = old.items, new.items
    out.added = [_ref(i, after[i]) for i in sorted(after.keys() - before.keys())]
    out.removed = [_ref(i, before[i]) for i in sorted(before.keys() - after.keys())]
    for item_id in sorted(before.keys() & after.keys()):
        changes = _item_changes(before[item_id], after[item_id])
        if changes:
            a = after[item_id]
            risks = _ids(before[item_id].fields.get("controls")) | _ids(a.fields.get("controls"))
            out.changed.append(ItemChange(item_id, a.kind, a.title, changes, tuple(sorted(risks))))
    _verification(old, new, out)
    out.risks = _risks(old.risks, new.risks)
    out.soup = _values(old.soup, new.soup, "version")
    out.interfaces = _interfaces(old.interfaces, new.interfaces)
    return out


def _ids(value: Any) -> set[str]:
    if isinstance(value, str):
        return {value}
    return {v for v in value if isinstance(v, str)} if isinstance(value, list) else set()


def _ref(item_id: str, record: ItemRecord) -> ItemRef:
    return ItemRef(item_id, record.kind, record.title)


def _item_changes(a: ItemRecord, b: ItemRecord) -> tuple[FieldChange, ...]:
    if a == b:
        return ()
    found = []
    for name in ("kind", "title", "status", "text"):
        if getattr(a, name) != getattr(b, name):
            found.append(FieldChange(name, getattr(a, name), getattr(b, name)))
    for name in sorted(a.fields.keys() | b.fields.keys()):
        old, new = a.fields.get(name), b.fields.get(name)
        if old != new:
            found.append(FieldChange(name, old, new))
    if a.path != b.path:
        found.append(FieldChange("file", a.path, b.path))
    return tuple(found)


def _verification(old: Snapshot, new: Snapshot, out: SnapshotDiff) -> None:
    missing = [s.source for s in (old, new) if not s.results]
    if missing:
        out.notes.append(
            f"verification statuses not compared: {' and '.join(missing)} read no test results "
            "(results files are usually not committed; compare release folders or the work tree)"
        )
        return
    out.verification = _values(old.verification, new.verification, "status")


def _values(old: dict[str, str], new: dict[str, str], what: str) -> list[Rechange]:
    return [
        Rechange(key, what, old.get(key), new.get(key))
        for key in sorted(old.keys() | new.keys())
        if old.get(key) != new.get(key)
    ]


def _risks(
    old: dict[str, dict[str, dict[str, str | None]]],
    new: dict[str, dict[str, dict[str, str | None]]],
) -> list[Rechange]:
    """Risks present on both sides whose estimate changed, before or after control."""
    out = []
    for risk in sorted(old.keys() & new.keys()):
        for when in ("initial", "residual"):
            a, b = old[risk].get(when, {}), new[risk].get(when, {})
            if a != b:
                out.append(Rechange(risk, when, _estimate(a), _estimate(b)))
    return out


def _estimate(e: dict[str, str | None]) -> str:
    severity, probability = e.get("severity") or "?", e.get("probability") or "?"
    return f"{severity} × {probability}: {e.get('acceptability') or 'not estimated'}"


def _interfaces(old: dict[str, dict[str, str]], new: dict[str, dict[str, str]]) -> list[Rechange]:
    out = []
    for name in sorted(old.keys() | new.keys()):
        if name not in new:
            out.append(Rechange(name, "interface", f"{len(old[name])} elements", None))
        elif name not in old:
            out.append(Rechange(name, "interface", None, f"{len(new[name])} elements"))
        else:
            a, b = old[name], new[name]
            for element in sorted(a.keys() | b.keys()):
                if a.get(element) != b.get(element):
                    out.append(Rechange(name, element, a.get(element), b.get(element)))
    return out
