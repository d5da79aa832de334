"""The recorded Python API of an item (``medtrace interfaces --record``), and the comparison of
the API extracted now with it (``griffe.find_breaking_changes``).

A record is ``<api_records>/<item>.api.json``: ``{"format": 1, "modules": {name: griffe JSON}}``,
committed by the team at a release; a change to the API is then a reviewed change of that file.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from medtrace.interfaces.python import api_entries, load_module
from medtrace.interfaces.registry import Declared, kind_of

__all__ = ["Drift", "drift", "record_file", "records"]

_FORMAT = 1


def record_file(folder: str, item: str) -> str:
    return f"{folder.rstrip('/')}/{item}.api.json"


def _python(declared: list[Declared]) -> list[Declared]:
    return [d for d in declared if kind_of(d.fields) == "python" and d.fields.get("module")]


# @implements SRS-157
def records(declared: list[Declared], folder: str) -> tuple[dict[str, str], list[str]]:
    """The record file contents by relative path, and the modules that could not be read."""
    by_item: dict[str, dict[str, Any]] = {}
    problems = []
    for d in _python(declared):
        module = str(d.fields["module"])
        loaded = load_module(d.root, module, d.item_paths)
        if isinstance(loaded, str):
            problems.append(f"{d.item}: {loaded}")
            continue
        by_item.setdefault(d.item, {})[module] = json.loads(loaded.as_json())
    out = {
        record_file(folder, item): json.dumps({"format": _FORMAT, "modules": modules}, indent=1)
        + "\n"
        for item, modules in by_item.items()
    }
    return out, problems


class Drift:
    """How one module's API differs from its record: breaking changes (removed or changed
    public objects, as griffe explains them) and other changes (added objects, new docs)."""

    def __init__(self, module: str, breaking: list[str], other: list[str]) -> None:
        self.module = module
        self.breaking = breaking
        self.other = other


# @implements SRS-157
def drift(declared: Declared, folder: str) -> Drift | str | None:
    """The drift of a Python interface from its record; ``None`` if there is no record or no
    difference; a sentence when the record or the module cannot be read."""
    import griffe

    module = str(declared.fields.get("module") or "")
    path = declared.root / record_file(folder, declared.item)
    recorded = _recorded(path, module)
    if recorded is None:
        return None
    if isinstance(recorded, str):
        return recorded
    now = load_module(declared.root, module, declared.item_paths)
    if isinstance(now, str):
        return now
    found = list(griffe.find_breaking_changes(recorded, now))
    breaking = [_explain(b) for b in found]
    broken = {b.obj.path for b in found}
    before = {e.name: e.signature for e in api_entries(recorded)}
    after = {e.name: e.signature for e in api_entries(now)}
    other = [f"{name} ({after[name]}) is new" for name in sorted(after.keys() - before.keys())]
    other += [
        f"{name} changed from ({before[name]}) to ({after[name]})"
        for name in sorted(after.keys() & before.keys())
        if before[name] != after[name] and name not in broken
    ]
    if not breaking and not other:
        return None
    return Drift(module, breaking, other)


def _explain(breakage: Any) -> str:
    """One plain line (griffe's own explanation carries terminal colours and absolute paths)."""
    values = [_shown(v) for v in (breakage.old_value, breakage.new_value)]
    shown = " → ".join(v for v in values if v)
    change = f" ({shown})" if shown else ""
    return f"{breakage.obj.path}: {breakage.kind.value}{change}"


def _shown(value: Any) -> str:
    if value is None:
        return ""
    name = getattr(value, "name", None)
    return str(name) if name is not None else str(value)


def _recorded(path: Path, module: str) -> Any:
    import griffe

    if not path.is_file():
        return None
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        modules = data.get("modules", {}) if isinstance(data, dict) else {}
        if module not in modules:
            return None
        return griffe.Module.from_json(json.dumps(modules[module]))
    except Exception as error:  # not JSON, not griffe's layout
        return f"the recorded API {path.name} cannot be read: {error}"
