"""Content fingerprints: whitespace, key order and the file an item lives in do not change
them; any change of content does."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers import load, write_project

from medtrace.model import Item
from medtrace.review import fingerprint

pytestmark = pytest.mark.verifies("SRS-245")

SRS = """
    - id: SRS-1
      title: Limit the dose
      type: functional
      parents: [SYS-1]
      text: The advisor never proposes more than 10 units in one bolus.
"""

SYS = """
    - id: SYS-1
      title: Advise a bolus
"""


def _one(root: Path, files: dict[str, str], item_id: str = "SRS-1") -> str:
    model = load(write_project(root, {"docs/sys.yaml": SYS, **files})).model
    return fingerprint(model.items[item_id])


def test_a_fingerprint_is_64_hex_characters() -> None:
    value = fingerprint(Item("SRS-1", "software-requirement", title="t", text="x"))
    assert len(value) == 64
    assert int(value, 16) >= 0


def test_whitespace_reflow_and_key_order_do_not_change_it(tmp_path: Path) -> None:
    first = _one(tmp_path / "a", {"docs/srs.yaml": SRS})
    reflowed = """
        - text: >
            The advisor never proposes
              more than 10 units    in one bolus.
          parents: [SYS-1]
          type: functional
          title: "Limit  the dose"
          id: SRS-1
    """
    assert _one(tmp_path / "b", {"docs/srs.yaml": reflowed}) == first


def test_moving_the_item_to_another_file_or_format_does_not_change_it(tmp_path: Path) -> None:
    first = _one(tmp_path / "a", {"docs/srs.yaml": SRS})
    other = """
        ---
        title: Limit the dose
        type: functional
        parents: [SYS-1]
        text: The advisor never proposes more than 10 units in one bolus.
        ---
    """
    assert _one(tmp_path / "b", {"docs/more/SRS-1.md": other}) == first


def test_the_status_is_not_content(tmp_path: Path) -> None:
    first = _one(tmp_path / "a", {"docs/srs.yaml": SRS})
    assert (
        _one(
            tmp_path / "b", {"docs/srs.yaml": SRS.replace("type:", "status: approved\n      type:")}
        )
        == first
    )


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("10 units", "12 units"),
        ("Limit the dose", "Cap the dose"),
        ("type: functional", "type: alarms"),
        ("parents: [SYS-1]", "parents: [SYS-1, SYS-2]"),
    ],
)
def test_any_real_change_changes_it(tmp_path: Path, old: str, new: str) -> None:
    first = _one(tmp_path / "a", {"docs/srs.yaml": SRS})
    changed = SRS.replace(old, new)
    assert changed != SRS
    assert _one(tmp_path / "b", {"docs/srs.yaml": changed}) != first


def test_an_unknown_field_is_content() -> None:
    plain = Item("SRS-1", "software-requirement", title="t")
    extra = Item("SRS-1", "software-requirement", title="t", unknown={"owner": "ann"})
    assert fingerprint(plain) != fingerprint(extra)


def test_the_id_is_not_content() -> None:
    a = Item("SRS-1", "software-requirement", title="t", text="x", path="a.yaml")
    b = Item("SRS-9", "software-requirement", title="t", text="x", path="b.yaml")
    assert fingerprint(a) == fingerprint(b)
