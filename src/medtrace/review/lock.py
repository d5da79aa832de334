"""The lock file: which links were reviewed against which content, and who approved what.

``medtrace.lock`` (beside ``medtrace.toml``; ``[review] lock``) is TOML written one entry per
line, sorted, so that two branches that review different links merge without a conflict and a
pull request shows each review as one added line::

    version = 1

    [links]
    "SRS-2 -> SYS-1" = { fingerprint = "…", by = "Ann <ann@example.org>", at = "2026-01-05T10:00:00Z" }

    [approvals]
    "SRS-2" = [{ fingerprint = "…", by = "Bo <bo@example.org>", at = "2026-01-06T09:00:00Z" }]

A link is keyed ``SOURCE -> TARGET``; its fingerprint is the one of the end it depends on (the
parent, the verified requirement, the control measure). The source of a test's link is the
test (``tests/test_dose.py::test_limit``). Reading never raises: a malformed file or entry is
a located diagnostic, and the well-formed entries are still used.
"""

from __future__ import annotations

import json
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from medtrace.diagnostics import Diagnostic
from medtrace.fs.read import Refusal, read_regular
from medtrace.fsutil import write_atomic
from medtrace.review.codes import LOCK_INVALID

__all__ = ["LINK_ARROW", "Lock", "Review", "dump_lock", "link_key", "load_lock", "save_lock"]

LINK_ARROW = " -> "
_VERSION = 1
_LIMIT = 50_000_000
_HEX = re.compile(r"[0-9a-f]{64}")
_AT_LINE = re.compile(r"at line (\d+)")
_HEADER = (
    "# Reviews of links and approvals of items, kept by `medtrace review` and `medtrace approve`.\n"
    "# Commit this file and review its changes like code; `medtrace check` validates it.\n"
)


@dataclass(frozen=True)
class Review:
    """One review or approval: of which content (fingerprint), by whom, when (ISO 8601 UTC)."""

    fingerprint: str
    by: str
    at: str


@dataclass
class Lock:
    """The reviews and approvals of a project; ``exists`` is false before the first review."""

    path: Path
    rel: str = "medtrace.lock"
    exists: bool = False
    links: dict[tuple[str, str], Review] = field(default_factory=dict)
    approvals: dict[str, list[Review]] = field(default_factory=dict)
    lines: dict[str, int] = field(default_factory=dict)
    problems: list[Diagnostic] = field(default_factory=list)

    def line_of(self, key: str) -> int:
        return self.lines.get(key, 0)


def link_key(source: str, target: str) -> str:
    return f"{source}{LINK_ARROW}{target}"


# @implements SRS-246
def load_lock(root: Path, rel: str = "medtrace.lock") -> Lock:
    """The lock file under ``root``; a missing one is an empty lock with ``exists=False``."""
    lock = Lock(root / rel, rel)
    content = read_regular(str(lock.path), _LIMIT)
    if content.refusal is Refusal.MISSING:
        return lock
    lock.exists = True
    if not content.ok:
        lock.problems.append(_problem(lock, 0, f"cannot read the lock file: {content.reason}"))
        return lock
    text = content.data.decode("utf-8", "replace")
    try:
        data = tomllib.loads(text)
    except RecursionError:  # a hostile file nested deeper than the parser's stack
        lock.problems.append(_problem(lock, 0, "the lock file is nested too deeply to read"))
        return lock
    except tomllib.TOMLDecodeError as error:
        m = _AT_LINE.search(str(error))
        line = int(m.group(1)) if m else 0
        lock.problems.append(_problem(lock, line, f"the lock file is not valid TOML: {error}"))
        return lock
    lock.lines = _key_lines(text)
    _read(lock, data)
    return lock


