"""``medtrace show``, ``medtrace list`` and ``medtrace rules``."""

from __future__ import annotations

import json
import os
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
        "",
        "trace",
        "  status: untested",
        "  code: none",
        "  tests: none",
        "  manual tests: none",
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
        "",
        "trace",
        "  status: untested",
        "    SRS-1 is untested",
        "    SRS-2 is untested",
        "  code: none",
        "  tests: none",
        "  manual tests: none",
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
        "trace": {"status": "untested", "missing": [], "code": [], "tests": [], "manual": []},
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


# --- the whole trace ------------------------------------------------------------------------------

TRACED = {
    **FILES,
    "medtrace.toml": """
        [project]
        name = "fixture"
        class = "B"

        [paths]
        items = ["docs"]
        sources = ["src/**/*.py"]
        tests = ["tests/**/*.py"]
        results = ["build/*.xml"]
        """,
    "docs/TC-1.yaml": "- {id: TC-1, kind: test-case, title: Bench check, verifies: [SRS-2], "
    "result: pass}\n",
    "src/store.py": """
        class Store:
            def save(self, reading):
                # @implements SRS-1
                return reading
        """,
    "tests/test_store.py": """
        def test_saves():
            \"\"\"@verifies SRS-1, RISK-1\"\"\"


        def test_refuses_damage():
            \"\"\"@verifies SRS-1\"\"\"
        """,
    "build/junit.xml": """
        <?xml version="1.0" encoding="utf-8"?>
        <testsuites><testsuite name="pytest" tests="2">
        <testcase classname="tests.test_store" name="test_saves" file="tests/test_store.py"
         line="0" time="0.01"/>
        <testcase classname="tests.test_store" name="test_refuses_damage"
         file="tests/test_store.py" line="4" time="0.02"><failure message="assert False">
         trace</failure></testcase>
        </testsuite></testsuites>
        """,
}


@pytest.fixture
def traced(tmp_path: Path) -> Path:
    root = write_project(tmp_path, TRACED)
    old = (root / "build" / "junit.xml").stat()
    later = old.st_mtime + 3600  # the results are newer than the code: not stale
    os.utime(root / "build" / "junit.xml", (later, later))
    return root


@pytest.mark.verifies("SRS-79")
def test_show_the_whole_trace(traced: Path, cli: Cli) -> None:
    run = cli("-C", str(traced), "show", "SRS-1")
    assert run.code == 0, run.err
    lines = run.out.splitlines()
    assert lines[lines.index("trace") :] == [
        "trace",
        "  status: failing",
        "  code:",
        "    src/store.py:2 Store.save",
        "  tests:",
        "    tests/test_store.py:1 test_saves: passed",
        "    tests/test_store.py:5 test_refuses_damage: failed (assert False)",
        "  manual tests: none",
    ]


@pytest.mark.verifies("SRS-79")
def test_show_the_whole_trace_as_json(traced: Path, cli: Cli) -> None:
    run = cli("-C", str(traced), "show", "SRS-1", "--format", "json")
    trace = json.loads(run.out)["trace"]
    assert trace["status"] == "failing"
    assert trace["code"] == [
        {
            "path": "src/store.py",
            "line": 3,
            "symbol": "Store.save",
            "symbol_line": 2,
            "language": "python",
        }
    ]
    assert [(t["name"], t["path"], t["line"], t["outcome"]) for t in trace["tests"]] == [
        ("test_saves", "tests/test_store.py", 1, "passed"),
        ("test_refuses_damage", "tests/test_store.py", 5, "failed"),
    ]
    (result,) = trace["tests"][1]["results"]
    assert (result["outcome"], result["message"], result["source"]) == (
        "failed",
        "assert False",
        "build/junit.xml",
    )


@pytest.mark.verifies("SRS-79")
def test_show_agrees_with_the_matrix(traced: Path, cli: Cli) -> None:
    """The status of show is the matrix's: a risk takes the worst of its controls'."""
    matrix = json.loads(cli("-C", str(traced), "matrix", "--format", "json").out)
    rows = {
        row[0]: row[1]
        for view in matrix["views"]
        if "Status" in view["columns"]
        for row in view["rows"]
    }
    for item_id in ("SRS-1", "SRS-2", "SYS-1", "RISK-1"):
        view = next(v for v in matrix["views"] if any(r[0] == item_id for r in v["rows"]))
        cell = rows[item_id][view["columns"].index("Status")]
        expected = cell if isinstance(cell, str) else cell[0][0][0]
        shown = json.loads(cli("-C", str(traced), "show", item_id, "--json").out)["trace"]
        assert shown["status"] == expected, item_id
    manual = json.loads(cli("-C", str(traced), "show", "SRS-2", "--json").out)["trace"]["manual"]
    assert manual == [{"id": "TC-1", "title": "Bench check", "result": "pass", "stale": None}]


@pytest.mark.verifies("SRS-79")
def test_an_item_that_is_not_traced(traced: Path, cli: Cli) -> None:
    assert json.loads(cli("-C", str(traced), "show", "app", "--json").out)["trace"] is None
    assert "trace" not in cli("-C", str(traced), "show", "app").out.splitlines()


@pytest.mark.verifies("SRS-76")
def test_show_escapes_control_characters(tmp_path: Path, cli: Cli) -> None:
    title = "Fake\\nOK\\u001b[31m red"
    write_project(
        tmp_path,
        {"docs/SYS-1.md": f'---\ntitle: "{title}"\n---\nBody line one\nline \\x1b two\n'},
    )
    run = cli("-C", str(tmp_path), "show", "SYS-1")
    assert "\x1b" not in run.out
    assert run.out.splitlines()[0] == "SYS-1 system-requirement  Fake\\nOK\\x1b[31m red"
