"""``medtrace renumber OLD NEW``: move an item to a new ID, with every link, tag and review.

In item files every mention of ``OLD`` as a whole ID (its ``id``, the links of other items,
mentions in their text) becomes ``NEW``; a Markdown file named after the ID is renamed. In code
and test files only the lines of the tags that name ``OLD`` (``@implements``, ``@verifies``,
the pytest marker) change; other mentions in code are left alone and listed, never guessed at.
The lock file follows: reviews and approvals of ``OLD`` move to ``NEW``, and those whose content
changed only by the renumbering are moved to the new content.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import PurePosixPath

from medtrace.config import Config
from medtrace.errors import ItemNotFound, UsageError
from medtrace.model import Model
from medtrace.review.lock import Lock, Review
from medtrace.scanning.model import Tag

__all__ = ["FileEdit", "Renumbering", "id_pattern", "plan_renumber", "renumber_lock"]


@dataclass(frozen=True)
class FileEdit:
    """One file's change: its text before and after, and its new path when it is renamed."""

    path: str
    before: str
    after: str
    rename_to: str | None = None


@dataclass
class Renumbering:
    edits: list[FileEdit] = field(default_factory=list)
    #: Tag lines that name OLD but where the ID could not be found on the line (edit by hand).
    missed: list[tuple[str, int]] = field(default_factory=list)
    #: What was left for a person to decide (renumbering one of two items with one ID).
    left: str = ""


def id_pattern(item_id: str) -> re.Pattern[str]:
    """``item_id`` as a whole ID: not inside a longer ID (``SRS-1`` is not in ``SRS-12`` nor in
    ``XSRS-1``)."""
    return re.compile(r"(?<![0-9A-Za-z_-])" + re.escape(item_id) + r"(?![0-9A-Za-z_])")


def _check_ids(config: Config, model: Model, old: str, new: str) -> None:
    item = model.get(old)
    if item is None:
        raise ItemNotFound(f"no item {old}")
    if new in model.items or any(d.id == new for d in model.duplicates):
        raise UsageError(f"{new} exists: choose a free ID ('medtrace new' shows the next one)")
    spec = config.kinds[item.kind]
    if not spec.id_re.fullmatch(new) or config.kind_of_id(new) not in (item.kind, None):
        raise UsageError(f"{new} is not a {item.kind} ID (the form of {old})")


# @implements SRS-256
def plan_renumber(
    config: Config,
    model: Model,
    tags: Iterable[Tag],
    texts: dict[str, str],
    old: str,
    new: str,
    in_file: str | None = None,
) -> Renumbering:
    """The edits that renumber ``old`` to ``new``. ``texts``: every item file's text, and the
    text of the code and test files whose tags name ``old`` (by path). When two items have
    the ID ``old`` (a duplicate after a merge), ``in_file`` says which one: only its ``id``
    changes, and the links and tags naming ``old`` are left for a person to sort out."""
    _check_ids(config, model, old, new)
    twins = [i.path for i in [*model, *model.duplicates] if i.id == old]
    if len(twins) > 1:
        return _one_of_twins(texts, old, new, twins, in_file)
    if in_file is not None and in_file != model.items[old].path:
        raise UsageError(f"{old} is not in {in_file} but in {model.items[old].path}")
    pattern = id_pattern(old)
    item_files = {i.path for i in [*model, *model.duplicates]}
    out = Renumbering()
    for path in sorted(item_files):
        text = texts.get(path)
        if text is None or not pattern.search(text):
            continue
        out.edits.append(FileEdit(path, text, pattern.sub(new, text), _renamed(path, old, new)))
    own = model.items[old].path
    if own not in {e.path for e in out.edits}:
        rename = _renamed(own, old, new)
        if rename is not None and own in texts:
            out.edits.append(FileEdit(own, texts[own], texts[own], rename))
    lines: dict[str, set[int]] = defaultdict(set)
    for tag in tags:
        if old in tag.ids and tag.path not in item_files:
            lines[tag.path].add(tag.line)
    for path in sorted(lines):
        text = texts.get(path)
        if text is None:
            out.missed += [(path, n) for n in sorted(lines[path])]
            continue
        after, missed = _on_lines(text, lines[path], pattern, new)
        out.missed += [(path, n) for n in missed]
        if after != text:
            out.edits.append(FileEdit(path, text, after))
    return out


