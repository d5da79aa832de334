"""Which files to scan: the configured globs, minus the excluded ones and what git ignores.

Globs are relative to the project root: ``*`` and ``?`` stay within one path segment, ``**``
spans any number of folders, ``[abc]`` is a character class. A glob that names a folder takes
everything below it (``src`` is ``src/**``). The ``.gitignore`` files of the project (in every
folder, and in the folders above the root up to the repository's top) and
``.git/info/exclude`` are honoured with git's rules (via :mod:`pathspec`); ``.git`` folders are
never entered, nor are symbolic links to folders (git stores them as links).
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pathspec

from medtrace.diagnostics import Diagnostic
from medtrace.scanning.codes import unreadable

__all__ = ["Candidate", "Selection", "discover", "glob_regex"]

_MAGIC = re.compile(r"[*?\[]")
_GROUP = re.compile(r"\(\?P<\w+>")


@dataclass(slots=True)
class Candidate:
    """A file to scan: its path relative to the root (POSIX) and whether it is a test file."""

    rel: str
    path: str
    is_test: bool


@dataclass(slots=True)
class Selection:
    files: list[Candidate] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)


def glob_regex(pattern: str) -> str:
    """A regular expression (for ``fullmatch``) of a glob and of everything below it."""
    pattern = _normalize(pattern)
    out: list[str] = []
    index = 0
    while index < len(pattern):
        index = _translate(pattern, index, out)
    return "".join(out) + "(?:/.*)?"


def _normalize(pattern: str) -> str:
    pattern = pattern.strip().replace("\\", "/")
    while pattern.startswith("./"):
        pattern = pattern[2:]
    return pattern.strip("/") or "**"


def _translate(pattern: str, index: int, out: list[str]) -> int:
    char = pattern[index]
    if pattern.startswith("**", index):
        return _double_star(pattern, index, out)
    if char == "*":
        out.append("[^/]*")
    elif char == "?":
        out.append("[^/]")
    elif char == "[":
        end = pattern.find("]", index + 2)
        if end < 0:
            out.append(re.escape(char))
        else:
            body = pattern[index + 1 : end].replace("\\", "\\\\")
            out.append("[" + ("^" + body[1:] if body[0] in "!^" else body) + "]")
            return end + 1
    else:
        out.append(re.escape(char))
    return index + 1


def _double_star(pattern: str, index: int, out: list[str]) -> int:
    if pattern.startswith("**/", index):
        out.append("(?:.*/)?")
        return index + 3
    out.append(".*")
    return index + 2


def _combined(patterns: Iterable[str]) -> re.Pattern[str] | None:
    regexes = [glob_regex(p) for p in patterns if p.strip()]
    return re.compile("|".join(f"(?:{r})" for r in regexes)) if regexes else None


def _base(pattern: str) -> str:
    """The folder a glob is under (its segments before the first one with a wildcard)."""
    parts: list[str] = []
    for part in _normalize(pattern).split("/"):
        if _MAGIC.search(part):
            break
        parts.append(part)
    return "/".join(parts)


@dataclass(slots=True)
class _Ignore:
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


def _load_ignore(path: Path, strip: int = 0, prefix: str = "") -> _Ignore | None:
    try:
        lines = path.read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError:
        return None
    spec = pathspec.GitIgnoreSpec.from_lines(lines)
    regexes = [_GROUP.sub("(?:", regex.pattern) for regex in _regexes(spec)]
    if not regexes:
        return None
    any_match = re.compile("|".join(f"(?:{r})" for r in regexes))
    return _Ignore(spec, any_match, strip, prefix)


def _regexes(spec: pathspec.GitIgnoreSpec) -> list[re.Pattern[str]]:
    """The regular expressions of the patterns that say something (not blank lines)."""
    found: list[re.Pattern[str]] = []
    for pattern in spec.patterns:
        regex = getattr(pattern, "regex", None)
        if pattern.include is not None and isinstance(regex, re.Pattern):
            found.append(regex)
    return found


def _ignored(rules: Sequence[_Ignore], rel: str) -> bool:
    """Git's verdict: the deepest ignore file with an opinion decides."""
    for rule in reversed(rules):
        decided = rule.decide(rel)
        if decided is not None:
            return decided
    return False


