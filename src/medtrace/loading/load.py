"""The loading stage: find item files, read them (from the cache when unchanged), build items."""

from __future__ import annotations

import dataclasses
import operator
import os
import pickle
from array import array
from collections.abc import Callable, Collection
from dataclasses import dataclass, field
from itertools import accumulate, chain, compress, count, repeat
from operator import itemgetter
from typing import Any, NamedTuple, cast

from medtrace.cache import FileCache, digest
from medtrace.config import Config
from medtrace.diagnostics import Diagnostic
from medtrace.fs.codes import special_file
from medtrace.fs.read import Content, Refusal, read_regular
from medtrace.loading.build import Builder
from medtrace.loading.codes import FILE_UNREADABLE
from medtrace.loading.discover import Discovered, find_item_files, salt
from medtrace.loading.parse import entry_lines, parse_file
from medtrace.loading.shared import shared_item
from medtrace.model import Item
from medtrace.workers import Split, job_count, run_chunks

__all__ = ["Helper", "Loaded", "Unsaved", "help_load", "load_items"]


#: A parsed file whose cache entry is still to be made: its path, stat, content digest, items
#: (objects, or rows from a worker) and diagnostics.
Pending = tuple[str, os.stat_result, bytes, list[Any], list[Diagnostic]]


# @implements SRS-337
@dataclass
class Unsaved:
    """The items cache left for the caller to save (``load_items(save=False)``), with the
    files parsed in this run still to be put into it: making their cached rows and entries
    (a third of a second at 100,000 files) is part of the saving, which the caller may do in
    another process (its items are those of the load: nothing changes an item once built)."""

    cache: FileCache
    pending: list[Pending] = field(default_factory=list)

    def save(self) -> None:
        for rel, st, content_digest, items, diags in self.pending:
            rows = [_row(i) for i in items] if items and isinstance(items[0], Item) else items
            value = [rows, [d.to_tuple() for d in diags]]
            self.cache.put_digest(rel, st, content_digest, value)
        self.pending = []
        self.cache.save()


@dataclass
class Loaded:
    items: list[Item] = field(default_factory=list)
    files: list[str] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)
    #: The items cache when its saving was left to the caller (``load_items(save=False)``).
    unsaved: Unsaved | None = None


FileResult = tuple[list[Item], list[Diagnostic]]
#: What parsing one file gives: its content digest (``None``: not read, so not cached), then
#: its items and diagnostics, as objects or (from a worker process) as tuples.
Parsed = tuple["bytes | None", list[Any], list[Any]]


class Helper(NamedTuple):
    """A child started ahead (see :class:`medtrace.workers.Ahead`) that parses the last
    chunks of the item files once its own work is done (:func:`help_load`), how to wait
    for its end, and what this process does between two of its own chunks (``between``: work
    the child's progress may have made possible, such as reading what it stored)."""

    split: Split[tuple[str, os.stat_result], Parsed]
    wait: Callable[[], None]
    between: Callable[[], object] | None = None


