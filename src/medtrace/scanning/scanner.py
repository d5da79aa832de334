"""The scan: find the files, read each one (or take it from the cache) and collect the tags."""

from __future__ import annotations

import contextlib
import os
import re
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import NamedTuple

from medtrace import __version__
from medtrace.cache import FileCache, digest
from medtrace.cache.codec import pack, unpack
from medtrace.diagnostics import Diagnostic
from medtrace.errors import ParseAbandoned
from medtrace.fs.codes import special_file
from medtrace.fs.read import Refusal, read_regular
from medtrace.gcpause import gc_paused
from medtrace.scanning.codes import NOT_ANALYSED, not_analysed, skipped, unreadable
from medtrace.scanning.files import Candidate, Selection, discover
from medtrace.scanning.languages import LANGUAGES, Chooser, Language, Source
from medtrace.scanning.model import ScanResult, Tag, TestSymbol, make_tags, make_tests
from medtrace.scanning.nearmiss import near_misses
from medtrace.scanning.outline import Comment, Lines, Outline
from medtrace.scanning.reading import binary, decode
from medtrace.scanning.tags import (
    DEFAULT_ID_PATTERN,
    NEEDLE,
    VERBS,
    TagReader,
    TagTuple,
    has_needle,
)
from medtrace.scanning.treesitter import BUDGET, DEFAULT_BUDGET
from medtrace.workers import job_count, share_chunks

__all__ = ["CACHE_NAMESPACE", "scan"]

CACHE_NAMESPACE = "tags"
#: Changes whenever the meaning of cached per-file results changes.
_CACHE_FORMAT = 5  # 5: `@level` tags

#: Comments of the C family and of Python, and the string literals that may hide them (an
#: unterminated ``/*`` runs to the end, in one match; no possessive quantifiers, which
#: Python 3.11.2's ``re`` gets wrong).
_COMMENT_TOKENS = re.compile(
    r"(//[^\n]*|/\*.*?(?:\*/|\Z)|#[^\n]*|\"(?:[^\"\\\n]|\\.)*\"|'(?:[^'\\\n]|\\.)*')",
    re.DOTALL,
)

#: A tag as cached: verb, IDs, line, symbol, symbol line.
TagRow = tuple[str, tuple[str, ...], int, "str | None", "int | None"]


class FileScan(NamedTuple):
    """What one file holds (cached as a plain tuple, which pickles fastest)."""

    language: str
    is_test: bool
    tags: tuple[TagRow, ...] = ()
    tests: tuple[tuple[str, int], ...] = ()
    diagnostics: tuple[Diagnostic, ...] = ()
    skipped: str = ""
    how: str = ""  # how the language was told (see Chooser.choose)


class Scanned(NamedTuple):
    """A file's scan with the tags and tests made from it for the file ``rel``: what a
    resident cache keeps beside the file's entry (see :meth:`FileCache.get_made`), shared by
    every run of the process (tags and tests are frozen)."""

    scan: FileScan
    rel: str
    tags: list[Tag]
    tests: list[TestSymbol]


def _made_scan(cached: object, rel: str) -> Scanned | None:
    """What a resident cache keeps of a cached scan (``None``: not a scan)."""
    if not (isinstance(cached, tuple) and len(cached) == len(FileScan._fields)):
        return None
    return _scanned(rel, FileScan._make(cached))


def _scanned(rel: str, found: FileScan) -> Scanned:
    tags = make_tags(found.tags, rel, found.language) if found.tags else []
    tests = make_tests(found.tests, rel, found.language) if found.tests else []
    return Scanned(found, rel, tags, tests)


