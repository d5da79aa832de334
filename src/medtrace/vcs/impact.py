"""The impact of a change: from the files it touches to the risks and the tests to re-run.

changed lines → the code units that carry tags (the function or class around them, else the
file's own tags) → the requirements they implement (and those whose content changed) → the
risks those control → the tests verifying any of them, and the tests whose files changed.
Beside the chain: the software items owning the files with their safety class, the items
whose content changed, the interfaces whose operations or public API changed, and the SOUP
versions that changed in the lockfiles. Both sides are read from git (the work tree for the
new side with ``--worktree``); the project's model and tests are those of the new side.
"""

from __future__ import annotations

import dataclasses
import posixpath
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from medtrace.config import Config
from medtrace.fs import Globs
from medtrace.interfaces.registry import Declared
from medtrace.loading.build import Builder
from medtrace.model import Model
from medtrace.scanning.languages import Chooser
from medtrace.scanning.model import ScanResult
from medtrace.scanning.reading import decode
from medtrace.scanning.scanner import analyze
from medtrace.scanning.tags import DEFAULT_ID_PATTERN
from medtrace.vcs.changes import FileChange, Revisions, Versions, extract
from medtrace.vcs.history import item_file_filter, read_items

__all__ = [
    "Affected",
    "Impact",
    "ItemChange",
    "TestToRun",
    "Unit",
    "analyse",
    "tests_of",
]


@dataclass(frozen=True)
class Unit:
    """A touched code unit: ``symbol`` None is the file itself (its file-level tags)."""

    path: str
    symbol: str | None
    line: int
    implements: tuple[str, ...]
    verifies: tuple[str, ...]


@dataclass
class Affected:
    """An item the change reaches, with its safety class and why it is reached."""

    id: str
    kind: str
    title: str
    safety_class: str | None
    why: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class TestToRun:
    name: str
    path: str
    why: str


@dataclass(frozen=True)
class ItemChange:
    """An item added, removed, modified or renamed (moved to another file)."""

    id: str
    change: str
    path: str
    old_path: str