# @implements SRS-265, SRS-319
def load_items(
    config: Config,
    found: Discovered | None = None,
    *,
    use_cache: bool = True,
    jobs: int | None = None,
    save: bool = True,
    helper: Helper | None = None,
) -> Loaded:
    """The items of every item file: unchanged files from the cache, the others parsed (in
    worker processes when there are many, see :mod:`medtrace.workers`; ``jobs`` overrides
    ``limits.jobs``; or here and by a ``helper``, see :func:`_parse_helped`). Without
    ``save``, a cache that is not resident is left for the caller to save
    (:attr:`Loaded.unsaved`), which may do it in another process."""
    root = str(config.root)
    found = found if found is not None else find_item_files(config)
    out = Loaded(diagnostics=list(found.diagnostics))
    cache = FileCache(config.cache_dir if use_cache else None, "items", salt(config))
    if cache.resident:
        paths, stats = _in_order(found.files)
        results, missing = _from_resident(cache, paths, stats, root)
        todo = [(paths[index], stats[index]) for index in missing]
    else:
        ordered = sorted(found.files.items())
        results, missing = _from_cache(cache, ordered, root)
        todo = [ordered[index] for index in missing]
        paths = list(map(_FIRST, ordered))
    if helper is not None and len(todo) >= _HELPED:
        parsed = _parse_helped(config, todo, helper)
    else:
        processes = job_count(config.limits.jobs if jobs is None else jobs)
        parsed = run_chunks(_parse_chunk, todo, processes, _start, (config, os.getpid()))
    unsaved = Unsaved(cache) if not (save or cache.resident) else None
    pending = unsaved.pending if unsaved is not None else None
    for index, (rel, st), record in zip(missing, todo, parsed, strict=True):
        results[index] = _store(cache, rel, st, record, pending)
    done = cast("list[FileResult]", results)
    if cache.resident and not found.external:
        _LAST.gather(out, paths, done)
    else:
        _gather(out, paths, done, found.external)
    if unsaved is None:
        cache.save()
    out.unsaved = unsaved
    return out


def _gather(
    out: Loaded, paths: list[str], results: list[FileResult], external: Collection[str]
) -> None:
    """Every file's items and diagnostics, in order (C loops: there are 100,000 files)."""
    out.files = paths
    if external:
        results = [
            (items, [_without_content(d) for d in diags]) if rel in external else (items, diags)
            for rel, (items, diags) in zip(out.files, results, strict=True)
        ]
    out.items = list(chain.from_iterable(map(_FIRST, results)))
    out.diagnostics.extend(chain.from_iterable(map(_SECOND, results)))


_FIRST, _SECOND = itemgetter(0), itemgetter(1)


class _Gathered:
    """The last load of a resident process, gathered (see :mod:`medtrace.cache.resident`): the
    files in order and the very objects of each, every file's items and diagnostics one after
    the other, and where each file's end in them. A load of the same files whose objects are
    the same but for a few files gathers the new ones between slices of the last (all C
    copies) instead of reading 100,000 files' objects again."""

    def __init__(self) -> None:
        self.files: list[str] = []
        self.results: list[FileResult] = []
        self.items: list[Item] = []
        self.diagnostics: list[Diagnostic] = []
        self.item_ends: list[int] = []
        self.diagnostic_ends: list[int] = []

    def gather(self, out: Loaded, paths: list[str], results: list[FileResult]) -> None:
        """:func:`_gather` (no file reached through an outside link), from the last one."""
        out.files = paths
        changed: list[int] | None = None
        if out.files == self.files and len(results) == len(self.results):
            changed = list(compress(count(), map(operator.is_not, results, self.results)))
        if changed is None or len(changed) > _FEW_CHANGED:
            self._all(out.files, results)
        elif changed:
            self._some(results, changed)
        out.items = list(self.items)  # copies: the caller may change its lists
        out.diagnostics.extend(self.diagnostics)

    def _all(self, files: list[str], results: list[FileResult]) -> None:
        self.files, self.results = list(files), results  # (a copy: the caller has ``files``)
        self.items = list(chain.from_iterable(map(_FIRST, results)))
        self.diagnostics = list(chain.from_iterable(map(_SECOND, results)))
        self.item_ends = list(accumulate(map(len, map(_FIRST, results))))
        self.diagnostic_ends = list(accumulate(map(len, map(_SECOND, results))))

    def _some(self, results: list[FileResult], changed: list[int]) -> None:
        items = [results[index][0] for index in changed]
        diagnostics = [results[index][1] for index in changed]
        self.items, self.item_ends = _splice(self.items, self.item_ends, changed, items)
        self.diagnostics, self.diagnostic_ends = _splice(
            self.diagnostics, self.diagnostic_ends, changed, diagnostics
        )
        self.results = results


#: More files changed than this since the last load: gathered anew.
_FEW_CHANGED = 64
_LAST = _Gathered()


