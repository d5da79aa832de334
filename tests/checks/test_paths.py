"""MT133 paths-invalid: a software item's ``paths`` stay in the project."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers import findings, write_project

from medtrace.diagnostics import Severity

pytestmark = pytest.mark.verifies("SRS-50")


def test_paths_leaving_the_project_or_absolute(tmp_path: Path) -> None:
    write_project(
        tmp_path,
        {
            "docs/items.yaml": """
                kind: software-item
                items:
                  - {id: app, title: App, class: A, paths: ["src", "./lib/../gen/"]}
                  - id: fw
                    title: Firmware
                    class: A
                    paths:
                      - ../firmware/src
                      - /opt/fw
                """
        },
        cls="A",
    )
    found = findings(tmp_path, "MT133")
    assert [(d.path, d.line, d.item, d.severity) for d in found] == [
        ("docs/items.yaml", 7, "fw", Severity.ERROR),
        ("docs/items.yaml", 7, "fw", Severity.ERROR),
    ]
    assert [d.found for d in found] == [
        "'paths' of fw: '../firmware/src' leads out of the project root",
        "'paths' of fw: '/opt/fw' is an absolute path; patterns are relative to the project root",
    ]
    assert found[0].hint == "Write the path from the project root, without a leading '/' or '..'."


def test_valid_paths_give_nothing(tmp_path: Path) -> None:
    write_project(
        tmp_path,
        {
            "docs/items.yaml": """
                kind: software-item
                items:
                  - {id: app, title: App, class: A, paths: [".", "src/**/*.c", "!src/gen"]}
                """
        },
        cls="A",
    )
    assert findings(tmp_path, "MT133") == []
