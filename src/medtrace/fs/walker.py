"""The one walk over a project's files, for every path setting.

- **Iterative**, with an explicit stack: a tree thousands of folders deep is walked like any
  other (a recursive walk runs out of stack).
- **Each real folder once**: folders are known by ``(st_dev, st_ino)``, so symbolic links that
  form a loop or a diamond (two links to the same folder, layer after layer) cost one visit per
  folder, not one per path. Folders reached directly are walked before those reached through a
  link, so a file is named by its real path when it has one; a file reached through a link and
  also directly is kept once, under the direct path.
- **Symbolic links stay in the project**: a link whose target is outside the project root is
  not followed unless the policy says so; it is reported (``MT130``) by the link's own path,
  never with anything of its target. A link back to a folder above it is reported (``MT132``).
- **Regular files only**: a named pipe, a device or a socket is reported (``MT131``), never
  opened. Folders that cannot be listed and links that lead nowhere are reported with the
  caller's own code and the rest is still walked.
- **Kept listings** (a resident process, :mod:`medtrace.fs.watch`): a folder whose listing
  inotify proves unchanged is not listed again, and what the walk made of it (its files, its
  sub-folders) is given again when the walk and the rules above the folder are the same ones;
  links, files with two names and special files are looked at afresh every time.
- Names in ``Policy.skip_names`` (and, with ``skip_hidden``, names starting with ``.``) are not
  entered below the folder a pattern names; with ``gitignore``, the ``.gitignore`` files of the
  project and above it are honoured with git's rules (:mod:`medtrace.fs.ignore`).
"""

from __future__ import annotations

import os
import stat
from collections import deque
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from operator import attrgetter
from pathlib import Path
from typing import NamedTuple

from medtrace.diagnostics import Diagnostic
from medtrace.fs import watch
from medtrace.fs.codes import link_external, link_loop, special_file
from medtrace.fs.globs import Globs
from medtrace.fs.ignore import Ignore, Remembered, ignored, load_ignore, outer_rules
from medtrace.fs.read import kind_of, reason_of
from medtrace.fs.watch import Entry, Listing, Listings

__all__ = ["Found", "Policy", "Walked", "walk"]

Unreadable = Callable[[str, str], Diagnostic]
#: An entry of a folder: as listed now, or from a kept listing (the same questions).
Listed = os.DirEntry[str] | Entry
_name = attrgetter("name")
_rel = attrgetter("rel")
#: ``tuple.__new__`` makes a :class:`Found` in C; its generated ``__new__`` is a Python call,
#: and the walk makes one per file.
_new = tuple.__new__
_FORMAT = stat.S_IFMT(0o177777)
#: Folders are listed through a descriptor where the system allows it (see ``_listed``).
_BY_FD = os.scandir in os.supports_fd and os.stat in os.supports_fd
_FOLDER = os.O_RDONLY | getattr(os, "O_DIRECTORY", 0) | getattr(os, "O_CLOEXEC", 0)


class Found(NamedTuple):
    """A regular file: its path relative to the root (POSIX), the path to open, its ``stat``
    through links (``None`` when the policy does not ask for it and the folder listing told
    a regular file), whether it was reached through a link out of the project, and its
    identity ``(st_dev, st_ino)``."""

    rel: str
    path: str
    stat: os.stat_result | None
    external: bool
    identity: tuple[int, int]


@dataclass(slots=True)
class Walked:
    files: list[Found] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class Policy:
    """How a setting walks: ``setting`` names it in messages; ``unreadable(rel, reason)``
    makes its diagnostic for a folder or link that cannot be read."""

    setting: str
    unreadable: Unreadable
    gitignore: bool = False
    skip_hidden: bool = False
    skip_names: frozenset[str] = frozenset({".git"})
    follow_dir_links: bool = True
    follow_external: bool = False
    stat_files: bool = True


@dataclass(frozen=True, slots=True)
class _Dir:
    rel: str
    path: str
    rules: list[Ignore]
    external: bool = False
    linked: bool = False


class _Made(NamedTuple):
    """What the walk made of a kept listing: the files and sub-folders it took (given again
    while the listing holds), the entries to look at afresh each time (links, files with two
    names, special files), the folder's device, and the rules the key names by identity (kept
    here so that no other object can take their ``id``)."""

    files: list[Found]
    folders: list[_Dir]
    fresh: list[Entry]
    dev: int
    rules: list[Ignore]


