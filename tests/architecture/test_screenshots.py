"""Screenshots of the example's diagrams in headless Chromium, kept in build/screenshots/
(ignored by git) for a person to look at. Skipped without Chromium or Graphviz, failed in CI."""

from __future__ import annotations

import shutil
import struct
import subprocess
from pathlib import Path

import pytest
from helpers import in_ci, load

from medtrace.architecture import build_architecture, build_view, view_names
from medtrace.render.arch import FORMATS

from .conftest import CONTACT_TRACING, EXAMPLE, ROOT

pytestmark = pytest.mark.verifies("SRS-142", "SRS-147")

SHOTS = ROOT / "build" / "screenshots"
CHROMIUM = ("chromium", "chromium-browser", "google-chrome")
WIDTH, HEIGHT = 1600, 1200


def _need(program: str | None, what: str) -> str:
    if program is None:
        message = f"{what} is not installed: no screenshots (apt-get install chromium graphviz)"
        if in_ci():
            pytest.fail(message + " (CI is set: a missing tool fails instead of skipping)")
        pytest.skip(message)
    return program


def _cases() -> list[tuple[Path, str]]:
    return [(EXAMPLE, v) for v in ("system", "phone-app", "cloud-service", "pump-firmware")] + [
        (CONTACT_TRACING, "system")
    ]


@pytest.mark.parametrize(("project", "view"), _cases(), ids=lambda v: getattr(v, "name", v))
def test_a_screenshot_of_each_view(project: Path, view: str) -> None:
    browser = _need(next((p for p in map(shutil.which, CHROMIUM) if p), None), "Chromium")
    _need(shutil.which("dot"), "Graphviz")
    arch = build_architecture(load(project).model)
    assert view in view_names(arch)
    SHOTS.mkdir(parents=True, exist_ok=True)
    name = f"{project.name}-{view}"
    svg = SHOTS / f"{name}.svg"
    svg.write_text(FORMATS["svg"].render(build_view(arch, view), "items/"), encoding="utf-8")
    page = SHOTS / f"{name}.html"  # the whole diagram, scaled to the window's width
    page.write_text(
        f'<!doctype html><body style="margin:0;background:#fff">'
        f'<img src="{svg.name}" style="max-width:100%;height:auto"></body>',
        encoding="utf-8",
    )
    png = SHOTS / f"{name}.png"
    png.unlink(missing_ok=True)
    subprocess.run(
        [
            browser,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            f"--screenshot={png}",
            f"--window-size={WIDTH},{HEIGHT}",
            "--hide-scrollbars",
            page.as_uri(),
        ],
        capture_output=True,
        timeout=120,
        check=False,
    )
    data = png.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    assert struct.unpack(">II", data[16:24]) == (WIDTH, HEIGHT)
    assert len(data) > 20_000  # a drawing, not a blank page
