"""Finding, reading and mapping every report of a project: the example's real reports, and
projects with missing, unknown, empty and unmappable ones."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from medtrace.evidence import load_evidence
from medtrace.evidence.model import ReportData

pytestmark = pytest.mark.verifies("SRS-120", "SRS-127", "SRS-128", "SRS-129")

SAMPLES = Path(__file__).parent / "samples"
EXAMPLE = Path(__file__).parents[2] / "examples" / "bolus-advisor"


def test_the_samples_map_onto_a_copy_of_the_example(tmp_path: Path) -> None:
    """The samples were made in another copy of the example: every file name maps to this
    copy's own file, by the report's root or by the trailing segments (reports are read inside
    the project only: the samples are copied in)."""
    root = tmp_path / "example"
    skip = shutil.ignore_patterns("node_modules", "build", "__pycache__", ".medtrace")
    shutil.copytree(EXAMPLE, root, ignore=skip)
    shutil.copytree(SAMPLES, root / "samples")
    relative = Path("samples")
    evidence = load_evidence(
        root,
        [str(relative / "*.xml"), str(relative / "*.info"), str(relative / "*.json*")],
        [str(relative / "*.sarif")],
    )
    assert evidence.diagnostics == []
    assert sorted(r.format for r in evidence.reports) == [
        "cobertura",
        "cobertura",
        "gcc-json",
        "gcov-json",
        "gcovr-json",
        "lcov",
        "sarif",
    ]
    assert sorted(evidence.coverage) == sorted(
        [
            f"app/src/{n}.ts"
            for n in ("alarms", "confirmation", "pumpCommand", "units", "validation")
        ]
        + [
            f"cloud/src/bolus_cloud/{n}.py"
            for n in ("__init__", "api", "audit", "calculator", "iob", "validation")
        ]
        + [
            f"firmware/src/{n}.c"
            for n in ("command_parser", "crc16", "delivery", "dose_limiter", "occlusion")
        ]
    )
    limiter = evidence.coverage["firmware/src/dose_limiter.c"]
    assert limiter.reports == [
        "samples/gcov-dose_limiter.c.gcov.json.gz",
        "samples/gcovr-firmware.json",
    ]
    alarms = evidence.coverage["app/src/alarms.ts"].figures
    assert alarms.lines == (18, 18) and alarms.functions == (3, 3)


def project(tmp_path: Path, files: dict[str, str | bytes]) -> Path:
    for rel, content in files.items():
        path = tmp_path / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
    return tmp_path


def test_missing_empty_unknown_and_unmapped_reports(tmp_path: Path) -> None:
    root = project(
        tmp_path,
        {
            "src/a.py": "x = 1\n",
            "cov/empty.xml": "  \n",
            "cov/notes.txt": "nothing to see\n",
            "cov/a.info": "SF:src/a.py\nDA:1,1\nend_of_record\nSF:/ci/other/b.py\nDA:1,0\nend_of_record\n",
            "cov/.coverage": b"SQLite format 3\x00",
        },
    )
    evidence = load_evidence(root, ["cov", "nothing/*.xml"], ["lint/*.sarif"])
    found = sorted((d.code, d.path, d.found) for d in evidence.diagnostics)
    assert found == [
        ("MT140", "cov/empty.xml", "an empty file"),
        ("MT140", "cov/notes.txt", "a file of no known coverage or analysis format"),
        ("MT141", "", "no report matches `lint/*.sarif` (paths.analysis)"),
        ("MT141", "", "no report matches `nothing/*.xml` (paths.coverage)"),
        (
            "MT142",
            "cov/a.info",
            "1 file name in this report maps to no single project file; its coverage is not "
            "counted: /ci/other/b.py (no such file in the project)",
        ),
    ]
    assert list(evidence.coverage) == ["src/a.py"]  # the rest is still read


def test_findings_without_a_place_are_reported(tmp_path: Path) -> None:
    sarif = (
        '{"version": "2.1.0", "runs": [{"tool": {"driver": {"name": "t"}}, "results": ['
        '{"ruleId": "R1", "message": {"text": "no place"}}]}]}'
    )
    root = project(tmp_path, {"a.sarif": sarif})
    evidence = load_evidence(root, [], ["a.sarif"])
    [problem] = evidence.diagnostics
    assert problem.code == "MT142" and "R1 finding (no file location)" in problem.found
    assert evidence.findings == []


def test_reports_of_one_file_are_merged_not_added(tmp_path: Path) -> None:
    root = project(
        tmp_path,
        {
            "src/a.py": "a\nb\nc\n",
            "one.info": "SF:src/a.py\nDA:1,1\nDA:2,0\nend_of_record\n",
            "two.info": "SF:src/a.py\nDA:1,3\nDA:2,0\nDA:3,1\nend_of_record\n",
        },
    )
    evidence = load_evidence(root, ["*.info"])
    file = evidence.coverage["src/a.py"]
    assert file.measured.lines == {1: 3, 2: 0, 3: 1}
    assert file.figures.lines == (2, 3)
    assert file.reports == ["one.info", "two.info"]


def test_a_dangling_link_matches_nothing_and_is_reported(tmp_path: Path) -> None:
    root = project(tmp_path, {"src/a.py": "a\n"})
    (root / "cov.info").symlink_to(root / "missing-target")
    evidence = load_evidence(root, ["cov.info"])
    assert [(d.code, d.found) for d in evidence.diagnostics] == [
        ("MT140", "cannot read: broken symbolic link or missing file")
    ]


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("src/a.py", ["src/a.py"]),  # a wrong root, but the name is the project's: it maps
        ("nosuch/a.py", []),  # a wrong root and a name of no project file: reported
    ],
)
def test_a_report_with_a_wrong_root(tmp_path: Path, name: str, expected: list[str]) -> None:
    xml = (
        "<coverage><sources><source>/wrong/root</source></sources><packages><package><classes>"
        f'<class filename="{name}"><lines><line number="1" hits="1"/></lines></class>'
        "</classes></package></packages></coverage>"
    )
    root = project(tmp_path, {"src/a.py": "x = 1\n", "cov.xml": xml})
    evidence = load_evidence(root, ["cov.xml"])
    assert list(evidence.coverage) == expected
    assert [d.code for d in evidence.diagnostics] == ([] if expected else ["MT142"])


def test_a_relative_root_is_relative_to_the_project_or_the_report(tmp_path: Path) -> None:
    xml = (
        "<coverage><sources><source>pkg</source></sources><packages><package><classes>"
        '<class filename="a.py"><lines><line number="1" hits="1"/></lines></class>'
        "</classes></package></packages></coverage>"
    )
    root = project(tmp_path, {"pkg/a.py": "x = 1\n", "build/cov.xml": xml})
    assert list(load_evidence(root, ["build/cov.xml"]).coverage) == ["pkg/a.py"]


def test_an_unchanged_report_comes_from_the_cache_and_a_changed_one_is_read(
    tmp_path: Path,
) -> None:
    root = project(
        tmp_path / "p", {"src/a.py": "a\nb\n", "a.info": "SF:src/a.py\nDA:1,1\nend_of_record\n"}
    )
    cache = tmp_path / "cache"
    first = load_evidence(root, ["a.info"], cache_dir=cache)
    assert (cache / "evidence.mtc").is_file()
    again = load_evidence(root, ["a.info"], cache_dir=cache)
    assert again.coverage["src/a.py"].measured.lines == first.coverage["src/a.py"].measured.lines
    (root / "a.info").write_text("SF:src/a.py\nDA:1,1\nDA:2,0\nend_of_record\n", encoding="utf-8")
    changed = load_evidence(root, ["a.info"], cache_dir=cache)
    assert changed.coverage["src/a.py"].measured.lines == {1: 1, 2: 0}


def test_a_cached_report_is_mapped_again(tmp_path: Path) -> None:
    """The cache keeps what the report says, not where its files are in the project."""
    root = project(
        tmp_path / "p", {"x/src/a.py": "a\n", "a.info": "SF:src/a.py\nDA:1,1\nend_of_record\n"}
    )
    cache = tmp_path / "cache"
    assert list(load_evidence(root, ["a.info"], cache_dir=cache).coverage) == ["x/src/a.py"]
    project(root, {"y/src/a.py": "a\n"})  # now two files end with src/a.py
    evidence = load_evidence(root, ["a.info"], cache_dir=cache)
    assert evidence.coverage == {}
    assert [d.code for d in evidence.diagnostics] == ["MT142"]


def test_a_reader_that_fails_is_reported_and_the_other_reports_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from medtrace.evidence import registry

    registry.detect(b"")
    broken = registry.READERS["sarif"]

    def fail(data: bytes, source: str) -> ReportData:
        raise KeyError("runs")

    monkeypatch.setitem(
        registry.READERS, "sarif", registry.Reader("sarif", "analysis", broken.sniff, fail)
    )
    sarif = '{"version": "2.1.0", "runs": []}'
    root = project(
        tmp_path,
        {"a.sarif": sarif, "src/a.py": "a\n", "a.info": "SF:src/a.py\nDA:1,1\nend_of_record\n"},
    )
    evidence = load_evidence(root, ["a.info"], ["a.sarif"])
    assert list(evidence.coverage) == ["src/a.py"]
    [problem] = evidence.diagnostics
    assert (problem.code, problem.path) == ("MT140", "a.sarif")
    assert problem.found == "a sarif report the reader failed on (KeyError: 'runs')"
    assert problem.hint.startswith("This is a bug in medtrace")
