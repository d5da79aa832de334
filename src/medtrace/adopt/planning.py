"""Finding the bare mentions in a project's code and planning the tags that replace them.

For each code and test file of the project (``[paths] sources`` and ``tests``, as ``check``
finds them): the comments that mention an ID of the selected kinds, each ID once per comment.
A known ID becomes a tag at the end of the mentioning line: ``@verifies`` in a test file,
``@implements`` elsewhere. An unknown ID is listed, never converted.

The tag's owner is the scanner's own verdict: the file is scanned again with the tags in place
and each new tag must come out whole, on its line, with its IDs, and without a new problem;
what does not is refused, with the reason. A mention whose symbol (or file) already carries a
tag for that ID (including ``@pytest.mark.verifies``) is already traced and left alone, so a
second run finds nothing.

Never extended either (listed with the reason): a comment line ending with a backslash (in C
it continues the comment on the next line), a directive comment (``//go:generate``), and IDs
quoted as examples. Last, the file's code with its comments blanked must be the same before and
after, blanks aside: an edit that would reach outside the comments is withdrawn.
"""

from __future__ import annotations

import codecs
import os
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from functools import cache, partial
from pathlib import Path

from medtrace.adopt.comments import CommentSpan, blanked_code, comments_of
from medtrace.adopt.edits import (
    Insertion,
    apply,
    docstring_quotes,
    encode_like,
    insertion_point,
    line_bounds,
)
from medtrace.adopt.mentions import IdForms
from medtrace.adopt.model import Adoption, FilePlan, Proposal, Refusal, Unknown
from medtrace.config import Config
from medtrace.diagnostics import Diagnostic
from medtrace.ids import closest_id
from medtrace.scanning.codes import TAG_MALFORMED, skipped, unreadable
from medtrace.scanning.files import Candidate, discover
from medtrace.scanning.languages import Chooser, Language, Source
from medtrace.scanning.outline import Lines
from medtrace.scanning.reading import binary, decode
from medtrace.scanning.scanner import FileScan, analyze
from medtrace.scanning.tags import DEFAULT_ID_PATTERN

__all__ = ["plan", "plan_file"]

#: The symbol a tag belongs to: qualified name and line, ``(None, None)`` for the file.
Owner = tuple[str | None, int | None]
Closest = Callable[[str], "str | None"]
_UTF16 = (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)
_ESCAPED = "the comment line ends with a backslash (a line continuation)"
_DIRECTED = "a directive comment (text added to it would change what it does)"
#: Comments that tools read as instructions (Go's ``//go:generate``, ``//line``, cgo's
#: ``//export``, build constraints, a shebang): a tag appended to one would be an argument.
_DIRECTIVE = re.compile(r"[ \t]*(?://go:|//line |//export |// ?\+build|#!)")
_QUOTED = "quoted (inline code, double quotes or a doctest line): an example, not a reference"


# @implements SRS-80
def plan(
    config: Config, known: Mapping[str, str], forms: IdForms, only: Sequence[str] = ()
) -> Adoption:
    """The adoption of the project's code: ``known`` maps every item ID to its kind; ``only``
    keeps the files at or under these paths (relative to the root)."""
    root = config.root.absolute()
    paths = config.paths
    selection = discover(root, paths.sources, paths.tests, paths.exclude)
    adoption = Adoption(diagnostics=list(selection.diagnostics), kinds=forms.kinds)
    limit = config.limits.max_file_bytes
    closest = cache(partial(closest_id, known=known))  # a typo is often repeated: hint it once
    chooser = Chooser(config.languages)
    unmatched = list(only)
    for candidate in selection.files:
        if only:
            inside = [path for path in only if _under(candidate.rel, path)]
            if not inside:
                continue
            unmatched = [path for path in unmatched if path not in inside]
        adoption.read += 1
        found = plan_file(candidate, known, forms, limit, closest, chooser)
        if isinstance(found, Diagnostic):
            adoption.diagnostics.append(found)
        elif found is not None and (
            found.proposals or found.unknown or found.refused or found.already
        ):
            adoption.files.append(found)
    adoption.unmatched = unmatched
    return adoption


def _under(rel: str, path: str) -> bool:
    return path in ("", ".") or rel == path or rel.startswith(path.rstrip("/") + "/")


