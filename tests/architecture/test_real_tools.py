"""The Mermaid and draw.io outputs open in the real tools, offline.

Mermaid: the text of each view is parsed and rendered by the ``mermaid`` npm package's own
bundle (``dist/mermaid.min.js``) in headless Chromium, the script inlined in the page (the
browser fixture refuses every other request): no parse error, and the SVG holds a node per
box and a path per flow. The bundle is fetched once with ``npm pack`` (the tarball only, no
dependencies), checked against its pinned SHA-512 and kept in ``bench/out/mermaid/`` (ignored
by git). Without npm or its registry the test skips with the reason, except in CI.

draw.io: the XML has the structure draw.io reads (``mxfile/diagram/mxGraphModel/root`` with
the two root cells), every cell has a unique id and its parent exists, every vertex has a
geometry, every edge a source and a target that are vertices.
"""

from __future__ import annotations

import base64
import hashlib
import json
import shutil
import subprocess
import tarfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from browser.conftest import PageReport
from helpers import in_ci, load
from lxml import etree

from medtrace.architecture import Architecture, build_architecture, build_view, view_names
from medtrace.render.arch import FORMATS

from .conftest import ROOT
from .test_readable import GENERATED

pytestmark = pytest.mark.verifies("SRS-147", "SRS-191")

MERMAID = "mermaid@12.3.0"
MERMAID_SHA512 = (
    "4113TdXeLAsMruJ79OpFL5O8+LTFXhQqZ260rF3tgUmiNAtRm4Uume04I+65PRN6yZ69J4f8rVYWW8zRk65UYw=="
)
CACHE = ROOT / "bench" / "out" / "mermaid"


def _unavailable(reason: str) -> None:
    if in_ci():
        pytest.fail(f"{reason} (CI is set: the real-tool test must run there)")
    pytest.skip(reason)


