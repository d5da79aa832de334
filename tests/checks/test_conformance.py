"""Architecture conformance rules MT165-MT170 on small projects."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers import findings, write_project

from medtrace.checks.conformance import _under
from medtrace.diagnostics import Severity
from medtrace.fs.globs import Globs

pytestmark = pytest.mark.verifies("SRS-150", "SRS-151")

CONFIG = """\
[project]
name = "fixture"
class = "C"

[paths]
items = ["docs"]
sources = ["src/**/*.py", "web/**/*.ts"]
"""

ITEMS = """\
kind: software-item
items:
  - id: system
    title: System
    class: C
    paths: ["src/app/__init__.py"]
    uses: [core, audit]
  - id: core
    title: Core
    parent: system
    class: C
    paths: ["src/app/core.py"]
  - id: audit
    title: Audit
    parent: system
    class: A
    paths: ["src/app/audit.py"]
    uses: [{audit_uses}]
    segregation: {segregation}
  - id: ui
    title: UI
    class: C
    paths: ["web/*.ts", "web/missing.ts"]
    uses: [{ui_uses}]
"""


def _project(
    root: Path,
    *,
    audit_code: str = "import json\n",
    ui_code: str = "export const x = 1;\n",
    audit_uses: str = "",
    ui_uses: str = "",
    segregation: str = "Separate process.",
    extra: dict[str, str] | None = None,
) -> Path:
    items = ITEMS.format(audit_uses=audit_uses, ui_uses=ui_uses, segregation=segregation)
    files = {
        "medtrace.toml": CONFIG,
        "docs/items.yaml": items,
        "src/app/__init__.py": "from app import core, audit\n",
        "src/app/core.py": "import math\n",
        "src/app/audit.py": audit_code,
        "web/a.ts": ui_code,
        **(extra or {}),
    }
    return write_project(root, files)


def test_a_declared_path_that_matches_nothing(tmp_path: Path) -> None:
    found = findings(_project(tmp_path), "MT165")
    assert [(d.item, d.path, d.severity) for d in found] == [
        ("ui", "docs/items.yaml", Severity.ERROR)
    ]
    assert found[0].found == "'web/missing.ts' in 'paths' of ui matches no file"
    assert found[0].line == 23  # the paths line of ui


def test_an_undeclared_import_names_both_items_and_the_line(tmp_path: Path) -> None:
    root = _project(tmp_path, audit_code="import json\n\nfrom app.core import compute\n")
    found = findings(root, "MT168")
    assert [(d.path, d.line, d.item, d.related) for d in found] == [
        ("src/app/audit.py", 3, "audit", ("core",))
    ]
    assert "src/app/audit.py of audit imports 'app.core' (src/app/core.py) of core" in (
        found[0].found
    )
    assert (
        findings(
            _project(
                tmp_path / "declared", audit_code="from app.core import x\n", audit_uses="core"
            ),
            "MT168",
        )
        == []
    )


def test_a_unit_does_not_inherit_its_parents_uses(tmp_path: Path) -> None:
    """The system uses core and audit; audit (its unit) may not reach core through that."""
    root = _project(tmp_path, audit_code="from . import core\n")
    assert [(d.line, d.item, d.related) for d in findings(root, "MT168")] == [
        (1, "audit", ("core",))
    ]


def test_a_file_claimed_by_two_unrelated_items(tmp_path: Path) -> None:
    root = _project(tmp_path)
    text = (root / "docs/items.yaml").read_text().replace('"web/missing.ts"', '"src/app/core.py"')
    (root / "docs/items.yaml").write_text(text)
    found = findings(root, "MT167")
    assert [(d.path, d.item, d.related) for d in found] == [("src/app/core.py", "core", ("ui",))]
    assert findings(root, "MT165") == []


def test_higher_class_using_lower_class_needs_segregation(tmp_path: Path) -> None:
    assert findings(_project(tmp_path / "ok"), "MT169") == []
    found = findings(_project(tmp_path / "bad", segregation="''"), "MT169")
    assert [(d.item, d.related) for d in found] == [("system", ("audit",))]
    assert found[0].found.startswith("class C item system uses class A item audit")


def test_third_party_imports_need_a_declared_soup(tmp_path: Path) -> None:
    soup = {
        "docs/soup.yaml": """\