# @implements SRS-19
def scan(
    root: Path,
    sources: Sequence[str],
    tests: Sequence[str],
    exclude: Sequence[str] = (),
    *,
    cache_dir: Path | None = None,
    id_pattern: re.Pattern[str] | None = None,
    max_file_bytes: int = 2_000_000,
    selection: Selection | None = None,
    languages: Mapping[str, str] | None = None,
    parse_seconds: float = DEFAULT_BUDGET,
    id_prefixes: Collection[str] | None = None,
    jobs: int = 0,
) -> ScanResult:
    """Scan the source and test files under ``root`` for tags and tests (see the package).

    ``selection`` is the result of :func:`medtrace.scanning.files.discover` for the same
    arguments, when the caller has already found the files. ``languages`` is the
    ``[languages]`` table (glob to language name); ``parse_seconds`` the time budget of each
    file's parse; ``id_prefixes`` the project's ID prefixes (``SRS``, ``RISK``...), which tell
    a near-miss tag without its ``@`` from prose (see :mod:`medtrace.scanning.nearmiss`);
    ``jobs`` the worker processes for files to parse (0: every usable core).
    """
    root = Path(root).absolute()
    # the walk, the cache's entries, syntax trees, tags and tests: many objects and no cycle
    # to collect (a collection started by the cache's save walked every tag made before it);
    # the tags and tests outlive the scan: moved to the oldest generation, not walked again
    with gc_paused(promote=True):
        if selection is None:
            selection = discover(root, sources, tests, exclude)
        return _scan_selected(
            selection, cache_dir, id_pattern or DEFAULT_ID_PATTERN, max_file_bytes,
            dict(languages or {}), parse_seconds, id_prefixes, jobs,
        )  # fmt: skip


def _scan_selected(
    selection: Selection,
    cache_dir: Path | None,
    pattern: re.Pattern[str],
    max_file_bytes: int,
    table: dict[str, str],
    parse_seconds: float,
    id_prefixes: Collection[str] | None,
    jobs: int,
) -> ScanResult:
    prefixes = None if id_prefixes is None else frozenset(id_prefixes)
    cache = FileCache(cache_dir, CACHE_NAMESPACE, _salt(pattern, table, prefixes))
    result = ScanResult(diagnostics=list(selection.diagnostics))
    context = _Context(pattern, max_file_bytes, cache, Chooser(table), prefixes)
    token = BUDGET.set(parse_seconds)
    try:
        found = _scan_files(context, selection.files, jobs, parse_seconds)
        for candidate, one in zip(selection.files, found, strict=True):
            _collect(result, candidate, one)
    finally:
        BUDGET.reset(token)
    cache.save()
    return result


# @implements SRS-266
def _scan_files(
    context: _Context, files: list[Candidate], jobs: int, parse_seconds: float
) -> list[FileScan | Scanned | Diagnostic]:
    """Each file's scan, in order: from the cache, else read and parsed (in worker processes
    when many files need it, see :mod:`medtrace.workers`), then kept in the cache."""
    found, todo = context.lookup(files)
    settings = (context.id_pattern, context.max_file_bytes, context.chooser, context.prefixes)
    initargs = (*settings, parse_seconds, os.getpid(), context.cache.directory is not None)
    done = share_chunks(_scan_chunk, todo, job_count(jobs), _start, initargs, minimum=_MIN_FILES)
    for asked, record in zip(todo, done, strict=True):
        found[asked[0]] = _kept(context, asked, record)
    return [one for one in found if one is not None]


def _kept(context: _Context, asked: _Todo, record: _Record) -> FileScan | Scanned | Diagnostic:
    """A file's scan as the caller collects it, put in the cache when it may be cached (with
    its tags and tests, for a resident cache to keep)."""
    _, candidate, _, _, st = asked
    one, content_digest, packed = _received(context, asked, record)
    assert one is not None  # (read back by _received)
    found = one.scan if isinstance(one, Scanned) else one
    if content_digest is None or not isinstance(found, FileScan):
        return one
    resident = context.cache.resident
    if resident and not isinstance(one, Scanned):
        one = _scanned(candidate.rel, found)
    made = one if resident else None
    context.cache.put_digest(candidate.path, st, content_digest, tuple(found), made, packed)
    return one


#: A file whose cached scan is asked for: its index in the selection, the file, its language,
#: how the language was told, its stat.
_Asked = tuple[int, Candidate, Language, str, os.stat_result]

#: Files to parse below which the scan stays in this process (a file takes milliseconds).
_MIN_FILES = 48

#: A file to read and parse: its index in the selection, the file, its language's name, how
#: the language was told, its stat (plain data, sent to a worker process).
_Todo = tuple[int, Candidate, str, str, os.stat_result]

#: What reading a file gives: its scan (``None`` when a worker process sent it packed only; with
#: its tags and tests when this process made it), the digest of its content when the scan may be
#: cached, and the scan packed for the cache.
_Record = tuple["FileScan | Scanned | Diagnostic | None", "bytes | None", "bytes | None"]