def _splice(
    flat: list[Any], ends: list[int], changed: list[int], segments: list[list[Any]]
) -> tuple[list[Any], list[int]]:
    """``flat`` (the segments of all files, one after the other; ``ends[i]``: where file
    ``i``'s ends) with the segments of the files ``changed`` (ascending) replaced."""
    pieces: list[list[Any]] = []
    new_ends: list[int] = []
    start = shift = 0  # where the next slice of ``flat`` starts; how far ends have moved
    for index, segment in zip(changed, segments, strict=True):
        begin = ends[index - 1] if index else 0
        pieces += [flat[start:begin], segment]
        new_ends += _shifted(ends[len(new_ends) : index], shift)
        shift += len(segment) - (ends[index] - begin)
        new_ends.append(ends[index] + shift)
        start = ends[index]
    pieces.append(flat[start:])
    new_ends += _shifted(ends[len(new_ends) :], shift)
    spliced: list[Any] = []
    for piece in pieces:
        spliced += piece  # a list: copied at once
    return spliced, new_ends


def _shifted(ends: list[int], shift: int) -> list[int]:
    return [end + shift for end in ends] if shift else ends


#: The item files as last found and in order, kept by a resident process (see
#: :mod:`medtrace.cache.resident`): the same files found again are in the same order.
_last_order: tuple[list[str], list[str]] = ([], [])


def _in_order(files: dict[str, os.stat_result]) -> tuple[list[str], list[os.stat_result]]:
    """The paths of the files in order (the order items are given in) and their stats: sorted
    again only when they are not the files sorted last (a resident process)."""
    global _last_order
    found = list(files)
    if found != _last_order[0]:
        _last_order = (found, sorted(found))
    order = _last_order[1]
    return list(order), list(map(files.__getitem__, order))


def _from_cache(
    cache: FileCache, ordered: list[tuple[str, os.stat_result]], root: str
) -> tuple[list[FileResult | None], list[int]]:
    """The items and diagnostics of each file (``None`` where the cache has none current), and
    the indexes of the files it has none for. (Runs once per item file: no Python call per file
    but the items' own.)"""
    results: list[FileResult | None] = []
    missing: list[int] = []
    item, diagnostic = Item.from_tuple, Diagnostic.from_tuple
    for index, cached in enumerate(cache.get_many(ordered, root)):
        if cached is None:
            missing.append(index)
            results.append(None)
        else:
            rows, diags = cached
            results.append(
                ([item(t) for t in rows], [diagnostic(t) for t in diags] if diags else [])
            )
    return results, missing


# @implements SRS-297
def _from_resident(
    cache: FileCache, paths: list[str], stats: list[os.stat_result], root: str
) -> tuple[list[FileResult | None], list[int]]:
    """:func:`_from_cache` of a resident cache: each current file's items and diagnostics are
    the very objects made from its entry before (see :meth:`FileCache.get_made`). They are
    shared by every run of the process, so no stage may change them (none does: items are
    built once, here, and a diagnostic is frozen)."""
    results: list[FileResult | None] = cache.get_many_made(paths, stats, _objects, root)
    return results, list(compress(count(), map(operator.is_, results, repeat(None))))


def _objects(cached: Any) -> FileResult:
    rows, diags = cached  # (kept for the server's life: repeated strings shared)
    return [shared_item(t) for t in rows], [Diagnostic.from_tuple(t) for t in diags]


def _store(
    cache: FileCache,
    rel: str,
    st: os.stat_result,
    record: Parsed,
    pending: list[Pending] | None,
) -> FileResult:
    """One parsed file's items and diagnostics as objects, kept in the cache if it was read
    (or left ``pending`` for whoever saves it, see :class:`Unsaved`)."""
    content_digest, items, diags = record
    rows = None
    if items and not isinstance(items[0], Item):  # made by a worker process: rows already
        rows = items
        items = [Item.from_tuple(t) for t in rows]
    if content_digest is not None and pending is not None:
        pending.append((rel, st, content_digest, rows if rows is not None else items, diags))
    elif content_digest is not None:
        rows = rows if rows is not None else [_row(i) for i in items]
        value = [rows, [d.to_tuple() for d in diags]]
        cache.put_digest(rel, st, content_digest, value, (items, diags))
    return items, diags


