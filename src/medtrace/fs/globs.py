"""The one glob dialect of every path setting, and its matcher.

Every path setting (``paths.items``, ``sources``, ``tests``, ``results``, ``exclude``, a software
item's ``paths``, the language globs) is a list of patterns in this dialect:

- A pattern is relative to the project root, with ``/`` between folders (``\\`` is read as
  ``/``). ``./``, ``.`` segments, repeated and trailing ``/`` are dropped; ``a/..`` cancels
  ``a``. A pattern that leaves the root (``../x``), an absolute path and ``..`` after a wildcard
  are errors.
- ``*`` matches any characters but ``/`` (names starting with ``.`` too), ``?`` one character
  but ``/``, ``[abc]``, ``[a-z]`` and ``[!abc]`` one character of a class; ``**`` as a whole
  segment matches any number of folders (none too).
- A pattern that names a folder takes everything below it: ``src`` is ``src/**``; ``.``, ``**``
  and an empty pattern are the whole project.
- A pattern starting with ``!`` takes back what the earlier patterns of the same list matched;
  the last pattern that matches a path decides, as in git.

:func:`normalize` puts a pattern in its one written form; :class:`Globs` matches paths (relative
to the root, POSIX) against a list of patterns.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

__all__ = [
    "AnyOf",
    "Globs",
    "PatternError",
    "below",
    "glob_regex",
    "normalize",
    "normalize_all",
    "unmatched",
]

_MAGIC = re.compile(r"[*?\[]")
_DRIVE = re.compile(r"^[A-Za-z]:/")


class PatternError(ValueError):
    """A pattern that cannot name files in the project (it leaves the root, or is absolute)."""


# @implements SRS-50
def normalize(pattern: str) -> str:
    """The one written form of ``pattern`` (raises :class:`PatternError`)."""
    text = pattern.strip()
    negated = text.startswith("!")
    if negated:
        text = text[1:].strip()
        if not text:
            raise PatternError(f"'{pattern}' has no pattern after its '!'")
    text = text.replace("\\", "/")
    if text.startswith("/") or _DRIVE.match(text):
        raise PatternError(
            f"'{pattern}' is an absolute path; patterns are relative to the project root"
        )
    parts: list[str] = []
    for part in text.split("/"):
        if part in ("", "."):
            continue
        if part == "..":
            _parent(parts, pattern)
        else:
            parts.append(part)
    return ("!" if negated else "") + ("/".join(parts) or "**")


def _parent(parts: list[str], pattern: str) -> None:
    if not parts:
        raise PatternError(f"'{pattern}' leads out of the project root")
    if _MAGIC.search(parts[-1]):
        raise PatternError(f"'{pattern}' has '..' after a wildcard")
    parts.pop()


def normalize_all(patterns: Iterable[str]) -> tuple[list[str], list[str]]:
    """The normalised patterns (blank ones dropped), and the problems of the invalid ones."""
    good: list[str] = []
    problems: list[str] = []
    for pattern in patterns:
        if not pattern.strip():
            continue
        try:
            good.append(normalize(pattern))
        except PatternError as error:
            problems.append(str(error))
    return good, problems


def glob_regex(pattern: str, *, subtree: bool = True) -> str:
    """A regular expression (for ``fullmatch``) of a pattern and, unless ``subtree`` is false,
    of everything below what it names."""
    body = normalize(pattern).removeprefix("!")
    out: list[str] = []
    index = 0
    while index < len(body):
        index = _translate(body, index, out)
    return "(?s:" + "".join(out) + ("(?:/.*)?" if subtree else "") + ")"


def _translate(pattern: str, index: int, out: list[str]) -> int:
    if _whole_segment_stars(pattern, index):
        return _double_star(pattern, index, out)
    char = pattern[index]
    if char == "*":
        out.append("[^/]*")
    elif char == "?":
        out.append("[^/]")
    elif char == "[":
        return _char_class(pattern, index, out)
    else:
        out.append(re.escape(char))
    return index + 1


def _whole_segment_stars(pattern: str, index: int) -> bool:
    if not pattern.startswith("**", index):
        return False
    before_ok = index == 0 or pattern[index - 1] == "/"
    after = index + 2
    return before_ok and (after == len(pattern) or pattern[after] == "/")


def _double_star(pattern: str, index: int, out: list[str]) -> int:
    if pattern.startswith("**/", index):
        out.append("(?:.*/)?")
        return index + 3
    out.append(".*")
    return index + 2


def _char_class(pattern: str, index: int, out: list[str]) -> int:
    """``[...]``; an unclosed ``[`` or a class that is no valid range is a literal ``[``."""
    end = pattern.find("]", index + 2)
    body = pattern[index + 1 : end] if end > 0 else ""
    if end < 0 or "/" in body:
        out.append(re.escape("["))
        return index + 1
    negated = body[0] in "!^"
    body = body[1:] if negated else body
    regex = "[" + ("^/" if negated else "") + re.sub(r"([\\\]\[^])", r"\\\1", body) + "]"
    try:
        re.compile(regex)
    except re.error:
        out.append(re.escape("["))
        return index + 1
    out.append(regex)
    return end + 1


@dataclass(frozen=True, slots=True)
class _Rule:
    negated: bool
    regex: re.Pattern[str]


class Globs:
    """A list of patterns of the dialect above; the last one that matches a path decides.

    Invalid patterns raise :class:`PatternError` unless ``lenient`` (they are then dropped:
    whoever built the list reports them).
    """

    __slots__ = ("_any", "_rules", "patterns")

    def __init__(self, patterns: Sequence[str], *, lenient: bool = False) -> None:
        if lenient:
            good, _ = normalize_all(patterns)
        else:
            good = [normalize(p) for p in patterns if p.strip()]
        self.patterns: tuple[str, ...] = tuple(good)
        self._rules = tuple(
            _Rule(p.startswith("!"), re.compile(glob_regex(p))) for p in self.patterns
        )
        positive = [r.regex.pattern for r in self._rules if not r.negated]
        plain = positive and len(positive) == len(self._rules)
        self._any = re.compile("|".join(f"(?:{r})" for r in positive)) if plain else None

    def __bool__(self) -> bool:
        return bool(self._rules)

    @property
    def negations(self) -> bool:
        return any(r.negated for r in self._rules)

    def match(self, rel: str) -> bool:
        """Whether the path ``rel`` (relative to the root, POSIX, no ``./``) is selected."""
        if self._any is not None:
            return self._any.fullmatch(rel) is not None
        selected = False
        for rule in self._rules:
            if selected is rule.negated and rule.regex.fullmatch(rel):
                selected = not rule.negated
        return selected

    def covers(self, folder: str) -> bool:
        """Whether every path below ``folder`` is selected (to skip an excluded folder whole)."""
        return self._any is not None and self._any.fullmatch(folder) is not None

    def bases(self) -> list[str]:
        """The folders (or files) a walk must start from: the literal leading segments of each
        positive pattern, none below another ("" is the root)."""
        found = sorted({_base(p) for p in self.patterns if not p.startswith("!")}, key=len)
        kept: list[str] = []
        for base in found:
            if not any(below(base, other) for other in kept):
                kept.append(base)
        return sorted(kept)

    @property
    def key(self) -> tuple[object, ...]:
        """A value that is equal for two lists that select the same paths the same way."""
        return ("globs", self.patterns)

    def __repr__(self) -> str:
        return f"Globs({list(self.patterns)!r})"


class AnyOf(Globs):
    """Paths that any of several lists selects (each list decides with its own ``!``)."""

    __slots__ = ("_lists",)

    def __init__(self, *lists: Globs) -> None:
        super().__init__(())
        self._lists = lists
        self.patterns = tuple(p for g in lists for p in g.patterns)
        plain = [g._any for g in lists if g]
        if plain and all(r is not None for r in plain):  # no '!': one regular expression
            self._any = re.compile("|".join(f"(?:{r.pattern})" for r in plain if r))

    def __bool__(self) -> bool:
        return any(self._lists)

    def match(self, rel: str) -> bool:
        if self._any is not None:
            return self._any.fullmatch(rel) is not None
        return any(g.match(rel) for g in self._lists)

    def covers(self, folder: str) -> bool:
        return any(g.covers(folder) for g in self._lists)

    @property
    def key(self) -> tuple[object, ...]:
        return ("any", *(g.key for g in self._lists))

    def __repr__(self) -> str:
        return f"AnyOf{self._lists!r}"


def _base(pattern: str) -> str:
    parts: list[str] = []
    for part in pattern.split("/"):
        if _MAGIC.search(part):
            break
        parts.append(part)
    return "/".join(parts)


def below(path: str, folder: str) -> bool:
    """Whether ``path`` is ``folder`` or below it (``""`` is the root)."""
    return not folder or path == folder or path.startswith(folder + "/")


def unmatched(patterns: Iterable[str], paths: Iterable[str]) -> list[str]:
    """The patterns (not negations) that select none of ``paths``."""
    paths = list(paths)
    missing: list[str] = []
    for pattern in patterns:
        if not pattern.strip() or pattern.strip().startswith("!"):
            continue
        try:
            one = Globs([pattern])
        except PatternError:
            missing.append(pattern)
            continue
        if not any(one.match(path) for path in paths):
            missing.append(pattern)
    return missing
