"""Printing the documentation set to PDF (``medtrace.site.pdf``).

With the real Chromium: a small document with a print stylesheet (a title page, page breaks
between sections, a landscape page for a wide table) is printed, read back with pypdf (pages,
their text, their orientation) and its pages are rasterised to PNG under
``build/screenshots/pdf/`` (pdftoppm when installed, else PDFium) for a person to look at.
Without one, and with a browser that fails, prints nothing or hangs (stand-in scripts): a
``PdfError`` that says so, the hung browser and its child killed, no temporary file left.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

import pytest

from medtrace.errors import PdfError, UsageError
from medtrace.site.pdf import find_chromium, pdf_bytes, render_pdf

pytestmark = pytest.mark.verifies("SRS-222")

ROOT = Path(__file__).resolve().parents[2]
SHOTS = ROOT / "build" / "screenshots" / "pdf"

DOCUMENT = """<!doctype html><html lang="en"><head><meta charset="utf-8">
<title>Bolus Advisor documentation set</title>
<style>
  @page { size: A4; margin: 18mm 16mm; }
  @page wide { size: A4 landscape; }
  body { font: 11pt/1.4 sans-serif; color: #222; }
  nav.site { display: block; }
  @media print {
    nav.site { display: none; }
    section { break-before: page; }
    section.wide { page: wide; }
    a[href^="#"]::after { content: " (" attr(data-id) ")"; }
  }
  h1.title { font-size: 28pt; margin-top: 80mm; }
  table { border-collapse: collapse; width: 100%; }
  td, th { border: 1px solid #999; padding: 2px 4px; font-size: 8pt; }
</style></head><body>
<nav class="site">NAVIGATION CHROME</nav>
<div class="title-page"><h1 class="title">Bolus Advisor documentation set</h1>
<p>Version 1.4.0, commit 0123abc</p></div>
<section><h2>Contents</h2><ol><li><a href="#req" data-id="SRS">Requirements</a></li>
<li><a href="#risks" data-id="RISK">Risks</a></li><li><a href="#matrix" data-id="TM">Matrix</a></li></ol></section>
<section id="req"><h2>Software requirements</h2><p>SRS-1 Limit the bolus dose.</p></section>
<section id="risks"><h2>Risk table</h2><p>RISK-1 Insulin over-delivery.</p></section>
<section id="matrix" class="wide"><h2>Traceability matrix</h2><table>
<tr>HEADS</tr><tr>CELLS</tr></table></section>
</body></html>
""".replace("HEADS", "".join(f"<th>Column {n}</th>" for n in range(14))).replace(
    "CELLS", "".join(f"<td>SRS-{n} verified</td>" for n in range(14))
)


@pytest.fixture
def chromium() -> str:
    found = find_chromium()
    if found is None:
        if os.environ.get("CI") == "true":
            pytest.fail("no Chromium: CI must print the PDF")
        pytest.skip("no Chromium found (install Debian's chromium or set MEDTRACE_CHROMIUM)")
    return found


@pytest.fixture
def private_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A temporary folder of the test's own for ``tempfile`` (to see what is left in it)."""
    folder = tmp_path / "tmp"
    folder.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(folder))
    return folder


def rasterise(pdf: Path, folder: Path) -> list[Path]:
    """Each page as a PNG in ``folder`` (for a person to look at)."""
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    if shutil.which("pdftoppm"):
        subprocess.run(["pdftoppm", "-r", "60", "-png", str(pdf), str(folder / "page")], check=True)
        return sorted(folder.glob("page*.png"))
    pdfium = pytest.importorskip("pypdfium2")
    document = pdfium.PdfDocument(str(pdf))
    pages = []
    for number, page in enumerate(document, start=1):
        path = folder / f"page-{number}.png"
        page.render(scale=60 / 72).to_pil().save(path)
        pages.append(path)
    document.close()
    return pages


def test_a_document_is_printed_with_its_print_stylesheet(
    chromium: str, tmp_path: Path, private_tmp: Path
) -> None:
    pypdf = pytest.importorskip("pypdf")
    html = tmp_path / "print.html"
    html.write_text(DOCUMENT, encoding="utf-8")
    out = tmp_path / "out" / "bolus-advisor.pdf"
    render_pdf(html, out)
    reader = pypdf.PdfReader(out)
    texts = [page.extract_text() for page in reader.pages]
    assert len(reader.pages) == 5  # title, contents, and one page per section
    assert "Bolus Advisor documentation set" in texts[0]
    assert "NAVIGATION CHROME" not in "".join(texts)
    assert "Requirements (SRS)" in texts[1]  # links shown with their IDs
    assert "Software requirements" in texts[2] and "Risk table" in texts[3]
    portrait, landscape = reader.pages[0].mediabox, reader.pages[4].mediabox
    assert portrait.height > portrait.width and landscape.width > landscape.height
    assert "file://" not in "".join(texts)  # no browser header or footer
    assert list(private_tmp.iterdir()) == []
    assert [p.name for p in out.parent.iterdir()] == ["bolus-advisor.pdf"]
    pages = rasterise(out, SHOTS)
    assert len(pages) == 5 and all(p.stat().st_size > 1000 for p in pages)


def test_no_chromium_is_a_usage_error_that_says_what_to_do(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    html = tmp_path / "print.html"
    html.write_text(DOCUMENT, encoding="utf-8")
    monkeypatch.setenv("MEDTRACE_CHROMIUM", "/nonexistent")
    monkeypatch.setenv("PATH", "")
    assert find_chromium() is None
    with pytest.raises(PdfError, match="MEDTRACE_CHROMIUM is '/nonexistent', which is not"):
        render_pdf(html, tmp_path / "out.pdf")
    monkeypatch.delenv("MEDTRACE_CHROMIUM")
    with pytest.raises(UsageError, match=r"no Chromium found .*apt-get install chromium"):
        render_pdf(html, tmp_path / "out.pdf")
    assert not (tmp_path / "out.pdf").exists()


def test_the_first_browser_on_path_is_used(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("google-chrome", "chromium-browser"):
        fake(tmp_path, name, "exit 0")
    monkeypatch.delenv("MEDTRACE_CHROMIUM", raising=False)
    monkeypatch.setenv("PATH", str(tmp_path))
    assert find_chromium() == str(tmp_path / "chromium-browser")


def fake(folder: Path, name: str, body: str) -> Path:
    """A stand-in browser: a shell script."""
    script = folder / name
    script.write_text(f"#!/bin/sh\n{body}\n", encoding="utf-8")
    script.chmod(0o755)
    return script


def use(monkeypatch: pytest.MonkeyPatch, script: Path) -> None:
    monkeypatch.setenv("MEDTRACE_CHROMIUM", str(script))


@pytest.fixture
def page(tmp_path: Path) -> Path:
    html = tmp_path / "print.html"
    html.write_text("<p>x</p>", encoding="utf-8")
    return html


def test_a_failing_browser_is_reported_with_its_message(
    tmp_path: Path, page: Path, private_tmp: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    use(monkeypatch, fake(tmp_path, "broken", "echo 'noise' >&2; echo 'GPU exploded' >&2; exit 3"))
    with pytest.raises(PdfError, match=r"exited with code 3 printing .*: GPU exploded"):
        render_pdf(page, tmp_path / "out.pdf")
    assert list(private_tmp.iterdir()) == []
    assert not (tmp_path / "out.pdf").exists()


def test_a_browser_that_prints_nothing_is_reported(
    tmp_path: Path, page: Path, private_tmp: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    use(monkeypatch, fake(tmp_path, "silent", "echo 'printed?' >&2; exit 0"))
    with pytest.raises(PdfError, match=r"printed nothing from .*: printed\?"):
        pdf_bytes(page)
    assert list(private_tmp.iterdir()) == []


def test_the_browser_gets_a_fresh_profile_and_no_network(
    tmp_path: Path, page: Path, private_tmp: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A stand-in records its arguments and writes a PDF where it is told to."""
    record = tmp_path / "args"
    body = (
        f'printf "%s\\n" "$@" > {record}\n'
        'for a in "$@"; do case $a in --print-to-pdf=*) printf "%%PDF-1.4 x" > "${a#*=}";; esac; done'
    )
    use(monkeypatch, fake(tmp_path, "recorder", body))
    out = tmp_path / "set.pdf"
    render_pdf(page, out)
    assert out.read_bytes() == b"%PDF-1.4 x"
    args = record.read_text(encoding="utf-8").splitlines()
    assert "--headless" in args and "--no-pdf-header-footer" in args
    assert "--host-resolver-rules=MAP * ~NOTFOUND" in args
    profile = next(a for a in args if a.startswith("--user-data-dir="))
    assert profile.split("=", 1)[1].startswith(str(private_tmp))
    assert args[-1] == page.resolve().as_uri()
    assert list(private_tmp.iterdir()) == []


def test_a_pdf_that_cannot_be_written_is_reported(
    tmp_path: Path, page: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    body = (
        'for a in "$@"; do case $a in --print-to-pdf=*) printf "%%PDF-1.4" > "${a#*=}";; esac; done'
    )
    use(monkeypatch, fake(tmp_path, "printer", body))
    folder = tmp_path / "taken"
    folder.mkdir()  # a folder where the PDF should go
    with pytest.raises(PdfError, match=f"cannot write the PDF to {folder}"):
        render_pdf(page, folder)
    assert folder.is_dir()


def test_a_hung_browser_is_killed_with_its_children(
    tmp_path: Path, page: Path, private_tmp: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    pids = tmp_path / "pids"
    body = f"sleep 300 & echo $! > {pids}; echo $$ >> {pids}; sleep 300"
    use(monkeypatch, fake(tmp_path, "hung", body))
    with pytest.raises(PdfError, match=r"did not finish printing .* within 1 s and was stopped"):
        render_pdf(page, tmp_path / "out.pdf", timeout=1)
    for pid in map(int, pids.read_text(encoding="utf-8").split()):
        assert not alive(pid), f"process {pid} was left running"
    assert list(private_tmp.iterdir()) == []
    assert not (tmp_path / "out.pdf").exists()


def alive(pid: int) -> bool:
    """The process exists and is not a zombie (killed, not yet reaped by its parent)."""
    for _ in range(50):  # the kernel takes a moment to deliver SIGKILL to the group
        try:
            state = Path(f"/proc/{pid}/stat").read_text(encoding="utf-8").rsplit(")", 1)[1]
        except FileNotFoundError:
            return False
        if state.split()[0] == "Z":
            return False
        time.sleep(0.02)
    return True


def test_a_missing_page_is_reported(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, chromium: str
) -> None:
    with pytest.raises(PdfError, match="does not exist"):
        render_pdf(tmp_path / "nothing.html", tmp_path / "out.pdf")
