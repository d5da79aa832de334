"""Versions of item files: read entry by entry only where that gives what a whole parse gives."""

from __future__ import annotations

from pathlib import Path

import pytest

from medtrace.config import load_config
from medtrace.loading.build import Builder
from medtrace.vcs.versions import Versions, render_item

pytestmark = pytest.mark.verifies("SRS-231", "SRS-240")

TABLE = """\
kind: risk
items:
  - id: RISK-1
    title: "Overdose: too much"
    severity: serious
  # a comment between entries
  - id: RISK-2
    title: Underdose
    severity: minor
    causes:
    - defect
"""


@pytest.fixture
def builder(tmp_path: Path) -> Builder:
    (tmp_path / "medtrace.toml").write_text('[project]\nname = "v"\nclass = "B"\n')
    return Builder(load_config(tmp_path))


def read_all(
    builder: Builder, texts: list[str], path: str = "reqs/risks.yaml"
) -> list[dict[str, str]]:
    """Each text read in turn as a version of the same file, rendered."""
    blobs = {f"{n:040d}": t.encode() for n, t in enumerate(texts, 1)}
    versions = Versions(builder, dict(blobs), {(sha, path): 1 for sha in blobs})
    return [{k: v.text for k, v in versions.items(sha, path).items()} for sha in blobs]


def whole(builder: Builder, text: str, path: str = "reqs/risks.yaml") -> dict[str, str]:
    """What a fresh reader, parsing the whole file, gives."""
    return read_all(builder, [text], path)[0]


def test_later_versions_read_entry_by_entry_give_the_same_items(builder: Builder) -> None:
    texts = [
        TABLE,
        TABLE.replace("severity: minor", "severity: serious"),
        TABLE + "  - id: RISK-3\n    title: Late alarm\n",
        TABLE.replace("  - id: RISK-2", "  - id: RISK-4"),
        TABLE.replace("Underdose", "'Under: dose'"),
    ]
    read = read_all(builder, texts)
    assert read == [whole(builder, t) for t in texts]
    assert read[2]["RISK-3"].startswith("id: RISK-3\nkind: risk\ntitle: Late alarm\n")


@pytest.mark.parametrize(
    "later",
    [
        TABLE + "kind: requirement\n",  # a key after the list: the whole parse decides
        TABLE.replace("  - id: RISK-2\n", "  - &a\n    id: RISK-2\n") + "  - *a\n",
        TABLE.replace("title: Underdose", "title: [" * 70 + "]" * 70),
        TABLE.replace("kind: risk\n", "kind: software-requirement\n"),  # another head
        TABLE.replace(
            "  - id: RISK-2\n    title: Underdose",
            "  - just text\n  - id: RISK-2\n    title: Underdose",
        ),
        "- id: RISK-9\n  title: A list at the top\n- id: RISK-8\n",
        "items: [unclosed\n",
    ],
)
def test_layouts_that_cannot_be_read_entry_by_entry_are_parsed_whole(
    builder: Builder, later: str
) -> None:
    read = read_all(builder, [TABLE, later])
    assert read[1] == whole(builder, later)


def test_render_item_sorts_fields_and_puts_the_text_last(builder: Builder) -> None:
    from medtrace.model import Item

    item = Item(
        "SRS-1",
        "software-requirement",
        title="T",
        text="Body.",
        fields={"type": "data", "parents": ["SYS-1"], "title": "T"},
        unknown={"zeta": 1},
    )
    assert render_item(item) == (
        "id: SRS-1\nkind: software-requirement\ntitle: T\nparents:\n- SYS-1\ntype: data\nzeta: 1\n"
        "---\nBody.\n"
    )


def test_only_new_entry_text_is_parsed(builder: Builder, monkeypatch: pytest.MonkeyPatch) -> None:
    import ryaml

    texts = [TABLE, TABLE.replace("severity: minor", "severity: serious")]
    blobs = {f"{n:040d}": t.encode() for n, t in enumerate(texts, 1)}
    versions = Versions(builder, dict(blobs), {(sha, "r.yaml"): 1 for sha in blobs})
    versions.items(f"{1:040d}", "r.yaml")
    assert list(versions.entries.layouts) == [("r.yaml", "kind: risk\nitems:\n", 2)]
    parsed: list[str] = []
    real = ryaml.loads
    monkeypatch.setattr(ryaml, "loads", lambda text: parsed.append(text) or real(text))
    second = versions.items(f"{2:040d}", "r.yaml")
    assert [p.split("\n")[0] for p in parsed] == ["  - id: RISK-2"]  # RISK-1 was not read again
    assert "severity: serious" in second["RISK-2"].text
