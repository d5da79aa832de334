"""File names in reports map to exactly one project file, or to nothing with the reason."""

from __future__ import annotations

from pathlib import Path

import pytest

from medtrace.evidence.paths import Mapped, PathMapper, uri_path

pytestmark = pytest.mark.verifies("SRS-128")


@pytest.fixture
def root(tmp_path: Path) -> Path:
    project = tmp_path / "project"
    for rel in [
        "app/src/alarms.ts",
        "firmware/src/a.c",
        "cloud/src/pkg/calc.py",
        "lib1/src/index.ts",
        "lib2/src/index.ts",
        "node_modules/dep/src/alarms2.ts",
        "build/coverage/report.xml",
    ]:
        (project / rel).parent.mkdir(parents=True, exist_ok=True)
        (project / rel).write_text("x\n", encoding="utf-8")
    (tmp_path / "elsewhere").mkdir()
    (tmp_path / "elsewhere/calc.py").write_text("x\n", encoding="utf-8")
    return project


@pytest.mark.parametrize(
    ("name", "bases", "expected"),
    [
        # relative to the project root, to a root the report gives, to the report's folder
        ("firmware/src/a.c", (), "firmware/src/a.c"),
        ("pkg/calc.py", ("{root}/cloud/src",), "cloud/src/pkg/calc.py"),
        ("report.xml", (), "build/coverage/report.xml"),
        # absolute, inside the project
        ("{root}/app/src/alarms.ts", (), "app/src/alarms.ts"),
        ("{root}/app/../app/src/alarms.ts", (), "app/src/alarms.ts"),
        # another machine's checkout, Windows too: by the trailing segments
        ("/home/runner/work/x/firmware/src/a.c", (), "firmware/src/a.c"),
        ("C:\\\\ci\\\\x\\\\firmware\\\\src\\\\a.c", (), "firmware/src/a.c"),
        ("pkg/calc.py", ("/ci/checkout/cloud/src",), "cloud/src/pkg/calc.py"),
        # relative to a package folder (jest's lcov)
        ("src/alarms.ts", (), "app/src/alarms.ts"),
    ],
)
def test_names_that_map(root: Path, name: str, bases: tuple[str, ...], expected: str) -> None:
    mapper = PathMapper(root)
    fill = {"root": str(root)}
    mapped = mapper.map(
        name.format(**fill).replace("\\\\", "\\"),
        tuple(b.format(**fill) for b in bases),
        "build/coverage/report.xml",
    )
    assert mapped == Mapped(expected)


@pytest.mark.parametrize(
    ("name", "reason"),
    [
        ("src/index.ts", "ambiguous: it could be lib1/src/index.ts or lib2/src/index.ts"),
        ("{outside}/calc.py", "a file outside the project"),
        ("/nowhere/include/stdio.h", "no such file in the project"),
        ("calc.py", "no such file in the project"),  # one segment is too weak
        ("dep/src/alarms2.ts", "no such file in the project"),  # node_modules is not searched
        ("", "an empty file name"),
    ],
)
def test_names_that_do_not_map_say_why(root: Path, name: str, reason: str) -> None:
    mapped = PathMapper(root).map(name.format(outside=root.parent / "elsewhere"))
    assert mapped == Mapped(None, reason)


def test_two_roots_holding_the_name_are_ambiguous(root: Path) -> None:
    (root / "firmware/a.c").write_text("y\n", encoding="utf-8")
    mapped = PathMapper(root).map("a.c", (f"{root}/firmware", f"{root}/firmware/src"))
    assert mapped == Mapped(None, "ambiguous: it could be firmware/a.c or firmware/src/a.c")


def test_a_link_out_of_the_project_is_outside(root: Path) -> None:
    (root / "linked.py").symlink_to(root.parent / "elsewhere/calc.py")
    assert PathMapper(root).map("linked.py") == Mapped(None, "a file outside the project")


@pytest.mark.parametrize(
    ("uri", "path"),
    [
        ("file:///tmp/a%20b.c", "/tmp/a b.c"),
        ("file:///C:/src/a.c", "C:/src/a.c"),
        ("src/a%2Bb.c", "src/a+b.c"),
        ("https://example.org/a.c", "https://example.org/a.c"),
    ],
)
def test_uri_path(uri: str, path: str) -> None:
    assert uri_path(uri) == path


def test_a_uri_that_is_not_one_stays_as_written() -> None:
    assert uri_path("file://[abc/x.c") == "file://[abc/x.c"
