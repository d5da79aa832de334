"""The documentation set as one PDF, printed by a headless Chromium found on the machine.

``render_pdf(out / "print.html", out / "<project>.pdf")`` runs Chromium out of process:
``--headless --print-to-pdf`` of the page (its print stylesheet decides pages and breaks),
without the browser's header and footer, with a fresh profile in a temporary folder, and with
no network (every host name resolves to nothing and every connection goes to a closed proxy;
the page is a local file and loads only local files). Chromium's children run in their own
process group: on a timeout the whole group is killed. The temporary folder is removed however
the run ends, and the PDF is written atomically (a half-written PDF never takes the name).

No Chromium, a Chromium that fails, prints nothing or runs past ``timeout``: :class:`PdfError`
(a usage error: exit code 2) saying what happened and what to do.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import tempfile
from pathlib import Path

from medtrace.errors import PdfError
from medtrace.fsutil import write_atomic

__all__ = ["BROWSERS", "ENV", "find_chromium", "pdf_bytes", "render_pdf"]

#: The environment variable naming the browser; when set, it is the only one tried.
ENV = "MEDTRACE_CHROMIUM"
#: Names looked up on ``PATH`` otherwise, in order.
BROWSERS = ("chromium", "chromium-browser", "google-chrome")
_INSTALL = (
    "install Chromium (Debian and Ubuntu: apt-get install chromium) or set MEDTRACE_CHROMIUM to "
    "a Chromium or Chrome executable; the HTML documentation set does not need it"
)
_OFFLINE = (
    "--host-resolver-rules=MAP * ~NOTFOUND",
    "--proxy-server=127.0.0.1:9",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-extensions",
    "--disable-default-apps",
    "--no-first-run",
    "--no-default-browser-check",
    "--metrics-recording-only",
)


# @implements SRS-222
def find_chromium() -> str | None:
    """``$MEDTRACE_CHROMIUM`` if set (and nothing else then), else the first of
    :data:`BROWSERS` on ``PATH``; ``None`` when there is none."""
    wanted = os.environ.get(ENV)
    if wanted:
        path = Path(wanted)
        return wanted if path.is_file() and os.access(path, os.X_OK) else None
    for name in BROWSERS:
        found = shutil.which(name)
        if found:
            return found
    return None


def _command(browser: str, html: Path, pdf: Path, profile: Path) -> list[str]:
    sandbox = ["--no-sandbox"] if os.geteuid() == 0 else []  # Chromium refuses root otherwise
    return [
        browser,
        "--headless",
        "--disable-gpu",
        *sandbox,
        *_OFFLINE,
        f"--user-data-dir={profile}",
        "--no-pdf-header-footer",
        "--print-to-pdf-no-header",  # the same, for Chromium before 120
        "--run-all-compositor-stages-before-draw",
        f"--print-to-pdf={pdf}",
        html.resolve().as_uri(),
    ]


def _missing() -> PdfError:
    wanted = os.environ.get(ENV)
    if wanted:
        return PdfError(
            f"cannot print the PDF: {ENV} is {wanted!r}, which is not an executable file; "
            f"set it to a Chromium or Chrome executable, or unset it to look on PATH for "
            f"{', '.join(BROWSERS)}"
        )
    return PdfError(
        f"cannot print the PDF: no Chromium found ({', '.join(BROWSERS)} on PATH); {_INSTALL}"
    )


def _last_words(stderr: bytes) -> str:
    """The last meaningful line Chromium wrote, for the message."""
    lines = [line.strip() for line in stderr.decode("utf-8", "replace").splitlines()]
    lines = [line for line in lines if line]
    return lines[-1][:300] if lines else "no message"


def _run(command: list[str], timeout: float, html: Path) -> bytes:
    """Run Chromium in its own process group; kill the group on a timeout. Its stderr."""
    process = subprocess.Popen(
        command,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )
    try:
        _, stderr = process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        _kill_group(process)
        raise PdfError(
            f"cannot print the PDF: Chromium did not finish printing {html} within "
            f"{timeout:g} s and was stopped; try again with a longer timeout or a smaller "
            "documentation set"
        ) from None
    finally:
        _kill_group(process)  # helpers Chromium left behind
    if process.returncode != 0:
        raise PdfError(
            f"cannot print the PDF: Chromium exited with code {process.returncode} printing "
            f"{html}: {_last_words(stderr)}"
        )
    return stderr


def _kill_group(process: subprocess.Popen[bytes]) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(process.pid, signal.SIGKILL)
    if process.returncode is None:
        process.kill()
        process.communicate()


# @implements SRS-222
def pdf_bytes(html: Path, *, timeout: float = 180.0) -> bytes:
    """The PDF of ``html`` printed by headless Chromium (see the module's description)."""
    browser = find_chromium()
    if browser is None:
        raise _missing()
    if not html.is_file():
        raise PdfError(f"cannot print the PDF: {html} does not exist (build the HTML set first)")
    work = Path(tempfile.mkdtemp(prefix="medtrace-pdf-"))
    try:
        printed = work / "print.pdf"
        stderr = _run(_command(browser, html, printed, work / "profile"), timeout, html)
        data = printed.read_bytes() if printed.is_file() else b""
    finally:
        shutil.rmtree(work, ignore_errors=True)
    if not data.startswith(b"%PDF-"):
        raise PdfError(
            f"cannot print the PDF: Chromium printed nothing from {html}: {_last_words(stderr)}"
        )
    return data


# @implements SRS-222
def render_pdf(html: Path, pdf: Path, *, timeout: float = 180.0) -> None:
    """Print ``html`` to ``pdf`` through headless Chromium, atomically; :class:`PdfError` when
    there is no Chromium or it fails or runs past ``timeout`` seconds."""
    data = pdf_bytes(html, timeout=timeout)
    try:
        write_atomic(pdf, data)
    except OSError as exc:
        raise PdfError(f"cannot write the PDF to {pdf}: {exc.strerror or exc}") from None
