"""The benchmark's synthetic tree: a scan finds exactly what the generator wrote."""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path

import pytest

from medtrace.scanning import scan

pytestmark = pytest.mark.verifies("SRS-19")

GENERATOR = Path(__file__).resolve().parents[2] / "bench" / "scan" / "generate_tree.py"


def _generator() -> object:
    spec = importlib.util.spec_from_file_location("generate_tree", GENERATOR)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("generate_tree", module)
    spec.loader.exec_module(module)
    return sys.modules["generate_tree"]


def test_a_scan_finds_every_generated_tag_and_test(tmp_path: Path) -> None:
    generator = _generator()
    counts = generator.generate(tmp_path, 120, 7)  # type: ignore[attr-defined]
    generator.write_manifest(tmp_path, 120, 7, counts)  # type: ignore[attr-defined]
    manifest = json.loads((tmp_path / "manifest.json").read_text(encoding="utf-8"))
    found = scan(tmp_path, manifest["sources"], manifest["tests"], manifest["exclude"])
    assert len(found.files) == manifest["expected"]["files"]
    assert len(found.tags) == manifest["expected"]["tags"]
    assert len(found.tests) == manifest["expected"]["tests"]
    assert found.diagnostics == []


def test_the_tree_is_a_function_of_its_seed(tmp_path: Path) -> None:
    generator = _generator()
    first = generator.generate(tmp_path / "a", 30, 3)  # type: ignore[attr-defined]
    second = generator.generate(tmp_path / "b", 30, 3)  # type: ignore[attr-defined]
    assert first == second
    files = sorted(
        p.relative_to(tmp_path / "a") for p in (tmp_path / "a").rglob("*") if p.is_file()
    )
    for path in files:
        assert (tmp_path / "a" / path).read_bytes() == (tmp_path / "b" / path).read_bytes()
