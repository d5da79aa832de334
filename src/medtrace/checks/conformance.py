"""Architecture conformance: the code against the hand-written software items.

Declared paths and interface specs exist; each code file belongs to one item (or to an item and
its own unit); the real imports between items are declared in ``uses``; a higher-class item
depends on a lower-class one only with a segregation; third-party imports are declared SOUP.

The ``uses`` rule: an item may import the files of an item it lists in ``uses`` and of that
item's units (using an item means using its parts). ``uses`` is not inherited downward: a unit
declares its own, so that a parent listing all its units never lets one unit reach a sibling.
SOUP is the exception: a SOUP entry declared by an item (``uses``, or the SOUP's ``items``)
covers its units too, since a runtime or library is chosen for a whole item.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Iterator
from functools import cache
from typing import TYPE_CHECKING

from medtrace.checks.context import Context
from medtrace.checks.registry import rule
from medtrace.config import CLASS_RANK
from medtrace.diagnostics import CODES, Diagnostic, Severity
from medtrace.fs.globs import Globs
from medtrace.model import Item

if TYPE_CHECKING:
    from medtrace.imports import Edge

_NEEDS = ("trace",)
_GLOB_CHARS = frozenset("*?[")


# @implements SRS-150
@rule(
    "MT165",
    "item-path-missing",
    Severity.ERROR,
    "A software item's paths entry matches no code file.",
    needs=_NEEDS,
)
def item_path_missing(ctx: Context) -> Iterator[Diagnostic]:
    """Only in a project that scans code (``paths.sources``): without it, no code is read."""
    code = CODES["MT165"]
    if not ctx.config.paths.sources:
        return
    files = _code_files(ctx)
    for item in _items(ctx):
        if _external(item):
            continue
        for pattern in item.ids("paths"):
            globs = Globs([pattern], lenient=True)
            if any(globs.match(f) for f in _under(files, globs)):
                continue
            literal = not _GLOB_CHARS & set(pattern)
            if literal:
                ctx.extras.setdefault("read_files", set()).add(pattern)
            exists = literal and (ctx.config.root / pattern).is_file()
            where = "exists but is not among paths.sources" if exists else "matches no file"
            yield code(
                f"'{pattern}' in 'paths' of {item.id} {where}",
                expected="each declared code path to match code files that the scan reads",
                hint="correct the path, or add it to paths.sources"
                if exists
                else "correct the path, or set 'external_code' if the code lives elsewhere",
                **ctx.at(item, "paths"),
            )


# @implements SRS-150
@rule(
    "MT166",
    "interface-spec-missing",
    Severity.ERROR,
    "An interface of a software item names a spec file that does not exist.",
)
def interface_spec_missing(ctx: Context) -> Iterator[Diagnostic]:
    code = CODES["MT166"]
    for item in _items(ctx):
        for entry in interfaces_of(item):
            spec = entry.get("spec")
            if not isinstance(spec, str):
                continue
            ctx.extras.setdefault("read_files", set()).add(spec)
            if (ctx.config.root / spec).is_file():
                continue
            yield code(
                f"interface '{entry.get('name', '?')}' of {item.id} names spec '{spec}', "
                "which does not exist",
                expected="a spec file path from the project root",
                hint="correct the 'spec' path of the interface",
                **ctx.at(item, "interfaces"),
            )


# @implements SRS-150
@rule(
    "MT167",
    "file-claimed-twice",
    Severity.ERROR,
    "A code file is claimed by the paths of two software items that are not nested.",
    needs=_NEEDS,
)
def file_claimed_twice(ctx: Context) -> Iterator[Diagnostic]:
    code = CODES["MT167"]
    files = _code_files(ctx)
    claims = _claims(ctx, files)
    for path in files:
        for first, second in _unrelated_pairs(ctx, claims.get(path, [])):
            yield code(
                f"{path} is claimed by both {first.id} ({first.path}) and {second.id} "
                f"({second.path}), which are not nested",
                expected="each code file owned by one item, or by an item and its own unit",
                hint=f"narrow the 'paths' of {first.id} or {second.id}",
                path=path,
                item=first.id,
                related=(second.id,),
            )


# @implements SRS-151
@rule(
    "MT168",
    "import-undeclared",
    Severity.ERROR,
    "Code of one software item imports code of another that its 'uses' does not declare.",
    needs=_NEEDS,
)
def import_undeclared(ctx: Context) -> Iterator[Diagnostic]:
    code = CODES["MT168"]
    owners = _owners(ctx)
    seen: set[tuple[str, int, str]] = set()
    for edge in _edges(ctx):
        source, target = owners.get(edge.path), owners.get(edge.target)
        if not edge.target or source is None or target is None or source == target:
            continue
        if _allowed(ctx, source, target) or (edge.path, edge.line, target) in seen:
            continue
        seen.add((edge.path, edge.line, target))
        yield code(
            f"{edge.path} of {source} imports '{edge.written}' ({edge.target}) of {target}, "
            f"which is not in the 'uses' of {source}",
            expected=f"'{target}' (or an item containing it) in 'uses' of {source} "
            "(IEC 62304 5.3.5: the design declares the interfaces between items)",
            hint=f"declare {target} in 'uses' of {source} if the design allows it, "
            "else remove the import",
            path=edge.path,
            line=edge.line,
            item=source,
            related=(target,),
        )


# @implements SRS-151
@rule(
    "MT169",
    "uses-lower-class",
    Severity.ERROR,
    "A software item uses one of a lower safety class that has no segregation.",
)
def uses_lower_class(ctx: Context) -> Iterator[Diagnostic]:
    code = CODES["MT169"]
    for item in _items(ctx):
        mine = ctx.item_class(item)
        for used in _used_items(ctx, item):
            theirs = ctx.item_class(used)
            if CLASS_RANK[theirs] >= CLASS_RANK[mine] or used.get("segregation"):
                continue
            yield code(
                f"class {mine} item {item.id} uses class {theirs} item {used.id}, "
                f"which has no '{ctx.field_name(used, 'segregation')}'",
                expected="a segregation that shows how the lower-class item cannot affect "
                "the higher-class one (IEC 62304 5.3.5, 4.3 d)",
                hint=f"describe the segregation of {used.id}, or raise its class to {mine}",
                related=(used.id,),
                **ctx.at(item, "uses"),
            )


# @implements SRS-151
@rule(
    "MT170",
    "soup-import-undeclared",
    Severity.ERROR,
    "Code of a software item imports a third-party package that is no declared SOUP of it.",
    needs=_NEEDS,
)
def soup_import_undeclared(ctx: Context) -> Iterator[Diagnostic]:
    code = CODES["MT170"]
    owners = _owners(ctx)
    for edge in _edges(ctx):
        owner = owners.get(edge.path)
        if not edge.package or owner is None:
            continue
        if _names(edge.package, edge.ecosystem) & _declared_soup(ctx, owner):
            continue
        yield code(
            f"{edge.path} of {owner} imports the {edge.ecosystem} package '{edge.package}', "
            f"which is no SOUP declared for {owner}",
            expected="a SOUP entry (by ID or 'package') in the 'uses' of the item or of an "
            "item containing it, or naming the item in its 'items' (IEC 62304 5.3.3)",
            hint=f"add '{edge.package}' to the SOUP list and to 'uses' of {owner}",
            path=edge.path,
            line=edge.line,
            item=owner,
        )


def interfaces_of(item: Item) -> list[dict[str, object]]:
    """The item's interfaces that are mappings (others are reported by the field rules)."""
    value = item.get("interfaces")
    if not isinstance(value, list):
        return []
    return [entry for entry in value if isinstance(entry, dict)]


