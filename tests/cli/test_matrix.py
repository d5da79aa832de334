"""``medtrace matrix`` end to end: a real project, real pytest results, every format read back
with a real reader."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import lxml.html
import openpyxl
import pytest

from medtrace import __version__
from medtrace.cli import main

pytestmark = pytest.mark.verifies("SRS-23")

CONFIG = """\
[project]
name = "Bolus Advisor"
class = "C"

[paths]
items = ["docs/items"]
sources = ["src/**/*.py"]
tests = ["tests/**/*.py"]
results = ["build/results/*.xml"]
"""

ITEMS = """\
items:
  - id: SYS-1
    title: Deliver insulin safely
  - id: SRS-1
    title: Refuse <script>alert(1)</script> | doses above the maximum
    type: functional
    parents: [SYS-1]
    item: advisor
    controls: [RISK-1]
    control_type: protective
  - id: SRS-2
    title: Round doses down
    type: functional
    parents: [SYS-1]
    item: advisor
  - id: SRS-3
    title: Show the dose
    type: usability
    parents: [SYS-1]
    item: display
  - id: RISK-1
    title: Overdose
    hazard: Too much insulin
    harm: Hypoglycaemia
    severity: critical
    probability: probable
    residual_severity: critical
    residual_probability: improbable
    item: advisor
  - id: advisor
    kind: software-item
    title: Bolus advisor
    class: C
    paths: ["src/advisor/**"]
  - id: display
    kind: software-item
    title: Display
    class: B
    paths: ["src/display/**"]
"""

SOURCE = '''\
MAX = 10


def max_dose(units):
    # @implements SRS-1
    return min(units, MAX)


def round_down(units):
    """@implements SRS-2"""
    return int(units)
'''

TESTS = '''\
from advisor.dose import max_dose, round_down


def test_refuses_large_dose():
    """@verifies SRS-1"""
    assert max_dose(25) == 10


def test_rounds_down():
    """@verifies SRS-2"""
    assert round_down(2.7) == 3
'''


def write(root: Path, files: dict[str, str]) -> Path:
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root


def run_pytest(root: Path) -> None:
    """Run the project's tests for real, writing JUnit XML where the config reads results."""
    command = [sys.executable, "-m", "pytest", "tests", "-q", "-p", "no:cacheprovider"]
    command += ["--junitxml", "build/results/junit.xml"]
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST_")}
    done = subprocess.run(command, cwd=root, capture_output=True, text=True, env=env, timeout=120)
    assert (root / "build/results/junit.xml").is_file(), done.stdout + done.stderr
    assert "1 failed, 1 passed" in done.stdout, done.stdout


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("project")
    write(
        root,
        {
            "medtrace.toml": CONFIG,
            "pytest.ini": "[pytest]\npythonpath = src\n",
            "docs/items/items.yaml": ITEMS,
            "src/advisor/__init__.py": "",
            "src/advisor/dose.py": SOURCE,
            "tests/test_dose.py": TESTS,
        },
    )
    run_pytest(root)
    return root


def matrix(project: Path, *args: str) -> int:
    return main(["-C", str(project), "matrix", *args])


def output(capsys: pytest.CaptureFixture[str], project: Path, *args: str) -> str:
    assert matrix(project, *args) == 0
    return capsys.readouterr().out


# --- every format, read back --------------------------------------------------------------------


def test_markdown_to_stdout_shows_code_tests_and_results(
    capsys: pytest.CaptureFixture[str], project: Path
) -> None:
    text = output(capsys, project)
    srs1 = next(line for line in text.splitlines() if line.startswith("| SRS-1 |"))
    assert "&lt;script&gt;" in srs1 and "<script>" not in text
    assert "src/advisor/dose.py:4 max\\_dose" in srs1
    assert "tests/test\\_dose.py:4 test\\_refuses\\_large\\_dose" in srs1
    assert "test\\_refuses\\_large\\_dose: passed" in srs1 and srs1.endswith("| verified |")
    srs2 = next(line for line in text.splitlines() if line.startswith("| SRS-2 |"))
    assert "test\\_rounds\\_down: failed" in srs2 and srs2.endswith("| failing |")
    assert "## Code (backward)" in text and "## Tests (backward)" in text