def _fetch_mermaid() -> Path:
    """``dist/mermaid.min.js`` of the pinned release, from the cache or ``npm pack``."""
    script = CACHE / "mermaid.min.js"
    if script.is_file():
        return script
    npm = shutil.which("npm")
    if npm is None:
        _unavailable("npm is not installed: cannot fetch the mermaid package")
    CACHE.mkdir(parents=True, exist_ok=True)
    done = subprocess.run(
        [npm, "pack", MERMAID, "--json", "--pack-destination", str(CACHE)],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    if done.returncode != 0:
        _unavailable(f"npm pack {MERMAID} failed (no registry?): {done.stderr.strip()[-200:]}")
    tarball = CACHE / json.loads(done.stdout)[0]["filename"]
    digest = base64.b64encode(hashlib.sha512(tarball.read_bytes()).digest()).decode()
    assert digest == MERMAID_SHA512, f"{tarball.name} is not the pinned {MERMAID}"
    with tarfile.open(tarball) as archive:
        member = archive.extractfile("package/dist/mermaid.min.js")
        assert member is not None
        partial = script.with_suffix(".part")
        partial.write_bytes(member.read())
    partial.replace(script)
    tarball.unlink()
    return script


@pytest.fixture(scope="module")
def mermaid_js() -> str:
    return _fetch_mermaid().read_text(encoding="utf-8")


def _models(tmp: Path) -> list[tuple[str, Architecture]]:
    dense = GENERATED.write_model(tmp / "dense")
    return [
        (name, build_architecture(load(root).model))
        for name, root in (
            ("example", ROOT / "examples" / "bolus-advisor"),
            ("contact-tracing", ROOT / "tests" / "architecture" / "contact-tracing"),
            ("dense", dense),
        )
    ]


_PAGE = """<!doctype html><meta charset="utf-8"><body>
<script>{library}</script>
<script id="diagrams" type="application/json">{diagrams}</script>
<script>
window.results = null;
(async () => {{
  mermaid.initialize({{ startOnLoad: false, securityLevel: "strict", maxTextSize: 1000000,
                       maxEdges: 2000 }});
  const out = {{}};
  for (const [name, text] of Object.entries(JSON.parse(
      document.getElementById("diagrams").textContent))) {{
    try {{
      await mermaid.parse(text);
      const {{ svg }} = await mermaid.render("d" + Object.keys(out).length, text);
      const box = document.createElement("div");  // Mermaid's SVG holds HTML labels
      box.innerHTML = svg;
      document.body.appendChild(box);
      const drawn = box.querySelector("svg").getBBox();
      out[name] = {{ nodes: box.querySelectorAll("g.node").length,
                    clusters: box.querySelectorAll("g.cluster").length,
                    edges: box.querySelectorAll("path.flowchart-link").length,
                    width: drawn.width, height: drawn.height }};
    }} catch (error) {{
      out[name] = {{ error: String(error && error.message || error) }};
    }}
  }}
  window.results = out;
}})();
</script>
"""


def test_mermaid_renders_every_view_in_the_real_library(
    mermaid_js: str,
    browser_page: Callable[[Path], PageReport],
    tmp_path: Path,
) -> None:
    views = {
        f"{model}/{name}": build_view(arch, name)
        for model, arch in _models(tmp_path)
        for name in view_names(arch)
    }
    texts = {key: FORMATS["mermaid"].render(view, "items/") for key, view in views.items()}
    # the control: a label left open is a parse error the page must report
    texts["control/broken"] = 'flowchart LR\n  n0["a"] -->|"open label| n1["b"]\n'

    page = tmp_path / "mermaid.html"
    diagrams = json.dumps(texts).replace("</", "<\\/")
    page.write_text(
        _PAGE.format(library=mermaid_js.replace("</script", "<\\/script"), diagrams=diagrams),
        encoding="utf-8",
    )
    report = browser_page(page)
    report.page.wait_for_function("window.results !== null", timeout=120_000)
    results: dict[str, dict[str, Any]] = report.page.evaluate("window.results")
    assert report.page_errors == []
    assert report.foreign_requests == []
    assert "error" in results.pop("control/broken")
    assert {k: r["error"] for k, r in results.items() if "error" in r} == {}
    for key, view in views.items():
        assert results[key]["nodes"] >= len(view.boxes), key
        assert results[key]["clusters"] == len(view.groups), key
        assert results[key]["edges"] == len(view.edges), key
        assert results[key]["width"] > 100 and results[key]["height"] > 100, key
    assert len(views) >= 7


def _cells(xml: str) -> list[etree._Element]:
    tree = etree.fromstring(xml.encode("utf-8"))
    assert tree.tag == "mxfile"
    roots = tree.findall("./diagram/mxGraphModel/root")
    assert len(roots) == 1
    return [
        cell if cell.tag == "mxCell" else cell.find("mxCell")
        for cell in roots[0]
        if cell.tag in ("mxCell", "UserObject")
    ]


def _id(cell: etree._Element) -> str:
    holder = cell.getparent()
    own = cell.get("id") or (holder.get("id") if holder is not None else None)
    assert own, etree.tostring(cell)
    return own


def test_drawio_is_a_graph_model_draw_io_reads(tmp_path: Path) -> None:
    checked = 0
    for model, arch in _models(tmp_path):
        for name in view_names(arch):
            view = build_view(arch, name)
            cells = _cells(FORMATS["drawio"].render(view, "items/"))
            ids = [_id(c) for c in cells]
            assert len(ids) == len(set(ids)), (model, name)
            assert ids[:2] == ["0", "1"] and cells[1].get("parent") == "0"
            vertices = {_id(c) for c in cells if c.get("vertex") == "1"}
            edges = [c for c in cells if c.get("edge") == "1"]
            assert len(vertices) == len(view.boxes) + len(view.groups), (model, name)
            assert len(edges) == len(view.edges), (model, name)
            for cell in cells[1:]:
                assert cell.get("parent") in ids, (model, name, _id(cell))
            for cell in cells:
                geometry = cell.find("mxGeometry")
                if cell.get("vertex") == "1":
                    assert geometry is not None and geometry.get("as") == "geometry"
                    assert float(geometry.get("width", "0")) > 0
                    assert float(geometry.get("height", "0")) > 0
                if cell.get("edge") == "1":
                    assert cell.get("source") in vertices and cell.get("target") in vertices
                    assert geometry is not None and geometry.get("relative") == "1"
            checked += 1
    assert checked >= 7