# @implements SRS-255, SRS-256
def _one_of_twins(
    texts: dict[str, str], old: str, new: str, twins: list[str], in_file: str | None
) -> Renumbering:
    """Renumber one of two items with the same ID: the one in ``in_file``, by its ``id`` line
    (or the name of its Markdown file). Links and tags are not touched: which item each one
    means is for a person to decide, never guessed."""
    where = ", ".join(sorted(set(twins)))
    if in_file is None or in_file not in twins:
        raise UsageError(
            f"{old} is the ID of {len(twins)} items ({where}): say which to renumber with --file"
        )
    if twins.count(in_file) > 1:
        raise UsageError(f"{in_file} holds {old} twice: give one of them its new ID by hand")
    text = texts.get(in_file)
    if text is None:
        raise UsageError(f"{in_file}: cannot be read as UTF-8 text")
    line = re.compile(
        r"^([ \t]*(?:- +)?id:[ \t]*[\"']?)" + re.escape(old) + r"(?=[\"']?[ \t]*(?:#.*)?$)", re.M
    )
    after, count = line.subn(lambda m: m.group(1) + new, text)
    rename = _renamed(in_file, old, new)
    if count != 1 and rename is None:
        raise UsageError(f"cannot find the 'id: {old}' line in {in_file}: edit it by hand")
    out = Renumbering([FileEdit(in_file, text, after, rename)])
    out.left = f"links and tags naming {old} were left as they are: check which item each means"
    return out


def _renamed(path: str, old: str, new: str) -> str | None:
    """The new path of a Markdown file named after ``old`` (``SRS-3-limit.md``)."""
    p = PurePosixPath(path)
    if p.suffix.lower() != ".md":
        return None
    m = id_pattern(old).match(p.name)
    if m is None:
        return None
    return str(p.with_name(new + p.name[m.end() :]))


def _on_lines(
    text: str, wanted: set[int], pattern: re.Pattern[str], new: str
) -> tuple[str, list[int]]:
    rows = text.splitlines(keepends=True)
    missed = []
    for number in sorted(wanted):
        if not 0 < number <= len(rows) or not pattern.search(rows[number - 1]):
            missed.append(number)
            continue
        rows[number - 1] = pattern.sub(new, rows[number - 1])
    return "".join(rows), missed


# @implements SRS-256
def renumber_lock(
    lock: Lock,
    old: str,
    new: str,
    prints: tuple[dict[str, str], dict[str, str]],
    upstream: dict[tuple[str, str], str],
) -> bool:
    """Move reviews and approvals of ``old`` to ``new``. ``prints``: every item's fingerprint
    before and after the renumbering (by its ID then); a review or approval of content that
    changed only by the renumbering is moved to the new content. ``upstream``: each link after
    the renumbering → the ID whose content its review is of. Whether anything changed."""
    before = {(new if k == old else k): v for k, v in prints[0].items()}
    after = prints[1]

    def rebase(item_id: str | None, review: Review) -> Review:
        now = after.get(item_id) if item_id is not None else None
        if now is not None and review.fingerprint == before.get(item_id or "") != now:
            return Review(now, review.by, review.at)
        return review

    links: dict[tuple[str, str], Review] = {}
    for (source, target), review in lock.links.items():
        key = (new if source == old else source, new if target == old else target)
        links[key] = rebase(upstream.get(key), review)
    approvals: dict[str, list[Review]] = {}
    for item_id, reviews in lock.approvals.items():
        moved = new if item_id == old else item_id
        approvals[moved] = [rebase(moved, r) for r in reviews]
    changed = links != lock.links or approvals != lock.approvals
    lock.links, lock.approvals = links, approvals
    return changed
