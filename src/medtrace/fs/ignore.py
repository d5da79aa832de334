"""``.gitignore`` files, read with git's own rules (via :mod:`pathspec`).

Git's files keep git's dialect: a pattern without ``/`` matches at any depth, ``!`` re-includes,
the deepest file with an opinion decides. A line git would skip as invalid (``!`` alone, a
trailing ``\\``, a character class such as ``[z-a]``) is skipped here too, and noted
(``MT134``) rather than stopping the run. Ignore files are read like any input: regular files
only, at most :data:`MAX_IGNORE_BYTES`; one that cannot be read is noted too.
"""

from __future__ import annotations

import os
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pathspec

from medtrace.diagnostics import Diagnostic
from medtrace.fs.codes import ignore_file_skipped, ignore_line_invalid
from medtrace.fs.read import Content, Refusal, read_regular

__all__ = ["MAX_IGNORE_BYTES", "Ignore", "ignored", "load_ignore", "outer_rules"]

#: An ignore file larger than this is not read (and said so).
MAX_IGNORE_BYTES = 1_000_000
_GROUP = re.compile(r"\(\?P<\w+>")


@dataclass(slots=True)
class Ignore:
    """One ignore file. It sees paths relative to its own folder: a path relative to the root
    loses ``strip`` leading characters (the folder below the root) or gains ``prefix`` (the
    root's path below a folder above it)."""

    spec: pathspec.GitIgnoreSpec
    any_match: re.Pattern[str]
    strip: int = 0
    prefix: str = ""

    def decide(self, rel: str) -> bool | None:
        """Whether this file ignores ``rel`` (a folder ends with ``/``), ``None``: no opinion."""
        sub = self.prefix + rel[self.strip :]
        if not self.any_match.match(sub):
            return None
        return self.spec.check_file(sub).include


@dataclass(slots=True)
class Loaded:
    rule: Ignore | None = None
    diagnostics: list[Diagnostic] = field(default_factory=list)


#: Ignore files already compiled, by path, shown path, strip, prefix: their bytes and rules.
Remembered = dict[tuple[str, str, int, str], tuple[bytes, Loaded]]


# @implements SRS-55
def load_ignore(
    path: Path, shown: str, strip: int = 0, prefix: str = "", memo: Remembered | None = None
) -> Loaded:
    """The rules of the ignore file at ``path`` (``shown``: its path in diagnostics). With a
    ``memo`` (a resident process), the file is still read every time, and the rules compiled
    before are given again (the same objects) while its bytes are the same."""
    content = read_regular(str(path), MAX_IGNORE_BYTES)
    if content.refusal is Refusal.MISSING:
        return Loaded()
    if not content.ok:
        return Loaded(diagnostics=[ignore_file_skipped(shown, _said(content))])
    if memo is None:
        return _compiled(content.data, shown, strip, prefix)
    key = (str(path), shown, strip, prefix)
    known = memo.get(key)
    if known is None or known[0] != content.data:
        known = memo[key] = (content.data, _compiled(content.data, shown, strip, prefix))
    return known[1]


def _compiled(data: bytes, shown: str, strip: int, prefix: str) -> Loaded:
    lines = data.decode("utf-8", "replace").splitlines()
    spec, problems = _compile(lines, shown)
    regexes = [_GROUP.sub("(?:", regex.pattern) for regex in _regexes(spec)]
    if not regexes:
        return Loaded(diagnostics=problems)
    any_match = re.compile("|".join(f"(?:{r})" for r in regexes), re.DOTALL)
    return Loaded(Ignore(spec, any_match, strip, prefix), problems)


def _said(content: Content) -> str:
    if content.refusal is Refusal.TOO_LARGE:
        return f"{content.reason}, more than the {MAX_IGNORE_BYTES:,} bytes read"
    if content.refusal is Refusal.SPECIAL:
        return f"{content.reason}, not a regular file"
    return content.reason


def _compile(lines: list[str], shown: str) -> tuple[pathspec.GitIgnoreSpec, list[Diagnostic]]:
    try:
        return pathspec.GitIgnoreSpec.from_lines(lines), []
    except Exception:  # pathspec raises its own errors and re.error: find the lines
        pass
    kept: list[str] = []
    problems: list[Diagnostic] = []
    for number, line in enumerate(lines, 1):
        try:
            pathspec.GitIgnoreSpec.from_lines([line])
        except Exception:
            problems.append(ignore_line_invalid(shown, number))
            continue
        kept.append(line)
    return pathspec.GitIgnoreSpec.from_lines(kept), problems


def _regexes(spec: pathspec.GitIgnoreSpec) -> list[re.Pattern[str]]:
    """The regular expressions of the patterns that say something (not blank lines)."""
    found: list[re.Pattern[str]] = []
    for pattern in spec.patterns:
        regex = getattr(pattern, "regex", None)
        if pattern.include is not None and isinstance(regex, re.Pattern):
            found.append(regex)
    return found


def ignored(rules: Sequence[Ignore], rel: str) -> bool:
    """Git's verdict: the deepest ignore file with an opinion decides."""
    for rule in reversed(rules):
        decided = rule.decide(rel)
        if decided is not None:
            return decided
    return False


def outer_rules(
    root: Path, memo: Remembered | None = None
) -> tuple[list[Ignore], list[Diagnostic]]:
    """``.git/info/exclude`` and the ``.gitignore`` files above the root, outermost first;
    nothing when the root is in no git repository."""
    rules: list[Ignore] = []
    problems: list[Diagnostic] = []
    top = folder = root.resolve()
    below, up = "", ""
    while True:
        if folder != top:
            _add(
                rules,
                problems,
                load_ignore(folder / ".gitignore", f"{up}.gitignore", 0, below, memo),
            )
        if _exists(folder / ".git"):
            exclude = _git_dir(folder) / "info" / "exclude"
            shown = _shown(exclude, top)
            _add(rules, problems, load_ignore(exclude, shown, 0, below, memo))
            return list(reversed(rules)), problems
        if folder.parent == folder:
            return [], []
        below = f"{folder.name}/{below}"
        up += "../"
        folder = folder.parent


def _git_dir(folder: Path) -> Path:
    """The folder holding ``info/exclude``: ``.git``, or, when ``.git`` is a file (a linked
    checkout or a submodule), the folder it names, or that folder's ``commondir``."""
    dot_git = folder / ".git"
    named = _line_of(dot_git, "gitdir:")
    if named is None:
        return dot_git
    git_dir = folder / named
    common = _line_of(git_dir / "commondir", "")
    return git_dir / common if common is not None else git_dir


def _shown(path: Path, top: Path) -> str:
    try:
        return os.path.relpath(path, top).replace(os.sep, "/")
    except ValueError:  # another drive
        return path.as_posix()


def _line_of(path: Path, prefix: str) -> str | None:
    """The first line of a small regular file, after ``prefix``; ``None`` if it has none."""
    content = read_regular(str(path), 4096)
    if not content.ok:
        return None
    line = content.data.decode("utf-8", "replace").partition("\n")[0].strip()
    if not line.startswith(prefix):
        return None
    return line[len(prefix) :].strip() or None


def _add(rules: list[Ignore], problems: list[Diagnostic], loaded: Loaded) -> None:
    if loaded.rule is not None:
        rules.append(loaded.rule)
    problems.extend(loaded.diagnostics)


def _exists(path: Path) -> bool:
    try:
        return path.exists()
    except OSError:
        return False
