"""The loading stage: files read, decoded, size-limited, parsed and built into items."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
from helpers import needs_permissions, write_project
from hypothesis import given
from hypothesis import strategies as st

from medtrace.cache.codec import unpack
from medtrace.config import load_config, validate
from medtrace.loading import Helper, Loaded, load_items, salt
from medtrace.loading.discover import find_item_files
from medtrace.workers import Split

pytestmark = pytest.mark.verifies("SRS-3", "SRS-4")


def loaded(tmp_path: Path, files: dict[str, str | bytes], config: str | None = None) -> Loaded:
    write_project(tmp_path, files, config=config)
    return load_items(load_config(tmp_path), use_cache=False)


def test_items_files_and_diagnostics(tmp_path: Path) -> None:
    out = loaded(
        tmp_path,
        {
            "docs/a.yaml": "- id: SYS-1\n  title: a\n- id: SYS-2\n  title: b\n",
            "docs/SRS-1.md": "---\nitem: x\n---\n# T\n",
            "docs/bad.yaml": "- id: [\n",
        },
    )
    assert [i.id for i in out.items] == ["SRS-1", "SYS-1", "SYS-2"]
    assert out.files == ["docs/SRS-1.md", "docs/a.yaml", "docs/bad.yaml"]
    assert [(d.code, d.path) for d in out.diagnostics] == [("MT002", "docs/bad.yaml")]


def test_a_file_over_the_size_limit_is_not_read(tmp_path: Path) -> None:
    config = '[project]\nclass = "A"\n[limits]\nmax_file_bytes = 100\n'
    out = loaded(
        tmp_path,
        {
            "docs/big.yaml": "- id: SYS-1\n  text: " + "x" * 200 + "\n",
            "docs/ok.yaml": "- id: SYS-2\n",
        },
        config,
    )
    assert [i.id for i in out.items] == ["SYS-2"]
    (d,) = out.diagnostics
    assert (d.code, d.path, d.line) == ("MT001", "docs/big.yaml", 0)
    assert d.found == "file is 221 bytes"
    assert d.expected == "at most 100 bytes (limits.max_file_bytes)"
    assert "raise limits.max_file_bytes" in d.hint


def test_a_file_that_is_not_utf8(tmp_path: Path) -> None:
    out = loaded(tmp_path, {"docs/SYS-1.md": b"---\nid: SYS-1\ntitle: caf\xe9\n---\n"})
    (d,) = out.diagnostics
    assert (d.code, d.rule, d.line) == ("MT001", "file-unreadable", 3)
    assert d.found == "not UTF-8: byte 0xe9 at offset 24"
    assert d.expected == "text encoded as UTF-8"
    assert out.items == []


def test_a_utf8_byte_order_mark_is_fine(tmp_path: Path) -> None:
    out = loaded(tmp_path, {"docs/SYS-1.md": "\ufeff---\ntitle: Café\n---\n".encode()})
    assert out.diagnostics == []
    assert out.items[0].title == "Café"


def test_a_binary_file(tmp_path: Path) -> None:
    out = loaded(tmp_path, {"docs/logo.md": b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\xff\xfe"})
    (d,) = out.diagnostics
    assert (d.code, d.found, d.line) == ("MT001", "binary content (NUL bytes)", 0)
    assert d.hint == "Keep binary files outside paths.items."


@needs_permissions
def test_an_unreadable_file(tmp_path: Path) -> None:
    write_project(tmp_path, {"docs/a.yaml": "- id: SYS-1\n", "docs/b.yaml": "- id: SYS-2\n"})
    (tmp_path / "docs" / "a.yaml").chmod(0)
    try:
        out = load_items(load_config(tmp_path), use_cache=False)
    finally:
        (tmp_path / "docs" / "a.yaml").chmod(0o644)
    (d,) = out.diagnostics
    assert (d.code, d.path, d.found) == ("MT001", "docs/a.yaml", "cannot read: Permission denied")
    assert [i.id for i in out.items] == ["SYS-2"]


def test_loading_problems_of_yaml_entries_have_lines(tmp_path: Path) -> None:
    out = loaded(
        tmp_path,
        {
            "docs/a.yaml": """
                - id: SYS-1
                  title: ok

                - title: no id
                - id: SYS-2
                  kind: sys-req
                - id: 1.5
                  kind: system-requirement
                """
        },
    )
    assert [(d.code, d.line, d.found) for d in out.diagnostics] == [
        ("MT003", 4, "item without an ID"),
        ("MT006", 5, "unknown kind 'sys-req' for SYS-2"),
        ("MT003", 7, "the ID is a float"),
    ]
    assert [i.id for i in out.items] == ["SYS-1"]


def test_salt_changes_with_the_kinds_only() -> None:
    base = validate({"project": {"class": "B"}})
    same = validate({"project": {"class": "C", "name": "other"}, "rules": {"MT015": "off"}})
    renamed = validate(
        {"project": {"class": "B"}, "kinds": {"software-requirement": {"prefix": "SWR"}}}
    )
    assert salt(base) == salt(same)
    assert salt(base) != salt(renamed)


def test_a_read_error_is_a_diagnostic(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The same as an unreadable file, whoever runs the tests (root reads every file)."""
    import medtrace.fs.read as reading

    write_project(tmp_path, {"docs/a.yaml": "- id: SYS-1\n", "docs/b.yaml": "- id: SYS-2\n"})
    real_open = os.open

    def fake_open(path: str, *args: Any, **kwargs: Any) -> Any:
        if path.endswith("a.yaml"):
            raise PermissionError(13, "Permission denied", path)
        return real_open(path, *args, **kwargs)

    monkeypatch.setattr(reading.os, "open", fake_open)
    out = load_items(load_config(tmp_path), use_cache=False)
    (d,) = out.diagnostics
    assert (d.code, d.path, d.found) == ("MT001", "docs/a.yaml", "cannot read: Permission denied")
    assert d.expected == "a readable file"
    assert [i.id for i in out.items] == ["SYS-2"]


