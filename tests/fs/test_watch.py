"""Folder listings that inotify proves current: every change is seen by the next walk, the walk
gives what it gives without them, forked children never read the events, and what cannot be
proved (links, files with two names, untrusted file systems, no watch) is looked at afresh.

Every test works on a real tree under the test's temporary folder, with real inotify.
"""

from __future__ import annotations

import errno
import os
import pickle
import random
import select
import shutil
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from fs import test_walker
from medtrace.errors import WatchUnavailable
from medtrace.fs import Globs, Policy, walk, watch
from medtrace.fs.walker import Walked
from medtrace.fs.watch import Listings
from medtrace.scanning.codes import unreadable

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="inotify is Linux's")

ITEMS = Policy("paths.items", unreadable, skip_hidden=True, skip_names=frozenset({".git"}))
CODE = Policy("sources", unreadable, gitignore=True, follow_dir_links=False, stat_files=False)
unprivileged_tree = test_walker.unprivileged_tree  # a fixture: a tree another user can walk
EXTERNAL = Policy("paths.items", unreadable, follow_external=True)
Walk = tuple[list[tuple[Any, ...]], list[Any]]


@pytest.fixture
def listings() -> Iterator[Listings]:
    memo = Listings()
    watch.install(memo)
    yield memo
    watch.install(None)
    memo.close()


def touch(root: Path, *names: str, text: str = "x\n") -> None:
    for name in names:
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)


def _stat(st: os.stat_result | None) -> tuple[int, ...] | None:
    if st is None:
        return None
    return (st.st_mode, st.st_ino, st.st_dev, st.st_nlink, st.st_size, st.st_mtime_ns)


def shown(out: Walked) -> Walk:
    files = [(f.rel, f.path, _stat(f.stat), f.external, f.identity) for f in out.files]
    return files, list(out.diagnostics)


def seen(
    root: Path, patterns: list[str], policy: Policy = ITEMS, exclude: tuple[str, ...] = ()
) -> Walk:
    return shown(walk(root, Globs(patterns), policy, Globs(exclude)))


def plain(
    root: Path, patterns: list[str], policy: Policy = ITEMS, exclude: tuple[str, ...] = ()
) -> Walk:
    """The walk without kept listings."""
    kept = watch.installed()
    watch.install(None)
    try:
        return seen(root, patterns, policy, exclude)
    finally:
        watch.install(kept)


def same(
    root: Path, patterns: list[str], policy: Policy = ITEMS, exclude: tuple[str, ...] = ()
) -> Walk:
    """The walk with kept listings, checked against the walk without them."""
    memo = seen(root, patterns, policy, exclude)
    assert memo == plain(root, patterns, policy, exclude)
    return memo


def project(root: Path) -> None:
    touch(root, "docs/a.md", "docs/sub/b.md", "docs/sub/deep/c.md", "docs/other/d.md")
    touch(root, "docs/.gitignore", text="*.tmp\n")
    touch(root, "docs/sub/skip.tmp")


# -- every change is seen ------------------------------------------------------------------


def _rename(root: Path, old: str, new: str) -> None:
    (root / new).parent.mkdir(parents=True, exist_ok=True)
    (root / old).rename(root / new)


def _append(root: Path, name: str) -> None:
    with (root / name).open("a") as fh:
        fh.write("more\n")


def _replace_folder(root: Path) -> None:
    touch(root, "docs/sub2/e.md")
    (root / "docs/sub").rename(root / "moved-away")
    (root / "docs/sub2").rename(root / "docs/sub")


def _move_parent_and_remake(root: Path) -> None:
    (root / "docs").rename(root / "old-docs")
    touch(root, "docs/sub/deep/z.md")


