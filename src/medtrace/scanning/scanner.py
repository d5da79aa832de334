"""The scan: find the files, read each one (or take it from the cache) and collect the tags."""

from __future__ import annotations

import os
import re
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import NamedTuple

from medtrace import __version__
from medtrace.cache import FileCache
from medtrace.diagnostics import Diagnostic
from medtrace.errors import ParseAbandoned
from medtrace.fs.codes import special_file
from medtrace.fs.read import Refusal, read_regular
from medtrace.scanning.codes import NOT_ANALYSED, not_analysed, skipped, unreadable
from medtrace.scanning.files import Candidate, Selection, discover
from medtrace.scanning.languages import Chooser, Language, Source
from medtrace.scanning.model import ScanResult, make_tags, make_tests
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
) -> ScanResult:
    """Scan the source and test files under ``root`` for tags and tests (see the package).

    ``selection`` is the result of :func:`medtrace.scanning.files.discover` for the same
    arguments, when the caller has already found the files. ``languages`` is the
    ``[languages]`` table (glob to language name); ``parse_seconds`` the time budget of each
    file's parse; ``id_prefixes`` the project's ID prefixes (``SRS``, ``RISK``...), which tell
    a near-miss tag without its ``@`` from prose (see :mod:`medtrace.scanning.nearmiss`).
    """
    root = Path(root).absolute()
    pattern = id_pattern or DEFAULT_ID_PATTERN
    if selection is None:
        selection = discover(root, sources, tests, exclude)
    table = dict(languages or {})
    prefixes = None if id_prefixes is None else frozenset(id_prefixes)
    cache = FileCache(cache_dir, CACHE_NAMESPACE, _salt(pattern, table, prefixes))
    result = ScanResult(diagnostics=list(selection.diagnostics))
    context = _Context(pattern, max_file_bytes, cache, Chooser(table), prefixes)
    token = BUDGET.set(parse_seconds)
    try:
        for candidate in selection.files:
            _collect(result, candidate, context.file(candidate))
    finally:
        BUDGET.reset(token)
    cache.save()
    return result


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

    def file(self, candidate: Candidate) -> FileScan | Diagnostic:
        """The scan of one file, or the diagnostic of why it could not be read."""
        language, how = self.chooser.choose(candidate.rel, candidate.path)
        if language is None:
            return FileScan("", candidate.is_test, skipped="no known language for this file")
        st = candidate.stat
        if st is None:
            try:
                st = os.stat(candidate.path)  # noqa: PTH116  # a string path is cheaper
            except OSError as error:
                return unreadable(candidate.rel, _reason(error))
        if st.st_size > self.max_file_bytes:
            return FileScan(language.name, candidate.is_test, skipped=self._large(st.st_size))
        cached = self.cache.get(candidate.path, st)
        if isinstance(cached, tuple) and len(cached) == len(FileScan._fields):
            found = FileScan._make(cached)
            if found.is_test == candidate.is_test and found.how == how:
                return found
        content = read_regular(candidate.path, self.max_file_bytes, st)
        if content.refusal is Refusal.TOO_LARGE:
            return FileScan(language.name, candidate.is_test, skipped=self._large(0))
        if content.refusal is Refusal.SPECIAL:
            return special_file(candidate.rel, content.reason, "sources and tests")
        if not content.ok:
            return unreadable(candidate.rel, content.reason)
        data = content.data
        language = self.chooser.settle(language, how, data)
        found = analyze(
            data, candidate.rel, language, candidate.is_test, self.id_pattern, self.prefixes
        )
        found = found._replace(how=how)
        if not any(d.code == NOT_ANALYSED.code for d in found.diagnostics):
            self.cache.put(candidate.path, st, data, tuple(found))  # an abandoned parse: retried
        return found

    def _large(self, size: int) -> str:
        said = f"{size} bytes" if size else "it grew while read: over"
        return f"{said}, more than the {self.max_file_bytes} bytes scanned"


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
    for comment, owner in outline.owners():
        found = _known_tags(reader, text, outline, comment)
        if found is None:
            found, bad = reader.read(comment.text, comment.line, rel)
            problems += bad
        if owner is None:
            rows += [(verb, ids, number, None, None) for verb, ids, number in found]
        else:
            symbol, line = owner.qualname, owner.line
            rows += [(verb, ids, number, symbol, line) for verb, ids, number in found]
    for number, ids, marked in outline.markers:
        owner_name, owner_line = (marked.qualname, marked.line) if marked else (None, None)
        rows.append(("verifies", ids, number, owner_name, owner_line))
    return tuple(rows), problems


def _known_tags(
    reader: TagReader, text: str | None, outline: Outline, comment: Comment
) -> list[TagTuple] | None:
    """The tags of a comment whose verbs the engine found, read in the file's text; ``None``
    unless every one is well formed (the comment is then read again, for its diagnostics)."""
    if text is None or not comment.verbs:
        return None
    found: list[TagTuple] = []
    shift = 0
    if comment.docstring:  # read in the comment's own text, without its closing quotes
        text, shift = comment.text, comment.start
    for verb, offset in comment.verbs:
        ids = reader.ids_at(text, offset - shift)
        if ids is None:
            return None
        line = comment.line + text.count("\n", comment.start - shift, offset - shift)
        found.append((VERBS[verb], ids, line))
    return found


@cache
def _reader(id_pattern: re.Pattern[str]) -> TagReader:
    return TagReader(id_pattern)


def _collect(result: ScanResult, candidate: Candidate, found: FileScan | Diagnostic) -> None:
    rel = candidate.rel
    if isinstance(found, Diagnostic):
        result.diagnostics.append(found)
        return
    if found.skipped:
        result.skipped.append((rel, found.skipped))
        result.diagnostics.append(skipped(rel, found.skipped))
        return
    result.files.append(rel)
    if candidate.is_test:
        result.test_files.append(rel)
    if found.tags:
        result.tags += make_tags(found.tags, rel, found.language)
    if found.tests:
        result.tests += make_tests(found.tests, rel, found.language)
    if found.diagnostics:
        result.diagnostics += found.diagnostics
