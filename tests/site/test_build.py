"""``medtrace build`` on small projects: the pages, the stamp, unchanged and partial rebuilds,
the output rule and stale pages."""

from __future__ import annotations

import json
import multiprocessing
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from helpers import in_ci, run_subprocess, write_project

from medtrace.errors import OutputError
from medtrace.site.build import MANIFEST, build_site
from medtrace.site.pdf import find_chromium

pytestmark = pytest.mark.verifies("SRS-200", "SRS-201", "SRS-203", "SRS-210", "SRS-211")

CONFIG = """\
[project]
name = "Pump"
class = "B"
version = "2.1.0"

[paths]
items = ["docs"]
sources = ["src/**"]
"""

ITEMS = """\
- id: SYS-1
  title: Deliver insulin
- id: pump
  kind: software-item
  title: Pump firmware
  class: B
- id: SRS-1
  title: Stop on occlusion
  type: functional
  status: approved
  parents: [SYS-1]
  item: pump
  text: "The pump *shall* stop within 2 s."
- id: SRS-2
  title: Log the stop
  type: functional
  status: draft
  parents: [SYS-1]
  item: pump
"""

NOW = datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC)


@pytest.fixture
def project(tmp_path: Path) -> Path:
    files = {
        "docs/items.yaml": ITEMS,
        "src/pump.py": "# @implements SRS-1\ndef stop():\n    pass\n",
    }
    return write_project(tmp_path / "p", files, config=CONFIG)


def read(out: Path, rel: str) -> str:
    return (out / rel).read_text(encoding="utf-8")


def test_every_section_is_written_and_stamped(project: Path, tmp_path: Path) -> None:
    out = tmp_path / "site"
    built = build_site(project, out, now=NOW)
    assert not built.unchanged
    for rel in (
        "index.html", "documents.html", "items/SRS-1.html", "items/pump.html",
        "architecture.html", "risks.html", "soup.html", "matrix/index.html",
        "matrix/requirements-1.html", "tests.html", "anomalies.html", "clauses.html",
        "print.html", "assets/site.css", "assets/site.js",
    ):  # fmt: skip
        assert (out / rel).is_file(), rel
    page = read(out, "items/SRS-1.html")
    for shown in ("Pump", "2.1.0", "2026-01-02T03:04:05+00:00", "not in git"):
        assert shown in page
    assert '<html lang="en" data-root="../">' in page
    assert "<em>shall</em>" in page
    assert 'href="../items/SYS-1.html"' in page
    assert "src/pump.py" in page
    assert 'data-root=""' in read(out, "index.html")
    history = page[page.index('id="history"') :]
    assert '<p class="note">no history' in history  # not a git repository: the page says why


def test_status_is_visible_and_draft_is_watermarked(project: Path, tmp_path: Path) -> None:
    out = tmp_path / "site"
    build_site(project, out, now=NOW)
    assert 'class="item-page status-draft"' in read(out, "items/SRS-2.html")
    assert 'class="badge badge-approved"' in read(out, "items/SRS-1.html")
    document = next((out / "documents").glob("docs-items-*.html")).read_text(encoding="utf-8")
    assert '<article class="item status-draft" id="SRS-2">' in document


def test_backlinks_name_the_linking_items(project: Path, tmp_path: Path) -> None:
    out = tmp_path / "site"
    build_site(project, out, now=NOW)
    page = read(out, "items/SYS-1.html")
    assert 'href="../items/SRS-1.html">SRS-1</a>' in page
    assert 'href="../items/SRS-2.html">SRS-2</a>' in page


def test_an_unchanged_project_writes_nothing(project: Path, tmp_path: Path) -> None:
    out = tmp_path / "site"
    first = build_site(project, out, now=NOW)
    again = build_site(project, out)
    assert again.unchanged and again.written == []
    assert "2026-01-02T03:04:05" in read(out, "index.html")
    assert len(first.written) == first.pages


def test_an_edit_rewrites_only_the_pages_that_changed(project: Path, tmp_path: Path) -> None:
    out = tmp_path / "site"
    first = build_site(project, out, now=NOW)
    items = project / "docs" / "items.yaml"
    items.write_text(items.read_text().replace("Log the stop", "Log every stop"))
    second = build_site(project, out, now=NOW.replace(year=2027))
    assert "items/SRS-2.html" in second.written
    assert "items/SRS-1.html" not in second.written
    assert 0 < len(second.written) < first.pages
    assert "2026-01-02" in read(out, "items/SRS-1.html")
    assert "2027-01-02" in read(out, "items/SRS-2.html")


