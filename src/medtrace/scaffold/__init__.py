"""Starter files for ``medtrace init``: a configuration and items that pass ``check``."""

from __future__ import annotations

from importlib import resources
from pathlib import Path
from string import Template

__all__ = ["starter_files"]

_CLASS_NOTE = {
    "A": "Class A: no injury or damage to health is possible.",
    "B": "Class B: non-serious injury is possible.",
    "C": "Class C: death or serious injury is possible.",
}


def starter_files(safety_class: str, name: str) -> dict[Path, str]:
    """Relative path → content of every file ``init`` creates."""
    values = {
        "safety_class": safety_class,
        "name": name,
        "name_quoted": _quoted(name),
        "name_slug": _slug(name),
        "class_note": _CLASS_NOTE[safety_class],
        # class A: no injury possible (IEC 62304 4.3), so the starter risk's harm is minor
        "severity": "minor" if safety_class == "A" else "serious",
    }
    root = resources.files(__package__).joinpath("files")
    out: dict[Path, str] = {}
    stack = [(root, Path())]
    while stack:
        folder, rel = stack.pop()
        for entry in folder.iterdir():
            if entry.is_dir():
                stack.append((entry, rel / entry.name))
            elif entry.name.endswith(".tmpl"):
                text = Template(entry.read_text("utf-8")).substitute(values)
                out[rel / entry.name.removesuffix(".tmpl")] = text
    return dict(sorted(out.items()))


def _quoted(text: str) -> str:
    """``text`` as a double-quoted string, the same in TOML and in YAML: a name may hold
    quotes, ``#``, ``: `` or a leading ``*`` that would otherwise break either file."""
    out = []
    for ch in text:
        code = ord(ch)
        if ch in '"\\':
            out.append("\\" + ch)
        elif code < 0x20 or 0x7F <= code <= 0x9F:
            out.append(f"\\u{code:04x}")
        else:
            out.append(ch)
    return '"' + "".join(out) + '"'


def _slug(name: str) -> str:
    import re

    slug = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")
    return slug if slug and slug[0].isalpha() else f"software-{slug or 'system'}"