def test_csv_to_stdout_is_the_forward_view(
    capsys: pytest.CaptureFixture[str], project: Path
) -> None:
    rows = list(csv.reader(io.StringIO(output(capsys, project, "--format", "csv"), newline="")))
    header, *body = rows
    assert header[:2] == ["ID", "Title"] and header[-1] == "Status"
    by_id = {row[0]: dict(zip(header, row, strict=True)) for row in body}
    assert set(by_id) == {"SRS-1", "SRS-2", "SRS-3"}
    srs1 = by_id["SRS-1"]
    assert srs1["Title"] == "Refuse <script>alert(1)</script> | doses above the maximum"
    assert srs1["Code"] == "src/advisor/dose.py:4 max_dose"
    assert srs1["Tests"] == "tests/test_dose.py:4 test_refuses_large_dose"
    assert srs1["Results"] == "1 passed\ntest_refuses_large_dose: passed"
    assert srs1["Risks controlled"] == "RISK-1 Overdose (protective)"
    assert srs1["Software item"] == "advisor (class C)"
    assert by_id["SRS-3"]["Status"] == "untested"


def test_csv_one_file_per_view_in_a_directory(
    capsys: pytest.CaptureFixture[str], project: Path, tmp_path: Path
) -> None:
    out = output(capsys, project, "--format", "csv", "-o", f"{tmp_path}/csv/")
    names = ["requirements", "system-requirements", "risks", "tests", "code"]
    assert sorted(p.name for p in (tmp_path / "csv").iterdir()) == sorted(f"{n}.csv" for n in names)
    assert out.count("wrote ") == 5
    with (tmp_path / "csv" / "tests.csv").open(newline="", encoding="utf-8") as fh:
        header, *rows = list(csv.reader(fh))
    assert header == ["Test", "Location", "Level", "Verifies", "Parents", "Results", "Message"]
    failed = next(r for r in rows if r[0] == "test_rounds_down")
    assert failed[1:4] == ["tests/test_dose.py:9", "unit", "SRS-2 Round doses down"]
    assert failed[5] == "failed" and "assert 2 == 3" in failed[6]
    with (tmp_path / "csv" / "code.csv").open(newline="", encoding="utf-8") as fh:
        code = list(csv.reader(fh))
    assert code[1] == ["src/advisor/dose.py:4 max_dose", "SRS-1", "advisor (class C)"]


def test_csv_single_view_to_a_file(
    capsys: pytest.CaptureFixture[str], project: Path, tmp_path: Path
) -> None:
    target = tmp_path / "risks.csv"
    output(capsys, project, "--format", "csv", "--view", "risk", "-o", str(target))
    with target.open(newline="", encoding="utf-8") as fh:
        header, row = list(csv.reader(fh))
    risk = dict(zip(header, row, strict=True))
    assert risk["ID"] == "RISK-1" and risk["Initial risk"] == "critical × probable"
    assert risk["Initial acceptability"] == "unacceptable"
    assert risk["Residual acceptability"] == "acceptable"
    assert risk["Control requirements"].startswith("SRS-1 Refuse")
    assert risk["Status"] == "verified"