def _outer_rules(root: Path) -> list[_Ignore]:
    """``.git/info/exclude`` and the ``.gitignore`` files above the root, outermost first."""
    rules: list[_Ignore] = []
    top = folder = root.resolve()
    below = ""
    while True:
        if folder != top:
            rules.extend(_present(_load_ignore(folder / ".gitignore", prefix=below)))
        if (folder / ".git").exists():
            rules.extend(_present(_load_ignore(folder / ".git" / "info" / "exclude", prefix=below)))
            return list(reversed(rules))
        if folder.parent == folder:
            return []
        below = f"{folder.name}/{below}"
        folder = folder.parent


def _present(rule: _Ignore | None) -> list[_Ignore]:
    return [] if rule is None else [rule]


class _Walk:
    """The walk over the root's folders, with the ignore rules in force in each."""

    def __init__(
        self, root: Path, sources: Sequence[str], tests: Sequence[str], exclude: Sequence[str]
    ) -> None:
        self.root = root
        self.include = _combined([*sources, *tests])
        self.tests = _combined(tests)
        self.exclude = _combined(exclude)
        self.out = Selection()

    def run(self, bases: Iterable[str]) -> Selection:
        outer = _outer_rules(self.root)
        started: list[str] = []
        for base in sorted(set(bases), key=len):
            if not any(_below(base, other) for other in started):
                started.append(base)
                self._start(base, outer)
        return self.out

    def _start(self, base: str, rules: list[_Ignore]) -> None:
        """Walk down from the root to ``base`` (honouring ignore rules), then below it."""
        folder = ""
        rules = self._rules_of(rules, folder)
        for part in [p for p in base.split("/") if p]:
            folder = f"{folder}/{part}" if folder else part
            path = self.root / folder
            if path.is_symlink() or not path.is_dir():
                if (path.exists() or path.is_symlink()) and not _ignored(rules, folder):
                    self._consider(folder, str(path))
                return
            if not self._enter(part, folder, rules):
                return
            rules = self._rules_of(rules, folder)
        self._walk(folder, rules)

    def _walk(self, start: str, rules: list[_Ignore]) -> None:
        stack = [(start, rules)]
        while stack:
            folder, rules = stack.pop()
            try:
                entries = list(os.scandir(self.root / folder))
            except OSError as error:
                self.out.diagnostics.append(unreadable(folder or ".", _reason(error)))
                continue
            for entry in entries:
                rel = f"{folder}/{entry.name}" if folder else entry.name
                if _is_folder(entry):
                    if self._enter(entry.name, rel, rules):
                        stack.append((rel, self._rules_of(rules, rel)))
                elif not _ignored(rules, rel):
                    self._consider(rel, entry.path)

    def _enter(self, name: str, rel: str, rules: Sequence[_Ignore]) -> bool:
        if name == ".git" or self._excluded(rel):
            return False
        return not _ignored(rules, rel + "/")

    def _rules_of(self, rules: list[_Ignore], folder: str) -> list[_Ignore]:
        strip = len(folder) + 1 if folder else 0
        rule = _load_ignore(self.root / folder / ".gitignore", strip=strip)
        return rules if rule is None else [*rules, rule]

    def _excluded(self, rel: str) -> bool:
        return self.exclude is not None and self.exclude.fullmatch(rel) is not None

    def _consider(self, rel: str, path: str) -> None:
        if self.include is None or not self.include.fullmatch(rel) or self._excluded(rel):
            return
        is_test = self.tests is not None and self.tests.fullmatch(rel) is not None
        self.out.files.append(Candidate(rel, path, is_test))


def _below(path: str, folder: str) -> bool:
    return not folder or path == folder or path.startswith(folder + "/")


def _is_folder(entry: os.DirEntry[str]) -> bool:
    try:
        return entry.is_dir(follow_symlinks=False)
    except OSError:
        return False


def _reason(error: OSError) -> str:
    return error.strerror or type(error).__name__


def discover(
    root: Path, sources: Sequence[str], tests: Sequence[str], exclude: Sequence[str] = ()
) -> Selection:
    """The files to scan under ``root``, sorted by path, and the folders that could not be read."""
    walk = _Walk(root, sources, tests, exclude)
    selection = walk.run(_base(p) for p in [*sources, *tests] if p.strip())
    unique = {c.rel: c for c in selection.files}
    selection.files = sorted(unique.values(), key=lambda c: c.rel)
    return selection