CHANGES: dict[str, Callable[[Path], None]] = {
    "create a file": lambda r: touch(r, "docs/sub/new.md"),
    "delete a file": lambda r: (r / "docs/sub/b.md").unlink(),
    "rename a file": lambda r: _rename(r, "docs/sub/b.md", "docs/sub/b2.md"),
    "move a file to another folder": lambda r: _rename(r, "docs/a.md", "docs/other/a.md"),
    "move a file in from outside": lambda r: (
        touch(r, "out.md"),
        _rename(r, "out.md", "docs/sub/in.md"),
    ),
    "write a file": lambda r: _append(r, "docs/sub/b.md"),
    "chmod a file": lambda r: (r / "docs/sub/b.md").chmod(0o600),
    "touch a file": lambda r: os.utime(r / "docs/sub/b.md", ns=(1, 1_000_000_123)),
    "create a sub-folder": lambda r: touch(r, "docs/sub/new/n.md"),
    "remove a folder": lambda r: shutil.rmtree(r / "docs/sub/deep"),
    "move a folder itself": lambda r: _rename(r, "docs/sub/deep", "docs/sub/deeper"),
    "replace a folder by another": _replace_folder,
    "move a parent away and make it again": _move_parent_and_remake,
    "edit a .gitignore": lambda r: touch(r, "docs/.gitignore", text="*.md\n!a.md\n"),
    "remove a .gitignore": lambda r: (r / "docs/.gitignore").unlink(),
}


#: Changes a walk does not show: a file's content or mode when the walk takes no stat; an
#: ignore file when the walk does not read them (its own name is hidden from it).
UNSEEN = {("code", "write a file"), ("code", "chmod a file"), ("code", "touch a file")} | {
    ("items", "edit a .gitignore"),
    ("items", "remove a .gitignore"),
}


@pytest.mark.parametrize("change", list(CHANGES))
@pytest.mark.parametrize("policy", ["items", "code"])
@pytest.mark.verifies("SRS-292")
def test_each_change_is_seen_by_the_next_walk(
    tmp_path: Path, listings: Listings, change: str, policy: str
) -> None:
    root = tmp_path / "p"
    project(root)
    how = ITEMS if policy == "items" else CODE
    before = same(root, ["docs"], how)
    listed = listings.listed_count
    assert same(root, ["docs"], how) == before
    assert listings.listed_count == listed  # the second walk listed nothing: all kept
    CHANGES[change](root)
    after = same(root, ["docs"], how)  # the walk settles: it reads the events first
    assert (after == before) is ((policy, change) in UNSEEN)


def _replace_root(root: Path) -> None:
    root.rename(root.with_name("old-p"))
    touch(root, "docs/sub/other.md")


def _chmod_docs(root: Path) -> None:
    (root / "docs").chmod(0o700)


@pytest.mark.parametrize(
    ("change", "visible"),
    [(_move_parent_and_remake, True), (_replace_root, True), (_chmod_docs, False)],
    ids=["a folder above moved away and made again", "the root replaced", "chmod a folder above"],
)
@pytest.mark.verifies("SRS-292")
def test_a_folder_above_the_watched_ones_changes(
    tmp_path: Path, listings: Listings, change: Callable[[Path], None], visible: bool
) -> None:
    """The pattern names ``docs/sub``: ``docs`` and the root are not listed, so not watched;
    a watch follows its folder, not its path."""
    root = tmp_path / "p"
    project(root)
    before = same(root, ["docs/sub"])
    change(root)
    assert (same(root, ["docs/sub"]) != before) is visible


@pytest.mark.verifies("SRS-290")
def test_one_file_edited_lists_one_folder_again(tmp_path: Path, listings: Listings) -> None:
    root = tmp_path / "p"
    project(root)
    same(root, ["docs"])
    listed = listings.listed_count
    assert listings.settle() is False  # nothing came: the server has nothing to read again
    _append(root, "docs/sub/deep/c.md")
    readable, _, _ = select.select([listings.fileno()], [], [], 5.0)
    assert readable == [listings.fileno()]  # the server wakes up for it
    assert listings.settle() is True
    same(root, ["docs"])
    assert listings.listed_count == listed + 1


