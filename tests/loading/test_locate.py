"""Lines found lazily: where an item of a YAML file starts and where a field is written."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from helpers import load, write_project

from medtrace.loading import Locator, locate
from medtrace.model import Item

pytestmark = pytest.mark.verifies("SRS-4")

FILES = {
    "docs/list.yaml": """
        # a comment first
        - id: SYS-1
          title: one

        - id: SYS-2
          title: two
          rationale: because
        """,
    "docs/grouped.yaml": """
        kind: software-item
        items:
          - id: pump
            title: Pump
            class: C
          - id: ui
            title: UI
        """,
    "docs/single.yaml": """
        id: RISK-1
        title: Overdose
        hazard: too much
        """,
    "docs/SRS-1.md": """
        ---
        type: functional

        parents: [SYS-1]
        ---
        # Title
        """,
}


def located(tmp_path: Path) -> tuple[Locator, dict[str, Item]]:
    write_project(tmp_path, FILES)
    project = load(tmp_path)
    return Locator(tmp_path), project.model.items


def test_items_of_yaml_files_have_no_line_until_located(tmp_path: Path) -> None:
    _, items = located(tmp_path)
    assert items["SYS-1"].line == 0
    assert items["SRS-1"].line == 1, "a Markdown item starts on line 1"


def test_item_lines(tmp_path: Path) -> None:
    locator, items = located(tmp_path)
    lines = {i: locator.item_line(items[i]) for i in ("SYS-1", "SYS-2", "pump", "ui", "RISK-1")}
    assert lines == {"SYS-1": 2, "SYS-2": 5, "pump": 3, "ui": 6, "RISK-1": 1}
    assert locator.item_line(items["SRS-1"]) == 1


def test_field_lines_in_yaml(tmp_path: Path) -> None:
    locator, items = located(tmp_path)
    assert locator.field_line(items["SYS-2"], "rationale") == 7
    assert locator.field_line(items["pump"], "class") == 5
    assert locator.field_line(items["RISK-1"], "hazard") == 3


def test_a_field_that_is_not_written_gives_the_item_line(tmp_path: Path) -> None:
    locator, items = located(tmp_path)
    assert locator.field_line(items["SYS-2"], "parents") == 5


def test_field_lines_in_markdown(tmp_path: Path) -> None:
    locator, items = located(tmp_path)
    assert locator.field_line(items["SRS-1"], "parents") == 4
    assert locator.field_line(items["SRS-1"], "type") == 2
    assert locator.field_line(items["SRS-1"], "item") == 1, "not written: the item's line"


def test_a_file_gone_since_loading(tmp_path: Path) -> None:
    locator, items = located(tmp_path)
    (tmp_path / "docs" / "list.yaml").unlink()
    (tmp_path / "docs" / "SRS-1.md").unlink()
    assert locator.item_line(items["SYS-2"]) == 0
    assert locator.field_line(items["SYS-2"], "title") == 0
    assert locator.field_line(items["SRS-1"], "type") == 1


def test_an_index_beyond_the_file(tmp_path: Path) -> None:
    locator, _ = located(tmp_path)
    ghost = Item("SYS-9", "system-requirement", path="docs/list.yaml", index=9)
    assert locator.item_line(ghost) == 0


def test_a_file_read_once(tmp_path: Path) -> None:
    locator, items = located(tmp_path)
    assert locator.item_line(items["SYS-2"]) == 5
    (tmp_path / "docs" / "list.yaml").write_text("- id: SYS-1\n- id: SYS-2\n")
    assert locator.item_line(items["SYS-2"]) == 5, "composed once per file and run"


def test_a_file_that_is_now_broken(tmp_path: Path) -> None:
    locator, items = located(tmp_path)
    (tmp_path / "docs" / "single.yaml").write_text("id: [broken\n")
    assert locator.item_line(items["RISK-1"]) == 0


@pytest.mark.verifies("SRS-66")
def test_each_file_is_read_once_for_every_key(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    keys = [f"unknown_{n}" for n in range(20_000)]
    front = "".join(f"{key}: v\n" for key in keys)
    entries = "".join(f"- id: SYS-{n}\n  title: t\n  odd_{n}: 1\n" for n in range(1, 2_001))
    files = {"docs/SYS-1.md": f"---\ntitle: t\n{front}---\n# T\n", "docs/many.yaml": entries}
    write_project(tmp_path, files)
    reads: list[str] = []
    real = locate.read_regular

    def counted(path: str, *args: Any, **kwargs: Any) -> Any:
        reads.append(Path(path).name)
        return real(path, *args, **kwargs)

    monkeypatch.setattr(locate, "read_regular", counted)
    locator = Locator(tmp_path)
    markdown = Item("SYS-1", "system-requirement", path="docs/SYS-1.md", line=1)
    assert [locator.field_line(markdown, key) for key in keys[::5000]] == [3, 5003, 10003, 15003]
    assert locator.field_line(markdown, keys[-1]) == 20_002
    lines = [
        locator.field_line(
            Item(f"SYS-{n}", "system-requirement", path="docs/many.yaml", index=n - 1), f"odd_{n}"
        )
        for n in range(1, 2_001)
    ]
    assert lines == [3 * n for n in range(1, 2_001)]
    assert sorted(reads) == ["SYS-1.md", "many.yaml"]


@pytest.mark.verifies("SRS-66")
def test_front_matter_keys_quoted_or_after_a_comment(tmp_path: Path) -> None:
    text = '---\n# a comment: not a key\n"quoted key": 1\nplain: 2\n  indented: 3\n---\nbody: 4\n'
    write_project(tmp_path, {"docs/SYS-1.md": text})
    locator = Locator(tmp_path)
    item = Item("SYS-1", "system-requirement", path="docs/SYS-1.md", line=1)
    assert locator.field_line(item, "quoted key") == 3
    assert locator.field_line(item, "plain") == 4
    assert locator.field_line(item, "indented") == 1  # not a top-level key: the item's line
    assert locator.field_line(item, "body") == 1  # after the front matter