# @implements SRS-51, SRS-52, SRS-54
def walk(
    root: Path,
    include: Globs,
    policy: Policy,
    exclude: Globs | None = None,
    accept: Callable[[str], bool] | None = None,
) -> Walked:
    """The regular files under ``root`` that ``include`` selects and ``exclude`` does not (and
    ``accept``, when given, accepts), sorted by path, with what could not be walked."""
    return _Walker(root, include, policy, exclude or Globs(()), accept).run()


class _Walker:
    def __init__(
        self,
        root: Path,
        include: Globs,
        policy: Policy,
        exclude: Globs,
        accept: Callable[[str], bool] | None,
    ) -> None:
        self.root = str(root)
        self.real_root = os.path.realpath(root)
        self.include, self.exclude, self.policy, self.accept = include, exclude, policy, accept
        self.out = Walked()
        self.visited: set[tuple[int, int]] = set()
        self.direct: list[Found] = []
        self.indirect: list[Found] = []
        self.stack: list[_Dir] = []
        self.deferred: deque[_Dir] = deque()
        self.ignores: dict[str, Ignore | None] = {}
        self.memo: Listings | None = None

    def run(self) -> Walked:
        listings = watch.installed()
        if listings is not None and listings.begin():
            self.memo = listings
            self.signature = (self.policy, self.include.key, self.exclude.key, self.accept)
        rules: list[Ignore] = []
        if self.policy.gitignore:
            rules, problems = outer_rules(Path(self.root), self._remembered())
            self.out.diagnostics.extend(problems)
        for base in self.include.bases():
            self._descend(base, rules)
        while self.stack or self.deferred:
            self._visit(self.stack.pop() if self.stack else self.deferred.popleft())
        self.out.files = self._unique()
        return self.out

    # -- from the root down to the folder (or file) a pattern names --------------------------

    def _descend(self, base: str, rules: list[Ignore]) -> None:
        here = _Dir("", self.root, rules)
        parts = [p for p in base.split("/") if p]
        for index, part in enumerate(parts):
            here = self._rules_of(here)
            rel = f"{here.rel}/{part}" if here.rel else part
            last = index == len(parts) - 1
            step = self._step(here, rel, os.path.join(here.path, part), last)
            if step is None:
                return
            here = step
        (self.deferred.append if here.linked else self.stack.append)(here)

    def _step(self, parent: _Dir, rel: str, path: str, last: bool) -> _Dir | None:
        """The folder ``rel`` below ``parent`` on the way to a base, or ``None`` to stop (a
        file at ``rel`` is taken when it is the base itself)."""
        try:
            lst = os.lstat(path)
        except (FileNotFoundError, NotADirectoryError):
            return None  # the pattern matches nothing: its setting says so
        except OSError as error:
            self._report(self.policy.unreadable(rel, reason_of(error)))
            return None
        if stat.S_ISLNK(lst.st_mode):
            return self._link(parent, rel, path, named=True, last=last)
        if not stat.S_ISDIR(lst.st_mode):
            if last and self._wanted(rel, parent.rules):
                self._regular_file(rel, path, lst, parent)
            return None
        if rel.rsplit("/", 1)[-1] in (".git",) or self._pruned(rel, parent.rules):
            return None
        return _Dir(rel, path, parent.rules, parent.external, parent.linked)

    # -- below a base ----------------------------------------------------------------------

    def _visit(self, here: _Dir) -> None:
        if self.memo is not None and not here.linked and self._kept(here, self.memo):
            return
        if not _BY_FD:
            self._listed(here, here.path)
            return
        try:
            fd = os.open(here.path, _FOLDER)
        except OSError as error:
            self._report(self.policy.unreadable(here.rel or ".", reason_of(error)))
            return
        try:
            self._listed(here, fd)
        finally:
            os.close(fd)

    def _listed(self, here: _Dir, where: int | str) -> None:
        """The folder ``here``, opened as ``where``: a descriptor where the system allows it,
        so that each file is looked at relative to it (``fstatat``) rather than by its whole
        path from the root again."""
        try:
            st = os.stat(where)  # noqa: PTH116  # no Path objects per folder
        except OSError as error:
            self._report(self.policy.unreadable(here.rel or ".", reason_of(error)))
            return
        key = (st.st_dev, st.st_ino)
        if key in self.visited:
            return
        self.visited.add(key)
        try:
            entries = sorted(os.scandir(where), key=_name)
        except OSError as error:
            self._report(self.policy.unreadable(here.rel or ".", reason_of(error)))
            return
        here = self._rules_of(here)
        base = os.path.join(here.path, "")
        self._entries(here, entries, st.st_dev, self._file_filter(here), base)

    # -- kept listings (a resident process) -------------------------------------------------

    # @implements SRS-291
    def _kept(self, here: _Dir, memo: Listings) -> bool:
        """The folder ``here`` from a kept listing (``False``: it has none, list it). Only a
        folder reached with no link on the way: its real path names it."""
        listing = memo.listing(self.real_root if not here.rel else self._real + here.rel)
        if listing is None:
            return False
        if listing.identity in self.visited:
            return True
        self.visited.add(listing.identity)
        here = self._rules_of(here)
        key = (self.signature, here.rel, here.path, here.external, tuple(map(id, here.rules)))
        made = listing.derived.get(key)
        if made is None:
            made = self._make(here, listing)
            if made is not None:
                listing.keep(key, made)
            return True
        self.direct.extend(made.files)
        self.stack.extend(made.folders)
        if made.fresh:
            base = os.path.join(here.path, "")
            self._entries(here, made.fresh, made.dev, self._file_filter(here), base)
        return True

    def _make(self, here: _Dir, listing: Listing) -> _Made | None:
        """Walk the entries of ``listing`` as any folder's, and tell what may be given again:
        not when something was reported about an entry that is not looked at afresh."""
        files, folders, said = len(self.direct), len(self.stack), len(self.out.diagnostics)
        base, dev = os.path.join(here.path, ""), listing.identity[0]
        self._entries(here, listing.entries, dev, self._file_filter(here), base)
        fresh = [e for e in listing.entries if not e.steady]
        prefix = f"{here.rel}/" if here.rel else ""
        afresh = {prefix + e.name for e in fresh}
        if any(d.path not in afresh for d in self.out.diagnostics[said:]):
            return None
        taken = self.direct[files:]
        if fresh:
            taken = [f for f in taken if f.rel not in afresh]
        return _Made(taken, self.stack[folders:], fresh, dev, here.rules)

    def _remembered(self) -> Remembered | None:
        return self.memo.ignores if self.memo is not None else None

    @property
    def _real(self) -> str:
        return os.path.join(self.real_root, "")

    def _entries(
        self,
        here: _Dir,
        entries: Sequence[Listed],
        dev: int,
        wanted: Callable[[str], bool],
        base: str,
    ) -> None:
        """The entries of one folder. This loop runs once per file of the project (100,000
        and more), so a regular file (as the listing tells) is taken here, with no call of
        ours but ``wanted`` (decided once per folder, :meth:`_file_filter`); anything else
        (a folder, a link, a special file) goes to :meth:`_other`."""
        skip, hidden, stat_files = (
            self.policy.skip_names,
            self.policy.skip_hidden,
            self.policy.stat_files,
        )
        prefix = f"{here.rel}/" if here.rel else ""
        external, add = here.external, (self.indirect if here.linked else self.direct).append
        for entry in entries:
            name = entry.name
            if name in skip or (hidden and name[0] == "."):  # a name is never empty
                continue
            rel = prefix + name
            try:
                plain = entry.is_file(follow_symlinks=False)
            except OSError:
                plain = False
            if not plain:
                self._other(here, entry, rel, base + name, wanted)
            elif not wanted(rel):
                continue
            elif not stat_files:  # the listing said it is a regular file: no stat needed
                add(_new(Found, (rel, base + name, None, external, (dev, entry.inode()))))
            else:
                try:
                    st = entry.stat(follow_symlinks=False)
                except OSError as error:
                    self._report(self.policy.unreadable(rel, reason_of(error)))
                    continue
                if st.st_mode & _FORMAT != stat.S_IFREG:  # replaced since listed: reported
                    self._regular_file(rel, base + name, st, here)
                    continue
                add(_new(Found, (rel, base + name, st, external, (st.st_dev, st.st_ino))))

    def _other(
        self,
        here: _Dir,
        entry: Listed,
        rel: str,
        path: str,
        wanted: Callable[[str], bool],
    ) -> None:
        """A folder (walked later), a link, or a special file (reported if wanted)."""
        try:
            link = entry.is_symlink()
            folder = not link and entry.is_dir(follow_symlinks=False)
        except OSError:
            link = folder = False
        if link:
            step = self._link(here, rel, path, named=False, last=True)
            if step is not None:
                self.deferred.append(step)
        elif folder:
            if not self._pruned(rel, here.rules):
                self.stack.append(_Dir(rel, path, here.rules, here.external, here.linked))
        elif wanted(rel):
            self._file(here, entry, rel, path)

    def _file_filter(self, here: _Dir) -> Callable[[str], bool]:
        """Which files of the folder ``here`` are wanted: the same answer as :meth:`_wanted`,
        with the tests that cannot fail below this folder left out (the include patterns
        take the whole folder, there is no exclude pattern and no ``.gitignore``)."""
        accept = self.accept
        if self.include.covers(here.rel) and not self.exclude and not self.policy.gitignore:
            return accept if accept is not None else _everything
        rules = here.rules
        return lambda rel: self._wanted(rel, rules)

    def _file(self, here: _Dir, entry: Listed, rel: str, path: str) -> None:
        """A file the listing does not tell as regular: taken if ``stat`` says it is one,
        else reported."""
        try:
            st = entry.stat(follow_symlinks=False)
        except OSError as error:
            self._report(self.policy.unreadable(rel, reason_of(error)))
            return
        self._regular_file(rel, path, st, here)

    def _link(self, parent: _Dir, rel: str, path: str, *, named: bool, last: bool) -> _Dir | None:
        """A symbolic link: a folder to walk (later), a file taken, or a report."""
        try:
            st = os.stat(path)  # noqa: PTH116
        except OSError as error:
            if self._selects(rel, parent.rules):
                self._report(self.policy.unreadable(rel, reason_of(error)))
            return None
        real = os.path.realpath(path)
        external = not _inside(real, self.real_root)
        if not stat.S_ISDIR(st.st_mode):
            if last and self._wanted(rel, parent.rules) and self._may_follow(rel, external):
                self._regular_file(rel, path, st, parent, linked=True, external=external)
            return None
        if (not named and not self.policy.follow_dir_links) or self._pruned(rel, parent.rules):
            return None
        if not self._may_follow(rel, external):
            return None
        if _inside(os.path.realpath(parent.path), real):
            self._report(link_loop(rel))
            return None
        return _Dir(rel, path, parent.rules, parent.external or external, linked=True)

    def _may_follow(self, rel: str, external: bool) -> bool:
        if external and not self.policy.follow_external:
            self._report(link_external(rel, self.policy.setting))
            return False
        return True

    # -- files --------------------------------------------------------------------------------

    def _regular_file(
        self,
        rel: str,
        path: str,
        st: os.stat_result,
        here: _Dir,
        *,
        linked: bool = False,
        external: bool = False,
    ) -> None:
        if st.st_mode & _FORMAT != stat.S_IFREG:
            self._report(special_file(rel, kind_of(st.st_mode), self.policy.setting))
            return
        found = _new(Found, (rel, path, st, here.external or external, (st.st_dev, st.st_ino)))
        (self.indirect if linked or here.linked else self.direct).append(found)

    def _unique(self) -> list[Found]:
        """Every file once: a file also reached through a link keeps its direct path."""
        if not self.indirect:
            return sorted(self.direct, key=_rel)
        seen = {f.identity for f in self.direct}
        files = list(self.direct)
        for found in sorted(self.indirect, key=_rel):
            if found.identity not in seen:
                seen.add(found.identity)
                files.append(found)
        return sorted(files, key=_rel)

    # -- selection ----------------------------------------------------------------------------

    def _selects(self, rel: str, rules: Sequence[Ignore]) -> bool:
        """Whether the patterns select ``rel`` (before the caller's own filter)."""
        if not self.include.match(rel) or self.exclude.match(rel):
            return False
        return not (self.policy.gitignore and ignored(rules, rel))

    def _wanted(self, rel: str, rules: Sequence[Ignore]) -> bool:
        return self._selects(rel, rules) and (self.accept is None or self.accept(rel))

    def _pruned(self, rel: str, rules: Sequence[Ignore]) -> bool:
        """Whether nothing below the folder ``rel`` can be selected."""
        if self.exclude.covers(rel):
            return True
        return self.policy.gitignore and ignored(rules, rel + "/")

    def _rules_of(self, here: _Dir) -> _Dir:
        if not self.policy.gitignore:
            return here
        if here.rel not in self.ignores:  # two bases may share the folders above them
            shown = f"{here.rel}/.gitignore" if here.rel else ".gitignore"
            strip = len(here.rel) + 1 if here.rel else 0
            path = Path(here.path) / ".gitignore"
            loaded = load_ignore(path, shown, strip=strip, memo=self._remembered())
            self.out.diagnostics.extend(loaded.diagnostics)
            self.ignores[here.rel] = loaded.rule
        rule = self.ignores[here.rel]
        if rule is None:
            return here
        rules = [*here.rules, rule]
        return _Dir(here.rel, here.path, rules, here.external, here.linked)

    def _report(self, diagnostic: Diagnostic) -> None:
        self.out.diagnostics.append(diagnostic)


def _everything(rel: str) -> bool:
    return True


def _inside(path: str, folder: str) -> bool:
    return path == folder or path.startswith(folder.rstrip(os.sep) + os.sep)