# -- the items cache ----------------------------------------------------------------------


def _rows(out: Loaded) -> tuple[list[Any], list[Any], list[str]]:
    return [i.to_tuple() for i in out.items], [d.to_tuple() for d in out.diagnostics], out.files


def _age(*paths: Path) -> None:
    """Date files an hour back: out of the cache's racy window, so that an unchanged file is
    trusted by its ``stat`` alone (the case where a missed change would go unseen)."""
    for path in paths:
        old = path.stat().st_mtime_ns - 3_600 * 10**9
        os.utime(path, ns=(old, old))


@pytest.mark.verifies("SRS-6")
def test_the_items_cache_sees_every_change(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Edited, added, removed and renamed files, and an edit that keeps the size and the
    modification time: each time the cached load equals a cold one, and only the files that
    changed are parsed again."""
    from medtrace.loading import load as load_module

    write_project(
        tmp_path,
        {
            "docs/SYS-1.md": "---\n---\n# One\n",
            "docs/SYS-2.md": "---\n---\n# Two\n",
            "docs/more.yaml": "- id: SYS-3\n  title: three\n",
            "docs/bad.yaml": "- id: [\n",
        },
    )
    parsed: list[str] = []
    real = load_module._load_file

    def counting(root: str, rel: str, *args: Any) -> Any:
        parsed.append(rel)
        return real(root, rel, *args)

    monkeypatch.setattr(load_module, "_load_file", counting)
    config = load_config(tmp_path)
    docs = tmp_path / "docs"

    def check(expected_parsed: list[str]) -> None:
        _age(*(tmp_path / rel for rel in expected_parsed))
        parsed.clear()
        warm = load_items(config)  # reads, then writes the cache
        assert sorted(parsed) == expected_parsed
        parsed.clear()
        assert _rows(load_items(config)) == _rows(warm)  # served from the cache alone
        assert parsed == []
        assert _rows(warm) == _rows(load_items(config, use_cache=False))

    check(["docs/SYS-1.md", "docs/SYS-2.md", "docs/bad.yaml", "docs/more.yaml"])
    (docs / "SYS-1.md").write_text("---\n---\n# One, edited\n")
    check(["docs/SYS-1.md"])
    (docs / "SYS-4.md").write_text("---\n---\n# Four\n")
    check(["docs/SYS-4.md"])
    (docs / "SYS-2.md").unlink()
    check([])
    (docs / "SYS-4.md").rename(docs / "SYS-5.md")
    check(["docs/SYS-5.md"])
    before = (docs / "SYS-5.md").stat()
    (docs / "SYS-5.md").write_text("---\n---\n# Fove\n")  # same size, same times below
    os.utime(docs / "SYS-5.md", ns=(before.st_atime_ns, before.st_mtime_ns))
    assert (docs / "SYS-5.md").stat().st_size == before.st_size
    parsed.clear()
    assert [i.title for i in load_items(config).items] == ["One, edited", "Fove", "three"]
    assert parsed == ["docs/SYS-5.md"]


# --- resident caches (medtrace.cache.resident) ------------------------------------------------


def _item_rows(out: Loaded) -> list[tuple[Any, ...]]:
    return [i.to_tuple() for i in out.items]


@pytest.mark.verifies("SRS-297")
@pytest.mark.usefixtures("resident_caches")
def test_a_resident_load_gives_the_items_of_unchanged_files_again(tmp_path: Path) -> None:
    files: dict[str, str | bytes] = {
        "docs/a.yaml": "- id: SYS-1\n  title: a\n- id: SYS-2\n  title: b\n",
        "docs/SRS-1.md": "---\nitem: x\n---\n# T\n",
        "docs/bad.yaml": "- id: [\n",
    }
    write_project(tmp_path, files)
    config = load_config(tmp_path)
    first = load_items(config)
    second = load_items(config)
    assert [id(i) for i in second.items] == [id(i) for i in first.items]
    assert second.diagnostics == first.diagnostics and second.files == first.files
    (tmp_path / "docs/SRS-1.md").write_text("---\nitem: y\n---\n# U\n", encoding="utf-8")
    (tmp_path / "docs/SRS-2.md").write_text("---\nitem: x\n---\n# V\n", encoding="utf-8")
    third = load_items(config)
    cold = load_items(config, use_cache=False)
    assert _item_rows(third) == _item_rows(cold) and third.diagnostics == cold.diagnostics
    kept = {i.id: i for i in first.items}
    assert [i.id for i in third.items if i is kept.get(i.id)] == ["SYS-1", "SYS-2"]
    assert (
        third.files
        == cold.files
        == ["docs/SRS-1.md", "docs/SRS-2.md", "docs/a.yaml", "docs/bad.yaml"]
    )


@pytest.mark.verifies("SRS-297")
@pytest.mark.usefixtures("resident_caches")
def test_a_resident_load_sorts_files_found_in_another_order(tmp_path: Path) -> None:
    from medtrace.loading.discover import Discovered

    write_project(tmp_path, {"docs/b.yaml": "- id: SYS-2\n", "docs/a.yaml": "- id: SYS-1\n"})
    config = load_config(tmp_path)
    found = find_item_files(config)
    again = Discovered(dict(reversed(list(found.files.items()))), found.diagnostics)
    assert list(again.files) != list(found.files)
    for one in (found, again, found):
        assert load_items(config, one).files == ["docs/a.yaml", "docs/b.yaml"]


@pytest.mark.verifies("SRS-297")
@given(
    st.lists(st.integers(0, 3), min_size=1, max_size=12),
    st.data(),
)
def test_splicing_the_changed_files_segments_is_gathering_them_again(
    sizes: list[int], data: st.DataObject
) -> None:
    from itertools import accumulate

    from medtrace.loading.load import _splice

    segments = [[(n, k) for k in range(size)] for n, size in enumerate(sizes)]
    changed = sorted(data.draw(st.sets(st.integers(0, len(sizes) - 1))))
    new = {n: [("new", n, k) for k in range(data.draw(st.integers(0, 3)))] for n in changed}
    flat = [x for segment in segments for x in segment]
    ends = list(accumulate(map(len, segments)))
    got, got_ends = _splice(flat, ends, changed, [new[n] for n in changed])
    wanted = [new.get(n, segment) for n, segment in enumerate(segments)]
    assert got == [x for segment in wanted for x in segment]
    assert got_ends == list(accumulate(map(len, wanted)))


@pytest.mark.verifies("SRS-297")
@pytest.mark.usefixtures("resident_caches")
def test_a_resident_load_after_edits_gives_what_a_cold_one_gives(tmp_path: Path) -> None:
    files: dict[str, str | bytes] = {
        f"docs/SRS-{n}.md": f"---\nitem: x\n---\n# T{n}\n" for n in range(1, 9)
    }
    write_project(tmp_path, files)
    config = load_config(tmp_path)
    first = load_items(config)
    edits = [
        ("docs/SRS-3.md", "---\nitem: y\n---\n# U\n"),  # one item for one
        ("docs/SRS-5.md", "- id: SRS-5\n"),  # not front matter: none, and a finding
        ("docs/SRS-1.md", "---\nid: SRS-1\n---\n# V\n"),
    ]
    for rel, text in edits:
        (tmp_path / rel).write_text(text, encoding="utf-8")
        again = load_items(config)
        cold = load_items(config, use_cache=False)
        assert _item_rows(again) == _item_rows(cold) and again.diagnostics == cold.diagnostics
        again.items.clear()  # a caller changing its lists changes nothing kept
        again.diagnostics.clear()
    assert _item_rows(load_items(config)) == _item_rows(load_items(config, use_cache=False))
    assert first.items


@pytest.mark.verifies("SRS-319")
def test_a_load_may_leave_saving_its_cache_to_the_caller(tmp_path: Path) -> None:
    root = write_project(tmp_path, {"docs/SRS-1.md": "---\ntype: functional\n---\n# Dose\n"})
    config = load_config(root)
    cached = config.cache_dir / "items.mtc"
    first = load_items(config, save=False)
    assert first.unsaved is not None and not cached.exists()  # nothing written yet
    first.unsaved.save()
    assert cached.is_file()
    again = load_items(config)  # from the cache the caller saved
    assert again.unsaved is None
    assert [i.to_tuple() for i in again.items] == [i.to_tuple() for i in first.items]


def _helped_project(tmp_path: Path) -> Path:
    """1,100 item files, some with findings (an unknown kind, broken YAML, a YAML table)."""
    files: dict[str, str | bytes] = {
        f"docs/srs/SRS-{n}.md": f"---\ntype: functional\nparents: [SYS-{n % 7}]\n---\n# R {n}\n"
        for n in range(1, 1090)
    }
    files |= {f"docs/bad-{n}.yaml": "- id: [\n" for n in range(5)}
    files |= {f"docs/odd-{n}.md": f"---\nid: ODD-{n}\n---\nbody\n" for n in range(5)}
    files["docs/sys.yaml"] = "".join(f"- id: SYS-{n}\n  title: s{n}\n" for n in range(7))
    write_project(tmp_path, files)
    return tmp_path


def _helping(config: Any, split: Any) -> None:
    """The child's side: once the load offers its files, parse from the back."""
    import time

    from medtrace.loading import help_load

    for _ in range(2000):  # bounded: the load offers at once
        if split._get(0):
            break
        time.sleep(0.005)
    help_load(config, split)


@pytest.mark.skipif(not hasattr(os, "fork"), reason="the helper is a forked child")
@pytest.mark.verifies("SRS-336")
@pytest.mark.parametrize("child_first", [True, False])
def test_a_load_helped_by_a_child_gives_the_one_process_load(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, child_first: bool
) -> None:
    from medtrace import workers
    from medtrace.loading import Helper

    monkeypatch.setattr(workers.threading, "active_count", lambda: 1)
    root = _helped_project(tmp_path)
    config = load_config(root)
    plain = load_items(config, use_cache=False, jobs=1)
    split: workers.Split[Any, Any] = workers.Split()
    with workers.Ahead(lambda: _helping(config, split), 2) as ahead:
        assert ahead.started
        if child_first:  # this process takes nothing before the child has taken every chunk
            real = split.take
            monkeypatch.setattr(split, "take", lambda: (ahead.wait(), real())[1])
        helped = load_items(config, use_cache=True, jobs=1, helper=Helper(split, ahead.wait))
        ahead.wait()
    if child_first:
        assert split._get(16) == 0  # the child took every chunk, down to the first
    split.close()
    assert [i.to_tuple() for i in helped.items] == [i.to_tuple() for i in plain.items]
    assert helped.diagnostics == plain.diagnostics and helped.files == plain.files
    assert len(plain.items) == 1096 and {d.code for d in plain.diagnostics} >= {"MT002"}
    cached = load_items(config, use_cache=True, jobs=1)  # the helped entries were cached
    assert [i.to_tuple() for i in cached.items] == [i.to_tuple() for i in plain.items]
    assert cached.diagnostics == plain.diagnostics


@pytest.mark.verifies("SRS-336")
def test_the_files_offered_to_a_helper_come_back_with_their_identities() -> None:
    from medtrace.loading.load import _decoded, _encoded

    def found(dev: int, ino: int) -> os.stat_result:
        return os.stat_result((0o100644, ino, dev, 1, 0, 0, 10, 0, 0, 0))

    todo = [
        ("docs/SRS-1.md", found(2049, 12)),
        ("docs/caf\udce9.md", found(2**64 - 1, 2**63 + 5)),  # undecodable name, large numbers
        ("docs/a b/SRS-2.md", found(0, 0)),
    ]
    back = _decoded(_encoded(todo))
    assert [rel for rel, _ in back] == [rel for rel, _ in todo]
    assert [(s.st_dev, s.st_ino) for _, s in back] == [(s.st_dev, s.st_ino) for _, s in todo]


@pytest.mark.verifies("SRS-337")
@pytest.mark.parametrize("jobs", [1, 2])
def test_entries_made_when_the_caller_saves_are_those_made_at_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, jobs: int
) -> None:
    from medtrace import workers
    from medtrace.cache import FileCache

    monkeypatch.setattr(workers.threading, "active_count", lambda: 1)
    monkeypatch.setattr(workers, "MIN_BATCH", 10)  # (with two jobs: rows from a worker)
    root = _helped_project(tmp_path / "p")
    config = load_config(root)
    at_once = load_items(config, jobs=jobs)
    stored = FileCache(config.cache_dir, "items", salt(config))._entries
    for path in config.cache_dir.iterdir():
        path.unlink()
    later = load_items(config, save=False, jobs=jobs)
    assert later.unsaved is not None and len(later.unsaved.pending) == len(later.files)
    assert not (config.cache_dir / "items.mtc").exists()
    later.unsaved.save()
    again = FileCache(config.cache_dir, "items", salt(config))._entries
    assert {p: [*e[:2], unpack(e[2])] for p, e in again.items()} == {
        p: [*e[:2], unpack(e[2])] for p, e in stored.items()
    }
    assert [i.to_tuple() for i in later.items] == [i.to_tuple() for i in at_once.items]
    assert later.diagnostics == at_once.diagnostics


@pytest.mark.verifies("SRS-354")
def test_the_helped_load_calls_between_after_each_of_its_own_chunks(tmp_path: Path) -> None:
    root = tmp_path
    (root / "medtrace.toml").write_text('[project]\nclass = "B"\n[paths]\nitems = ["docs"]\n')
    docs = root / "docs"
    docs.mkdir()
    for n in range(1, 1201):
        (docs / f"SRS-{n}.md").write_text(f"---\ntype: functional\n---\n# Dose {n}\n")
    config = load_config(root)
    calls: list[int] = []
    split: Split[Any, Any] = Split()
    helper = Helper(split, lambda: None, lambda: calls.append(1))
    loaded = load_items(config, use_cache=False, helper=helper)
    assert len(loaded.items) == 1200 and loaded.diagnostics == []
    assert len(calls) == split.chunks  # no child took any: every chunk was this process's
    split.close()