def _row(item: Item) -> list[Any]:
    """An item as cached and sent back by a worker: :meth:`Item.to_tuple` as a list, which
    MessagePack writes and reads in C (a tuple costs a call into Python each way)."""
    return list(item.to_tuple())


class _Worker:
    """What parsing needs, made once per process (see :func:`medtrace.workers.run_chunks`)."""

    root = ""
    limit = 0
    builder: Builder | None = None
    compact = False


def _start(config: Config, parent: int) -> None:
    _Worker.root = os.path.join(str(config.root), "")  # with its separator: root + rel
    _Worker.limit = config.limits.max_file_bytes
    _Worker.builder = Builder(config)
    _Worker.compact = os.getpid() != parent  # records cross a process boundary: rows


def _parse_chunk(files: list[tuple[str, os.stat_result]]) -> list[Parsed]:
    builder = _Worker.builder
    assert builder is not None
    out: list[Parsed] = []
    for rel, st in files:
        content_digest, items, diags = _load_file(_Worker.root, rel, st, _Worker.limit, builder)
        if _Worker.compact:
            out.append((content_digest, [_row(i) for i in items], diags))
        else:
            out.append((content_digest, items, diags))
    return out


#: Files below which a helper is not offered any (the child would not start on them in
#: time); files per chunk taken by either process.
_HELPED, _HELP_CHUNK = 1000, 200


# @implements SRS-336
def _parse_helped(
    config: Config, todo: list[tuple[str, os.stat_result]], helper: Helper
) -> list[Parsed]:
    """:func:`_parse_chunk` over ``todo``: this process takes chunks from the front while the
    helper takes them from the back; a chunk the helper did not hand back in good form is
    parsed here after it ended. Records in the order of ``todo``, as one process gives them."""
    split = helper.split
    _start(config, os.getpid())
    split.offer(_encoded(todo), len(todo), _HELP_CHUNK)
    mine: dict[int, list[Parsed]] = {}
    while (index := split.take()) is not None:
        mine[index] = _parse_chunk(split.chunk(todo, index))
        if helper.between is not None:
            helper.between()
    theirs = split.theirs(helper.wait)
    parsed: list[Parsed] = []
    for index in range(split.chunks):
        records = mine.get(index) or _received(theirs.get(index))
        parsed += records or _parse_chunk(split.chunk(todo, index))
    return parsed


_IDENTITY = operator.attrgetter("st_dev", "st_ino")


def _encoded(todo: list[tuple[str, os.stat_result]]) -> bytes:
    """The files for the helper: their paths, and the identity (device, inode) each was found
    with, which is what reading it checks (pickling 100,000 stat results took half a second
    of this process; this, a fiftieth)."""
    names = "\0".join(map(_FIRST, todo)).encode("utf-8", "surrogateescape")
    identities = array("Q", chain.from_iterable(map(_IDENTITY, map(_SECOND, todo))))
    return pickle.dumps((names, identities), protocol=pickle.HIGHEST_PROTOCOL)


def _decoded(data: bytes) -> list[tuple[str, os.stat_result]]:
    """:func:`_encoded` read back in the helper: each file with a stat result that holds the
    identity it was found with (the rest is not read)."""
    names, identities = pickle.loads(data)
    paths = names.decode("utf-8", "surrogateescape").split("\0")
    pairs = zip(identities[::2], identities[1::2], strict=True)
    return [
        (rel, os.stat_result((0, ino, dev, 0, 0, 0, 0, 0, 0, 0)))
        for rel, (dev, ino) in zip(paths, pairs, strict=True)
    ]


