"""``medtrace adopt`` end to end: list, diff, write (confirmed or not), check sees the tags,
a second run finds nothing; strings of code untouched; a real C++ header."""

from __future__ import annotations

import io
import json
import shutil
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from helpers import Run, write_project

from medtrace.scanning import scan

pytestmark = pytest.mark.verifies("SRS-80", "SRS-81", "SRS-83", "SRS-85")

Cli = Callable[..., Run]
DATA = Path(__file__).resolve().parents[2] / ".." / "shared" / "data"

CONFIG = """\
[project]
name = "pump"
class = "B"

[paths]
items = ["docs"]
sources = ["src"]
tests = ["tests"]

[rules]
code-unmapped = "off"
results-missing = "off"
test-not-run = "off"
"""
ITEMS = """\
- {id: SYS-1, kind: system-requirement, title: Safe pressure}
- {id: pump, kind: software-item, title: Pump, class: B, paths: ["src/**"]}
- {id: SRS-1, kind: software-requirement, title: Limit, type: functional, parents: [SYS-1], item: pump}
- {id: SRS-2, kind: software-requirement, title: Log, type: functional, parents: [SYS-1], item: pump}
"""
FILES = {
    "docs/items.yaml": ITEMS,
    "src/pump.c": '// SRS-1: limit pressure\nint limit(int p) {\n    puts("SRS-2");\n'
    "    return p > 9 ? 9 : p;\n}\n",
    "src/log.ts": "/* Implements requirement SRS-2 */\nexport function log(p: number): void {\n"
    '  console.log("SRS-1", p);\n}\n',
    "tests/test_pump.py": "def test_limit():\n"
    '    """Verified here: SRS-1, SRS-2 (see https://example.com/SRS-1)."""\n'
    '    assert "SRS-2" != "SRS-12a"\n',
}


@pytest.fixture
def root(tmp_path: Path) -> Path:
    return write_project(tmp_path, FILES, config=CONFIG)


def contents(root: Path) -> dict[str, bytes]:
    return {rel: (root / rel).read_bytes() for rel in FILES}


def test_lists_grouped_per_file_and_exits_1(root: Path, cli: Cli) -> None:
    run = cli("-C", str(root), "adopt")
    assert (run.code, run.err) == (1, "")
    assert run.out.splitlines() == [
        "src/log.ts",
        "  1  /* Implements requirement SRS-2 */",
        "     + @implements SRS-2  on log (line 2)",
        "",
        "src/pump.c",
        "  1  // SRS-1: limit pressure",
        "     + @implements SRS-1  on limit (line 2)",
        "",
        "tests/test_pump.py",
        '  2  """Verified here: SRS-1, SRS-2 (see https://example.com/SRS-1)."""',
        "     + @verifies SRS-1, SRS-2  on test_limit (line 1)",
        "",
        "3 tags to add for 4 mentions in 3 files "
        "(3 files read; kinds: system-requirement, software-requirement, risk)",
        "Run `medtrace adopt --diff` to see the changes, `--write` to make them.",
    ]


def test_write_then_check_sees_the_tags_and_a_second_run_finds_nothing(
    root: Path, cli: Cli
) -> None:
    before = cli("-C", str(root), "check")
    assert before.code == 1
    assert "MT101 requirement-untested: software requirement SRS-1" in before.out
    unchanged = contents(root)

    diff = cli("-C", str(root), "adopt", "--diff")
    assert diff.code == 1
    assert "+// SRS-1: limit pressure @implements SRS-1\n" in diff.out
    assert contents(root) == unchanged  # --diff writes nothing

    written = cli("-C", str(root), "adopt", "--write", "--yes")
    assert written.code == 0, written.err
    assert written.out.startswith("--- a/src/log.ts\n+++ b/src/log.ts\n")  # the diff first
    assert written.out.endswith("Wrote 3 tags in 3 files.\n")
    pump = (root / "src/pump.c").read_text()
    assert pump.splitlines()[:3] == [
        "// SRS-1: limit pressure @implements SRS-1",
        "int limit(int p) {",
        '    puts("SRS-2");',
    ]

    after = cli("-C", str(root), "check")
    assert after.code == 0, after.out
    tags = scan(root, ["src"], ["tests"]).tags
    assert [(t.path, t.verb, t.ids, t.symbol) for t in tags] == [
        ("src/log.ts", "implements", ("SRS-2",), "log"),
        ("src/pump.c", "implements", ("SRS-1",), "limit"),
        ("tests/test_pump.py", "verifies", ("SRS-1", "SRS-2"), "test_limit"),
    ]

    again = cli("-C", str(root), "adopt")
    assert again.code == 0
    assert again.out.splitlines()[-1].startswith("Nothing to adopt; 4 mentions already tagged")
    assert cli("-C", str(root), "adopt", "--write", "--yes").code == 0