kind: soup
items:
  - id: SOUP-1
    title: left-pad
    package: left_pad
    manufacturer: x
    version: "1"
    purpose: y
    requirements: r
    hardware: h
    software: s
    anomalies: {where: w, when: "2026-01-01", verdict: v}
""",
    }
    ui = "import pad from 'left-pad';\nimport fs from 'node:fs';\nimport path from 'path';\n"
    audit = "import json\nimport requests\n"
    root = _project(tmp_path, ui_code=ui, audit_code=audit, extra=soup)
    found = findings(root, "MT170")
    assert [(d.path, d.line, d.item) for d in found] == [
        ("src/app/audit.py", 2, "audit"),
        ("web/a.ts", 1, "ui"),
    ]
    declared = _project(tmp_path / "declared", ui_code=ui, ui_uses="SOUP-1", extra=soup)
    assert findings(declared, "MT170") == []
    by_soup_field = _project(tmp_path / "soup-field", ui_code=ui, extra=soup)
    items = by_soup_field / "docs/items.yaml"
    items.write_text(items.read_text() + "    soup: [SOUP-1]\n")  # ui is the last item
    assert findings(by_soup_field, "MT170") == []


def test_a_missing_spec_and_code_kept_elsewhere(tmp_path: Path) -> None:
    root = _project(tmp_path)
    text = (root / "docs/items.yaml").read_text()
    text = text.replace(
        "    uses: [core, audit]\n",
        "    uses: [core, audit]\n"
        "    interfaces:\n"
        "      - {name: API, kind: openapi, spec: api/openapi.yaml}\n"
        "      - {name: Words, kind: prose, text: no spec}\n",
    )
    text = text.replace('paths: ["web/*.ts", "web/missing.ts"]\n', 'paths: ["vendor/**"]\n')
    text += "    external_code: in the vendor's SDK\n"
    (root / "docs/items.yaml").write_text(text)
    missing = findings(root, "MT166")
    assert [(d.item, d.line) for d in missing] == [("system", 8)]  # its interfaces line
    assert missing[0].found == (
        "interface 'API' of system names spec 'api/openapi.yaml', which does not exist"
    )
    assert findings(root, "MT165") == []  # the ui's code is kept elsewhere


# --- the files a software item's paths are tried on ------------------------------------------------

FILES = sorted(
    [
        "src",
        "src/a.py",
        "src/app/core.py",
        "src/app/x/y.py",
        "src-old/a.py",
        "src.py",
        "src0/a.py",
        "srcx/a.py",
        "lib/src/a.py",
        "web/app.ts",
        "a b/c.py",
        "[x]/y.py",
    ]
)


@pytest.mark.parametrize(
    "patterns",
    [
        ["src"],
        ["src/"],
        ["src/*.py"],
        ["src/**/*.py"],
        ["src/app/core.py"],
        ["src/app"],
        ["**/a.py"],
        ["[s]rc/a.py"],
        ["src*/a.py"],
        ["src/**", "!src/app/**"],
        ["!src/a.py", "src"],
        ["web/app.ts", "src/app/x"],
        ["a b"],
        ["[x]/y.py"],
        ["nowhere"],
    ],
)
def test_paths_are_tried_on_every_file_they_can_match(patterns: list[str]) -> None:
    globs = Globs(patterns, lenient=True)
    tried = list(_under(FILES, globs))
    assert len(tried) == len(set(tried))  # each once
    assert [f for f in FILES if globs.match(f)] == sorted(f for f in tried if globs.match(f))
