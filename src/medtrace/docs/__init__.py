"""The user documentation, shipped in the package: one Markdown file per topic.

The files in this folder are the only copy of the documentation (the repository's ``docs/``
folder links here), so what ``medtrace docs TOPIC`` prints from an installed wheel is what the
repository shows. A topic is a file's name without ``.md``; its title is its first heading.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from importlib import resources

__all__ = ["Topic", "closest_topic", "read_topic", "topics"]


@dataclass(frozen=True)
class Topic:
    """One page of the documentation."""

    name: str
    title: str


# @implements SRS-33
def topics() -> list[Topic]:
    """Every topic shipped with medtrace, sorted by name."""
    found = []
    for entry in resources.files(__package__).iterdir():
        if entry.name.endswith(".md") and entry.is_file():
            name = entry.name.removesuffix(".md")
            found.append(Topic(name, _title(entry.read_text("utf-8"), name)))
    return sorted(found, key=lambda t: t.name)


def read_topic(name: str) -> str | None:
    """The Markdown text of the topic ``name``, or ``None`` if there is no such topic."""
    if name not in {t.name for t in topics()}:
        return None
    return resources.files(__package__).joinpath(f"{name}.md").read_text("utf-8")


def closest_topic(name: str) -> str | None:
    """The topic ``name`` most likely means (for a "did you mean" hint), or ``None``."""
    names = [t.name for t in topics()]
    lowered = name.lower().removesuffix(".md")
    if lowered in names:
        return lowered
    close = difflib.get_close_matches(lowered, names, n=1, cutoff=0.5)
    prefixed = [n for n in names if n.startswith(lowered)] if lowered else []
    if close:
        return close[0]
    return prefixed[0] if len(prefixed) == 1 else None


def _title(text: str, default: str) -> str:
    for line in text.splitlines():
        if line.startswith("# "):
            return line[2:].strip()
    return default