def test_write_without_a_terminal_and_without_yes_writes_nothing(root: Path, cli: Cli) -> None:
    unchanged = contents(root)
    run = cli("-C", str(root), "adopt", "--write")
    assert run.code == 2
    assert "+++ b/src/pump.c" in run.out
    assert run.err == (
        "medtrace: nothing written: confirm writing 3 tags in 3 files by running again with "
        "--yes (standard input is not a terminal, so adopt cannot ask)\n"
    )
    assert contents(root) == unchanged


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


@pytest.mark.parametrize(("answer", "code", "writes"), [("n\n", 1, False), ("y\n", 0, True)])
def test_write_asks_on_a_terminal(
    root: Path, cli: Cli, monkeypatch: pytest.MonkeyPatch, answer: str, code: int, writes: bool
) -> None:
    unchanged = contents(root)
    monkeypatch.setattr(sys, "stdin", _Terminal(answer))
    run = cli("-C", str(root), "adopt", "--write")
    assert run.code == code
    assert "Write 3 tags in 3 files? [y/N]" in run.out
    assert (contents(root) != unchanged) is writes


def test_strings_of_code_are_never_touched(tmp_path: Path, cli: Cli) -> None:
    files = {
        "docs/items.yaml": ITEMS,
        "src/strings.py": 'A = "SRS-1"\nB = f"{A} SRS-2"\nC = """\nSRS-1 in a value\n"""\n',
        "src/strings.c": "const char *a = \"SRS-1 /* SRS-2 */\";\nchar b = 'S'; // SRS-2\n",
        "src/strings.ts": "const a = `SRS-1 ${'SRS-2'}`; // SRS-1\n",
        "src/strings.go": 'package s\n\nvar a = "SRS-1" // SRS-2\nvar b = `SRS-2 // SRS-1`\n',
        "src/strings.rs": 'const A: &str = "SRS-1"; // SRS-2\nconst B: &str = r"// SRS-1";\n',
    }
    root = write_project(tmp_path, files, config=CONFIG)
    run = cli("-C", str(root), "adopt", "--write", "--yes")
    assert run.code == 0, run.err
    assert run.out.endswith("Wrote 4 tags in 4 files.\n")
    after = {rel: (root / rel).read_text() for rel in files if rel.startswith("src/")}
    assert after == {
        "src/strings.py": files["src/strings.py"],
        "src/strings.c": 'const char *a = "SRS-1 /* SRS-2 */";\n'
        "char b = 'S'; // SRS-2 @implements SRS-2\n",
        "src/strings.ts": "const a = `SRS-1 ${'SRS-2'}`; // SRS-1 @implements SRS-1\n",
        "src/strings.go": 'package s\n\nvar a = "SRS-1" // SRS-2 @implements SRS-2\n'
        "var b = `SRS-2 // SRS-1`\n",
        "src/strings.rs": 'const A: &str = "SRS-1"; // SRS-2 @implements SRS-2\n'
        'const B: &str = r"// SRS-1";\n',
    }