def _received(records: list[Parsed] | None) -> list[Parsed] | None:
    """A chunk's records from the helper with their diagnostics made again (``None``: not
    handed back, or not in the form it sends)."""
    if records is None:
        return None
    try:
        return [(d, rows, [Diagnostic.from_tuple(t) for t in diags]) for d, rows, diags in records]
    except (TypeError, ValueError, IndexError):
        return None


def help_load(config: Config, split: Split[tuple[str, os.stat_result], Parsed]) -> None:
    """In the child started ahead, its own work done: parse the last chunks of the item files
    this process offers (see :func:`_parse_helped`), as rows and diagnostics as tuples."""

    def decode(data: bytes) -> list[tuple[str, os.stat_result]]:
        _start(config, -1)  # only when there is something to parse; records cross: rows
        return _decoded(data)

    split.help(decode, _parse_compact)


def _parse_compact(files: list[tuple[str, os.stat_result]]) -> list[Parsed]:
    return [(d, rows, [x.to_tuple() for x in diags]) for d, rows, diags in _parse_chunk(files)]


# @implements SRS-4, SRS-53
def _load_file(
    root: str, rel: str, st: os.stat_result, limit: int, builder: Builder
) -> tuple[bytes | None, list[Item], list[Diagnostic]]:
    """One item file, read as a regular file of at most ``limit`` bytes (never a pipe or a
    device, whatever its ``stat`` said when it was found); its digest if it was read.
    ``root`` ends with a separator and ``rel`` is relative (as the walk gives it): joined by
    concatenation, once per file."""
    content = read_regular(root + rel, limit, st)
    if not content.ok:
        return None, [], [_refused(rel, content, limit)]
    data = content.data
    items, diags = _parse(data, rel, builder)
    return digest(data), items, diags


# @implements SRS-54
def _without_content(diagnostic: Diagnostic) -> Diagnostic:
    """A problem of a file reached through a link out of the project (followed because the
    configuration says so), told without quoting the file: it may be anyone's secret."""
    return dataclasses.replace(
        diagnostic,
        found=f"{diagnostic.rule} in a file outside the project, reached through this link "
        "(its content is not shown)",
    )


def _refused(rel: str, content: Content, limit: int) -> Diagnostic:
    if content.refusal is Refusal.TOO_LARGE:
        return FILE_UNREADABLE(
            f"file is {content.reason}",
            expected=f"at most {limit:,} bytes (limits.max_file_bytes)",
            hint="split it into several files, or raise limits.max_file_bytes",
            path=rel,
        )
    if content.refusal is Refusal.SPECIAL:
        return special_file(rel, content.reason, "paths.items")
    return FILE_UNREADABLE(
        f"cannot read: {content.reason}",
        expected="a readable file",
        hint="check its permissions",
        path=rel,
    )


def _parse(data: bytes, rel: str, builder: Builder) -> FileResult:
    if b"\x00" in data:  # before decoding: a binary file is not "badly encoded text"
        return [], [
            FILE_UNREADABLE(
                "binary content (NUL bytes)",
                expected="a text file encoded as UTF-8",
                hint="Keep binary files outside paths.items.",
                path=rel,
            )
        ]
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        return [], [
            FILE_UNREADABLE(
                f"not UTF-8: byte 0x{data[exc.start]:02x} at offset {exc.start}",
                expected="text encoded as UTF-8",
                hint="Re-save the file as UTF-8 (most editors offer 'Save with encoding').",
                path=rel,
                line=line,
            )
        ]
    parsed = parse_file(text, rel)
    items: list[Item] = []
    diags = list(parsed.diagnostics)
    lines: list[int] | None = None
    for record in parsed.records:
        item, problems = builder.build(record, rel)
        if problems and not record.line:  # an entry of a YAML file: find its line now
            lines = entry_lines(text) if lines is None else lines
            line = lines[record.index] if record.index < len(lines) else 0
            problems = [dataclasses.replace(d, line=d.line or line) for d in problems]
        diags.extend(problems)
        if item is not None:
            items.append(item)
    return items, diags