class _Worker:
    """The scan settings of a worker process (see :func:`medtrace.workers.share_chunks`)."""

    context: _Context | None = None
    #: Whether scans are packed for the cache where they are made (it has a folder), and
    #: whether this process is the one that scans (it keeps the scans it made).
    pack: bool = False
    here: bool = True


def _start(
    pattern: re.Pattern[str],
    max_file_bytes: int,
    chooser: Chooser,
    prefixes: frozenset[str] | None,
    parse_seconds: float,
    parent: int,
    pack_scans: bool,
) -> None:
    cache = FileCache(None, CACHE_NAMESPACE, "")
    _Worker.context = _Context(pattern, max_file_bytes, cache, chooser, prefixes)
    _Worker.pack, _Worker.here = pack_scans, os.getpid() == parent
    if not _Worker.here:
        BUDGET.set(parse_seconds)  # this process's own context: its budget for good


def _scan_chunk(todo: list[_Todo]) -> list[_Record]:
    context = _Worker.context
    assert context is not None
    return [
        _packed(*context.read(candidate, LANGUAGES[name], how, st), candidate.rel)
        for _, candidate, name, how, st in todo
    ]


# @implements SRS-332, SRS-355
def _packed(one: FileScan | Diagnostic, content_digest: bytes | None, rel: str) -> _Record:
    """A scan to cache packed where it was made (in parallel: packing every scan at the save
    was the last step of the scanning process, in one piece); a worker process sends the
    packed scan alone, which reads back in one C call (:func:`_received`). The process that
    scans keeps its own scans with their tags and tests made (:func:`_scanned`) while the
    workers still parse, rather than after the last parse."""
    kept = _scanned(rel, one) if _Worker.here and isinstance(one, FileScan) else one
    if content_digest is None or not _Worker.pack or not isinstance(one, FileScan):
        return kept, content_digest, None
    try:
        packed = pack(tuple(one))
    except TypeError:  # not data: the cache would not keep it either
        return kept, content_digest, None
    return (kept if _Worker.here else None), content_digest, packed


def _received(context: _Context, asked: _Todo, record: _Record) -> _Record:
    """A file's record with its scan: read back from its packed form when a worker process
    sent that alone (and, should it not read back, the file read and parsed again here)."""
    one, content_digest, packed = record
    if one is not None or packed is None:
        return record
    with contextlib.suppress(ValueError, TypeError):
        return FileScan._make(unpack(packed)), content_digest, packed
    _, candidate, name, how, st = asked
    return (*context.read(candidate, LANGUAGES[name], how, st), None)


def _salt(pattern: re.Pattern[str], table: dict[str, str], prefixes: frozenset[str] | None) -> str:
    return (
        f"medtrace {__version__}; format {_CACHE_FORMAT}; ids {pattern.pattern!r} {pattern.flags}"
        f"; languages {sorted(table.items())!r}; prefixes {sorted(prefixes or ())!r}"
        f" {prefixes is None}"
    )


