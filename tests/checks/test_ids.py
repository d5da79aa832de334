"""MT004 id-malformed and MT005 id-duplicate."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers import findings, run_check, write_project

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


# --- legacy ID schemes and MT017 id-near-miss -------------------------------------------------

LEGACY = """\
[project]
class = "A"

[paths]
items = ["docs"]

[kinds.software-requirement]
prefix = "RW-SW"

[kinds.system-requirement]
{digits}
"""


@pytest.mark.verifies("SRS-60")
def test_messages_speak_in_the_projects_form(tmp_path: Path) -> None:
    write_project(
        tmp_path,
        {"docs/r.yaml": "- id: RW-SW-12\n  title: a\n- id: RW-SW-x\n  title: b\n"},
        config=LEGACY.format(digits=""),
    )
    (d,) = findings(tmp_path, "MT004")
    assert d.expected == "an ID like RW-SW-12"
    assert d.hint == "Rename it in the form of RW-SW-12."


@pytest.mark.verifies("SRS-60")
def test_a_pattern_without_items_is_quoted(tmp_path: Path) -> None:
    config = LEGACY.format(digits="") + '[kinds.risk]\nprefix = "HZ"\npattern = "HZ_[0-9]{3}"\n'
    write_project(tmp_path, {"docs/r.yaml": "- {id: HZ_12, kind: risk}\n"}, config=config)
    (d,) = findings(tmp_path, "MT004")
    assert d.expected == "an ID matching the pattern HZ_[0-9]{3}"


@pytest.mark.verifies("SRS-60")
def test_the_padding_is_detected_from_the_items(tmp_path: Path) -> None:
    items = "- id: SYS-001\n- id: SYS-002\n- id: SYS-3\n- id: SYS-1000\n"
    write_project(tmp_path, {"docs/s.yaml": items}, config=LEGACY.format(digits=""))
    (d,) = findings(tmp_path, "MT017")
    assert (d.item, d.line) == ("SYS-3", 3)
    assert d.found == "ID 'SYS-3' is not written as this project writes system-requirement IDs"
    assert d.expected == "SYS-003 (numbers padded to 3 digits)"
    assert d.hint == "Rename it to SYS-003, and write links and tags to it that way."


@pytest.mark.verifies("SRS-60")
def test_unpadded_projects_report_the_padded_form(tmp_path: Path) -> None:
    items = "- id: SYS-1\n- id: SYS-2\n- id: SYS-03\n"
    write_project(tmp_path, {"docs/s.yaml": items}, config=LEGACY.format(digits=""))
    (d,) = findings(tmp_path, "MT017")
    assert d.item == "SYS-03"
    assert d.expected == "SYS-3 (numbers without leading zeros)"


@pytest.mark.verifies("SRS-60")
def test_digits_in_the_configuration_decide(tmp_path: Path) -> None:
    items = "- id: SYS-1\n- id: SYS-2\n"
    write_project(tmp_path, {"docs/s.yaml": items}, config=LEGACY.format(digits="digits = 2"))
    assert [d.expected for d in findings(tmp_path, "MT017")] == [
        "SYS-01 (numbers padded to 2 digits)",
        "SYS-02 (numbers padded to 2 digits)",
    ]


@pytest.mark.verifies("SRS-60")
def test_one_number_written_two_ways_is_never_two_ids(tmp_path: Path) -> None:
    items = "- id: SYS-003\n- id: SYS-004\n- id: SYS-3\n"
    write_project(tmp_path, {"docs/s.yaml": items}, config=LEGACY.format(digits=""))
    (d,) = findings(tmp_path, "MT017")
    assert d.found == "IDs 'SYS-3' and 'SYS-003' are one number written in two ways"
    assert d.related == ("docs/s.yaml:1",)


@pytest.mark.verifies("SRS-60")
def test_a_link_in_the_other_form_is_a_near_miss_not_a_dangling_link(tmp_path: Path) -> None:
    files = {
        "docs/s.yaml": "- id: SYS-003\n  title: t\n",
        "docs/RW-SW-12-title.md": "---\nparents: [SYS-3]\n---\n# A requirement\n",
    }
    write_project(tmp_path, files, config=LEGACY.format(digits=""))
    result = run_check(tmp_path)
    (d,) = [d for d in result.diagnostics if d.code in ("MT010", "MT017")]
    assert (d.code, d.path, d.line, d.item) == ("MT017", "docs/RW-SW-12-title.md", 2, "RW-SW-12")
    assert d.found == "'parents' of RW-SW-12 names SYS-3, but the item is SYS-003"
    assert d.expected == "SYS-003, as the item is written"


@pytest.mark.verifies("SRS-60")
def test_names_that_end_in_digits_are_not_numbers(tmp_path: Path) -> None:
    items = (
        "- {id: stage-01, kind: software-item, title: a, class: A}\n"
        "- {id: stage-02, kind: software-item, title: b, class: A}\n"
        "- {id: stage-3, kind: software-item, title: c, class: A}\n"
    )
    write_project(tmp_path, {"docs/s.yaml": items}, config=LEGACY.format(digits=""))
    assert findings(tmp_path, "MT017") == []