def _external(item: Item) -> bool:
    """The item's code lives outside the repository (``external_code``: true or a text). Read
    from the unknown fields too while the kind does not define the field yet."""
    value = item.get("external_code", item.unknown.get("external_code"))
    return bool(value) and value != "false"


def _items(ctx: Context) -> list[Item]:
    return list(ctx.model.of_kind("software-item"))


def _code_files(ctx: Context) -> list[str]:
    """The scanned code files that are not tests (tests import everything they test)."""
    if "conformance_files" not in ctx.extras:
        scan = ctx.extras.get("scan")
        files = list(getattr(scan, "files", []))
        tests = ctx.extras.get("test_files", set())
        ctx.extras["conformance_files"] = sorted(f for f in files if f not in tests)
    found: list[str] = ctx.extras["conformance_files"]
    return found


def _claims(ctx: Context, files: list[str]) -> dict[str, list[Item]]:
    """The software items whose ``paths`` match each file, in the items' order."""
    claims: dict[str, list[Item]] = {}
    for item in _items(ctx):
        patterns = item.ids("paths")
        if not patterns:
            continue
        globs = Globs(patterns, lenient=True)
        for path in _under(files, globs):
            if globs.match(path):
                claims.setdefault(path, []).append(item)
    return claims


def _under(files: list[str], globs: Globs) -> Iterator[str]:
    """The files of the sorted list ``files`` that ``globs`` may match: those at or below the
    literal folders its patterns start with (a pattern never matches outside them). Each is a
    run of the sorted list, found by bisection instead of trying every file."""
    for base in globs.bases():
        if not base:
            yield from files
            continue
        start = bisect_left(files, base)
        if start < len(files) and files[start] == base:
            yield base
        # the paths below base: from "base/" up to, not including, "base0" ("0" follows "/")
        yield from files[bisect_left(files, base + "/") : bisect_left(files, base + "0")]