@dataclass(frozen=True, slots=True)
class _Context:
    id_pattern: re.Pattern[str]
    max_file_bytes: int
    cache: FileCache
    chooser: Chooser
    prefixes: frozenset[str] | None

    def lookup(
        self, files: list[Candidate]
    ) -> tuple[list[FileScan | Scanned | Diagnostic | None], list[_Todo]]:
        """What is known of each file without reading it (its cached scan, if it is current
        and was made for the file as it is selected now, or why it is not scanned), and the
        files to read and parse. The cached scans are asked for all at once (one loop of the
        cache over every file, see :meth:`FileCache.get_many`), unless the cache is resident
        (it then keeps the tags and tests it made, see :meth:`_made`)."""
        found: list[FileScan | Scanned | Diagnostic | None] = []
        asked: list[_Asked] = []
        for index, candidate in enumerate(files):
            known, todo_item = self._settle(candidate)
            found.append(known)
            if todo_item is not None:
                asked.append((index, *todo_item))
        cached: list[FileScan | Scanned | None]
        if not self.cache.size:  # a cold scan: no file has an entry to ask for
            cached = [None] * len(asked)
        elif self.cache.resident:
            cached = [self._made(c, st, how) for _, c, _, how, st in asked]
        else:
            values = self.cache.get_many([(c.path, st) for _, c, _, _, st in asked])
            cached = list(map(_current_scan, values, asked))
        todo: list[_Todo] = []
        for (index, candidate, language, how, st), scanned in zip(asked, cached, strict=True):
            if scanned is None:
                todo.append((index, candidate, language.name, how, st))
            else:
                found[index] = scanned
        return found, todo

    def _settle(
        self, candidate: Candidate
    ) -> tuple[
        FileScan | Diagnostic | None,
        tuple[Candidate, Language, str, os.stat_result] | None,
    ]:
        """Why a file is not scanned; else ``None`` and its language, how it was told and
        its stat, for its cached scan to be asked for."""
        language, how = self.chooser.choose(candidate.rel, candidate.path)
        if language is None:
            return FileScan("", candidate.is_test, skipped="no known language for this file"), None
        st = candidate.stat
        if st is None:
            try:
                st = os.stat(candidate.path)  # noqa: PTH116  # a string path is cheaper
            except OSError as error:
                return unreadable(candidate.rel, _reason(error)), None
        if st.st_size > self.max_file_bytes:
            return FileScan(language.name, candidate.is_test, skipped=self._large(st.st_size)), None
        return None, (candidate, language, how, st)

    # @implements SRS-298
    def _made(self, candidate: Candidate, st: os.stat_result, how: str) -> Scanned | None:
        """The scan, tags and tests a resident cache made from the file's entry, if it is
        current and was made for this file as it is selected now."""
        rel = candidate.rel
        made = self.cache.get_made(candidate.path, st, lambda value: _made_scan(value, rel))
        if not isinstance(made, Scanned) or made.rel != rel:
            return None
        found = made.scan
        return made if found.is_test == candidate.is_test and found.how == how else None

    def read(
        self, candidate: Candidate, language: Language, how: str, st: os.stat_result
    ) -> tuple[FileScan | Diagnostic, bytes | None]:
        """Read and parse one file; the digest of its content when the scan may be cached
        (an abandoned parse is retried next time)."""
        content = read_regular(candidate.path, self.max_file_bytes, st)
        if content.refusal is Refusal.TOO_LARGE:
            return FileScan(language.name, candidate.is_test, skipped=self._large(0)), None
        if content.refusal is Refusal.SPECIAL:
            return special_file(candidate.rel, content.reason, "sources and tests"), None
        if not content.ok:
            return unreadable(candidate.rel, content.reason), None
        data = content.data
        language = self.chooser.settle(language, how, data)
        found = analyze(
            data, candidate.rel, language, candidate.is_test, self.id_pattern, self.prefixes
        )
        found = FileScan(*found[:-1], how)  # (``_replace`` is a loop in Python)
        if found.diagnostics and any(d.code == NOT_ANALYSED.code for d in found.diagnostics):
            return found, None
        return found, digest(data)

    def _large(self, size: int) -> str:
        said = f"{size} bytes" if size else "it grew while read: over"
        return f"{said}, more than the {self.max_file_bytes} bytes scanned"


def _current_scan(
    cached: object, asked: tuple[int, Candidate, object, str, object]
) -> FileScan | None:
    """The cached value of a file as its scan, if it is one made for the file as it is
    selected now (``asked``: its index, the file, its language, how that was told, its stat)."""
    if isinstance(cached, tuple) and len(cached) == len(FileScan._fields):
        candidate, how = asked[1], asked[3]
        if cached[1] == candidate.is_test and cached[6] == how:
            return FileScan._make(cached)
    return None


def _reason(error: OSError) -> str:
    if isinstance(error, FileNotFoundError):
        return "broken symbolic link or missing file"
    return error.strerror or type(error).__name__


def analyze(
    data: bytes,
    rel: str,
    language: Language,
    is_test: bool,
    id_pattern: re.Pattern[str],
    prefixes: frozenset[str] | None = None,
) -> FileScan:
    """The tags and tests of one file's content."""
    if binary(data):
        return FileScan(language.name, is_test, skipped="binary file (NUL bytes)")
    source, problem = decode(data, rel)
    noted = [] if problem is None else [problem]
    near = near_misses(source.text, rel, language.name == "python", prefixes)
    if not is_test and not has_needle(source.data):
        return FileScan(language.name, is_test, diagnostics=(*noted, *near))
    outline = _outline(language, source, is_test, rel, noted)
    tags, diagnostics = _tags(outline, rel, id_pattern)
    tests = tuple((s.qualname, s.line) for s in outline.symbols if s.test) if is_test else ()
    return FileScan(language.name, is_test, tags, tests, (*noted, *diagnostics, *near))