@pytest.mark.parametrize(
    ("header", "mentions"),
    [
        (
            "leveldb/db.h",
            {
                "  // Note: consider setting options.sync = true.\n"
                "  virtual Status Put(": "  // Note: consider setting options.sync = true. SRS-1\n"
                "  virtual Status Put(",
                "class LEVELDB_EXPORT DB {\n": "// A DB is a persistent ordered map (SRS-2).\n"
                "class LEVELDB_EXPORT DB {\n",
            },
        ),
        (
            "nrfx/nrfx_wdt.h",
            {
                " * @brief Function for initializing the WDT driver instance.\n": " * @brief "
                "Function for initializing the WDT driver instance. Implements SRS-1.\n",
                "void nrfx_wdt_uninit(": "void nrfx_wdt_uninit( /* see SRS-2 */ ",
            },
        ),
    ],
)
def test_a_real_header(tmp_path: Path, cli: Cli, header: str, mentions: dict[str, str]) -> None:
    root = write_project(tmp_path, {"docs/items.yaml": ITEMS}, config=CONFIG)
    target = root / "src" / Path(header).name
    target.parent.mkdir()
    shutil.copyfile(DATA / "headers" / header, target)
    text = target.read_bytes().decode("utf-8")
    for old, new in mentions.items():
        assert text.count(old) == 1
        text = text.replace(old, new)
    target.write_bytes(text.encode("utf-8"))
    listed = json.loads(cli("-C", str(root), "adopt", "--format", "json").out)
    tags = listed["files"][0]["tags"]
    expected = [["SRS-2"], ["SRS-1"]] if header.startswith("leveldb") else [["SRS-1"], ["SRS-2"]]
    assert [t["ids"] for t in tags] == expected  # in line order
    assert cli("-C", str(root), "adopt", "--write", "--yes").code == 0
    new_text = target.read_bytes().decode("utf-8")
    # only the mentioning lines changed, each by its tag alone
    old_lines, new_lines = text.split("\n"), new_text.split("\n")
    changed = {i + 1 for i, (a, b) in enumerate(zip(old_lines, new_lines, strict=True)) if a != b}
    assert changed == {t["line"] for t in tags}
    for t in tags:
        assert new_lines[t["line"] - 1] == t["after"]
    # the scanner attributes each written tag to the symbol adopt named
    found = {(t.line, t.symbol) for t in scan(root, ["src"], ["tests"]).tags}
    assert found == {(t["line"], t["symbol"]) for t in tags}
    assert cli("-C", str(root), "adopt").code == 0


def test_json_format(root: Path, cli: Cli) -> None:
    run = cli("-C", str(root), "adopt", "--format", "json")
    assert run.code == 1
    data = json.loads(run.out)
    assert [f["path"] for f in data["files"]] == ["src/log.ts", "src/pump.c", "tests/test_pump.py"]
    assert data["summary"]["tags"] == 3
    written = cli("-C", str(root), "adopt", "--format", "json", "--write", "--yes")
    assert written.code == 0
    assert json.loads(written.out)["written"] is True


@pytest.mark.verifies("SRS-84")
def test_path_and_prefix_restrict(root: Path, cli: Cli) -> None:
    run = cli("-C", str(root), "adopt", "--format", "json", "src/pump.c")
    assert [f["path"] for f in json.loads(run.out)["files"]] == ["src/pump.c"]
    run = cli("-C", str(root), "adopt", "--format", "json", "--prefix", "SYS")
    assert (run.code, json.loads(run.out)["files"]) == (0, [])


@pytest.mark.verifies("SRS-84")
@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--diff", "--write"], "--diff only prints the changes"),
        (["--diff", "--format", "json"], "--diff prints a diff, not JSON"),
        (["--write", "--format", "json"], "add --yes"),
        (["--kind", "requirement"], "no kind 'requirement' in this project"),
        (["--prefix", "REQ"], "no ID prefix 'REQ' in this project"),
        (["missing.c"], "missing.c: no such file or folder"),
        (["/"], "/: not inside the project"),
        (["docs"], "docs: no code or test file of the project there"),
    ],
)
def test_usage_errors_exit_2(root: Path, cli: Cli, args: list[str], message: str) -> None:
    run = cli("-C", str(root), "adopt", *args)
    assert run.code == 2
    assert message in run.err
