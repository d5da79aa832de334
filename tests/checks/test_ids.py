"""MT004 id-malformed and MT005 id-duplicate."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers import findings, write_project

pytestmark = pytest.mark.verifies("SRS-8")


def test_ids_of_the_right_form_pass(tmp_path: Path) -> None:
    write_project(
        tmp_path,
        {
            "docs/SRS-12.md": "---\ntitle: t\n---\n",
            "docs/items.yaml": """
                - id: SYS-1
                - id: SRS-007
                  kind: software-requirement
                - {id: bolus-calculator, kind: software-item}
                - {id: react-native, kind: soup}
                - {id: "@babel/core", kind: soup}
                - {id: SOUP-3}
                """,
        },
    )
    assert findings(tmp_path, "MT004") == []


def test_an_id_not_of_its_kinds_form(tmp_path: Path) -> None:
    write_project(
        tmp_path,
        {
            "docs/items.yaml": """
                - id: SYS-1
                - id: srs-1
                  kind: software-requirement
                - id: Pump_Driver
                  kind: software-item
                - id: 12
                  kind: test-case
                """
        },
    )
    found = findings(tmp_path, "MT004")
    assert [(d.item, d.line, d.message, d.hint) for d in found] == [
        (
            "srs-1",
            2,
            "ID 'srs-1' is not a well-formed Software requirement ID; expected an ID like SRS-1",
            "Rename it in the form of SRS-1.",
        ),
        (
            "Pump_Driver",
            4,
            "ID 'Pump_Driver' is not a well-formed Software item ID; "
            "expected an ID matching the pattern [a-z][a-z0-9-]*",
            "Rename it to match the pattern [a-z][a-z0-9-]*.",
        ),
        (
            "12",
            6,
            "ID '12' is not a well-formed Test case ID; expected an ID like TC-1",
            "Rename it in the form of TC-1.",
        ),
    ]
    assert {(d.rule, d.severity.value, d.path) for d in found} == {
        ("id-malformed", "error", "docs/items.yaml")
    }


def test_id_form_follows_a_renamed_prefix(tmp_path: Path) -> None:
    config = '[project]\nclass = "B"\n[kinds.software-requirement]\nprefix = "SWR"\n'
    write_project(
        tmp_path,
        {
            "docs/reqs.yaml": """
                kind: software-requirement
                items:
                  - id: SWR-1
                  - id: SRS-2
                """
        },
        config=config,
    )
    (d,) = findings(tmp_path, "MT004")
    assert d.item == "SRS-2"
    assert d.expected == "an ID like SWR-1"


def test_a_duplicate_id_across_files(tmp_path: Path) -> None:
    write_project(
        tmp_path,
        {
            "docs/a.yaml": "- id: SYS-2\n- id: SYS-1\n  title: first\n",
            "docs/b/SYS-1.md": "---\ntitle: second\n---\n",
        },
    )
    (d,) = findings(tmp_path, "MT005")
    assert (d.code, d.rule, d.path, d.line, d.item) == (
        "MT005",
        "id-duplicate",
        "docs/b/SYS-1.md",
        1,
        "SYS-1",
    )
    assert d.found == "ID 'SYS-1' is already used at docs/a.yaml:2"
    assert d.related == ("docs/a.yaml:2",)
    assert d.expected == "a unique ID"
    assert "new ID" in d.hint


def test_each_extra_copy_is_reported(tmp_path: Path) -> None:
    write_project(tmp_path, {"docs/a.yaml": "- id: SYS-1\n- id: SYS-1\n- id: SYS-2\n- id: SYS-1\n"})
    found = findings(tmp_path, "MT005")
    assert [(d.line, d.found) for d in found] == [
        (2, "ID 'SYS-1' is already used at docs/a.yaml:1"),
        (4, "ID 'SYS-1' is already used at docs/a.yaml:1"),
    ]


def test_same_id_in_two_kinds_is_a_duplicate(tmp_path: Path) -> None:
    write_project(
        tmp_path,
        {"docs/a.yaml": "- {id: pump, kind: software-item}\n- {id: pump, kind: soup}\n"},
    )
    assert len(findings(tmp_path, "MT005")) == 1


def test_unique_ids_pass(tmp_path: Path) -> None:
    write_project(tmp_path, {"docs/a.yaml": "- id: SYS-1\n- id: SYS-2\n- id: SYS-10\n"})
    assert findings(tmp_path, "MT005") == []