def test_json(capsys: pytest.CaptureFixture[str], project: Path, tmp_path: Path) -> None:
    target = tmp_path / "matrix.json"
    output(capsys, project, "--format", "json", "-o", str(target))
    doc = json.loads(target.read_text(encoding="utf-8"))
    assert doc["project"] == "Bolus Advisor" and doc["class"] == "C"
    assert [v["name"] for v in doc["views"]] == [
        "requirements",
        "system-requirements",
        "risks",
        "tests",
        "code",
    ]
    items = {i["id"]: i for i in doc["trace"]["items"]}
    assert items["SRS-1"]["status"] == "verified"
    assert items["SRS-1"]["code"][0]["path"] == "src/advisor/dose.py"
    tests = {t["name"]: t for t in doc["trace"]["tests"]}
    assert tests["test_rounds_down"]["outcome"] == "failed"
    assert tests["test_rounds_down"]["results"][0]["source"] == "build/results/junit.xml"
    assert "assert 2 == 3" in tests["test_rounds_down"]["results"][0]["message"]


def test_html(capsys: pytest.CaptureFixture[str], project: Path, tmp_path: Path) -> None:
    target = tmp_path / "matrix.html"
    output(capsys, project, "--format", "html", "-o", str(target))
    root = lxml.html.document_fromstring(target.read_text(encoding="utf-8"))
    assert isinstance(root, lxml.html.HtmlElement)
    row = root.get_element_by_id("SRS-1")
    assert "Refuse <script>alert(1)</script> | doses" in row.text_content()
    assert len(strings(root, "//script")) == 1  # the page's own, nothing injected
    assert "src/advisor/dose.py:4 max_dose" in row.text_content()
    assert "#RISK-1" in strings(row, ".//a/@href")
    assert root.get_element_by_id("RISK-1") is not None
    assert strings(root, "//input[@id='filter']")
    for value in strings(root, "//@src | //@href"):
        assert not value.startswith(("http:", "https:", "//")), value


def strings(element: lxml.html.HtmlElement, path: str) -> list[str]:
    """The XPath's results, as strings (elements by their text)."""
    found = element.xpath(path)
    assert isinstance(found, list)
    return [str(v) for v in found]


def test_xlsx(capsys: pytest.CaptureFixture[str], project: Path, tmp_path: Path) -> None:
    target = tmp_path / "matrix.xlsx"
    assert f"wrote {target}" in output(capsys, project, "--format", "xlsx", "-o", str(target))
    book = openpyxl.load_workbook(target)
    assert book.sheetnames == ["Requirements", "System requirements", "Risks", "Tests", "Code"]
    sheet = book["Requirements"]
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == "A1:L4"
    assert all(cell.font.b for cell in sheet[1])
    assert sheet.column_dimensions["H"].width >= len("src/advisor/dose.py:4 max_dose")
    values = [cell.value for cell in sheet[2]]
    assert values[0] == "SRS-1" and "src/advisor/dose.py:4 max_dose" in values
    assert sheet["F2"].hyperlink.location == "'Risks'!A2"


# --- options and exit codes ----------------------------------------------------------------------


def test_kind_and_item(capsys: pytest.CaptureFixture[str], project: Path) -> None:
    text = output(capsys, project, "--kind", "software-requirement", "--item", "display")
    assert "| SRS-3 |" in text and "| SRS-1 |" not in text
    assert "## Risks" not in text and "## Tests" not in text


def test_usage_errors_exit_2(capsys: pytest.CaptureFixture[str], project: Path) -> None:
    assert matrix(project, "--format", "xlsx") == 2
    assert "give it with -o" in capsys.readouterr().err
    assert matrix(project, "--item", "advisr") == 2
    assert "did you mean advisor" in capsys.readouterr().err
    assert matrix(project, "--kind", "nope") == 2
    assert matrix(project, "--format", "pdf") == 2
    assert matrix(project, "--kind", "tests", "--view", "risks") == 2


