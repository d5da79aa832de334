"""Manual test records (test cases): when a recorded pass still stands.

A test case's pass is **stale** for a requirement it verifies when

- it names a software version (``version``) other than the project's ``project.version``;
- its execution date (``executed``) is in the future (a record without a date is incomplete,
  which rule MT202 reports);
- the requirement's file, or a file of code that implements the requirement, changed after the
  day it was executed. When the project is in a git work tree, a file's last change is the date
  of the last commit that touched it, or its modification time when it has uncommitted changes
  (or is not committed at all); outside git, its modification time. Changes on the day of
  execution are not counted: a date tells no time of day.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from operator import attrgetter
from pathlib import Path

from medtrace import clock
from medtrace.model import Item
from medtrace.tracing.model import ItemTrace, Trace
from medtrace.tracing.status import manual_result
from medtrace.vcs.git import git

__all__ = ["ManualCheck", "last_changes", "parse_date"]

#: path → the day it last changed (None: unknown).
Changes = Callable[[Path, list[str]], dict[str, dt.date | None]]


def parse_date(value: object) -> dt.date | None:
    """A date field's value (YAML gives a date; a string in ISO form is read too)."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value.strip()[:10])
        except ValueError:
            return None
    return None


# @implements SRS-176
@dataclass
class ManualCheck:
    """Judges the manual test records of a trace (see the module)."""

    root: Path
    version: str | None = None
    today: dt.date = field(default_factory=clock.today)
    changes: Changes | None = None

    def judge(self, trace: Trace) -> None:
        for item_id, stale in self.stale_records(trace).items():
            trace.items[item_id].manual_stale.update(stale)

    def stale_records(self, trace: Trace) -> dict[str, dict[str, str]]:
        """Item ID → its stale manual records (case ID → why), for the items that have any;
        the trace is left as it is (a kept trace is checked against this)."""
        entries = list(filter(_CASES, trace.items.values()))  # those with test cases, in C
        paths = sorted({p for e in entries for p in _paths(e)})
        changed = (self.changes or last_changes)(self.root, paths) if paths else {}
        out: dict[str, dict[str, str]] = {}
        for entry in entries:
            for case in entry.manual:
                if manual_result(case) != "pass":
                    continue
                reason = self.stale(case, entry, changed)
                if reason:
                    out.setdefault(entry.item.id, {})[case.id] = reason
        return out

    def stale(self, case: Item, entry: ItemTrace, changed: dict[str, dt.date | None]) -> str | None:
        """Why ``case``'s pass no longer stands for ``entry``'s requirement, or None."""
        version = case.get("version")
        if version is not None and self.version and str(version) != self.version:
            return f"run on version {version}, not on the project's {self.version}"
        executed = parse_date(case.get("executed"))
        if executed is None:
            return None  # an incomplete record: reported by manual-record-incomplete (MT202)
        if executed > self.today:
            return f"executed {executed}, a date in the future"
        for path in _paths(entry):
            day = changed.get(path)
            if day is not None and day > executed:
                return f"{path} changed on {day}, after the execution on {executed}"
        return None


_CASES: Callable[[ItemTrace], list[Item]] = attrgetter("manual")


def _paths(entry: ItemTrace) -> list[str]:
    """The requirement's own file and the files of the code that implements it."""
    paths = [entry.item.path] if entry.item.path else []
    return paths + sorted({c.path for c in entry.code} - set(paths))


def last_changes(root: Path, paths: list[str]) -> dict[str, dt.date | None]:
    """The day each file last changed: git's last commit, or its modification time when it has
    uncommitted changes or git cannot tell (see the module)."""
    committed = _git_dates(root, paths)
    dirty = _git_dirty(root, paths) if committed is not None else set(paths)
    out: dict[str, dt.date | None] = {}
    for path in paths:
        day = (committed or {}).get(path)
        if day is None or path in dirty:
            day = _mtime_day(root, path)
        out[path] = day
    return out


def _git_dates(root: Path, paths: list[str]) -> dict[str, dt.date] | None:
    """The date of the last commit that touched each path (None outside a git work tree)."""
    out = git(root, "log", "--format=%x00%cs", "--name-only", "--relative", "--", *paths)
    if out is None:
        return None
    return _first_dates(out.splitlines(), set(paths))


def _first_dates(lines: Iterable[str], wanted: set[str]) -> dict[str, dt.date]:
    found: dict[str, dt.date] = {}
    day: dt.date | None = None
    for line in lines:
        if line.startswith("\0"):
            day = parse_date(line[1:])
        elif line in wanted and day is not None:
            found.setdefault(line, day)
    return found


def _git_dirty(root: Path, paths: list[str]) -> set[str]:
    out = git(root, "status", "--porcelain=v1", "-z", "--untracked-files=all", "--", *paths)
    if out is None:
        return set(paths)
    found: set[str] = set()
    top = git(root, "rev-parse", "--show-prefix") or ""
    prefix = top.strip()
    for record in out.split("\0"):
        if len(record) > 3:
            name = record[3:]
            found.add(name.removeprefix(prefix))
    return found


def _mtime_day(root: Path, path: str) -> dt.date | None:
    try:
        stamp = (root / path).stat().st_mtime
    except OSError:
        return None
    return dt.datetime.fromtimestamp(stamp, tz=dt.UTC).date()
