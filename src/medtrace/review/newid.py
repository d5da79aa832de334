"""``medtrace new``: an item with the next free ID of its kind, where the kind's items live.

The next free ID is the highest number of the kind's IDs plus one (duplicates included), in
the form the project writes them (prefix, separator, zero padding). Two branches may still pick
the same number; ``check`` reports the duplicate after the merge (MT005) and ``medtrace
renumber`` moves one of them.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from dataclasses import dataclass
from pathlib import PurePosixPath

from medtrace.config import Config
from medtrace.errors import UsageError
from medtrace.ids import natural_key, split_number
from medtrace.loading.parse import PARSERS, parse_file
from medtrace.model import Model

__all__ = ["NewItem", "kind_named", "next_id", "plan_new"]

_ENTRY = re.compile(r"^([ \t]*)- +id:", re.M)


@dataclass(frozen=True)
class NewItem:
    """The new item's ID and the file that gets it: its text before (``None``: a new file)
    and after."""

    id: str
    path: str
    before: str | None
    after: str


def kind_named(config: Config, name: str) -> str:
    """The kind ``name`` means: a kind's name or its prefix (``SRS``)."""
    if name in config.kinds:
        return name
    by_prefix = {p.upper(): k for p, k in config.kind_by_prefix.items()}
    if name.upper() in by_prefix:
        return by_prefix[name.upper()]
    known = ", ".join(sorted(config.kinds))
    raise UsageError(f"unknown kind {name!r}; known kinds: {known} (or their prefixes)")


# @implements SRS-254
def next_id(config: Config, model: Model, kind: str) -> str:
    """The highest number of the kind's IDs plus one, written as the project writes them."""
    spec = config.kinds[kind]
    ids = [i.id for i in [*model.of_kind(kind), *model.duplicates] if i.kind == kind]
    numbered = [s for i in ids if spec.id_re.fullmatch(i) and (s := split_number(i))]
    if not numbered:
        first = spec.example_id(1)
        if first is None:
            raise UsageError(f"{kind} IDs are not numbered: write the item and its ID by hand")
        return first
    head = Counter(h for h, _ in numbered).most_common(1)[0][0]
    width = spec.digits or _width([d for _, d in numbered])
    top = max(int(d) for h, d in numbered if h == head)
    made = head + str(top + 1).zfill(width)
    if not spec.id_re.fullmatch(made):
        raise UsageError(f"the next {kind} ID, {made}, is not of the kind's form")
    return made


def _width(digits: list[str]) -> int:
    """The padding most of the IDs use (1: none)."""
    padded = Counter(len(d) for d in digits if len(d) > 1 and d[0] == "0")
    if not padded or sum(padded.values()) * 2 < len(digits):
        return 1
    return padded.most_common(1)[0][0]


# @implements SRS-254
def plan_new(
    config: Config,
    model: Model,
    kind: str,
    title: str,
    target: str | None,
    read: dict[str, str],
) -> NewItem:
    """Where and how the new item is written. ``target``: a file or folder under the root
    (default: beside the kind's last item); ``read``: the text of files already read."""
    item_id = next_id(config, model, kind)
    path = target or _default_place(config, model, kind)
    suffix = PurePosixPath(path).suffix.lower()
    if suffix not in PARSERS:
        path = f"{path.rstrip('/')}/{item_id}.md"
        suffix = ".md"
    if suffix == ".md":
        if path in read or (config.root / path).exists():
            raise UsageError(f"{path} exists: a Markdown file holds one item; give a new file")
        return NewItem(item_id, path, None, _markdown(title))
    before = read.get(path)
    if before is None:
        return NewItem(item_id, path, None, f"kind: {kind}\nitems:\n" + _entry(item_id, title, ""))
    return NewItem(item_id, path, before, _append(before, item_id, title, path))


def _default_place(config: Config, model: Model, kind: str) -> str:
    items = sorted(model.of_kind(kind), key=lambda i: natural_key(i.id))
    if items:
        last = items[-1].path
        return last if not last.lower().endswith(".md") else str(PurePosixPath(last).parent)
    if config.paths.items:
        return config.paths.items[0]
    raise UsageError("no [paths] items in the configuration: give --file")


def _markdown(title: str) -> str:
    return f"---\nstatus: draft\n---\n# {title}\n\n"


def _entry(item_id: str, title: str, indent: str) -> str:
    return (
        f"{indent}- id: {item_id}\n"
        f"{indent}  title: {json.dumps(title, ensure_ascii=False)}\n"
        f"{indent}  status: draft\n"
    )


def _append(before: str, item_id: str, title: str, path: str) -> str:
    """``before`` with the entry added to its list of items (checked by parsing it again)."""
    entries = _ENTRY.findall(before)
    if not entries:
        raise UsageError(f"{path} holds no list of items ('- id: ...') to add to; give --file")
    body = before if before.endswith("\n") or not before else before + "\n"
    after = body + _entry(item_id, title, entries[-1])
    parsed = parse_file(after, path)
    old = parse_file(before, path)
    ids = [r.data.get("id") for r in parsed.records]
    if ids[:-1] != [r.data.get("id") for r in old.records] or ids[-1:] != [item_id]:
        raise UsageError(
            f"cannot add an item at the end of {path}: its list is not last; give --file"
        )
    return after