# --- overwriting ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("fmt", "name"),
    [
        ("markdown", "m.md"),
        ("html", "m.html"),
        ("json", "m.json"),
        ("xlsx", "m.xlsx"),
        ("csv", "m.csv"),
    ],
)
def test_replaces_its_own_output_only(
    capsys: pytest.CaptureFixture[str], project: Path, tmp_path: Path, fmt: str, name: str
) -> None:
    target = tmp_path / name
    output(capsys, project, "--format", fmt, "-o", str(target))
    output(capsys, project, "--format", fmt, "-o", str(target))  # its own: replaced
    foreign = tmp_path / f"foreign-{name}"
    foreign.write_bytes(b"a user's own file\n")
    assert matrix(project, "--format", fmt, "-o", str(foreign)) == 2
    assert "not written by medtrace" in capsys.readouterr().err
    assert foreign.read_bytes() == b"a user's own file\n"
    output(capsys, project, "--format", fmt, "-o", str(foreign), "--force")
    assert foreign.read_bytes() != b"a user's own file\n"


def test_an_edited_csv_is_no_longer_medtrace_output(
    capsys: pytest.CaptureFixture[str], project: Path, tmp_path: Path
) -> None:
    target = tmp_path / "edited.csv"
    output(capsys, project, "--format", "csv", "-o", str(target))
    target.write_text(target.read_text(encoding="utf-8") + "my note\n", encoding="utf-8")
    assert matrix(project, "--format", "csv", "-o", str(target)) == 2
    assert target.read_text(encoding="utf-8").endswith("my note\n")


def test_refuses_a_directory_as_a_file(
    capsys: pytest.CaptureFixture[str], project: Path, tmp_path: Path
) -> None:
    (tmp_path / "out" / "matrix.md").mkdir(parents=True)
    assert matrix(project, "-o", f"{tmp_path}/out/") == 2
    assert "is a directory" in capsys.readouterr().err


def test_a_file_mentioning_the_marker_further_down_is_not_ours(
    capsys: pytest.CaptureFixture[str], project: Path, tmp_path: Path
) -> None:
    notes = tmp_path / "notes.md"
    notes.write_text("# My notes\n\n" + "text " * 100 + "\ngenerated by medtrace\n")
    assert matrix(project, "-o", str(notes)) == 2
    assert notes.read_text().startswith("# My notes")


def test_an_unwritable_target_is_a_usage_error(
    capsys: pytest.CaptureFixture[str], project: Path, tmp_path: Path
) -> None:
    (tmp_path / "file").write_text("x")
    assert matrix(project, "-o", str(tmp_path / "file" / "m.md")) == 2
    assert "cannot write" in capsys.readouterr().err


