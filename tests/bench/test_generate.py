"""The benchmark's project generator: deterministic, well formed, same requirements everywhere."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

GENERATOR = Path(__file__).resolve().parents[2] / "bench" / "generate.py"
SIZE = 50

# The generated projects are the input of the speed analysis that verifies SRS-24.
pytestmark = pytest.mark.verifies("SRS-24")


def generate(out: Path, seed: int, *extra: str) -> Path:
    """Run the generator as the harness does, in a fresh interpreter."""
    command = [sys.executable, str(GENERATOR), str(out), "--requirements", str(SIZE)]
    subprocess.run([*command, "--seed", str(seed), *extra], check=True, capture_output=True)
    return out


def tree_bytes(root: Path) -> dict[str, bytes]:
    """Every file under ``root`` by relative path."""
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}


def front_matter(path: Path) -> dict[str, object]:
    """The YAML front matter of a Markdown item."""
    text = path.read_text(encoding="utf-8")
    _, header, _ = text.split("---\n", 2)
    data = yaml.safe_load(header)
    assert isinstance(data, dict)
    return data


def yaml_items(folder: Path) -> list[dict[str, object]]:
    """Items of every YAML table under ``folder``."""
    items: list[dict[str, object]] = []
    for path in sorted(folder.rglob("*.yaml")):
        items += yaml.safe_load(path.read_text(encoding="utf-8"))["items"]
    return items


def medtrace_requirements(root: Path) -> dict[str, list[str]]:
    """Requirement UID -> parent UIDs, from the medtrace tree."""
    items = root / "docs" / "items"
    result: dict[str, list[str]] = {str(i["id"]): [] for i in yaml_items(items / "system")}
    for path in (items / "srs").rglob("*.md"):
        meta = front_matter(path)
        result[str(meta.get("id", path.stem))] = as_list(meta["parents"])
    return result


def as_list(value: object) -> list[str]:
    """A link field as a list of IDs."""
    assert isinstance(value, list)
    return [str(v) for v in value]


def strictdoc_requirements(root: Path) -> dict[str, list[str]]:
    """Requirement UID -> parent UIDs, from the ``.sdoc`` documents."""
    result: dict[str, list[str]] = {}
    for path in root.glob("*.sdoc"):
        for node in path.read_text(encoding="utf-8").split("[REQUIREMENT]\n")[1:]:
            uid = re.search(r"^UID: (.+)$", node, re.MULTILINE)
            assert uid, node
            result[uid.group(1)] = re.findall(r"^  VALUE: (.+)$", node, re.MULTILINE)
    return result


def doorstop_requirements(root: Path) -> dict[str, list[str]]:
    """Requirement UID -> parent UIDs, from the Doorstop documents."""
    result: dict[str, list[str]] = {}
    for document in ("sys", "srs"):
        for path in (root / document).glob("*.yml"):
            if path.name != ".doorstop.yml":
                links = yaml.safe_load(path.read_text(encoding="utf-8"))["links"]
                result[path.stem] = [next(iter(link)) for link in links]
    return result


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One generated project, shared by the tests that only read it."""
    return generate(tmp_path_factory.mktemp("bench") / "project", seed=7)


def test_same_seed_gives_identical_bytes(project: Path, tmp_path: Path) -> None:
    again = generate(tmp_path / "again", seed=7)
    assert tree_bytes(again) == tree_bytes(project)


def test_another_seed_gives_another_project(project: Path, tmp_path: Path) -> None:
    other = generate(tmp_path / "other", seed=8)
    assert tree_bytes(other) != tree_bytes(project)


def test_peers_hold_the_same_requirements(project: Path) -> None:
    expected = medtrace_requirements(project / "medtrace")
    assert len(expected) == SIZE + SIZE // 20
    assert strictdoc_requirements(project / "strictdoc") == expected
    assert doorstop_requirements(project / "doorstop") == expected


def test_every_link_resolves(project: Path) -> None:
    items = project / "medtrace" / "docs" / "items"
    architecture = yaml.safe_load((items / "architecture.yaml").read_text(encoding="utf-8"))
    names = {str(i["id"]) for i in architecture["items"]}
    requirements = medtrace_requirements(project / "medtrace")
    risks = {str(r["id"]): r for r in yaml_items(items / "risks")}
    controlled: set[str] = set()
    for path in (items / "srs").rglob("*.md"):
        meta = front_matter(path)
        assert set(as_list(meta["parents"])) <= requirements.keys()
        assert meta["item"] in names
        controlled |= set(as_list(meta.get("controls", [])))
    assert controlled == risks.keys()
    assert {r["item"] for r in risks.values()} <= names


def test_every_software_requirement_has_a_passing_test(project: Path) -> None:
    root = project / "medtrace"
    tagged = re.findall(
        r"^def (test_\w+)\(.*\n.*\n\n    @verifies (SRS-\d+)$", read_test_modules(root), re.M
    )
    results = (root / "build" / "results" / "junit.xml").read_text(encoding="utf-8")
    passed = re.findall(r'<testcase classname="[\w.]+" name="(\w+)" time="[\d.]+" />', results)
    srs = {uid for uid in medtrace_requirements(root) if uid.startswith("SRS-")}
    assert sorted(uid for _, uid in tagged) == sorted(srs)
    assert sorted(passed) == sorted(name for name, _ in tagged)


def read_test_modules(root: Path) -> str:
    """Every generated test module, concatenated."""
    return "\n".join(p.read_text(encoding="utf-8") for p in sorted(root.rglob("test_*.py")))


def test_defects_are_injected_without_changing_the_rest(project: Path, tmp_path: Path) -> None:
    broken = generate(tmp_path / "broken", 7, "--dangling", "2", "--duplicates", "3")
    before, after = tree_bytes(project / "medtrace"), tree_bytes(broken / "medtrace")
    assert len(after) == len(before) + 3
    assert sum(before[name] != after[name] for name in before) == 2
    requirements = medtrace_requirements(broken / "medtrace")
    dangling = [p for parents in requirements.values() for p in parents if p not in requirements]
    assert len(dangling) == 2


def medtrace_check(root: Path) -> tuple[int, dict[str, int]]:
    """Exit code and counts of ``medtrace check --format json`` on a generated project."""
    command = [sys.executable, "-m", "medtrace", "-C", str(root), "check", "--format", "json"]
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    counts: dict[str, int] = json.loads(done.stdout)["counts"]
    return done.returncode, counts


def test_clean_project_passes_medtrace_check(project: Path) -> None:
    code, counts = medtrace_check(project / "medtrace")
    assert (code, counts["error"]) == (0, 0)


def test_defects_are_reported_by_medtrace_check(tmp_path: Path) -> None:
    broken = generate(tmp_path / "broken", 7, "--dangling", "2", "--duplicates", "3")
    code, counts = medtrace_check(broken / "medtrace")
    assert code == 1
    assert counts["error"] >= 5
