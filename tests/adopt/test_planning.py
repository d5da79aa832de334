"""Detection and placement: the tags proposed, their owners, and what is never converted."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path

import pytest

from medtrace.adopt import planning as planning_module
from medtrace.adopt import write_plans
from medtrace.scanning import scan
from medtrace.scanning.scanner import FileScan

from .conftest import adopt_plan
from .samples import SAMPLES

pytestmark = pytest.mark.verifies("SRS-80", "SRS-85")

Project = Callable[[Mapping[str, str | bytes]], Path]


@pytest.mark.parametrize("language", sorted(SAMPLES))
def test_every_language(project: Project, language: str) -> None:
    name, content, symbol = SAMPLES[language]
    root = project({f"src/{name}": content})
    adoption = adopt_plan(root)
    tags = [(p.verb, p.ids, p.symbol) for p in adoption.proposals]
    assert tags == [("implements", ("SRS-1",), symbol), ("implements", ("RISK-1",), symbol)]
    assert write_plans(adoption.changed, root) == []
    after = (root / "src" / name).read_text()
    assert after.count("SRS-2") == 1  # the string of code is untouched
    old_lines, new_lines = content.splitlines(), after.splitlines()
    changed = [i + 1 for i, (a, b) in enumerate(zip(old_lines, new_lines, strict=True)) if a != b]
    assert changed == [p.line for p in adoption.proposals]
    # the scanner attributes the written tags exactly as adopt said
    scanned = scan(root, ["src"], ["tests"])
    assert [(t.verb, t.ids, t.symbol, t.line) for t in scanned.tags] == [
        (p.verb, p.ids, p.symbol, p.line) for p in adoption.proposals
    ]
    assert not [d for d in scanned.diagnostics if d.code == "MT107"]
    assert adopt_plan(root).proposals == []  # a second run finds nothing


def test_test_files_get_verifies(project: Project) -> None:
    root = project(
        {
            "tests/test_limit.py": 'def test_limit():\n    """Checks SRS-1 and SRS-2."""\n',
            "tests/limit.test.ts": "// covers SRS-3\ntest('alarm', () => {});\n",
        }
    )
    tags = [(p.path, p.tag, p.symbol) for p in adopt_plan(root).proposals]
    assert tags == [
        ("tests/limit.test.ts", "@verifies SRS-3", "alarm"),
        ("tests/test_limit.py", "@verifies SRS-1, SRS-2", "test_limit"),
    ]


@pytest.mark.verifies("SRS-82")
def test_several_ids_and_repeats_give_one_tag_each(project: Project) -> None:
    root = project(
        {
            "src/a.c": "/*\n * SRS-1, SRS-2 here,\n * and SRS-1 again, then SRS-3.\n */\n"
            "int f(void) { return 0; }\n"
        }
    )
    adoption = adopt_plan(root)
    assert [(p.line, p.ids) for p in adoption.proposals] == [
        (2, ("SRS-1", "SRS-2")),
        (3, ("SRS-3",)),
    ]
    assert adoption.proposals[1].after == " * and SRS-1 again, then SRS-3. @implements SRS-3"
    assert adoption.already == 1


def test_no_duplicate_tag_for_a_symbol_that_has_one(project: Project) -> None:
    root = project(
        {
            "src/a.c": "// SRS-1: limit\n// @implements SRS-1\nint f(void) {\n"
            "    return 0; // SRS-1 again, and SRS-2\n}\n"
            "/* SRS-1 */ /* @implements SRS-1 */\nint g(void) { return 0; }\n",
            "tests/test_a.py": "import pytest\n\n\n@pytest.mark.verifies('SRS-1')\n"
            'def test_a():\n    """Checks SRS-1."""\n',
        }
    )
    adoption = adopt_plan(root)
    assert [(p.path, p.line, p.ids) for p in adoption.proposals] == [("src/a.c", 4, ("SRS-2",))]
    assert adoption.already == 4


def test_owner_is_the_scanners_for_trailing_and_nested_comments(project: Project) -> None:
    root = project(
        {
            "src/m.py": "class Pump:\n    # SRS-1 before the method\n    def run(self):\n"
            "        return 1  # SRS-2 in the body\n\n\n# SRS-3 at the end of the file\n",
        }
    )
    owners = [(p.ids[0], p.symbol, p.symbol_line) for p in adopt_plan(root).proposals]
    assert owners == [("SRS-1", "Pump.run", 3), ("SRS-2", "Pump.run", 3), ("SRS-3", None, None)]


@pytest.mark.verifies("SRS-82")
def test_unknown_ids_are_listed_never_converted(project: Project) -> None:
    root = project({"src/a.c": "// SRS-4 and SRS-1\nint f(void) { return 0; }\n"})
    adoption = adopt_plan(root)
    assert [(u.path, u.line, u.id, u.closest) for u in adoption.unknown] == [
        ("src/a.c", 1, "SRS-4", "SRS-3")
    ]
    assert [p.ids for p in adoption.proposals] == [("SRS-1",)]


@pytest.mark.verifies("SRS-82")
def test_quoted_ids_are_reported_not_converted(project: Project) -> None:
    root = project({"src/a.py": 'def f():\n    """Tag it as `@implements SRS-1`."""\n'})
    adoption = adopt_plan(root)
    assert adoption.proposals == []
    assert [(r.line, r.ids) for r in adoption.refused] == [(2, ("SRS-1",))]
    assert adoption.refused[0].reason.startswith("quoted")


@pytest.mark.verifies("SRS-84")
def test_paths_and_kinds_restrict(project: Project) -> None:
    files = {
        "src/a/x.c": "// SRS-1 and RISK-1\nint f(void) { return 0; }\n",
        "src/b/y.c": "// SRS-2\nint g(void) { return 0; }\n",
    }
    root = project(files)
    assert {p.path for p in adopt_plan(root, only=["src/a"]).proposals} == {"src/a/x.c"}
    only_risks = adopt_plan(root, kinds=["risk"])
    assert [p.ids for p in only_risks.proposals] == [("RISK-1",)]
    assert only_risks.kinds == ("risk",)


def test_a_tag_the_scanner_would_not_read_is_refused(
    project: Project, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = project({"src/a.c": "// SRS-1\nint f(void) { return 0; }\n"})
    monkeypatch.setattr(planning_module, "analyze", lambda *a: FileScan("c", False))
    adoption = adopt_plan(root)
    assert adoption.proposals == []
    assert [(r.line, r.ids) for r in adoption.refused] == [(1, ("SRS-1",))]
    assert "scanner" in adoption.refused[0].reason


def test_files_that_cannot_be_read_are_reported(project: Project) -> None:
    root = project({"src/data.bin": b"\0\0SRS-1", "src/notes.txt": "SRS-1"})
    adoption = adopt_plan(root)
    assert sorted((d.path, d.code) for d in adoption.diagnostics) == [
        ("src/data.bin", "MT109"),
        ("src/notes.txt", "MT109"),
    ]


def test_files_without_ids_are_not_parsed(
    project: Project, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = project({"src/a.c": "int f(void) { return 0; }\n"})
    monkeypatch.setattr(planning_module, "comments_of", None)  # would fail if called
    adoption = adopt_plan(root)
    assert (adoption.read, adoption.files) == (1, [])


def test_a_parser_failure_costs_one_file_reported(
    project: Project, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = project({"src/a.c": "// SRS-1\nint f(void) { return 0; }\n", "src/b.py": "# SRS-2\n"})

    def broken(language: str, *args: object) -> object:
        if language == "c":
            raise RuntimeError("parser crashed")
        return original(language, *args)

    original = planning_module.comments_of
    monkeypatch.setattr(planning_module, "comments_of", broken)
    adoption = adopt_plan(root)
    assert [p.path for p in adoption.proposals] == ["src/b.py"]
    assert [(d.path, d.code, d.found) for d in adoption.diagnostics] == [
        (
            "src/a.c",
            "MT109",
            "not scanned for tags: its comments could not be read (RuntimeError: parser crashed)",
        )
    ]


def test_a_line_ending_in_a_backslash_is_never_extended(project: Project) -> None:
    # in C, `// ... \` continues the comment on the next line: text after it would uncomment code
    content = "// SRS-1 continues \\\nint hidden;\nint f(void) { return 0; }\n"
    root = project({"src/a.c": content})
    adoption = adopt_plan(root)
    assert adoption.proposals == []
    assert [(r.line, r.ids, r.reason) for r in adoption.refused] == [
        (1, ("SRS-1",), "the comment line ends with a backslash (a line continuation)")
    ]


def test_an_edit_reaching_outside_the_comments_is_withdrawn(
    project: Project, monkeypatch: pytest.MonkeyPatch
) -> None:
    # with the backslash check gone, the tag would uncomment `int hidden;`: the comparison of
    # the code before and after (comments blanked) still refuses the whole file
    content = "// SRS-1 continues \\\nint hidden;\n// SRS-2\nint f(void) { return 0; }\n"
    root = project({"src/a.c": content})
    monkeypatch.setattr(planning_module, "continued", lambda text, point: False)
    adoption = adopt_plan(root)
    assert adoption.proposals == []
    assert [(r.line, r.ids, r.reason) for r in adoption.refused] == [
        (1, ("SRS-1",), "the change would reach outside the comments"),
        (3, ("SRS-2",), "the change would reach outside the comments"),
    ]
    assert not adoption.changed


@pytest.mark.parametrize(
    "line",
    ["//go:generate stringer -type=Pump -linecomment SRS-1", "//export LimitSRS SRS-1"],
)
def test_directive_comments_are_never_extended(project: Project, line: str) -> None:
    root = project({"src/pump.go": f"package pump\n\n{line}\nfunc Limit() {{}}\n"})
    adoption = adopt_plan(root)
    assert adoption.proposals == []
    assert [(r.line, r.reason) for r in adoption.refused] == [
        (3, "a directive comment (text added to it would change what it does)")
    ]