def test_a_problem_in_the_project_is_noted_not_fatal(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    broken = ITEMS.replace(
        "parents: [SYS-1]\n    item: display", "parents: [SYS-404]\n    item: display"
    )
    root = write(tmp_path, {"medtrace.toml": CONFIG, "docs/items/items.yaml": broken})
    assert main(["-C", str(root), "matrix", "--kind", "srs", "--kind", "sys"]) == 0
    captured = capsys.readouterr()
    assert "SYS-404 (missing)" in captured.out
    assert "## Risks" not in captured.out and "## System requirements" in captured.out
    assert "run 'medtrace check'" in captured.err


def test_gaps_do_not_fail_the_command(project: Path, tmp_path: Path) -> None:
    # SRS-2's test fails and SRS-3 has none: the matrix shows it, 'check' judges it
    assert matrix(project, "-o", str(tmp_path / "m.md")) == 0


# --- a fixed project, compared with the expected Markdown ------------------------------------------

JUNIT = """\
<?xml version="1.0" encoding="utf-8"?>
<testsuites><testsuite name="pytest" errors="0" failures="1" skipped="0" tests="2">
<testcase classname="tests.test_dose" name="test_refuses_large_dose" time="0.001" />
<testcase classname="tests.test_dose" name="test_rounds_down" time="0.001">
<failure message="assert 2 == 3">assert 2 == 3</failure></testcase>
</testsuite></testsuites>
"""

EXPECTED = textwrap.dedent(
    """\
    <!-- generated by medtrace {version}: traceability matrix; edit the items, not this file -->
    # Traceability matrix: Bolus Advisor

    Software safety class C.

    ## Software requirements (forward)

    | ID | Title | Type | Parents | Children | Risks controlled | Software item | Code | Tests | Results | Manual tests | Status |
    |---|---|---|---|---|---|---|---|---|---|---|---|
    | SRS-1 | Refuse &lt;script&gt;alert(1)&lt;/script&gt; \\| doses above the maximum | functional | SYS-1 Deliver insulin safely |  | RISK-1 Overdose (protective) | advisor (class C) | src/advisor/dose.py:4 max\\_dose | tests/test\\_dose.py:4 test\\_refuses\\_large\\_dose | 1 passed<br>test\\_refuses\\_large\\_dose: passed |  | verified |
    | SRS-2 | Round doses down | functional | SYS-1 Deliver insulin safely |  |  | advisor (class C) | src/advisor/dose.py:9 round\\_down | tests/test\\_dose.py:9 test\\_rounds\\_down | 1 failed<br>test\\_rounds\\_down: failed |  | failing |
    | SRS-3 | Show the dose | usability | SYS-1 Deliver insulin safely |  |  | display (class B) |  |  |  |  | untested |

    ## System requirements (forward)

    | ID | Title | Parents | Children | Code | Tests | Results | Manual tests | Status |
    |---|---|---|---|---|---|---|---|---|
    | SYS-1 | Deliver insulin safely |  | SRS-1 Refuse &lt;script&gt;alert(1)&lt;/script&gt; \\| doses above the maximum<br>SRS-2 Round doses down<br>SRS-3 Show the dose |  |  |  |  | failing |

    ## Risks and their controls

    | ID | Title | Hazard | Harm | Initial risk | Initial acceptability | Control requirements | Tests | Results | Status | Residual risk | Residual acceptability |
    |---|---|---|---|---|---|---|---|---|---|---|---|
    | RISK-1 | Overdose | Too much insulin | Hypoglycaemia | critical × probable | unacceptable | SRS-1 Refuse &lt;script&gt;alert(1)&lt;/script&gt; \\| doses above the maximum (protective) | tests/test\\_dose.py:4 test\\_refuses\\_large\\_dose | 1 passed<br>test\\_refuses\\_large\\_dose: passed | verified | critical × improbable | acceptable |

    ## Tests (backward)

    | Test | Location | Level | Verifies | Parents | Results | Message |
    |---|---|---|---|---|---|---|
    | test\\_refuses\\_large\\_dose | tests/test\\_dose.py:4 | unit | SRS-1 Refuse &lt;script&gt;alert(1)&lt;/script&gt; \\| doses above the maximum | SYS-1 | passed |  |
    | test\\_rounds\\_down | tests/test\\_dose.py:9 | unit | SRS-2 Round doses down | SYS-1 | failed | assert 2 == 3 |

    ## Code (backward)

    | Location | Implements | Software item |
    |---|---|---|
    | src/advisor/dose.py:4 max\\_dose | SRS-1 | advisor (class C) |
    | src/advisor/dose.py:9 round\\_down | SRS-2 | advisor (class C) |
    """
).replace("{version}", __version__)


def test_fixed_project_gives_the_expected_markdown(tmp_path: Path) -> None:
    root = write(
        tmp_path,
        {
            "medtrace.toml": CONFIG,
            "docs/items/items.yaml": ITEMS,
            "src/advisor/dose.py": SOURCE,
            "tests/test_dose.py": TESTS,
            "build/results/junit.xml": JUNIT,
        },
    )
    for path in (root / "src/advisor/dose.py", root / "tests/test_dose.py"):
        os.utime(path, (1_000_000_000, 1_000_000_000))  # older than the results: not stale
    target = tmp_path / "matrix.md"
    assert main(["-C", str(root), "matrix", "--no-cache", "-o", str(target)]) == 0
    assert target.read_text(encoding="utf-8") == EXPECTED