def _read(lock: Lock, data: dict[str, Any]) -> None:
    version = data.get("version", _VERSION)
    if version != _VERSION:
        lock.problems.append(
            _problem(lock, 1, f"lock file version {version!r}", expected=f"version {_VERSION}")
        )
        return
    links = data.get("links", {})
    approvals = data.get("approvals", {})
    for name, value in (("links", links), ("approvals", approvals)):
        if not isinstance(value, dict):
            lock.problems.append(_problem(lock, 0, f"'{name}' is not a table"))
    if isinstance(links, dict):
        for key, value in links.items():
            _read_link(lock, key, value)
    if isinstance(approvals, dict):
        for key, value in approvals.items():
            entries = value if isinstance(value, list) else [value]
            found = [r for r in (_review(lock, key, v) for v in entries) if r is not None]
            if found:
                lock.approvals[key] = found


def _read_link(lock: Lock, key: str, value: Any) -> None:
    source, arrow, target = key.rpartition(LINK_ARROW)
    if not arrow or not source or not target:
        lock.problems.append(
            _problem(lock, lock.line_of(key), f"link entry '{key}'", expected="'SOURCE -> TARGET'")
        )
        return
    review = _review(lock, key, value)
    if review is not None:
        lock.links[(source, target)] = review


def _review(lock: Lock, key: str, value: Any) -> Review | None:
    line = lock.line_of(key)
    if not isinstance(value, dict):
        lock.problems.append(_problem(lock, line, f"entry '{key}' is not a table"))
        return None
    fp, by, at = value.get("fingerprint"), value.get("by", ""), value.get("at", "")
    if not (isinstance(fp, str) and _HEX.fullmatch(fp)):
        lock.problems.append(
            _problem(lock, line, f"entry '{key}' has no valid fingerprint", expected=_FP)
        )
        return None
    if not isinstance(by, str) or not isinstance(at, str):
        lock.problems.append(_problem(lock, line, f"entry '{key}': 'by' and 'at' must be text"))
        return None
    return Review(fp, by, at)


_FP = "a SHA-256 in hex (64 characters), as medtrace writes it"


def _problem(lock: Lock, line: int, found: str, *, expected: str = "") -> Diagnostic:
    return LOCK_INVALID(
        found,
        expected=expected or "the lock file as medtrace review and approve write it",
        hint="Fix the entry (see 'medtrace docs changes'), or restore the file from git and "
        "run the reviews again",
        path=lock.rel,
        line=line,
    )


def _key_lines(text: str) -> dict[str, int]:
    """The line of each entry (each entry is one line: ``"KEY" = ...``)."""
    out: dict[str, int] = {}
    for number, line in enumerate(text.splitlines(), 1):
        if line.startswith('"'):
            try:
                key, _ = json.JSONDecoder().raw_decode(line)
            except ValueError:
                continue
            if isinstance(key, str):
                out.setdefault(key, number)
    return out


# @implements SRS-246
def dump_lock(lock: Lock) -> str:
    """The lock as text: a header, then one sorted entry per line."""
    rows = [_HEADER, f"version = {_VERSION}\n", "\n[links]\n"]
    for (source, target), review in sorted(lock.links.items()):
        rows.append(f"{_quote(link_key(source, target))} = {_table(review)}\n")
    rows.append("\n[approvals]\n")
    for item_id, reviews in sorted(lock.approvals.items()):
        tables = ", ".join(_table(r) for r in sorted(reviews, key=lambda r: (r.at, r.by)))
        rows.append(f"{_quote(item_id)} = [{tables}]\n")
    return "".join(rows)


def save_lock(lock: Lock) -> None:
    """Write the lock file atomically."""
    write_atomic(lock.path, dump_lock(lock))
    lock.exists = True


def _table(review: Review) -> str:
    return (
        f"{{ fingerprint = {_quote(review.fingerprint)}, by = {_quote(review.by)}, "
        f"at = {_quote(review.at)} }}"
    )


def _quote(text: str) -> str:
    """A TOML basic string: JSON's escapes are TOML's; DEL is escaped too, and a lone surrogate
    (no Unicode scalar value, so no TOML string can hold it) becomes U+FFFD."""
    return "".join(_safe(c) for c in json.dumps(text, ensure_ascii=False))


def _safe(c: str) -> str:
    if c == "\x7f":
        return "\\u007f"
    return "\ufffd" if "\ud800" <= c <= "\udfff" else c