def _owners(ctx: Context) -> dict[str, str]:
    trace = ctx.extras.get("trace")
    file_items = getattr(trace, "file_items", {})
    return {path: item for path, item in file_items.items() if item is not None}


def _edges(ctx: Context) -> list[Edge]:
    from medtrace.imports import read_imports, resolve

    if "import_edges" not in ctx.extras:
        config = ctx.config
        scan = ctx.extras.get("scan")
        every = list(getattr(scan, "files", []))
        read = read_imports(
            config.root, _code_files(ctx), config.cache_dir, config.limits.max_file_bytes
        )
        ctx.extras["import_edges"] = resolve(read, every, config.conformance.include_dirs)
    edges: list[Edge] = ctx.extras["import_edges"]
    return edges


def _ancestors(ctx: Context, item_id: str) -> list[str]:
    out: list[str] = []
    current = ctx.model.get(item_id)
    while current is not None:
        parent = current.get("parent")
        if not isinstance(parent, str) or parent in out or parent == item_id:
            break
        out.append(parent)
        current = ctx.model.get(parent)
    return out


def _allowed(ctx: Context, source: str, target: str) -> bool:
    """``source`` may import ``target``: ``target`` or an item containing it is in ``uses``."""
    item = ctx.model.get(source)
    if item is None:
        return True
    declared = set(item.ids("uses"))
    return target in declared or bool(declared & set(_ancestors(ctx, target)))


def _unrelated_pairs(ctx: Context, owners: list[Item]) -> Iterator[tuple[Item, Item]]:
    for i, first in enumerate(owners):
        for second in owners[i + 1 :]:
            if first.id in _ancestors(ctx, second.id) or second.id in _ancestors(ctx, first.id):
                continue
            yield first, second


def _used_items(ctx: Context, item: Item) -> list[Item]:
    used = (ctx.model.get(i) for i in item.ids("uses"))
    return [u for u in used if u is not None and u.kind == "software-item"]


def _declared_soup(ctx: Context, owner: str) -> set[str]:
    """Normalised names of the SOUP declared for ``owner`` or an item containing it (once per
    item: a large tree has many imports per item)."""
    memo: dict[str, set[str]] = ctx.extras.setdefault("declared_soup", {})
    if owner not in memo:
        memo[owner] = _soup_of(ctx, owner)
    return memo[owner]


def _soup_of(ctx: Context, owner: str) -> set[str]:
    chain = {owner, *_ancestors(ctx, owner)}
    named = {n for i in chain if i in ctx.model.items for n in _uses_and_soup(ctx.model.items[i])}
    out: set[str] = set()
    for soup in ctx.model.of_kind("soup"):
        if set(soup.ids("items")) & chain or soup.id in named:
            out |= {_normal(soup.id), _normal(str(soup.get("package") or ""))}
    out.discard("")
    return out


def _uses_and_soup(item: Item) -> list[str]:
    """What an item's ``uses`` and ``soup`` name (``soup`` read from the unknown fields too
    while the kind does not define it yet)."""
    soup = item.get("soup", item.unknown.get("soup"))
    listed = [soup] if isinstance(soup, str) else soup if isinstance(soup, list) else []
    return [*item.ids("uses"), *(s for s in listed if isinstance(s, str))]


@cache
def _names(package: str, ecosystem: str) -> frozenset[str]:
    """The names a SOUP entry may give an imported package: the import name and, for Python,
    the distributions installed here that provide it (``yaml`` → ``PyYAML``)."""
    names = {_normal(package)}
    if ecosystem == "python":
        names |= {_normal(d) for d in _distributions().get(package, [])}
    return frozenset(names)


@cache
def _distributions() -> dict[str, list[str]]:
    from importlib.metadata import packages_distributions

    return dict(packages_distributions())


def _normal(name: str) -> str:
    """PEP 503 normalisation (``Py_YAML`` → ``py-yaml``), applied to npm names too."""
    out = name.lower().replace("_", "-").replace(".", "-")
    while "--" in out:
        out = out.replace("--", "-")
    return out


__all__ = ["interfaces_of"]