@pytest.mark.verifies("SRS-290")
def test_a_watch_is_in_place_before_the_listing(
    tmp_path: Path, listings: Listings, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A change made while the folder is being listed (after its watch was added) is an event
    the next walk sees, whatever the listing caught."""
    root = tmp_path / "p"
    project(root)
    real_scandir = os.scandir

    def changing(fd: Any) -> Any:
        _append(root, "docs/sub/b.md")  # the watch is there: this is an event
        return real_scandir(fd)

    with monkeypatch.context() as patched:
        patched.setattr(watch.os, "scandir", changing)
        seen(root, ["docs/sub"])
    listed = listings.listed_count
    same(root, ["docs/sub"])
    assert listings.listed_count == listed + 1


# -- the same output as without kept listings ------------------------------------------------


def hostile(root: Path, outside: Path) -> None:
    """Links (loops, a diamond, to siblings, out of the project, nowhere), a FIFO, ignore files
    (nested, with an invalid line, one that is a folder), hidden and skipped names, a file with
    two names, ``.git/info/exclude``."""
    touch(root, "docs/a.md", "docs/b.yaml", "docs/notes.txt", "docs/.hidden.md", "docs/x/y/z.md")
    touch(root, "docs/.git/config.md", "docs/keep/k.md", "docs/keep/drop.log", "src/m.py")
    touch(root, ".gitignore", text="*.log\nbuild/\n")
    touch(root, "docs/keep/.gitignore", text="!drop.log\n[z-a]\n")
    touch(root, ".git/info/exclude", text="*.tmp\n")
    touch(root, "docs/x/gone.tmp", "build/out.md", outside / "o.md")
    (root / "docs/x/.gitignore").mkdir()
    (root / "docs/x/up").symlink_to("..")
    (root / "docs/self").symlink_to(".")
    (root / "docs/x/keep-link").symlink_to("../keep")
    (root / "docs/dangling.md").symlink_to("nowhere.md")
    (root / "docs/out").symlink_to(outside)
    (root / "docs/out.md").symlink_to(outside / "o.md")
    (root / "docs/alias.md").symlink_to("a.md")
    os.mkfifo(root / "docs/pipe.md")
    os.link(root / "docs/a.md", root / "docs/x/a-again.md")


def _diamond(root: Path, layers: int) -> None:
    for layer in range(layers + 1):
        touch(root, f"docs/d{layer}/f.md")
    for layer in range(layers):
        for side in ("l", "r"):
            (root / f"docs/d{layer}/{side}").symlink_to(f"../d{layer + 1}")


POLICIES = {"items": ITEMS, "code": CODE, "external": EXTERNAL}
PATTERNS = [["docs"], ["."], ["docs/**/*.md", "src"], ["docs/x/y", "docs/keep/k.md"]]


@pytest.mark.parametrize("name", list(POLICIES))
@pytest.mark.parametrize("patterns", PATTERNS, ids=lambda p: "+".join(p))
@pytest.mark.verifies("SRS-291")
def test_the_walk_is_the_one_without_kept_listings(
    tmp_path: Path, listings: Listings, name: str, patterns: list[str]
) -> None:
    root, outside = tmp_path / "p", tmp_path / "outside"
    hostile(root, outside)
    _diamond(root, 4)
    first = same(root, patterns, POLICIES[name], ("docs/notes.txt",))
    assert first[0]  # the patterns select something
    assert same(root, patterns, POLICIES[name], ("docs/notes.txt",)) == first
    assert len(listings) > 0


@pytest.mark.verifies("SRS-291")
def test_two_walks_of_one_tree_share_its_listings(tmp_path: Path, listings: Listings) -> None:
    root = tmp_path / "p"
    project(root)
    items, code = same(root, ["docs"]), same(root, ["docs"], CODE)
    listed = listings.listed_count
    assert (same(root, ["docs"]), same(root, ["docs"], CODE)) == (items, code)
    assert listings.listed_count == listed


@pytest.mark.verifies("SRS-291")
def test_without_install_the_walker_never_asks(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def refused(*args: Any) -> None:
        raise AssertionError("asked without install")

    monkeypatch.setattr(Listings, "listing", refused)
    monkeypatch.setattr(Listings, "begin", refused)
    project(tmp_path)
    assert watch.installed() is None
    assert seen(tmp_path, ["docs"])[0]


@pytest.mark.verifies("SRS-290")
def test_a_closed_memo_is_not_used(tmp_path: Path) -> None:
    memo = Listings()
    memo.close()
    watch.install(memo)
    try:
        project(tmp_path)
        assert seen(tmp_path, ["docs"]) == plain(tmp_path, ["docs"])
        assert len(memo) == 0
    finally:
        watch.install(None)


# -- what is never served from memory --------------------------------------------------------


@pytest.mark.verifies("SRS-293")
def test_a_linked_file_is_looked_at_afresh(tmp_path: Path, listings: Listings) -> None:
    root = tmp_path / "p"
    touch(root, "docs/a.md", "elsewhere/target.md")
    (root / "docs/link.md").symlink_to("../elsewhere/target.md")
    before = same(root, ["docs"])
    _append(root, "elsewhere/target.md")  # no event in docs/: elsewhere/ is not watched
    assert same(root, ["docs"]) != before


@pytest.mark.verifies("SRS-293")
def test_a_linked_folder_is_listed_afresh(tmp_path: Path, listings: Listings) -> None:
    root = tmp_path / "p"
    touch(root, "docs/a.md", "elsewhere/target.md")
    (root / "docs/linked").symlink_to("../elsewhere")
    before = same(root, ["docs"])
    touch(root, "elsewhere/new.md")
    assert same(root, ["docs"]) != before


@pytest.mark.verifies("SRS-293")
def test_a_file_with_two_names_is_looked_at_afresh(tmp_path: Path, listings: Listings) -> None:
    root = tmp_path / "p"
    touch(root, "docs/a.md", "elsewhere/b.md")
    os.link(root / "elsewhere/b.md", root / "docs/b.md")
    before = same(root, ["docs"])
    _append(root, "elsewhere/b.md")  # written through the other name: no event in docs/
    assert same(root, ["docs"]) != before


@pytest.mark.verifies("SRS-293")
def test_a_second_name_made_in_a_watched_folder_forgets_all(
    tmp_path: Path, listings: Listings
) -> None:
    root = tmp_path / "p"
    touch(root, "docs/a.md", "docs/sub/b.md")
    before = same(root, ["docs"])
    os.link(root / "docs/sub/b.md", root / "docs/b-again.md")  # an event in docs/ only
    _append(root, "docs/b-again.md")
    after = same(root, ["docs"])
    assert after != before
    assert next(s for rel, _, s, _, _ in after[0] if rel == "docs/sub/b.md")[3] == 2


def fake_mounts(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, kind: str) -> Path:
    table = tmp_path / "mountinfo"
    table.write_text(f"27 1 254:0 / / rw,relatime - {kind} /dev/vda rw\n")
    monkeypatch.setattr(watch, "MOUNTS", str(table))
    return table


@pytest.mark.parametrize("kind", ["nfs", "nfs4", "cifs", "fuse.sshfs", "9p"])
@pytest.mark.verifies("SRS-293")
def test_an_untrusted_file_system_is_listed_every_time(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, kind: str
) -> None:
    fake_mounts(tmp_path, monkeypatch, kind)
    memo = Listings()
    watch.install(memo)
    try:
        project(tmp_path)
        same(tmp_path, ["docs"])
        assert len(memo) == 0
    finally:
        watch.install(None)
        memo.close()


@pytest.mark.verifies("SRS-293")
def test_the_mount_point_decides(tmp_path: Path) -> None:
    mounts = [("/mnt/share/deep", "ext4"), ("/mnt/share", "nfs"), ("/", "ext4")]
    assert watch._fs_type(mounts, "/mnt/share/x") == "nfs"
    assert watch._fs_type(mounts, "/mnt/share/deep/y") == "ext4"
    assert watch._fs_type(mounts, "/mnt/shared") == "ext4"
    assert watch._unescape(r"/mnt/my\040share\134x") == "/mnt/my share\\x"


@pytest.mark.verifies("SRS-290")
def test_a_changed_mount_table_forgets_all(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    table = fake_mounts(tmp_path, monkeypatch, "ext4")
    memo = Listings()
    watch.install(memo)
    try:
        project(tmp_path)
        same(tmp_path, ["docs"])
        assert len(memo) > 0
        table.write_text(table.read_text() + "28 27 0:9 / /mnt rw - tmpfs tmpfs rw\n")
        memo.settle()
        assert len(memo) == 0
    finally:
        watch.install(None)
        memo.close()


@pytest.mark.verifies("SRS-293")
def test_a_folder_without_a_watch_is_listed_every_time(
    tmp_path: Path, listings: Listings, monkeypatch: pytest.MonkeyPatch
) -> None:
    def no_room(path: str, mask: int) -> int:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(listings._inotify, "add_watch", no_room)
    project(tmp_path)
    before = same(tmp_path, ["docs"])
    assert len(listings) == 0
    _append(tmp_path, "docs/sub/b.md")
    assert same(tmp_path, ["docs"]) != before


@pytest.mark.verifies("SRS-290")
def test_an_overflowed_queue_forgets_all(tmp_path: Path, listings: Listings) -> None:
    project(tmp_path)
    same(tmp_path, ["docs"])
    assert len(listings) > 0
    listings._apply(-1, 0x4000, "")  # IN_Q_OVERFLOW comes with the watch descriptor -1
    assert len(listings) == 0


@pytest.mark.verifies("SRS-290")
def test_many_events_forget_all(tmp_path: Path, listings: Listings) -> None:
    project(tmp_path)
    same(tmp_path, ["docs"])
    for number in range(watch._MANY + 1):
        (tmp_path / f"docs/sub/deep/f{number}").write_text("")
    listings.settle()
    assert len(listings) == 0
    same(tmp_path, ["docs"])


# -- forked children ---------------------------------------------------------------------------


def in_fork(job: Callable[[], Any]) -> Any:
    """``job()`` in a forked child; its result (pickled through a pipe)."""
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: never back into pytest
        code = 0
        try:
            os.close(read)
            with os.fdopen(write, "wb") as out:
                pickle.dump(job(), out)
        except BaseException:
            code = 1
        finally:
            os._exit(code)
    os.close(write)
    with os.fdopen(read, "rb") as got:
        data = got.read()
    _, status = os.waitpid(pid, 0)
    assert os.waitstatus_to_exitcode(status) == 0
    return pickle.loads(data)


@pytest.mark.verifies("SRS-294")
def test_a_child_serves_what_is_current_and_adds_nothing(
    tmp_path: Path, listings: Listings
) -> None:
    project(tmp_path)
    touch(tmp_path, "more/m.md")
    same(tmp_path, ["docs"])
    kept, listed = len(listings), listings.listed_count

    def child() -> tuple[bool, bool, int, int]:
        docs = same(tmp_path, ["docs"])  # served from the kept listings
        more = same(tmp_path, ["more"])  # not kept: listed as without them, and not kept
        return bool(docs[0]), bool(more[0]), len(listings), listings.listed_count

    assert in_fork(child) == (True, True, kept, listed)
    assert len(listings) == kept


@pytest.mark.verifies("SRS-294")
def test_a_child_never_reads_the_events(tmp_path: Path, listings: Listings) -> None:
    project(tmp_path)
    before = same(tmp_path, ["docs"])
    _append(tmp_path, "docs/sub/b.md")  # an event waits; the server has not settled yet

    def child() -> tuple[bool, int]:
        listings.settle()  # a no-op in another process
        return same(tmp_path, ["docs"]) != before, listings._pending()

    changed, pending = in_fork(child)
    assert changed and pending > 0  # the child saw the change, and left the event there
    listed = listings.listed_count
    assert same(tmp_path, ["docs"]) != before
    assert listings.listed_count == listed + 1  # the server read it: one folder listed again


@pytest.mark.verifies("SRS-290")
def test_unavailable_inotify_is_said(monkeypatch: pytest.MonkeyPatch) -> None:
    import inotify_simple

    def refuse(*args: Any, **kwargs: Any) -> None:
        raise OSError(errno.EMFILE, "Too many open files")

    monkeypatch.setattr(inotify_simple.INotify, "__init__", refuse)
    with pytest.raises(WatchUnavailable, match="inotify cannot be used"):
        Listings()


@pytest.mark.verifies("SRS-290")
def test_the_inotify_descriptor_is_close_on_exec_and_non_blocking(listings: Listings) -> None:
    fd = listings._inotify.fileno()
    assert not os.get_inheritable(fd)
    assert not os.get_blocking(fd)


@pytest.mark.verifies("SRS-291")
def test_folders_without_read_or_execute_permission(unprivileged_tree: Path) -> None:
    """Real permission bits, walked by a user they apply to, with and without kept listings."""
    root = unprivileged_tree
    touch(root, "docs/ok.md", "docs/noread/a.md", "docs/noexec/b.md", "docs/noexec/c.md")
    (root / "docs" / "noread").chmod(0o300)
    (root / "docs" / "noexec").chmod(0o600)
    out = test_walker.as_unprivileged(
        root,
        f"""
        from pathlib import Path
        from medtrace.fs import Globs, Policy, walk, watch
        from medtrace.scanning.codes import unreadable

        root = Path({str(root)!r})
        stat = Policy("items", unreadable)
        code = Policy("code", unreadable, gitignore=True, stat_files=False)

        def run():
            walks = [walk(root, Globs(["docs"]), p) for p in (stat, code)]
            return [([(f.rel, f.identity, f.stat) for f in w.files], w.diagnostics) for w in walks]

        plain = run()
        watch.install(watch.Listings())
        print(plain == run() == run(), len(watch.installed()) > 0)
        print(sorted(f[0] for w in plain for f in w[0]))
        """,
    )
    assert out.splitlines() == [
        "True True",
        "['docs/noexec/b.md', 'docs/noexec/c.md', 'docs/ok.md', 'docs/ok.md']",
    ]


# -- random changes ----------------------------------------------------------------------------


def _random_change(root: Path, rng: random.Random) -> None:
    """One change somewhere under ``root/docs``: files and folders made, written, moved,
    removed, linked, their mode changed; ignore files written."""
    folders = [p for p in (root / "docs").rglob("*") if p.is_dir() and not p.is_symlink()]
    folders.append(root / "docs")
    files = [p for p in (root / "docs").rglob("*") if p.is_file() and not p.is_symlink()]
    here = rng.choice(folders)
    what = rng.randrange(10)
    name = f"n{rng.randrange(1000)}{rng.choice(['.md', '.yaml', '.txt', '.tmp'])}"
    if what == 0 or not files:
        (here / name).write_text("new\n")
    elif what == 1:
        with rng.choice(files).open("a") as fh:
            fh.write("more\n")
    elif what == 2:
        rng.choice(files).unlink()
    elif what == 3:
        rng.choice(files).replace(here / name)
    elif what == 4:
        (here / f"d{rng.randrange(100)}").mkdir(exist_ok=True)
    elif what == 5 and here != root / "docs":
        if rng.random() < 0.5:
            shutil.rmtree(here)
        else:  # moved elsewhere below docs (not below itself)
            target = rng.choice([f for f in folders if here not in (f, *f.parents)])
            here.rename(target / f"m{rng.randrange(1000)}")
    elif what == 6:
        rng.choice(files).chmod(rng.choice([0o600, 0o644, 0o400]))
    elif what == 7 and not (here / name).exists():
        os.link(rng.choice(files), here / name)
    elif what == 8 and not (here / name).exists():
        (here / name).symlink_to(os.path.relpath(rng.choice(files + folders), here))
    else:
        (here / ".gitignore").write_text(rng.choice(["*.tmp\n", "*.txt\n!keep.txt\n", "d1/\n", ""]))


@pytest.mark.verifies("SRS-291")
@pytest.mark.verifies("SRS-292")
@pytest.mark.parametrize("seed", range(6))
def test_random_changes_give_the_walk_without_kept_listings(
    tmp_path: Path, listings: Listings, seed: int
) -> None:
    rng = random.Random(seed)
    root = tmp_path / "p"
    project(root)
    for _ in range(40):
        _random_change(root, rng)
        same(root, ["docs"])
        same(root, ["docs"], CODE)
        same(root, ["docs/sub", "docs/other"], ITEMS, ("docs/sub/deep",))
