"""``medtrace check``: formats, exit codes, --strict, --output, configuration errors."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from collections.abc import Callable
from pathlib import Path

import pytest
from helpers import Run, run_subprocess, write_project

pytestmark = pytest.mark.verifies("SRS-14", "SRS-15")

Cli = Callable[..., Run]

CLEAN = {
    "docs/sys.yaml": "- {id: SYS-1, title: Record readings}\n",
    "docs/SRS-1.md": "---\ntype: data\nparents: [SYS-1]\n---\n# Store readings\n",
}
BROKEN = {**CLEAN, "docs/SRS-2.md": "---\ntype: data\nparents: [SYS-2]\n---\n# Dangling\n"}
WARNED = {**CLEAN, "docs/notes.md": "# Notes, not an item\n"}


def test_clean_project_exits_0(tmp_path: Path, cli: Cli) -> None:
    write_project(tmp_path, CLEAN, cls="A")
    run = cli("-C", str(tmp_path), "check")
    assert (run.code, run.err) == (0, "")
    assert run.out == "OK fixture (class A): 0 errors, 0 warnings in 2 items from 2 files\n"


def test_findings_exit_1(tmp_path: Path, cli: Cli) -> None:
    write_project(tmp_path, BROKEN, cls="A")
    run = cli("-C", str(tmp_path), "check")
    assert run.code == 1
    assert run.out.splitlines() == [
        "docs/SRS-2.md:3: error MT010 link-dangling: 'parents' of SRS-2 names SYS-2, which does "
        "not exist; expected the ID of an existing system-requirement or software-requirement",
        "    hint: Did you mean SYS-1?",
        "FAILED fixture (class A): 1 error, 0 warnings in 3 items from 3 files",
    ]


def test_warnings_pass_unless_strict(tmp_path: Path, cli: Cli) -> None:
    write_project(tmp_path, WARNED, cls="A")
    assert cli("-C", str(tmp_path), "check").code == 0
    strict = cli("-C", str(tmp_path), "check", "--strict")
    assert strict.code == 1
    assert "docs/notes.md:1: warning MT003 item-invalid" in strict.out
    assert strict.out.endswith(
        "FAILED fixture (class A): 0 errors, 1 warning in 2 items from 3 files\n"
    ), "the verdict says FAILED whenever the exit code does"
    relaxed = cli("-C", str(tmp_path), "check")
    assert relaxed.out.endswith(
        "OK fixture (class A): 0 errors, 1 warning in 2 items from 3 files\n"
    )


@pytest.mark.parametrize("fmt", ["json", "sarif", "github", "junit"])
def test_machine_formats_on_stdout(tmp_path: Path, cli: Cli, fmt: str) -> None:
    write_project(tmp_path, BROKEN, cls="A")
    run = cli("-C", str(tmp_path), "check", "--format", fmt)
    assert (run.code, run.err) == (1, "")
    if fmt in ("json", "sarif"):
        doc = json.loads(run.out)
        assert "MT010" in json.dumps(doc)
    elif fmt == "junit":
        assert ET.fromstring(run.out).get("failures") == "1"
    else:
        assert run.out.startswith("::error file=docs/SRS-2.md,line=3,title=MT010 link-dangling::")


def test_an_unknown_format(tmp_path: Path, cli: Cli) -> None:
    write_project(tmp_path, CLEAN, cls="A")
    run = cli("-C", str(tmp_path), "check", "--format", "pdf")
    assert run.code == 2
    assert "Invalid value for '--format'" in run.err
    assert "'pdf' is not one of 'github', 'json', 'junit', 'sarif', 'text'" in run.err


def test_output_file_has_no_markup(tmp_path: Path, cli: Cli) -> None:
    write_project(tmp_path, BROKEN, cls="A")
    out = tmp_path / "reports" / "check.txt"
    run = cli("-C", str(tmp_path), "check", "-o", str(out))
    assert (run.code, run.out) == (1, "")
    assert run.err == "FAILED fixture (class A): 1 error, 0 warnings in 3 items from 3 files\n"
    text = out.read_text()
    assert text.startswith("docs/SRS-2.md:3: error MT010 link-dangling: ")
    assert "[bold]" not in text and "[/]" not in text
    assert text.endswith("FAILED fixture (class A): 1 error, 0 warnings in 3 items from 3 files\n")


def test_output_file_in_another_format(tmp_path: Path, cli: Cli) -> None:
    write_project(tmp_path, CLEAN, cls="A")
    out = tmp_path / "check.sarif"
    assert cli("-C", str(tmp_path), "check", "--format", "sarif", "--output", str(out)).code == 0
    assert json.loads(out.read_text())["version"] == "2.1.0"


def test_no_cache(tmp_path: Path, cli: Cli) -> None:
    write_project(tmp_path, CLEAN, cls="A")
    assert cli("-C", str(tmp_path), "check", "--no-cache").code == 0
    assert not (tmp_path / ".medtrace").exists()


def test_a_configuration_error_exits_2_with_every_problem(tmp_path: Path, cli: Cli) -> None:
    write_project(tmp_path, {}, config='[project]\nclas = "B"\n\n[paths]\nitms = ["docs"]\n')
    run = cli("-C", str(tmp_path), "check")
    assert (run.code, run.out) == (2, "")
    assert run.err.splitlines() == [
        "medtrace.toml:1: error MT090 config-invalid: 'project.class' is missing; expected a "
        "value for 'project.class'",
        '    hint: Add [project] with class = "A", "B" or "C" (the software safety class).',
        "medtrace.toml:2: error MT090 config-invalid: unknown key 'project.clas'; expected one of "
        "the known keys",
        "    hint: Did you mean 'class'?",
        "medtrace.toml:5: error MT090 config-invalid: unknown key 'paths.itms'; expected one of "
        "the known keys",
        "    hint: Did you mean 'items'?",
        "medtrace: the configuration has 3 problems",
    ]


def test_no_configuration_exits_2(tmp_path: Path, cli: Cli) -> None:
    run = cli("-C", str(tmp_path), "check")
    assert run.code == 2
    assert run.err.startswith(
        "medtrace: error: no medtrace.toml (or [tool.medtrace] in pyproject.toml)"
    )
    assert "run 'medtrace init'" in run.err


def test_a_directory_that_does_not_exist(tmp_path: Path, cli: Cli) -> None:
    run = cli("-C", str(tmp_path / "nope"), "check")
    assert run.code == 2
    assert "no such directory" in run.err


def test_the_real_command_line(tmp_path: Path) -> None:
    write_project(tmp_path, BROKEN, cls="A")
    run = run_subprocess("check", cwd=tmp_path / "docs")
    assert run.code == 1
    assert run.err == ""
    assert run.out.splitlines()[0].startswith("docs/SRS-2.md:3: error MT010 link-dangling:")
    assert "\x1b[" not in run.out, "no colour when NO_COLOR is set and stdout is no terminal"


def test_the_real_command_line_on_a_bad_configuration(tmp_path: Path) -> None:
    write_project(tmp_path, {}, config="[project\n")
    run = run_subprocess("-C", str(tmp_path), "check")
    assert run.code == 2
    assert run.out == ""
    assert run.err.startswith("medtrace.toml:1: error MT090 config-invalid: invalid TOML")
    assert "Traceback" not in run.err


@pytest.mark.verifies("SRS-73")
@pytest.mark.parametrize("fmt", ["text", "json", "sarif", "github", "junit"])
def test_the_summary_line_shows_when_the_report_goes_to_a_file(
    tmp_path: Path, cli: Cli, fmt: str
) -> None:
    write_project(tmp_path, WARNED, cls="A")
    out = tmp_path / "report"
    run = cli("-C", str(tmp_path), "check", "--format", fmt, "--strict", "-o", str(out))
    assert (run.code, run.out) == (1, "")
    assert run.err == "FAILED fixture (class A): 0 errors, 1 warning in 2 items from 3 files\n"


@pytest.mark.verifies("SRS-73")
def test_strict_warnings_are_github_errors(tmp_path: Path, cli: Cli) -> None:
    write_project(tmp_path, WARNED, cls="A")
    relaxed = cli("-C", str(tmp_path), "check", "--format", "github").out.splitlines()
    strict = cli("-C", str(tmp_path), "check", "--format", "github", "--strict").out.splitlines()
    assert relaxed[0].startswith("::warning file=docs/notes.md,line=1,title=MT003 item-invalid::")
    assert strict[0].startswith("::error file=docs/notes.md,line=1,title=MT003 item-invalid::")
    assert (relaxed[-1][:2], strict[-1][:6]) == ("OK", "FAILED")


@pytest.mark.verifies("SRS-73")
def test_strict_warnings_are_junit_failures(tmp_path: Path, cli: Cli) -> None:
    write_project(tmp_path, WARNED, cls="A")
    relaxed = ET.fromstring(cli("-C", str(tmp_path), "check", "--format", "junit").out)
    strict = ET.fromstring(cli("-C", str(tmp_path), "check", "--format", "junit", "--strict").out)
    assert (relaxed.get("failures"), strict.get("failures")) == ("0", "1")
    assert strict.find("testsuite/testcase/failure") is not None


@pytest.mark.verifies("SRS-74")
def test_every_sarif_result_has_a_location(tmp_path: Path, cli: Cli) -> None:
    write_project(tmp_path, CLEAN, cls="A", config=CONFIG_WITH_RESULTS)
    run = cli("-C", str(tmp_path), "check", "--format", "sarif")
    results = json.loads(run.out)["runs"][0]["results"]
    assert results, run.out
    project_level = [r for r in results if r["ruleId"] == "MT121"]
    assert project_level, "results are configured but none exist: a project-level finding"
    for result in results:
        (location,) = result["locations"]
        assert location["physicalLocation"]["region"]["startLine"] >= 1
    uri = project_level[0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
    assert uri == "medtrace.toml"


@pytest.mark.verifies("SRS-76")
def test_a_file_name_cannot_forge_a_finding(tmp_path: Path, cli: Cli) -> None:
    forged = "x.md:12: error MT000 fake\nOK fixture (class A): 0 errors\x1b[2K"
    write_project(tmp_path, {**CLEAN, f"docs/{forged}.md": "# Not an item\n"}, cls="A")
    run = cli("-C", str(tmp_path), "check")
    lines = run.out.splitlines()
    assert lines[0].startswith(
        "docs/x.md:12: error MT000 fake\\nOK fixture (class A): 0 errors\\x1b[2K.md:1: warning"
    )
    assert lines[1].startswith("    hint: ")
    assert len(lines) == 3 and lines[2].startswith("OK fixture (class A): 0 errors, 1 warning")
    assert "\x1b" not in run.out
    github = cli("-C", str(tmp_path), "check", "--format", "github").out.splitlines()
    assert len(github) == 2
    assert github[0].startswith("::warning file=docs/x.md%3A12%3A error MT000 fake%0AOK ")
    assert "\x1b" not in github[0] and "\\x1b[2K" in github[0]
    junit = cli("-C", str(tmp_path), "check", "--format", "junit").out
    assert "\x1b" not in junit and "\\x1b[2K" in junit
    case = ET.fromstring(junit).find("testsuite/testcase")
    assert case is not None and "\n" not in (case.get("name") or "")


CONFIG_WITH_RESULTS = """\
[project]
name = "fixture"
class = "A"

