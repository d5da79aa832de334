"""The whole check, and its caches: a re-run is fast, and never serves a stale result."""

from __future__ import annotations

import gc
import hashlib
import os
import struct
import time
from pathlib import Path
from typing import Any

import pytest
from helpers import needs_permissions, write_project

from medtrace import pipeline
from medtrace.diagnostics import Severity
from medtrace.errors import ConfigError
from medtrace.pipeline import CheckResult, check, load_project

pytestmark = pytest.mark.verifies("SRS-6")

OLD = time.time_ns() - 3600 * 1_000_000_000

FILES = {
    "docs/sys.yaml": """
        - id: SYS-1
          title: Record readings
        """,
    "docs/SRS-1.md": """
        ---
        type: data
        parents: [SYS-1]
        ---
        # Store readings
        """,
}


def project(tmp_path: Path, files: dict[str, str] | None = None, **kw: str) -> Path:
    write_project(tmp_path, files if files is not None else FILES, cls="A", **kw)
    age(tmp_path)
    return tmp_path


def age(root: Path) -> None:
    """Date every file an hour back: out of the racy window, so a re-run may use the cache."""
    for path in root.rglob("*"):
        if path.is_file() and ".medtrace" not in path.parts:
            os.utime(path, ns=(OLD, OLD))


def messages(result: CheckResult) -> list[str]:
    return [f"{d.location} {d.code} {d.message}" for d in result.diagnostics]


def test_a_clean_project(tmp_path: Path) -> None:
    result = check(project(tmp_path))
    assert (result.diagnostics, result.items, result.files, result.cached) == ([], 2, 2, False)
    assert not result.failed(strict=True)
    assert result.config.project.name == "fixture"


def test_the_second_run_is_served_from_the_cache(tmp_path: Path) -> None:
    root = project(tmp_path)
    (root / "docs" / "sys.yaml").write_text("- id: SYS-1\n")
    age(root)
    first = check(root)
    second = check(root)
    assert (first.cached, second.cached) == (False, True)
    assert (
        messages(first)
        == messages(second)
        == [
            "docs/sys.yaml:1 MT009 system-requirement SYS-1 has no 'title'; expected 'title' "
            "(required for class A)"
        ]
    )
    assert (second.items, second.files) == (2, 2)
    assert second.config.root == root, "the current configuration, not a pickled one"


def test_an_edit_keeping_size_and_mtime_is_seen(tmp_path: Path) -> None:
    root = project(tmp_path)
    check(root)
    path = root / "docs" / "SRS-1.md"
    before = path.stat()
    path.write_text(path.read_text().replace("SYS-1", "SYS-9"))
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert (path.stat().st_size, path.stat().st_mtime_ns) == (before.st_size, before.st_mtime_ns)
    result = check(root)
    assert not result.cached
    assert [d.code for d in result.diagnostics] == ["MT010"]


def test_an_edit_within_the_racy_window_is_seen(tmp_path: Path) -> None:
    root = project(tmp_path)
    check(root)
    (root / "docs" / "SRS-1.md").write_text("---\ntype: data\nparents: [SYS-2]\n---\n# T\n")
    assert [d.code for d in check(root).diagnostics] == ["MT010"]
    assert [d.code for d in check(root).diagnostics] == ["MT010"], "again, still within"