@dataclass
class Impact:
    base: str
    head: str | None
    label: str
    files: list[FileChange] = field(default_factory=list)
    units: list[Unit] = field(default_factory=list)
    software_items: list[Affected] = field(default_factory=list)
    requirements: list[Affected] = field(default_factory=list)
    risks: list[Affected] = field(default_factory=list)
    tests: list[TestToRun] = field(default_factory=list)
    items: list[ItemChange] = field(default_factory=list)
    interfaces: list[dict[str, str]] = field(default_factory=list)
    soup: list[dict[str, str]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not (self.files or self.items)

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["files"] = [
            {"status": f.status, "path": f.path, "old_path": f.old_path} for f in self.files
        ]
        return data


@dataclass
class Inputs:
    """What the analysis reads: the project of the new side and the tests found in it as
    ``(path, name, IDs it verifies)``, and each changed file's software item."""

    root: Path
    config: Config
    model: Model
    tests: Sequence[tuple[str, str, Sequence[str]]]
    file_items: Mapping[str, str | None]
    #: where the new side's files are (the work tree, or HEAD extracted from git)
    head_root: Path


# @implements SRS-235, SRS-236
def analyse(inputs: Inputs, revs: Revisions, changes: list[FileChange]) -> Impact:
    """The impact of ``changes`` (see the module)."""
    config = inputs.config
    code = Globs([*config.paths.sources, *config.paths.tests], lenient=True)
    is_item_file = item_file_filter(config)
    locks = Globs([*config.paths.lockfiles, *config.paths.sbom], lenient=True)
    wanted = {
        p
        for c in changes
        for p in (c.old_path, c.new_path)
        if code.match(p) or is_item_file(p) or locks.match(p)
    }
    versions = Versions(inputs.root, changes, wanted)
    out = Impact(revs.base, revs.head, revs.label, files=changes)
    for change in changes:
        if code.match(change.new_path) or code.match(change.old_path):
            out.units.extend(touched_units(config, change, versions))
    out.items = changed_items(config, changes, versions, is_item_file)
    out.soup = soup_changes(changes, versions, locks)
    out.interfaces = interface_changes(inputs, revs.base, changes)
    _chain(inputs, out)
    return out


# @implements SRS-235
def tests_of(scanned: ScanResult) -> list[tuple[str, str, list[str]]]:
    """Every test of the test files with the IDs it verifies, as the trace counts them: a tag on
    a file or a test class covers every test in it; a tag on no test found names a test of its
    own (the symbol, else the file)."""
    by_file: dict[str, list[tuple[str, str, list[str]]]] = {}
    tests: dict[tuple[str, str], tuple[str, str, list[str]]] = {}
    for symbol in scanned.tests:
        test: tuple[str, str, list[str]] = (symbol.path, symbol.name, [])
        tests[(symbol.path, symbol.name)] = test
        by_file.setdefault(symbol.path, []).append(test)
    for tag in scanned.tags:
        if tag.verb != "verifies":
            continue
        targets = _inside(by_file.get(tag.path, []), tag.symbol)
        if not targets:
            key = (tag.path, tag.symbol or tag.path)
            targets = [tests.setdefault(key, (key[0], key[1], []))]
        for test in targets:
            test[2].extend(i for i in tag.ids if i not in test[2])
    return list(tests.values())


def _inside(
    tests: list[tuple[str, str, list[str]]], symbol: str | None
) -> list[tuple[str, str, list[str]]]:
    if symbol is None:
        return tests
    inside = [t for t in tests if t[1].startswith((symbol + ".", symbol + "/"))]
    return inside + [t for t in tests if t[1] == symbol] if inside else inside


# -- code units ----------------------------------------------------------------------------------


# @implements SRS-235
def touched_units(config: Config, change: FileChange, versions: Versions) -> list[Unit]:
    """The tagged units of either side of a file whose lines the change touches."""
    units: dict[tuple[str | None, int], Unit] = {}
    for data, path, ranges in (
        (versions.old(change), change.old_path, change.old_lines),
        (versions.new(change), change.new_path, change.new_lines),
    ):
        whole = change.status in ("A", "D")
        if data is None or not (whole or ranges):
            continue
        for unit in _units(config, data, path, ranges, whole):
            units.setdefault((unit.symbol, unit.line), unit)
    return list(units.values())


def _units(
    config: Config, data: bytes, path: str, ranges: list[tuple[int, int]], whole: bool
) -> list[Unit]:
    language, how = Chooser(config.languages).choose(path, path)
    if language is None:
        return []
    language = Chooser.settle(language, how, data)
    is_test = Globs(config.paths.tests, lenient=True).match(path)
    prefixes = frozenset(config.kind_by_prefix)
    scanned = analyze(data, path, language, is_test, DEFAULT_ID_PATTERN, prefixes)
    if not scanned.tags:
        return []
    extents = {} if whole else _extents(language, data, path, is_test)
    by_owner: dict[tuple[str | None, int], tuple[list[str], list[str]]] = {}
    for verb, ids, _line, symbol, symbol_line in scanned.tags:
        implements, verifies = by_owner.setdefault((symbol, symbol_line or 0), ([], []))
        if verb == "implements":
            implements.extend(ids)
        elif verb == "verifies":
            verifies.extend(ids)
    hit = _hit(by_owner, extents, ranges, whole)
    return [
        Unit(
            path,
            s,
            line,
            tuple(dict.fromkeys(by_owner[(s, line)][0])),
            tuple(dict.fromkeys(by_owner[(s, line)][1])),
        )
        for s, line in hit
    ]


def _extents(
    language: Any, data: bytes, path: str, is_test: bool
) -> dict[tuple[str, int], tuple[int, int]]:
    """Each symbol's (qualified name, line of its name) → its first and last line."""
    source, _ = decode(data, path)
    try:
        outline = language.outline(source, is_test)
    except Exception:  # an engine that fails: every tag then counts as the file's
        return {}
    lines = outline.lines
    return {
        (s.qualname, s.line): (lines.line(s.start), lines.line(max(s.end - 1, s.start)))
        for s in outline.symbols
    }


def _hit(
    owners: Mapping[tuple[str | None, int], Any],
    extents: Mapping[tuple[str, int], tuple[int, int]],
    ranges: list[tuple[int, int]],
    whole: bool,
) -> list[tuple[str | None, int]]:
    """The owners whose extent meets a changed range; a range no tagged symbol covers reaches
    the file's own tags; a symbol whose extent is unknown counts as touched (never a miss)."""
    if whole:
        return list(owners)
    hit: list[tuple[str | None, int]] = []
    uncovered = list(ranges)
    for key in owners:
        symbol, line = key
        if symbol is None:
            continue
        extent = extents.get((symbol, line))
        if extent is None:
            hit.append(key)
            continue
        meets = [r for r in ranges if r[0] <= extent[1] and extent[0] <= r[1]]
        if meets:
            hit.append(key)
            uncovered = [r for r in uncovered if not (extent[0] <= r[0] and r[1] <= extent[1])]
    file_keys = [k for k in owners if k[0] is None]
    if uncovered:
        hit.extend(file_keys)
    return hit


# -- items, SOUP ---------------------------------------------------------------------------------


# @implements SRS-236
def changed_items(
    config: Config, changes: list[FileChange], versions: Versions, is_item_file: Any
) -> list[ItemChange]:
    """Items whose content changed, by ID, across every changed item file of both sides."""
    builder = Builder(config)
    before: dict[str, tuple[str, str]] = {}
    after: dict[str, tuple[str, str]] = {}
    for c in changes:
        old, new = versions.old(c), versions.new(c)
        if old is not None and is_item_file(c.old_path):
            for k, v in read_items(old, c.old_path, builder).items():
                before.setdefault(k, v)
        if new is not None and is_item_file(c.new_path):
            for k, v in read_items(new, c.new_path, builder).items():
                after.setdefault(k, v)
    out: list[ItemChange] = []
    for item_id in sorted(before.keys() | after.keys()):
        a, b = before.get(item_id), after.get(item_id)
        if a == b:
            continue
        kind = "added" if a is None else "removed" if b is None else "modified"
        if a is not None and b is not None and a[0] != b[0]:
            kind = "renamed" if a[1] == b[1] else "modified"
        out.append(ItemChange(item_id, kind, (b or a or ("", ""))[0], (a or b or ("", ""))[0]))
    return out


# @implements SRS-236
def soup_changes(
    changes: list[FileChange], versions: Versions, locks: Globs
) -> list[dict[str, str]]:
    """Packages whose locked versions differ between the two sides of each changed lockfile."""
    from medtrace.soup import javascript, python, sbom  # noqa: F401  (they register readers)
    from medtrace.soup.registry import read_lock

    out: list[dict[str, str]] = []
    for c in changes:
        if not (locks.match(c.new_path) or locks.match(c.old_path)):
            continue
        old, new = (
            _packages(versions.old(c), c.old_path, read_lock),
            _packages(versions.new(c), c.new_path, read_lock),
        )
        for key in sorted(old.keys() | new.keys()):
            was, now = old.get(key, set()), new.get(key, set())
            if was != now:
                change = "added" if not was else "removed" if not now else "upgraded"
                out.append(
                    {
                        "package": key,
                        "change": change,
                        "old": ", ".join(sorted(was)),
                        "new": ", ".join(sorted(now)),
                        "path": c.path,
                    }
                )
    return out


def _packages(data: bytes | None, path: str, read_lock: Any) -> dict[str, set[str]]:
    if data is None:
        return {}
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return {}
    found: dict[str, set[str]] = {}
    for p in read_lock(text, path).packages:
        found.setdefault(p.key, set()).add(p.version)
    return found


# -- the chain: requirements, risks, tests -------------------------------------------------------


def _chain(inputs: Inputs, out: Impact) -> None:
    model, config = inputs.model, inputs.config
    affected: dict[str, Affected] = {}

    def reach(item_id: str, why: str) -> None:
        entry = affected.get(item_id)
        if entry is None:
            entry = affected[item_id] = _affected(model, config, item_id)
        if why not in entry.why:
            entry.why.append(why)

    for f in out.files:
        owner = inputs.file_items.get(f.path)
        if owner is not None:
            reach(owner, f"owns {f.path}")
    for unit in out.units:
        where = f"{unit.path}:{unit.symbol}" if unit.symbol else unit.path
        for item_id in unit.implements:
            reach(item_id, f"implemented in {where}, changed")
    for change in out.items:
        reach(change.id, f"its content was {change.change}")
    requirement_kinds = set(config.requirement_kinds)
    for item_id in list(affected):
        if affected[item_id].kind in requirement_kinds:
            for risk in model.targets(item_id, "controls"):
                reach(risk.id, f"controlled by {item_id}")
    _sort_into(out, affected, config)
    out.tests = _tests(inputs, out, {a.id for a in [*out.requirements, *out.risks]})


def _affected(model: Model, config: Config, item_id: str) -> Affected:
    item = model.get(item_id)
    if item is None:
        return Affected(item_id, config.kind_of_id(item_id) or "", "(not in the new version)", None)
    return Affected(item_id, item.kind, item.title, _safety_class(model, config, item_id))


def _safety_class(model: Model, config: Config, item_id: str) -> str | None:
    """An item's safety class: a software item's own (else its parent's), else that of the
    software item it is allocated to (its ``item`` field), else the system's."""
    seen: set[str] = set()
    current = model.get(item_id)
    while current is not None and current.id not in seen:
        seen.add(current.id)
        value = current.get("class")
        if isinstance(value, str) and value:
            return value
        link = current.get("item") or current.get("parent")
        current = model.get(link) if isinstance(link, str) else None
    return str(config.project.safety_class)


def _sort_into(out: Impact, affected: dict[str, Affected], config: Config) -> None:
    from medtrace.ids import natural_key

    risks, requirements = set(config.risk_kinds), set(config.requirement_kinds)
    for entry in sorted(affected.values(), key=lambda a: natural_key(a.id)):
        if entry.kind in risks:
            out.risks.append(entry)
        elif entry.kind in requirements:
            out.requirements.append(entry)
        elif entry.kind == "software-item":
            out.software_items.append(entry)


def _tests(inputs: Inputs, out: Impact, ids: set[str]) -> list[TestToRun]:
    changed = {f.new_path for f in out.files if f.status != "D"}
    tests: dict[tuple[str, str], TestToRun] = {}
    for path, name, verifies in inputs.tests:
        named = sorted(set(verifies) & ids)
        if named:
            tests.setdefault((path, name), TestToRun(name, path, "verifies " + ", ".join(named)))
        elif path in changed:
            tests.setdefault((path, name), TestToRun(name, path, "its file changed"))
    for item_id in sorted(ids):  # test cases written as items (manual, system tests)
        for case in inputs.model.sources(item_id, "verifies"):
            named = sorted(set(case.ids("verifies")) & ids)
            why = "verifies " + ", ".join(named)
            tests.setdefault((case.path, case.id), TestToRun(case.id, case.path, why))
    return sorted(tests.values(), key=lambda t: (t.path, t.name))


# -- interfaces ----------------------------------------------------------------------------------


# @implements SRS-239
def interface_changes(inputs: Inputs, base: str, changes: list[FileChange]) -> list[dict[str, str]]:
    """Operations and public API entries added, removed or changed, for each declared interface
    whose files the change touches: both sides read by the interface's own extractor (the base
    side from the files of ``base``), entries compared by name; for a Python module, also
    griffe's breaking changes."""
    from medtrace.interfaces import declared_interfaces

    declared = declared_interfaces(inputs.model, inputs.head_root, public_only=False)
    paths = [p for c in changes for p in (c.old_path, c.new_path)]
    touched = [d for d in declared if any(_belongs(d, p) for p in paths)]
    if not touched:
        return []
    import tempfile

    with tempfile.TemporaryDirectory(prefix="medtrace-base-") as tmp:
        folder = Path(tmp)
        wanted = sorted({b for d in touched for b in _folders(d)})
        if not extract(inputs.root, base, folder, [w for w in wanted if w] or None):
            return []
        out: list[dict[str, str]] = []
        for d in touched:
            out.extend(_compare(d, dataclasses.replace(d, root=folder)))
        return out


def _folders(declared: Declared) -> list[str]:
    """The folders (relative to the root) an interface is read from."""
    if declared.spec:
        return [posixpath.dirname(declared.spec)]
    return Globs(list(declared.item_paths), lenient=True).bases()


def _belongs(declared: Declared, path: str) -> bool:
    if declared.spec:
        return path == declared.spec or posixpath.dirname(path) == posixpath.dirname(declared.spec)
    return bool(declared.item_paths) and Globs(list(declared.item_paths), lenient=True).match(path)


def _compare(new_side: Declared, old_side: Declared) -> list[dict[str, str]]:
    from medtrace.interfaces import document

    new_doc, old_doc = document([new_side])[0], document([old_side])[0]
    new = {e.name: (e.signature, e.details) for e in new_doc.entries}
    old = {e.name: (e.signature, e.details) for e in old_doc.entries}
    out: list[dict[str, str]] = []

    def row(entry: str, change: str, detail: str = "") -> None:
        out.append(
            {
                "item": new_side.item,
                "interface": new_side.name or new_doc.source,
                "kind": new_doc.kind,
                "entry": entry,
                "change": change,
                "detail": detail,
            }
        )

    for name in sorted(new.keys() | old.keys()):
        if name not in old:
            row(name, "added")
        elif name not in new:
            row(name, "removed")
        elif new[name] != old[name]:
            row(name, "changed", _what_changed(old[name], new[name]))
    if new_doc.kind == "python":
        for text in _breakages(old_side, new_side):
            row(new_doc.source, "breaking", text)
    return out


def _what_changed(old: tuple[str, Any], new: tuple[str, Any]) -> str:
    if old[0] != new[0]:
        return f"{old[0]} → {new[0]}"
    gone = [f"{k} {v}" for k, v in old[1] if (k, v) not in new[1]]
    came = [f"{k} {v}" for k, v in new[1] if (k, v) not in old[1]]
    return "; ".join([*(f"- {g}" for g in gone), *(f"+ {c}" for c in came)])


def _breakages(old_side: Declared, new_side: Declared) -> list[str]:
    """griffe's breaking changes between the two versions of a Python module (none when either
    cannot be loaded: the entries above still show what changed)."""
    import griffe

    from medtrace.interfaces.python import load_module

    module = str(new_side.fields.get("module") or "")
    old = load_module(old_side.root, module, old_side.item_paths)
    new = load_module(new_side.root, module, new_side.item_paths)
    if isinstance(old, str) or isinstance(new, str):
        return []
    try:
        return [
            b.explain(style=griffe.ExplanationStyle.ONE_LINE)
            for b in griffe.find_breaking_changes(old, new)
        ]
    except Exception:  # griffe on code it cannot follow: the entries still tell
        return []