def test_pages_of_removed_items_are_removed(project: Path, tmp_path: Path) -> None:
    out = tmp_path / "site"
    build_site(project, out, now=NOW)
    items = project / "docs" / "items.yaml"
    items.write_text(items.read_text().split("- id: SRS-2")[0])
    second = build_site(project, out, now=NOW)
    assert "items/SRS-2.html" in second.removed
    assert not (out / "items" / "SRS-2.html").exists()


def test_a_file_medtrace_did_not_write_is_kept(project: Path, tmp_path: Path) -> None:
    out = tmp_path / "site"
    out.mkdir()
    (out / "index.html").write_text("my own page\n")
    with pytest.raises(OutputError, match="not written by medtrace"):
        build_site(project, out, now=NOW)
    assert (out / "index.html").read_text() == "my own page\n"
    assert not (out / MANIFEST).exists()
    build_site(project, out, now=NOW, force=True)
    assert "generated by medtrace" in (out / "index.html").read_text()


@pytest.fixture
def one_by_one(monkeypatch: pytest.MonkeyPatch) -> None:
    """Pages written one at a time: a refusal found late would follow writes."""
    from medtrace.site import build

    monkeypatch.setattr(build, "BATCH", 1)


@pytest.mark.verifies("SRS-343")
@pytest.mark.usefixtures("one_by_one")
def test_a_foreign_file_among_the_item_pages_stops_the_build_before_any_write(
    project: Path, tmp_path: Path
) -> None:
    # the item pages are rendered as they are written; one that may not be replaced is still
    # refused before the first file is written
    out = tmp_path / "site"
    (out / "items").mkdir(parents=True)
    (out / "items" / "SRS-2.html").write_text("my notes\n")
    with pytest.raises(OutputError, match="not written by medtrace"):
        build_site(project, out, now=NOW)
    assert sorted(p.name for p in out.rglob("*")) == ["SRS-2.html", "items"]
    assert (out / "items" / "SRS-2.html").read_text() == "my notes\n"


@pytest.mark.verifies("SRS-343")
@pytest.mark.usefixtures("one_by_one")
def test_a_link_among_the_item_pages_is_refused_and_kept(project: Path, tmp_path: Path) -> None:
    out = tmp_path / "site"
    (out / "items").mkdir(parents=True)
    (tmp_path / "elsewhere.html").write_text("theirs\n")
    (out / "items" / "SRS-1.html").symlink_to(tmp_path / "elsewhere.html")
    with pytest.raises(OutputError, match="symbolic link"):
        build_site(project, out, now=NOW)
    assert (out / "items" / "SRS-1.html").is_symlink()
    assert (tmp_path / "elsewhere.html").read_text() == "theirs\n"
    assert not (out / "index.html").exists()


@pytest.mark.verifies("SRS-343")
def test_an_unchanged_item_page_a_user_replaced_is_kept(project: Path, tmp_path: Path) -> None:
    out = tmp_path / "site"
    build_site(project, out, now=NOW)
    (out / "items" / "SRS-1.html").write_text("annotated by hand\n")
    items = project / "docs" / "items.yaml"
    items.write_text(items.read_text().replace("Log the stop", "Log every stop"))
    second = build_site(project, out, now=NOW)
    assert "items/SRS-2.html" in second.written
    assert "items/SRS-1.html" not in second.written
    assert (out / "items" / "SRS-1.html").read_text() == "annotated by hand\n"


@pytest.mark.usefixtures("one_by_one")
def test_item_pages_are_written_one_by_one_with_the_others(project: Path, tmp_path: Path) -> None:
    out = tmp_path / "site"
    first = build_site(project, out, now=NOW)
    assert {"items/SYS-1.html", "items/pump.html", "items/SRS-1.html"} <= set(first.written)
    assert len(first.written) == first.pages
    assert "2026-01-02T03:04:05" in read(out, "items/SRS-1.html")
    assert "Stop on occlusion" in read(out, "items/SRS-1.html")
    manifest = json.loads(read(out, MANIFEST))
    assert manifest["key"] and set(manifest["files"]) == set(first.written)


