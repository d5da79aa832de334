"""Reports kept for the next check of the same inputs (``render/reports.py``)."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers import run_subprocess, write_project

from medtrace.diagnostics import Diagnostic, Severity
from medtrace.render import Summary, render_diagnostics, reports
from medtrace.render.reports import kept_report

pytestmark = pytest.mark.verifies("SRS-311")

FINDINGS = [Diagnostic("MT010", "link-dangling", Severity.ERROR, "SRS-1 names SYS-9", path="a.md")]
SUMMARY = Summary("p", "B", 3, 2, statuses=(("SRS-1", "verified"),))


def refuse_rendering(monkeypatch: pytest.MonkeyPatch) -> None:
    def refused(*args: object) -> str:
        raise AssertionError("rendered again")

    monkeypatch.setattr(reports, "render_diagnostics", refused)


@pytest.mark.parametrize("fmt", ["json", "sarif", "junit", "github"])
def test_the_same_key_reads_the_report_back(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fmt: str
) -> None:
    first = kept_report(fmt, FINDINGS, SUMMARY, directory=tmp_path, key="k1")
    assert first == render_diagnostics(fmt, FINDINGS, SUMMARY)
    refuse_rendering(monkeypatch)
    assert kept_report(fmt, FINDINGS, SUMMARY, directory=tmp_path, key="k1") == first


def test_another_key_or_format_renders_again(tmp_path: Path) -> None:
    kept_report("json", FINDINGS, SUMMARY, directory=tmp_path, key="k1")
    other = Summary("p", "B", 3, 2, strict=True, statuses=(("SRS-1", "failing"),))
    again = kept_report("json", FINDINGS, other, directory=tmp_path, key="k2")
    assert again == render_diagnostics("json", FINDINGS, other)
    sarif = kept_report("sarif", FINDINGS, SUMMARY, directory=tmp_path, key="k2")
    assert sarif == render_diagnostics("sarif", FINDINGS, SUMMARY)


def test_text_and_no_cache_are_always_rendered(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    kept_report("text", FINDINGS, SUMMARY, directory=tmp_path, key="k1")
    assert not list(tmp_path.iterdir())
    kept_report("json", FINDINGS, SUMMARY, directory=None, key="k1")
    kept_report("json", FINDINGS, SUMMARY, directory=tmp_path, key="")
    assert not list(tmp_path.iterdir())


def test_a_damaged_report_is_rendered_again(tmp_path: Path) -> None:
    kept_report("json", FINDINGS, SUMMARY, directory=tmp_path, key="k1")
    (kept,) = tmp_path.iterdir()
    data = bytearray(kept.read_bytes())
    data[-10] ^= 0xFF
    kept.write_bytes(bytes(data))
    again = kept_report("json", FINDINGS, SUMMARY, directory=tmp_path, key="k1")
    assert again == render_diagnostics("json", FINDINGS, SUMMARY)


def test_another_medtrace_never_reads_it(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    kept_report("json", FINDINGS, SUMMARY, directory=tmp_path, key="k1")
    monkeypatch.setattr(reports, "code_identity", lambda: "another")
    calls: list[str] = []
    real = reports.render_diagnostics
    monkeypatch.setattr(
        reports, "render_diagnostics", lambda *a: calls.append("rendered") or real(*a)
    )
    kept_report("json", FINDINGS, SUMMARY, directory=tmp_path, key="k1")
    assert calls == ["rendered"]


def test_check_prints_what_a_check_without_cache_prints(tmp_path: Path) -> None:
    """End to end: a warm check's report (read back) and after an edit (rendered), each equal
    to the report of a check with no cache."""
    root = write_project(
        tmp_path / "p",
        {
            "docs/sys.yaml": "- id: SYS-1\n  title: Dose\n",
            "docs/SRS-1.md": "---\nparents: [SYS-1]\n---\n# Limit\n\nText.\n",
        },
    )
    for step in range(3):
        if step == 2:
            (root / "docs/SRS-1.md").write_text("---\nparents: [SYS-9]\n---\n# L\n", "utf-8")
        for fmt in ("json", "sarif"):
            warm = run_subprocess("-C", str(root), "check", "--format", fmt)
            cold = run_subprocess("-C", str(root), "check", "--format", fmt, "--no-cache")
            assert (warm.code, warm.out, warm.err) == (cold.code, cold.out, cold.err), step
    assert (root / ".medtrace" / "cache" / "report-json.mtc").is_file()


def test_the_kept_reports_are_listed_with_their_options(tmp_path: Path) -> None:
    strict = Summary("p", "B", 3, 2, strict=True, statuses=(("SRS-1", "verified"),))
    kept_report("json", FINDINGS, strict, directory=tmp_path, key="k1")
    kept_report("sarif", FINDINGS, SUMMARY, directory=tmp_path, key="k1")
    kept_report("text", FINDINGS, SUMMARY, directory=tmp_path, key="k1")
    (tmp_path / "report-junit.mtc").write_bytes(b"not sealed")
    assert reports.kept_reports(tmp_path) == [("json", True), ("sarif", False)]