def plan_file(
    candidate: Candidate,
    known: Mapping[str, str],
    forms: IdForms,
    max_bytes: int,
    closest: Closest | None = None,
    chooser: Chooser | None = None,
) -> FilePlan | Diagnostic | None:
    """One file's plan; a diagnostic when it cannot be read; ``None`` when it mentions nothing.
    ``closest(id)`` names the known ID closest to an unknown one."""
    rel = candidate.rel
    chooser = chooser or Chooser()
    # the one place that must follow the scanner: the owner of a tag depends on the parser
    language, how = chooser.choose(rel, candidate.path)
    if language is None:
        return skipped(rel, "no known language for this file")
    data = _read(candidate, max_bytes)
    if not isinstance(data, bytes):
        return data
    language = chooser.settle(language, how, data)
    if not data.startswith(_UTF16) and forms.data.search(data) is None:
        return None  # the fast path: no ID-shaped text anywhere in the file
    try:
        hints = closest or partial(closest_id, known=known)
        return _plan_text(candidate, language, data, _Ids(known, forms, hints))
    except Exception as error:  # a parser's bug must cost one file, reported, not the run
        return skipped(rel, f"its comments could not be read ({type(error).__name__}: {error})")


@dataclass(frozen=True, slots=True)
class _Ids:
    """The known IDs, their forms in text and the hint for an unknown one."""

    known: Mapping[str, str]
    forms: IdForms
    closest: Closest


def _plan_text(
    candidate: Candidate, language: Language, data: bytes, ids: _Ids
) -> FilePlan | Diagnostic:
    rel = candidate.rel
    source = decode(data, rel)[0]
    pattern = ids.forms.pattern
    spans = comments_of(language.name, source, lambda t: bool(pattern.search(t)))
    if spans is None:
        return skipped(rel, f"adopt cannot read the comments of {language.name} files")
    verb = "verifies" if candidate.is_test else "implements"
    text = source.text
    result = FilePlan(rel, language.name, candidate.is_test, original=data, text_before=text)
    drafts = _drafts(result, text, spans, ids)
    if drafts:
        _Planner(result, language, text, verb).run(drafts)
    return result


def _read(candidate: Candidate, max_bytes: int) -> bytes | Diagnostic:
    try:
        size = os.stat(candidate.path).st_size  # noqa: PTH116
        if size > max_bytes:
            return skipped(candidate.rel, f"{size} bytes, more than the {max_bytes} bytes read")
        data = Path(candidate.path).read_bytes()
    except OSError as error:
        return unreadable(candidate.rel, error.strerror or type(error).__name__)
    if binary(data):
        return skipped(candidate.rel, "binary file (NUL bytes)")
    return data


def _drafts(
    result: FilePlan, text: str, spans: list[CommentSpan], ids: _Ids
) -> dict[int, list[str]]:
    """Insertion point → IDs to tag there; unknown and quoted IDs go to ``result``."""
    sorter = _Sorter(result, text, ids)
    for span in spans:
        seen: set[str] = set()
        for offset, found, example in ids.forms.mentions(_body(text, span)):
            sorter.mention(span, span.start + offset, found, example, seen)
    for line, named in sorter.quoted.items():
        result.refused.append(Refusal(result.path, line, tuple(dict.fromkeys(named)), _QUOTED))
    return sorter.drafts


class _Sorter:
    """Sorts a file's mentions: to tag, unknown, quoted, repeated, or not to be extended."""

    def __init__(self, result: FilePlan, text: str, ids: _Ids) -> None:
        self.result, self.text, self.ids = result, text, ids
        self.lines = Lines(text)
        self.drafts: dict[int, list[str]] = {}
        self.quoted: dict[int, list[str]] = {}

    def mention(
        self, span: CommentSpan, at: int, found: str, example: bool, seen: set[str]
    ) -> None:
        result, line = self.result, self.lines.line(at)
        if example:
            self.quoted.setdefault(line, []).append(found)
        elif found not in self.ids.known:
            start, end = line_bounds(self.text, at)
            text = self.text[start:end].strip()
            result.unknown.append(Unknown(result.path, line, found, self.ids.closest(found), text))
        elif found in seen:
            result.already += 1  # the same comment names it again: one tag is enough
        else:
            seen.add(found)
            point = insertion_point(self.text, span, at)
            if continued(self.text, point):
                result.refused.append(Refusal(result.path, line, (found,), _ESCAPED))
            elif _DIRECTIVE.match(self.text, max(span.start, line_bounds(self.text, at)[0])):
                result.refused.append(Refusal(result.path, line, (found,), _DIRECTED))
            else:
                self.drafts.setdefault(point, []).append(found)


def continued(text: str, point: int) -> bool:
    """Whether the line ends, at ``point``, with a backslash: in C a line comment then goes on
    to the next line, and text added after it would turn that line into code."""
    return text[point - 1 : point] == "\\"


def _body(text: str, span: CommentSpan) -> str:
    """A comment's text; a docstring's quotes blanked (they are not quotation marks)."""
    body = text[span.start : span.end]
    if not span.docstring:
        return body
    opening, closing = docstring_quotes(body)
    return " " * opening + body[opening:-closing] + " " * closing


