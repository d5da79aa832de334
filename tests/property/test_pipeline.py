"""Property: the whole pipeline on generated projects (random items, links, tags, results):
check and the matrix in every text format never raise anything but a ``MedtraceError``, every
finding names its file, and no dangling link or unknown tag goes unreported."""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from pathlib import Path

import pytest
from helpers import write_project
from hypothesis import given
from hypothesis import strategies as st

from medtrace.errors import MedtraceError
from medtrace.pipeline import check, trace_project
from medtrace.render.matrix import FORMATS
from medtrace.tracing.matrix import matrix_of

pytestmark = pytest.mark.verifies("SRS-93")

CONFIG = """\
[project]
name = "generated"
class = "{cls}"

[paths]
items = ["docs"]
sources = ["src/**"]
tests = ["tests/**"]
results = ["results/*.xml"]
"""

KNOWN_SYS = ["SYS-1", "SYS-2"]
titles = st.text(alphabet=st.characters(blacklist_categories=["Cs", "Cc"]), max_size=12)


@dataclass
class Generated:
    files: dict[str, str]
    dangling: set[str]
    unknown_tags: set[str]
    cls: str


@st.composite
def projects(draw: st.DrawFn) -> Generated:
    n = draw(st.integers(0, 6))
    srs = [f"SRS-{i + 1}" for i in range(n)]
    wrong = st.sampled_from(["SYS-9", "SRS-99", "RISK-7", "app-x"])
    dangling: set[str] = set()
    rows = [f"- id: {s}\n  title: {s}\n" for s in KNOWN_SYS]
    rows.append("- id: app\n  kind: software-item\n  title: App\n  class: B\n")
    for sid in srs:
        parents = draw(st.lists(st.one_of(st.sampled_from(KNOWN_SYS), wrong), max_size=3))
        dangling |= {p for p in parents if p not in KNOWN_SYS}
        title = draw(titles).replace('"', "'").replace("\\", "/")
        rows.append(
            f'- id: {sid}\n  title: "{title}"\n  type: functional\n  item: app\n'
            f"  parents: [{', '.join(parents)}]\n"
        )
    known = set(srs) | set(KNOWN_SYS) | {"app"}
    tag_ids = draw(st.lists(st.one_of(st.sampled_from(sorted(known)), wrong), max_size=6))
    unknown = {t for t in tag_ids if t not in known}
    source = "".join(f"# @implements {t}\ndef f{i}():\n    pass\n\n" for i, t in enumerate(tag_ids))
    tests = "".join(f'def test_{i}():\n    """@verifies {t}"""\n\n' for i, t in enumerate(tag_ids))
    outcomes = draw(
        st.lists(
            st.sampled_from(["", "<failure/>", "<skipped/>", "<error/>"]), max_size=len(tag_ids)
        )
    )
    cases = "".join(
        f'<testcase classname="tests.test_gen" name="test_{i}">{o}</testcase>'
        for i, o in enumerate(outcomes)
    )
    files = {
        "docs/items.yaml": "".join(rows),
        "src/gen.py": source,
        "tests/test_gen.py": tests,
        "results/r.xml": f'<testsuite name="s">{cases}</testsuite>\n',
    }
    cls = draw(st.sampled_from("ABC"))
    return Generated(files, dangling, unknown, cls)


@given(projects())
def test_generated_projects(project: Generated) -> None:
    with tempfile.TemporaryDirectory() as folder:
        root = write_project(Path(folder), project.files, config=CONFIG.format(cls=project.cls))
        try:
            result = check(root, use_cache=False)
            traced = trace_project(root, use_cache=False)
        except MedtraceError:
            return
        for d in result.diagnostics:
            assert d.path, d
        said = " ".join(d.message for d in result.diagnostics if d.code == "MT010")
        assert all(target in said for target in project.dangling), said
        tagged = " ".join(d.message for d in result.diagnostics if d.code == "MT104")
        assert all(t in tagged for t in project.unknown_tags), tagged
        matrix = matrix_of(traced)
        for form in FORMATS.values():
            if not form.binary:
                assert form.render(matrix)