def test_an_edit_on_a_filesystem_with_coarse_timestamps(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Where an edit may leave every stat field as it was, recent files are read again."""
    import medtrace.cache as cache

    coarse = struct.Struct("<qq")
    monkeypatch.setattr(cache, "_stat_bytes", lambda st: coarse.pack(st.st_size, st.st_mtime_ns))
    root = project(tmp_path)
    path = root / "docs" / "SRS-1.md"
    os.utime(path)  # modified now: within the racy window of the cache written next
    before = path.stat()
    check(root)
    path.write_text(path.read_text().replace("SYS-1", "SYS-9"))
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    result = check(root)
    assert [d.code for d in result.diagnostics] == ["MT010"]


@pytest.mark.verifies("SRS-346")
def test_a_check_just_after_an_edit_is_the_result_found_next(tmp_path: Path) -> None:
    """A check stored within the racy window of the file just saved (every check of this
    small project is) is found by the next command: the file still holds what was read."""
    root = project(tmp_path)
    (root / "docs" / "SRS-1.md").write_text("---\ntype: data\nparents: [SYS-9]\n---\n# T\n")
    first = check(root)
    found = pipeline.cached_result(root)
    assert found is not None and found.cached
    assert (found.diagnostics, found.statuses) == (first.diagnostics, first.statuses)
    assert [d.code for d in found.diagnostics] == ["MT010"]


@pytest.mark.verifies("SRS-346")
def test_a_result_found_by_content_is_read_again_when_asked_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Where an edit may keep every stat field (coarse timestamps), the result found before
    is not given again once the file saved just before it holds another content."""
    import medtrace.cache as cache

    coarse = struct.Struct("<qq")
    monkeypatch.setattr(cache, "_stat_bytes", lambda st: coarse.pack(st.st_size, st.st_mtime_ns))

    def files_digest(files: dict[str, os.stat_result], **kw: bool) -> tuple[bytes, int]:
        """The inputs' digest of their sizes and modification times only."""
        keys = repr([(rel, st.st_size, st.st_mtime_ns) for rel, st in files.items()])
        newest = max((st.st_mtime_ns for st in files.values()), default=0)
        return hashlib.blake2b(keys.encode()).digest(), newest

    monkeypatch.setattr(pipeline, "files_digest", files_digest)
    root = project(tmp_path)
    path = root / "docs" / "SRS-1.md"
    path.write_text(path.read_text().replace("SYS-1", "SYS-9"))
    before = path.stat()
    assert [d.code for d in check(root).diagnostics] == ["MT010"]
    found = pipeline.cached_result(root)
    assert found is not None and [d.code for d in found.diagnostics] == ["MT010"]
    path.write_text(path.read_text().replace("SYS-9", "SYS-1"))
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert pipeline.cached_result(root) is None
    assert check(root).diagnostics == []


@pytest.mark.verifies("SRS-347")
def test_a_configuration_edited_while_it_is_parsed_keys_no_result(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The result of a check that parsed the configuration before an edit is never what a
    check of the edited configuration finds (its key was of the bytes read after the parse)."""
    import medtrace.config as config_module

    root = project(tmp_path)
    real = config_module.parse_config

    def parse_then_edit(path: Path) -> object:
        parsed = real(path)
        monkeypatch.setattr(config_module, "parse_config", real)  # once
        path.write_text(path.read_text() + "\n[rules]\nno-such-rule = 'off'\n")
        return parsed

    monkeypatch.setattr(config_module, "parse_config", parse_then_edit)
    assert check(root).diagnostics == []
    with pytest.raises(ConfigError, match="unknown rule 'no-such-rule'"):
        check(root)


def test_added_deleted_and_renamed_files(tmp_path: Path) -> None:
    root = project(tmp_path)
    assert check(root).items == 2
    (root / "docs" / "SRS-2.md").write_text("---\ntype: data\nparents: [SYS-1]\n---\n# Two\n")
    age(root)
    added = check(root)
    assert (added.cached, added.items, added.files) == (False, 3, 3)
    (root / "docs" / "SRS-2.md").rename(root / "docs" / "SRS-3.md")
    renamed = check(root)
    assert not renamed.cached
    assert [i.id for i in load_project(root, use_cache=True).model] == ["SRS-1", "SRS-3", "SYS-1"]
    (root / "docs" / "sys.yaml").unlink()
    deleted = check(root)
    assert (deleted.items, deleted.files) == (2, 2)
    assert [d.code for d in deleted.diagnostics] == ["MT010", "MT010"]


def test_a_configuration_change_recomputes(tmp_path: Path) -> None:
    root = project(tmp_path, {"docs/a.yaml": "- {id: SRS-1, title: t, type: data}\n"})
    assert check(root).diagnostics == []
    config = root / "medtrace.toml"
    config.write_text(config.read_text().replace('class = "A"', 'class = "B"'))
    age(root)
    result = check(root)
    assert not result.cached
    assert "MT015" in [d.code for d in result.diagnostics]
    config.write_text(config.read_text() + '\n[rules]\nMT015 = "warning"\n')
    age(root)
    assert [d.severity for d in check(root).diagnostics if d.code == "MT015"] == [Severity.WARNING]


def test_a_renamed_prefix_rereads_the_items(tmp_path: Path) -> None:
    root = project(tmp_path, {"docs/a.yaml": "- {id: SWR-1, title: t}\n"})
    assert [d.code for d in check(root).diagnostics] == ["MT006"]
    config = root / "medtrace.toml"
    config.write_text(config.read_text() + '\n[kinds.software-requirement]\nprefix = "SWR"\n')
    age(root)
    assert check(root).diagnostics == []


def test_a_new_broken_symlink_is_seen(tmp_path: Path) -> None:
    root = project(tmp_path)
    assert check(root).diagnostics == []
    (root / "docs" / "broken.md").symlink_to("nowhere.md")
    result = check(root)
    assert [(d.code, d.path) for d in result.diagnostics] == [("MT001", "docs/broken.md")]
    (root / "docs" / "broken.md").unlink()
    assert check(root).diagnostics == [], "and its fix too"


@pytest.mark.verifies("SRS-53", "SRS-52")
def test_a_new_fifo_or_outside_link_among_sources_or_results_is_seen(tmp_path: Path) -> None:
    """Neither is an input file: the cached result used to hide them."""
    config = '[project]\nclass = "A"\n[paths]\nitems = ["docs"]\nsources = ["src"]\nresults = ["build"]\n[rules]\nMT106 = "off"\n'
    root = project(tmp_path, {**FILES, "src/a.py": "x = 1\n"}, config=config)
    assert [d.code for d in check(root).diagnostics] == ["MT121"]
    assert check(root).cached
    os.mkfifo(root / "src" / "pipe.py")
    (root / "build").mkdir()
    (root / "build" / "ci").symlink_to(tmp_path.parent)
    result = check(root)
    assert not result.cached
    assert [(d.code, d.path) for d in result.diagnostics] == [
        ("MT130", "build/ci"),
        ("MT131", "src/pipe.py"),
    ]
    (root / "src" / "pipe.py").unlink()
    assert [d.code for d in check(root).diagnostics] == ["MT130"], "and its fix too"


def test_loading_problems_survive_the_file_cache(tmp_path: Path) -> None:
    root = project(tmp_path, {**FILES, "docs/bad.yaml": "- id: SYS-2\n  title: [x\n"})
    first = messages(check(root))
    (root / "docs" / "other.yaml").write_text("- {id: SYS-3, title: t}\n")
    age(root)
    second = check(root)
    assert not second.cached
    assert messages(second) == first
    assert first[0].startswith("docs/bad.yaml:3 MT002 invalid YAML")


@pytest.mark.parametrize("name", ["items.mtc", "check.mtc"])
def test_a_corrupted_cache_is_ignored(tmp_path: Path, name: str) -> None:
    root = project(tmp_path)
    (root / "docs" / "sys.yaml").write_text("- id: SYS-1\n")
    age(root)
    expected = messages(check(root))
    (root / ".medtrace" / "cache" / name).write_bytes(b"\x80\x05garbage")
    result = check(root)
    assert messages(result) == expected
    assert check(root).cached, "rewritten"


def test_a_cache_folder_in_the_way(tmp_path: Path) -> None:
    root = project(tmp_path)
    (root / ".medtrace").write_text("not a folder")
    assert check(root).diagnostics == []
    assert check(root).diagnostics == []


@needs_permissions
def test_a_read_only_cache_folder(tmp_path: Path) -> None:
    root = project(tmp_path)
    (root / ".medtrace" / "cache").mkdir(parents=True)
    (root / ".medtrace" / "cache").chmod(0o555)
    try:
        assert check(root).diagnostics == []
        (root / "docs" / "sys.yaml").write_text("- id: SYS-1\n")
        assert [d.code for d in check(root).diagnostics] == ["MT009"]
    finally:
        (root / ".medtrace" / "cache").chmod(0o755)


def test_a_read_only_project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Whoever runs it, writing the cache fails: the check still works, only slower."""
    import medtrace.cache.sealed as sealed

    def refuse(*args: object, **kwargs: object) -> bool:
        return False  # as when the temporary file cannot be made

    monkeypatch.setattr(sealed, "_write", refuse)
    root = project(tmp_path)
    assert check(root).diagnostics == []
    (root / "docs" / "sys.yaml").write_text("- id: SYS-1\n")
    assert [d.code for d in check(root).diagnostics] == ["MT009"]
    assert not list((root / ".medtrace" / "cache").glob("*.mtc"))


def test_no_cache_writes_nothing(tmp_path: Path) -> None:
    root = project(tmp_path)
    result = check(root, use_cache=False)
    assert result.diagnostics == []
    assert not (root / ".medtrace").exists()


def test_the_cache_folder_ignores_itself_in_git(tmp_path: Path) -> None:
    root = project(tmp_path)
    check(root)
    assert (root / ".medtrace" / ".gitignore").read_text().splitlines()[-1] == "*"


def test_the_cache_folder_is_not_read_as_items(tmp_path: Path) -> None:
    root = project(tmp_path, {**FILES}, config='[project]\nclass = "A"\n[paths]\nitems = ["."]\n')
    check(root)
    (root / ".medtrace" / "cache" / "stray.yaml").write_text("- [broken\n")
    assert check(root).files == 2


def test_load_project(tmp_path: Path) -> None:
    loaded = load_project(project(tmp_path), use_cache=False)
    assert loaded.files == ["docs/SRS-1.md", "docs/sys.yaml"]
    assert [i.id for i in loaded.model] == ["SRS-1", "SYS-1"]
    assert [k.target for k in loaded.model.outgoing["SRS-1"]] == ["SYS-1"]
    assert loaded.diagnostics == []


def test_findings_are_sorted_by_place(tmp_path: Path) -> None:
    root = project(
        tmp_path,
        {
            "docs/b.yaml": "- {id: SYS-3, title: t, parents: [SYS-9]}\n- id: SYS-4\n",
            "docs/a.yaml": "- id: SYS-1\n",
        },
    )
    assert [d.location for d in check(root).diagnostics] == [
        "docs/a.yaml:1",
        "docs/b.yaml:1",
        "docs/b.yaml:2",
    ]


def test_failed_and_strict(tmp_path: Path) -> None:
    root = project(tmp_path, {"docs/notes.md": "# not an item\n"})
    result = check(root)
    assert [d.severity for d in result.diagnostics] == [Severity.WARNING]
    assert result.count(Severity.WARNING) == 1
    assert not result.failed()
    assert result.failed(strict=True)


def test_the_garbage_collector_is_restored(tmp_path: Path) -> None:
    assert gc.isenabled()
    check(project(tmp_path))
    assert gc.isenabled()
    (tmp_path / "medtrace.toml").write_text("[broken\n")
    with pytest.raises(ConfigError, match="invalid TOML"):
        check(tmp_path)
    assert gc.isenabled()


def _two_projects(tmp_path: Path) -> tuple[Path, Path]:
    files = {
        "docs/sys.yaml": "- id: SYS-1\n  title: Dose\n",
        "docs/SRS-1.md": "---\nparents: [SYS-1]\n---\n# Limit\n\nText.\n",
    }
    return write_project(tmp_path / "a", files), write_project(tmp_path / "b", files)


@pytest.mark.verifies("SRS-312")
def test_the_cached_result_is_the_checks_and_only_once_there(tmp_path: Path) -> None:
    root, _ = _two_projects(tmp_path)
    past = time.time_ns() - 3600 * 1_000_000_000  # out of the result cache's "racy" window
    for path in root.rglob("*"):
        os.utime(path, ns=(past, past))
    assert pipeline.cached_result(root) is None  # nothing checked yet: the check must run
    first = pipeline.check(root)
    cached = pipeline.cached_result(root)
    assert cached is not None and cached.cached
    assert (cached.diagnostics, cached.statuses, cached.inputs_digest) == (
        first.diagnostics,
        first.statuses,
        first.inputs_digest,
    )
    (root / "docs/SRS-1.md").write_text("---\nparents: [SYS-9]\n---\n# L\n", "utf-8")
    assert pipeline.cached_result(root) is None  # changed: not the cached result


@pytest.mark.verifies("SRS-312")
def test_a_preset_result_answers_the_next_check_of_its_project_only(tmp_path: Path) -> None:
    root, other = _two_projects(tmp_path)
    marker = pipeline.check(root)
    marker.statuses = {"SRS-1": "marked"}  # not what a check computes: tells it was used
    for start, use_cache, used in [(root, True, True), (root, False, False), (other, True, False)]:
        pipeline.preset(marker)
        result = pipeline.check(start, use_cache=use_cache)
        assert (result is marker) is used, (start, use_cache)
        assert pipeline.check(root) is not marker  # once only


@pytest.mark.verifies("SRS-344")
def test_the_server_keeps_a_trace_first_and_after_edits_in_place_only(tmp_path: Path) -> None:
    root = project(tmp_path)
    pid = os.fork()
    if pid == 0:  # resident caches, as in a server: only in a child
        os._exit(_kept_after_each_change(root))
    _, status = os.waitpid(pid, 0)
    assert os.waitstatus_to_exitcode(status) == 0


def _kept_after_each_change(root: Path) -> int:
    """0 when :func:`pipeline.prepare` kept a trace first, none after an item was added, and
    one again after an item was edited in place; else the number of the step that failed."""
    from medtrace.cache import resident
    from medtrace.tracing import kept

    try:
        resident.enable()
        pipeline._trace_kept_before = False
        pipeline.prepare(root)
        if kept._kept is None:
            return 1
        (root / "docs/SRS-2.md").write_text("---\nparents: [SYS-1]\n---\n# Show readings\n")
        pipeline.prepare(root)
        if kept._kept is not None:
            return 2  # made whole after an addition: left to the check
        (root / "docs/SRS-2.md").write_text("---\nparents: [SYS-1]\n---\n# Show all readings\n")
        pipeline.prepare(root)
        return 0 if kept._kept is not None else 3
    except BaseException:
        return 4


@pytest.mark.verifies("SRS-358")
def test_the_model_rules_findings_are_asked_for_after_the_trace_rules_ran(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The process waiting for the model rules' findings runs the trace rules first; the
    findings are those of one process running every rule."""
    from medtrace import checks

    root = project(tmp_path, {**FILES, "docs/SRS-2.md": "---\nparents: [SYS-9]\n---\n# Show\n"})
    traced = pipeline.trace_project(root, use_cache=False)
    overrides, _ = checks.severity_overrides(traced.project.config)
    ran: list[str] = []
    real = checks.rule_findings

    def spy(*args: Any, **kwargs: Any) -> Any:
        ran.append("trace rules" if kwargs.get("skip") else "model rules")
        return real(*args, **kwargs)

    monkeypatch.setattr(checks, "rule_findings", spy)

    def model_part() -> Any:
        ran.append("asked")
        return pipeline._model_findings(traced.project, overrides)

    split = pipeline._findings(traced, overrides, set(), model_part)
    assert ran == ["trace rules", "asked", "model rules"]
    assert split == check(root, use_cache=False).diagnostics