# @implements SRS-85
class _Planner:
    """Places a file's tags where the scanner reads them, and checks that it does."""

    def __init__(self, result: FilePlan, language: Language, text: str, verb: str) -> None:
        self.result, self.language, self.text, self.verb = result, language, text, verb
        self.lines = Lines(text)
        before = self._analyze(result.original)
        self.existing = {((row[3], row[4]), i) for row in before.tags for i in row[1]}
        self.old_problems = {
            (d.line, d.found) for d in before.diagnostics if d.code == TAG_MALFORMED.code
        }

    def _analyze(self, data: bytes) -> FileScan:
        result = self.result
        return analyze(data, result.path, self.language, result.is_test, DEFAULT_ID_PATTERN)

    def run(self, drafts: dict[int, list[str]]) -> None:
        existing = self.existing
        owners = self._simulate(drafts)
        final: dict[int, list[str]] = {}
        for point in sorted(drafts):
            ids = drafts[point]
            owner = owners.get(point)
            if owner is None:
                self._refuse(point, ids, "the scanner would not read a tag at the end of this line")
                continue
            fresh = [i for i in ids if (owner, i) not in existing]
            self.result.already += len(ids) - len(fresh)
            existing.update((owner, i) for i in fresh)
            if fresh:
                final[point] = fresh
        if final != drafts and final:
            owners = self._simulate(final)
        self._propose(final, owners)

    def _insertions(self, drafts: dict[int, list[str]]) -> list[Insertion]:
        return [(point, f" @{self.verb} {', '.join(ids)}") for point, ids in drafts.items()]

    def _simulate(self, drafts: dict[int, list[str]]) -> dict[int, Owner]:
        """The owner of each drafted tag, as the scanner sees the file with the tags in place;
        a tag that does not come out whole (or that causes a problem) has none."""
        new_text = apply(self.text, self._insertions(drafts))
        found = self._analyze(new_text.encode("utf-8"))
        old_problems = self.old_problems
        troubled = {
            d.line
            for d in found.diagnostics
            if d.code == TAG_MALFORMED.code and (d.line, d.found) not in old_problems
        }
        rows = {(row[2], row[0], row[1]): (row[3], row[4]) for row in found.tags}
        owners: dict[int, Owner] = {}
        for point, ids in drafts.items():
            line = self.lines.line(point)
            owner = rows.get((line, self.verb, tuple(ids)))
            if owner is not None and line not in troubled:
                owners[point] = owner
        return owners

    def _refuse(self, point: int, ids: list[str], reason: str) -> None:
        line = self.lines.line(point)
        self.result.refused.append(Refusal(self.result.path, line, tuple(ids), reason))

    def _propose(self, final: dict[int, list[str]], owners: dict[int, Owner]) -> None:
        result, text = self.result, self.text
        for point in sorted(final):
            owner = owners.get(point)
            if owner is None:
                self._refuse(point, final[point], "the scanner reads this tag differently")
                del final[point]
                continue
            start, end = line_bounds(text, point)
            added = f" @{self.verb} {', '.join(final[point])}"
            before = text[start:end].rstrip("\r")
            after = (text[start:point] + added + text[point:end]).rstrip("\r")
            line = self.lines.line(point)
            result.proposals.append(
                Proposal(result.path, line, self.verb, tuple(final[point]), *owner, before, after)
            )
        if not result.proposals:
            return
        insertions = self._insertions(final)
        new_text = apply(text, insertions)
        if not self._only_comments_change(new_text, insertions):
            self._withdraw("the change would reach outside the comments")
            return
        updated = encode_like(result.original, text, new_text)
        if updated is None:
            self._withdraw("the file's encoding would not be written back exactly")
            return
        result.updated, result.text_after = updated, new_text

    def _withdraw(self, reason: str) -> None:
        result = self.result
        for proposal in result.proposals:
            result.refused.append(Refusal(result.path, proposal.line, proposal.ids, reason))
        result.proposals.clear()

    # @implements SRS-83
    def _only_comments_change(self, new_text: str, insertions: list[Insertion]) -> bool:
        """Whether the new text's code (comments blanked, as the engine blanks them) is the old
        code with blanks where the tags went: the edit touched comments and nothing else."""
        old, new = self._code(self.text), self._code(new_text)
        if isinstance(old, str):
            return new == apply(old, [(p, " " * len(added)) for p, added in insertions])
        blanks = [
            (len(self.text[:p].encode("utf-8")), len(a.encode("utf-8"))) for p, a in insertions
        ]
        expected = bytearray(old)
        for at, size in sorted(blanks, reverse=True):
            expected[at:at] = b" " * size
        return new == bytes(expected)

    def _code(self, text: str) -> str | bytes:
        return blanked_code(self.language.name, Source(text, text.encode("utf-8")))
