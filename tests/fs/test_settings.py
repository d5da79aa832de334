"""Every path setting agrees on every pattern: one dialect, one matcher.

The same table of patterns runs through each setting: items, sources, tests, results,
exclude (for the scan and for items), a software item's ``paths`` and the matcher itself.
Each setting takes its own kind of file (``.md`` items, ``.py`` code, ``.xml`` results), so
``{x}`` in a pattern and in the expected paths stands for that suffix.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from helpers import write_project

from medtrace.fs import Globs
from medtrace.loading.discover import discover as find_items
from medtrace.pipeline import load_project
from medtrace.results.loader import expand
from medtrace.scanning.files import discover as find_code
from medtrace.tracing.build import map_files

pytestmark = pytest.mark.verifies("SRS-50")

TREE = ["a.{x}", "src/a.{x}", "src/x/b.{x}", "src/x/y/c.{x}", "docs/d.{x}"]
EVERYTHING = TREE

#: (patterns, the paths of TREE they select)
TABLE: list[tuple[list[str], list[str]]] = [
    (["."], EVERYTHING),
    (["**"], EVERYTHING),
    (["./"], EVERYTHING),
    (["src/.."], EVERYTHING),
    (["src", "."], EVERYTHING),
    (["src"], ["src/a.{x}", "src/x/b.{x}", "src/x/y/c.{x}"]),
    (["src/"], ["src/a.{x}", "src/x/b.{x}", "src/x/y/c.{x}"]),
    (["./src"], ["src/a.{x}", "src/x/b.{x}", "src/x/y/c.{x}"]),
    (["src/**"], ["src/a.{x}", "src/x/b.{x}", "src/x/y/c.{x}"]),
    (["src/x/.."], ["src/a.{x}", "src/x/b.{x}", "src/x/y/c.{x}"]),
    (["src\\x"], ["src/x/b.{x}", "src/x/y/c.{x}"]),
    (["src/*.{x}"], ["src/a.{x}"]),
    (["src/**/*.{x}"], ["src/a.{x}", "src/x/b.{x}", "src/x/y/c.{x}"]),
    (["**/b.{x}"], ["src/x/b.{x}"]),
    (["*.{x}"], ["a.{x}"]),
    (["src/?/b.{x}"], ["src/x/b.{x}"]),
    (["src/[xz]"], ["src/x/b.{x}", "src/x/y/c.{x}"]),
    (["*/x"], ["src/x/b.{x}", "src/x/y/c.{x}"]),
    (["src/a.{x}", "docs/d.{x}"], ["docs/d.{x}", "src/a.{x}"]),
    (["src", "!src/x"], ["src/a.{x}"]),
    (["src", "!src/x", "src/x/y"], ["src/a.{x}", "src/x/y/c.{x}"]),
    (["**", "!**/*.{x}"], []),
    (["nowhere"], []),
]


def items(root: Path, patterns: list[str]) -> set[str]:
    return set(find_items(root, patterns).files)


def sources(root: Path, patterns: list[str]) -> set[str]:
    return {c.rel for c in find_code(root, patterns, []).files}


def selected_tests(root: Path, patterns: list[str]) -> set[str]:
    found = find_code(root, [], patterns).files
    assert all(c.is_test for c in found)
    return {c.rel for c in found}


def results(root: Path, patterns: list[str]) -> set[str]:
    return set(expand(root, patterns, []))


def code_exclude(root: Path, patterns: list[str]) -> set[str]:
    """What ``exclude`` takes out of a scan of everything."""
    kept = {c.rel for c in find_code(root, ["**"], [], patterns).files}
    return sources(root, ["**"]) - kept


def items_exclude(root: Path, patterns: list[str]) -> set[str]:
    return items(root, ["**"]) - set(find_items(root, ["**"], patterns).files)


def item_paths(root: Path, patterns: list[str]) -> set[str]:
    """The files a software item whose ``paths`` are ``patterns`` owns."""
    architecture = {
        "kind": "software-item",
        "items": [{"id": "app", "title": "App", "class": "A", "paths": patterns}],
    }
    write_project(
        root,
        {"arch/items.yaml": json.dumps(architecture)},
        cls="A",
        config='[project]\nclass = "A"\n[paths]\nitems = ["arch"]\n',
    )
    model = load_project(root, use_cache=False).model
    every = sources(root, ["**"]) - {"arch/items.yaml", "medtrace.toml"}
    return {path for path, item in map_files(model, sorted(every)).items() if item == "app"}


def matcher(root: Path, patterns: list[str]) -> set[str]:
    """The matcher alone, as the language globs use it."""
    globs = Globs(patterns)
    return {p for p in sources(root, ["**"]) if globs.match(p)}


SETTINGS: dict[str, tuple[str, Callable[[Path, list[str]], set[str]]]] = {
    "items": ("md", items),
    "sources": ("py", sources),
    "tests": ("py", selected_tests),
    "results": ("xml", results),
    "exclude (scan)": ("py", code_exclude),
    "exclude (items)": ("md", items_exclude),
    "software item paths": ("py", item_paths),
    "matcher": ("py", matcher),
}


@pytest.mark.parametrize("setting", list(SETTINGS))
@pytest.mark.parametrize(("patterns", "selected"), TABLE, ids=[" ".join(p) for p, _ in TABLE])
def test_every_setting_agrees(
    tmp_path: Path, setting: str, patterns: list[str], selected: list[str]
) -> None:
    suffix, select = SETTINGS[setting]
    for rel in TREE:
        path = tmp_path / rel.format(x=suffix)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("")
    written = [p.format(x=suffix) for p in patterns]
    assert select(tmp_path, written) == {s.format(x=suffix) for s in selected}