[paths]
items = ["docs"]
results = ["build/*.xml"]
"""


@pytest.mark.verifies("SRS-66")
def test_a_long_report_is_printed_in_batches_with_the_same_text(
    tmp_path: Path, cli: Cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    entries = "".join(f"- id: SYS-{n}\n  title: t\n  odd: 1\n" for n in range(1, 1_501))
    write_project(tmp_path, {"docs/many.yaml": entries}, cls="A")
    from rich.console import Console

    sizes: list[int] = []
    real = Console.print

    def counted(self: Console, *objects: object, **kwargs: object) -> None:
        sizes.append(sum(str(o).count("\n") + 1 for o in objects))
        real(self, *objects, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(Console, "print", counted)
    run = cli("-C", str(tmp_path), "check")
    lines = run.out.splitlines()
    assert run.code == 1 and len(lines) == 2 * 1_500 + 1
    assert lines[0] == (
        "docs/many.yaml:3: error MT007 field-unknown: unknown field 'odd' on system-requirement "
        "SYS-1; expected one of notes, parents, rationale, status, text, title, verification, "
        "verification_record"
    )
    assert (
        lines[-1] == "FAILED fixture (class A): 1500 errors, 0 warnings in 1500 items from 1 file"
    )
    assert sizes == [1000, 1000, 1000, 1], "rich never renders the whole report as one string"