def _built_with(
    jobs: int, project: Path, out: Path, monkeypatch: pytest.MonkeyPatch
) -> dict[str, bytes]:
    from medtrace import workers
    from medtrace.site import build

    monkeypatch.setattr(build, "_BESIDE_MIN", 2)
    monkeypatch.setattr(workers, "job_count", lambda requested=0: jobs)
    # fork even if another test left a thread running (workers then do everything here)
    monkeypatch.setattr(workers, "_context", lambda: multiprocessing.get_context("fork"))
    built = build_site(project, out, now=NOW)
    assert sorted(built.written) == sorted(json.loads(read(out, MANIFEST))["files"])
    return {p.relative_to(out).as_posix(): p.read_bytes() for p in out.rglob("*") if p.is_file()}


@pytest.mark.verifies("SRS-343")
def test_two_processes_write_the_site_one_would(
    project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    one = _built_with(1, project, tmp_path / "one", monkeypatch)
    two = _built_with(2, project, tmp_path / "two", monkeypatch)
    assert two == one
    assert {"items/SYS-1.html", "items/pump.html", "items/SRS-1.html", "items/SRS-2.html"} <= set(
        two
    )


@pytest.mark.verifies("SRS-343")
def test_a_failed_second_process_costs_time_not_pages(
    project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import os

    from medtrace.site.pages import items

    one = _built_with(1, project, tmp_path / "one", monkeypatch)
    parent, page = os.getpid(), items._page
    failed = tmp_path / "failed"

    def fail_in_the_child(*args: Any) -> str:
        if os.getpid() != parent:
            failed.touch()
            raise OSError("no space left")
        return page(*args)

    monkeypatch.setattr(items, "_page", fail_in_the_child)
    two = _built_with(2, project, tmp_path / "two", monkeypatch)
    assert failed.exists()  # the half was given to a second process, which failed
    assert two == one


@pytest.mark.verifies("SRS-212")
def test_the_command_prints_where_to_open_the_site(project: Path, tmp_path: Path) -> None:
    run = run_subprocess("build", "-o", str(tmp_path / "site"), cwd=project)
    assert run.code == 0, run.err
    assert f"open {(tmp_path / 'site' / 'index.html').as_uri()}" in run.out
    assert run.out.startswith("wrote ")
    again = run_subprocess("build", "-o", str(tmp_path / "site"), cwd=project)
    assert again.code == 0 and again.out.startswith("unchanged: ")


@pytest.mark.verifies("SRS-212")
def test_a_foreign_file_is_a_usage_error_on_the_command_line(project: Path, tmp_path: Path) -> None:
    out = tmp_path / "site"
    out.mkdir()
    (out / "print.html").write_text("mine\n")
    run = run_subprocess("build", "-o", str(out), cwd=project)
    assert run.code == 2
    assert "not written by medtrace" in run.err and "Traceback" not in run.err


@pytest.mark.verifies("SRS-212")
@pytest.mark.skipif(
    find_chromium() is None and not in_ci(), reason="no Chromium to print the PDF with"
)
def test_exports_are_written_beside_the_pages(project: Path, tmp_path: Path) -> None:
    """--format pdf and xlsx write the whole set's workbook and the PDF of print.html, read
    back with real readers, and link them from the dashboard."""
    import io

    import openpyxl
    import pypdf

    out = tmp_path / "site"
    built = build_site(project, out, formats=("html", "pdf", "xlsx"), now=NOW)
    assert built.exports == [out / "Pump.xlsx", out / "Pump.pdf"]
    book = openpyxl.load_workbook(io.BytesIO((out / "Pump.xlsx").read_bytes()))
    assert book.sheetnames[0] == "Contents"
    contents = [c.value for row in book["Contents"].iter_rows() for c in row if c.value]
    assert "Project" in contents and "Pump" in contents
    pdf = pypdf.PdfReader(io.BytesIO((out / "Pump.pdf").read_bytes()))
    assert len(pdf.pages) >= 2
    assert "Pump" in pdf.pages[0].extract_text()
    dashboard = read(out, "index.html")
    assert 'href="Pump.xlsx">Excel workbook</a>' in dashboard
    assert 'href="Pump.pdf">PDF</a>' in dashboard
    again = build_site(project, out, formats=("html", "pdf", "xlsx"), now=NOW)
    assert again.unchanged  # the exports are there: nothing to do