def _outline(
    language: Language, source: Source, is_test: bool, rel: str, noted: list[Diagnostic]
) -> Outline:
    """The language's outline; if the parser fails unexpectedly or runs past its time budget,
    the file's comments alone (every tag then belongs to the file: never lost)."""
    try:
        return language.outline(source, is_test)
    except ParseAbandoned as abandoned:
        noted.append(not_analysed(rel, abandoned.seconds))
    except Exception:  # a bug in an engine must not cost the scan
        pass
    return comments_only(source, language.name == "python")


def comments_only(source: Source, hash_comments: bool) -> Outline:
    """An outline of a file's comments alone, every tag belonging to the file: the last resort
    when no engine can read it. ``#`` starts a comment when ``hash_comments`` is true."""
    text = source.text
    result = Outline(text, text, Lines(text))
    for match in _COMMENT_TOKENS.finditer(text):
        token = match.group()
        is_comment = token[:2] in ("//", "/*") or (hash_comments and token[0] == "#")
        if is_comment and NEEDLE.search(token):
            line = result.lines.line(match.start())
            result.comments.append(Comment(match.start(), match.end(), token, line, False, True))
    return result


def _tags(
    outline: Outline, rel: str, id_pattern: re.Pattern[str]
) -> tuple[tuple[TagRow, ...], list[Diagnostic]]:
    rows: list[TagRow] = []
    problems: list[Diagnostic] = []
    reader = _reader(id_pattern)
    text = outline.text if isinstance(outline.text, str) else None
    add = rows.append
    for comment, owner in outline.owners():
        found = None
        if text is not None and comment.verbs:
            found = _known_tags(reader, text, comment)
        if found is None:
            found, bad = reader.read(comment.text, comment.line, rel)
            problems += bad
        symbol, line = (None, None) if owner is None else (owner.qualname, owner.line)
        for verb, ids, number in found:
            add((verb, ids, number, symbol, line))
    for number, ids, marked in outline.markers:
        owner_name, owner_line = (marked.qualname, marked.line) if marked else (None, None)
        rows.append(("verifies", ids, number, owner_name, owner_line))
    return tuple(rows), problems


def _known_tags(reader: TagReader, text: str, comment: Comment) -> list[TagTuple] | None:
    """The tags of a comment whose verbs the engine found, read in the file's text; ``None``
    unless every one is well formed (the comment is then read again, for its diagnostics)."""
    found: list[TagTuple] = []
    shift = 0
    if comment.docstring:  # read in the comment's own text, without its closing quotes
        text, shift = comment.text, comment.start
    for verb, offset in comment.verbs:
        ids = reader.values_at(verb, text, offset - shift)
        if ids is None:
            return None
        line = comment.line + text.count("\n", comment.start - shift, offset - shift)
        found.append((VERBS[verb], ids, line))
    return found


@cache
def _reader(id_pattern: re.Pattern[str]) -> TagReader:
    return TagReader(id_pattern)


def _collect(
    result: ScanResult, candidate: Candidate, one: FileScan | Scanned | Diagnostic
) -> None:
    rel = candidate.rel
    if isinstance(one, Diagnostic):
        result.diagnostics.append(one)
        return
    found = one.scan if isinstance(one, Scanned) else one
    if found.skipped:
        result.skipped.append((rel, found.skipped))
        result.diagnostics.append(skipped(rel, found.skipped))
        return
    result.files.append(rel)
    if candidate.is_test:
        result.test_files.append(rel)
    if isinstance(one, Scanned):  # made once, by a resident cache
        result.tags += one.tags
        result.tests += one.tests
    else:
        if found.tags:
            result.tags += make_tags(found.tags, rel, found.language)
        if found.tests:
            result.tests += make_tests(found.tests, rel, found.language)
    if found.diagnostics:
        result.diagnostics += found.diagnostics
