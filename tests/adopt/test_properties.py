"""Properties of adoption on generated comments: whatever the comments say, only comment lines
change, each by its tag alone, the scanner reads every tag written, and a second run finds
nothing."""

from __future__ import annotations

import pytest
from helpers import write_project
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from medtrace.adopt import write_plans
from medtrace.scanning import scan

from .conftest import CONFIG, ITEMS, adopt_plan

pytestmark = pytest.mark.verifies("SRS-82", "SRS-83", "SRS-85")

WORDS = st.sampled_from(
    [
        "SRS-1",
        "SRS-2",
        "SRS-9",
        "RISK-1",
        "SRS-1a",
        "x",
        "see",
        "`SRS-3`",
        '"SRS-2"',
        ",",
        "(",
        ")",
        "*",
        "/",
        "\\",
        "#",
        "https://e.org/SRS-1",
        "SRS-1.",
        "@",
        "*/",
        "'",
        "é",
        "@implements SRS-2",
        ">>>",
    ]
)
TEXT = st.lists(WORDS, min_size=1, max_size=6).map(" ".join).filter(lambda t: "*/" not in t)

TEMPLATES = {
    "src/gen.c": "// {0}\nint f(int p) {{\n    return p; /* {1} */\n}}\n/*\n * {2}\n */\nvoid g(void) {{}}\n",
    "src/gen.py": '# {0}\ndef f(p):\n    return p  # {1}\n\n\nclass G:\n    """{2}"""\n',
}


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(name=st.sampled_from(sorted(TEMPLATES)), parts=st.tuples(TEXT, TEXT, TEXT))
def test_only_comment_lines_change_and_a_second_run_finds_nothing(
    tmp_path_factory: pytest.TempPathFactory, name: str, parts: tuple[str, str, str]
) -> None:
    if name.endswith(".py") and ('"' in parts[2] or "\\" in parts[2]):
        parts = (parts[0], parts[1], parts[2].replace('"', "").replace("\\", ""))
    root = tmp_path_factory.mktemp("gen")
    content = TEMPLATES[name].format(*parts)
    write_project(root, {"docs/items.yaml": ITEMS, name: content}, config=CONFIG)
    (root / name).write_text(content, encoding="utf-8")  # exactly, not dedented
    adoption = adopt_plan(root)
    assert write_plans(adoption.changed, root) == []
    after = (root / name).read_text(encoding="utf-8")
    tagged = {p.line: p for p in adoption.proposals}
    for number, (old, new) in enumerate(
        zip(content.split("\n"), after.split("\n"), strict=True), start=1
    ):
        if number in tagged:
            assert new == tagged[number].after
            assert new.replace(" " + tagged[number].tag, "", 1) == old
        else:
            assert new == old
    written = {(t.line, t.ids) for t in scan(root, ["src"], ["tests"]).tags}
    assert {(p.line, p.ids) for p in adoption.proposals} <= written
    assert adopt_plan(root).proposals == []
