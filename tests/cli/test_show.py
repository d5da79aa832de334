"""``medtrace show``, ``medtrace list`` and ``medtrace rules``."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from helpers import Run, write_project

pytestmark = pytest.mark.verifies("SRS-18")

Cli = Callable[..., Run]

FILES = {
    "docs/items.yaml": """
        - id: SYS-1
          title: Record readings
        - id: RISK-1
          title: Wrong reading shown
          hazard: wrong information
          harm: wrong treatment
          severity: serious
          probability: remote
        - id: app
          kind: software-item
          title: App
          class: B
        """,
    "docs/SRS-1.md": """
        ---
        type: data
        parents: [SYS-1]
        item: app
        controls: [RISK-1, RISK-7]
        ---
        # Store readings with a checksum

        The software shall refuse a damaged reading.
        """,
    "docs/SRS-2.md": "---\ntype: data\nparents: SYS-1\nitem: app\n---\n# Second [b]bold[/b]\n",
}


@pytest.fixture
def root(tmp_path: Path) -> Path:
    return write_project(tmp_path, FILES, cls="B")


def test_show(root: Path, cli: Cli) -> None:
    run = cli("-C", str(root), "show", "SRS-1")
    assert (run.code, run.err) == (0, "")
    assert run.out.splitlines() == [
        "SRS-1 software-requirement  Store readings with a checksum",
        "docs/SRS-1.md:1",
        "  type: data",
        "  parents: SYS-1",
        "  item: app",
        "  controls: RISK-1, RISK-7",
        "",
        "# Store readings with a checksum",
        "",
        "The software shall refuse a damaged reading.",
        "",
        "links",
        "  parents → SYS-1",
        "  item → app",
        "  controls → RISK-1",
        "  controls → RISK-7 (missing)",
    ]


def test_show_backlinks_and_yaml_lines(root: Path, cli: Cli) -> None:
    run = cli("-C", str(root), "show", "SYS-1")
    assert run.out.splitlines() == [
        "SYS-1 system-requirement  Record readings",
        "docs/items.yaml:1",
        "",
        "linked from",
        "  SRS-1 (parents) Store readings with a checksum",
        "  SRS-2 (parents) Second [b]bold[/b]",
    ]
    assert cli("-C", str(root), "show", "app").out.splitlines()[1] == "docs/items.yaml:9"


def test_show_json(root: Path, cli: Cli) -> None:
    run = cli("-C", str(root), "show", "SRS-1", "--json")
    assert run.code == 0
    doc = json.loads(run.out)
    assert doc == {
        "id": "SRS-1",
        "kind": "software-requirement",
        "title": "Store readings with a checksum",
        "path": "docs/SRS-1.md",
        "line": 1,
        "fields": {
            "type": "data",
            "parents": ["SYS-1"],
            "item": "app",
            "controls": ["RISK-1", "RISK-7"],
            "title": "Store readings with a checksum",
        },
        "text": "# Store readings with a checksum\n\nThe software shall refuse a damaged reading.",
        "links": [
            {"field": "parents", "target": "SYS-1", "resolved": True},
            {"field": "item", "target": "app", "resolved": True},
            {"field": "controls", "target": "RISK-1", "resolved": True},
            {"field": "controls", "target": "RISK-7", "resolved": False},
        ],
        "backlinks": [],
    }
    risk = json.loads(cli("-C", str(root), "show", "RISK-1", "--json").out)
    assert risk["line"] == 3
    assert risk["backlinks"] == [{"field": "controls", "source": "SRS-1"}]


def test_show_an_unknown_id(root: Path, cli: Cli) -> None:
    run = cli("-C", str(root), "show", "SRS-11")
    assert (run.code, run.out) == (2, "")
    assert run.err == "medtrace: error: no item 'SRS-11'; did you mean SRS-1?\n"


def test_show_an_unknown_id_with_nothing_close(root: Path, cli: Cli) -> None:
    run = cli("-C", str(root), "show", "zzzzzz")
    assert run.err == "medtrace: error: no item 'zzzzzz'\n"


def test_list(root: Path, cli: Cli) -> None:
    run = cli("-C", str(root), "list")
    assert run.code == 0
    rows = [line.split() for line in run.out.splitlines()]
    assert rows[0] == ["ID", "kind", "title", "file"]
    assert [r[0] for r in rows[1:]] == ["RISK-1", "app", "SRS-1", "SRS-2", "SYS-1"]


def test_list_of_one_kind(root: Path, cli: Cli) -> None:
    run = cli("-C", str(root), "list", "--kind", "software-requirement")
    lines = run.out.splitlines()
    assert [line.split()[0] for line in lines[1:]] == ["SRS-1", "SRS-2"]
    assert "Second [b]bold[/b]" in lines[2]


def test_list_json_lines(root: Path, cli: Cli) -> None:
    run = cli("-C", str(root), "list", "-k", "risk", "--json")
    assert [json.loads(line) for line in run.out.splitlines()] == [
        {"id": "RISK-1", "kind": "risk", "title": "Wrong reading shown", "path": "docs/items.yaml"}
    ]


def test_list_ids_in_natural_order(tmp_path: Path, cli: Cli) -> None:
    write_project(
        tmp_path, {"docs/a.yaml": "".join(f"- {{id: SYS-{n}, title: t}}\n" for n in (10, 2, 1))}
    )
    run = cli("-C", str(tmp_path), "list", "--json")
    assert [json.loads(line)["id"] for line in run.out.splitlines()] == ["SYS-1", "SYS-2", "SYS-10"]


def test_list_an_unknown_kind(root: Path, cli: Cli) -> None:
    run = cli("-C", str(root), "list", "--kind", "requirement")
    assert run.code == 2
    assert "unknown kind 'requirement'; known: system-requirement, software-requirement" in run.err


def test_list_shows_items_of_a_project_with_problems(tmp_path: Path, cli: Cli) -> None:
    write_project(tmp_path, {"docs/ok.yaml": "- {id: SYS-1, title: t}\n", "docs/bad.yaml": "- [\n"})
    run = cli("-C", str(tmp_path), "list", "--json")
    assert run.code == 0
    assert [json.loads(line)["id"] for line in run.out.splitlines()] == ["SYS-1"]


def test_rules(cli: Cli) -> None:
    run = cli("rules")
    assert run.code == 0
    rows = {line.split()[0]: line.split()[1:3] for line in run.out.splitlines()[1:]}
    assert run.out.splitlines()[0].split() == ["code", "name", "severity", "checks"]
    assert rows["MT004"] == ["id-malformed", "error"]
    assert rows["MT010"] == ["link-dangling", "error"]
    assert rows["MT015"] == ["requirement-unallocated", "error"]
    assert rows["MT090"] == ["config-invalid", "error"]
    assert list(rows) == sorted(rows)
