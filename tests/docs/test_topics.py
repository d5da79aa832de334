"""The shipped documentation: its topics, one copy of each page, and every pointer to a page."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from medtrace.docs import closest_topic, read_topic, topics

pytestmark = pytest.mark.verifies("SRS-33", "SRS-34")

REPO = Path(__file__).resolve().parents[2]
PACKAGE = REPO / "src" / "medtrace"
SHIPPED = PACKAGE / "docs"


def test_topics_are_the_shipped_pages_with_their_titles() -> None:
    found = {t.name: t.title for t in topics()}
    assert found == {
        p.stem: p.read_text("utf-8").splitlines()[0].removeprefix("# ")
        for p in SHIPPED.glob("*.md")
    }
    assert found["config"] == "Configuration reference"
    assert found["format"] == "File formats"
    assert [t.name for t in topics()] == sorted(found)


def test_a_topic_reads_as_its_file() -> None:
    assert read_topic("config") == (SHIPPED / "config.md").read_text("utf-8")


@pytest.mark.parametrize("name", ["nosuch", "", "../README", "config.md", "__init__"])
def test_only_a_topic_name_reads(name: str) -> None:
    assert read_topic(name) is None


@pytest.mark.parametrize(
    ("wanted", "meant"),
    [("confg", "config"), ("CONFIG", "config"), ("config.md", "config"), ("form", "format")],
)
def test_the_closest_topic(wanted: str, meant: str) -> None:
    assert closest_topic(wanted) == meant


def test_no_closest_topic_for_nonsense() -> None:
    assert closest_topic("zzzzzz") is None


def test_every_page_is_in_one_place_only() -> None:
    """The repository's docs/ folder links to the shipped pages and holds no page of its own."""
    strays = [
        p.relative_to(REPO).as_posix()
        for p in (REPO / "docs").rglob("*.md")
        if p.name not in ("README.md", "architecture.md")  # the index; the contributors' guide
        and "requirements" not in p.relative_to(REPO / "docs").parts
    ]
    assert strays == [], "move these pages to src/medtrace/docs/ so that they are shipped"


def test_the_docs_index_links_every_topic() -> None:
    index = (REPO / "docs" / "README.md").read_text("utf-8")
    for topic in topics():
        assert f"(../src/medtrace/docs/{topic.name}.md)" in index, topic.name
        assert f"| `{topic.name}` |" in index, topic.name


def _package_texts() -> dict[str, str]:
    """Every text file of the package: code, templates and the pages themselves."""
    return {
        p.relative_to(REPO).as_posix(): p.read_text("utf-8")
        for p in sorted(PACKAGE.rglob("*"))
        if p.is_file() and p.suffix in (".py", ".tmpl", ".j2", ".md", ".html", ".toml")
    }


def test_hints_and_generated_files_name_pages_the_user_has() -> None:
    """A path into the repository's docs/ means nothing to a user of the wheel: a pointer to a
    page is 'medtrace docs TOPIC', and TOPIC exists."""
    names = {t.name for t in topics()}
    wrong = []
    for rel, text in _package_texts().items():
        wrong += [
            f"{rel}: {m.group(0)}"
            for m in re.finditer(r"\bdocs/[\w./-]*\.md\b", text)
            if not m.group(0).startswith("docs/items/")
        ]
        wrong += [
            f"{rel}: {m.group(0)}"
            for m in re.finditer(r"medtrace docs ([a-z][\w-]*)", text)
            if m.group(1) not in names and m.group(1) != "TOPIC"
        ]
    assert wrong == []


def test_the_pointers_are_there() -> None:
    """The configuration's hints and the starter configuration point at the reference."""
    texts = _package_texts()
    assert "'medtrace docs config'" in texts["src/medtrace/config/load.py"]
    assert "'medtrace docs config'" in texts["src/medtrace/scaffold/files/medtrace.toml.tmpl"]


def test_no_link_to_a_web_page_of_medtrace() -> None:
    """medtrace has no web site and is not on PyPI: a link to one would lead nowhere."""
    links = [
        f"{rel}: {m.group(0)}"
        for rel, text in _package_texts().items()
        for m in re.finditer(r"https?://[^\s\"'<>)]+", text)
        if "medtrace" in m.group(0).lower()
    ]
    assert links == []
