"""``bench/site/run.py``: on a small generated project, without the peers, it times the site's
search in Chromium (and ``medtrace build`` when the command exists) and writes its figures
(what it measures is not asserted here: speed belongs to the benchmark, not to unit tests)."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parents[2] / "bench" / "site" / "run.py"

pytestmark = pytest.mark.verifies("SRS-221")


def test_site_benchmark_runs_without_peers(tmp_path: Path) -> None:
    if not (shutil.which("chromium") or Path("/usr/bin/chromium").is_file()):
        pytest.skip("no Chromium: the search timing needs one")
    command = [sys.executable, str(SCRIPT), "--sizes", "40", "--no-peers", "--repeat", "1"]
    done = subprocess.run(
        [*command, "--search-size", "40", "--out", str(tmp_path)],
        capture_output=True,
        text=True,
        check=False,
        timeout=600,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    results = json.loads((tmp_path / "site.json").read_text(encoding="utf-8"))
    search = results["search"]
    assert search["entries"] > 40  # the requirements, and the system requirements, risks, items
    assert [q["query"] for q in search["per_query"]][:2] == ["SRS-1234", "srs12"]
    assert all(len(q["ms"]) == 5 for q in search["per_query"])
    hits = {q["query"]: q["hits"] for q in search["per_query"]}
    assert hits["srs12"] >= 1 and hits["alarm"] >= 1
    if results["medtrace_build"]:
        assert {m["mode"] for m in results["measures"]} == {"build cold", "build unchanged"}
    else:
        assert "no 'build' command" in done.stdout
