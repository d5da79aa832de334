"""Every lockfile and SBOM of the shared sample data is read, with its package count checked
against a count made another way (a plain text count of the file, or the figure its README
gives); the broken ones are reported with a located diagnostic."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path

import pytest
from helpers import SHARED_DATA, shared_data

from medtrace.soup import read_path
from medtrace.soup.model import Lock

pytestmark = pytest.mark.verifies("SRS-130", "SRS-131")


def _count(pattern: str) -> Callable[[str], int]:
    return lambda text: len(re.findall(pattern, text, re.MULTILINE))


def _uv(text: str) -> int:
    """Packages less the workspace's own (editable or virtual sources)."""
    own = len(re.findall(r"^source = \{ (?:editable|virtual) = ", text, re.MULTILINE))
    return len(re.findall(r"^\[\[package\]\]$", text, re.MULTILINE)) - own


def _npm_v1(text: str) -> int:
    """Every entry of the nested tree, counted by walking it."""

    def walk(deps: dict[str, dict[str, object]]) -> int:
        return sum(1 + walk(d.get("dependencies", {})) for d in deps.values())  # type: ignore[arg-type]

    return walk(json.loads(text)["dependencies"])


def _yarn_berry(text: str) -> int:
    """Top-level keys, less __metadata, the workspace root and patched copies."""
    keys = re.findall(r'^"?([^\s].*?)"?:$', text, re.MULTILINE)
    return sum(
        1 for k in keys if k != "__metadata" and "@workspace:" not in k and "@patch:" not in k
    )


def _cyclonedx(text: str) -> int:
    """Components at any depth, nested ones included, counted by walking the tree."""

    def walk(components: list[dict[str, object]]) -> int:
        return sum(1 + walk(c.get("components", [])) for c in components)  # type: ignore[arg-type]

    return walk(json.loads(text).get("components", []))


#: path under shared/data → (format, independent count of packages)
EXPECTED: dict[str, tuple[str, Callable[[str], int]]] = {
    "lockfiles/uv-mcp-python-sdk-workspace/uv.lock": ("uv.lock", _uv),
    "lockfiles/uv-mcp-python-sdk-2025-03/uv.lock": ("uv.lock", _uv),
    "lockfiles/uv-cyclonedx-py-fixture/uv.lock": ("uv.lock", _uv),
    "lockfiles/poetry-1.1-poetry-2022/poetry.lock": ("poetry.lock", lambda t: 83),
    "lockfiles/poetry-2.1-poetry/poetry.lock": ("poetry.lock", lambda t: 78),
    "lockfiles/poetry-2.0-cyclonedx-py-with-urls/poetry.lock": ("poetry.lock", lambda t: 4),
    "lockfiles/pip-compile-sigstore/requirements.txt": ("requirements.txt", lambda t: 32),
    "lockfiles/pip-compile-warehouse-2021/requirements-main.txt": (
        "requirements.txt",
        _count(r"^[A-Za-z0-9][A-Za-z0-9._-]*(\[[^\]]*\])?==\S+ \\$"),
    ),
    "lockfiles/pylock-pip/pylock.toml": ("pylock.toml", _count(r"^\[\[packages\]\]$")),
    "lockfiles/pylock-pep751-spec-example/pylock.spec-example.toml": (
        "pylock.toml",
        _count(r"^\[\[packages\]\]$"),
    ),
    "lockfiles/pylock-uv-spectree/pylock.toml": ("pylock.toml", lambda t: 69),
    "lockfiles/pipenv/Pipfile.lock": ("Pipfile.lock", lambda t: 10 + 100),
    "lockfiles/npm-v1-audit-ci-2021/package-lock.json": ("package-lock.json", _npm_v1),
    "lockfiles/npm-v2-audit-ci/package-lock.json": ("package-lock.json", lambda t: 554 - 1),
    "lockfiles/npm-v3-cyclonedx-node-npm-fixture/package-lock.json": (
        "package-lock.json",
        lambda t: 234 - 1,
    ),
    "lockfiles/pnpm-v6-antfu-ni/pnpm-lock.yaml": ("pnpm-lock.yaml", lambda t: 556),
    "lockfiles/pnpm-v9-unjs-defu/pnpm-lock.yaml": ("pnpm-lock.yaml", lambda t: 500),
    "lockfiles/yarn-v1-prop-types/yarn.lock": ("yarn.lock (classic)", lambda t: 545),
    "lockfiles/yarn-berry-cyclonedx-node-yarn/yarn.lock": ("yarn.lock (berry)", _yarn_berry),
    "sbom/laravel-7.12.0-cyclonedx-1.4.json": ("CycloneDX JSON", lambda t: 62),
    "sbom/cyclonedx-spec-valid-bom-1.5.json": ("CycloneDX JSON", _cyclonedx),
    "sbom/cyclonedx-py-poetry-with-urls-1.6.json": ("CycloneDX JSON", lambda t: 4),
    "sbom/spdx-tools-python-example-v2.3.spdx.json": ("SPDX JSON", lambda t: 4),
}

BROKEN = {
    "lockfiles/broken-poetry-invalid/poetry.lock": ("not valid TOML", 1),
    "lockfiles/broken-poetry-incompatible-version/poetry.lock": ("lock-version '999.0'", 2),
}


def _read(rel: str) -> Lock:
    shared_data(rel)
    return read_path(SHARED_DATA, rel)


def test_every_sample_file_is_covered() -> None:
    folder = shared_data("lockfiles")
    files = {p.relative_to(folder.parent).as_posix() for p in folder.rglob("*") if p.is_file()}
    files |= {p.relative_to(folder.parent).as_posix() for p in (folder.parent / "sbom").iterdir()}
    assert files == set(EXPECTED) | set(BROKEN)


@pytest.mark.parametrize("rel", sorted(EXPECTED))
def test_reads_with_the_independent_count(rel: str) -> None:
    lock = _read(rel)
    fmt, count = EXPECTED[rel]
    assert lock.diagnostics == []
    assert lock.format == fmt
    assert len(lock.packages) == count((SHARED_DATA / rel).read_text(encoding="utf-8"))
    assert all(p.name and p.line > 0 for p in lock.packages)


@pytest.mark.parametrize("rel", sorted(BROKEN))
def test_broken_lockfiles_are_reported_where_they_break(rel: str) -> None:
    lock = _read(rel)
    (d,) = lock.diagnostics
    words, line = BROKEN[rel]
    assert (d.code, d.path, d.line) == ("MT150", rel, line)
    assert words in d.found and d.expected and d.hint
    assert lock.packages == []


def test_package_lines_point_at_the_package() -> None:
    lock = _read("lockfiles/pip-compile-sigstore/requirements.txt")
    lines = (SHARED_DATA / lock.path).read_text(encoding="utf-8").splitlines()
    for p in lock.packages:
        assert lines[p.line - 1].lower().startswith(f"{p.name.lower()}=={p.version}")


def test_uv_direct_dev_and_the_chain_of_a_transitive_one() -> None:
    lock = _read("lockfiles/uv-cyclonedx-py-fixture/uv.lock")
    assert {p.name: (p.version, p.direct, p.dev) for p in lock.packages} == {
        "ddt": ("1.7.2", True, False),  # an optional extra of the project is runtime too
        "toml": ("0.10.2", True, False),
    }
    workspace = _read("lockfiles/uv-mcp-python-sdk-workspace/uv.lock")
    by_name = {p.name: p for p in workspace.packages}
    assert by_name["pytest"].dev and not by_name["anyio"].dev
    chain = workspace.via("idna")
    assert chain[-1] == "idna" and chain[0] in workspace.roots and len(chain) >= 2


def test_pip_compile_via_comments_give_direct_and_transitive() -> None:
    lock = _read("lockfiles/pip-compile-sigstore/requirements.txt")
    by_name = {p.name: p for p in lock.packages}
    assert by_name["sigstore"].direct is True
    assert by_name["annotated-types"].direct is False
    assert lock.via("annotated-types")[-2:] == ["pydantic", "annotated-types"]


def test_npm_aliases_bundles_and_dev() -> None:
    lock = _read("lockfiles/npm-v3-cyclonedx-node-npm-fixture/package-lock.json")
    names = [p.name for p in lock.packages]
    assert names.count("@cyclonedx/cyclonedx-library") == 2  # the alias is the real package
    assert "@cyclonedx/cyclonedx-library-same_aliased" not in names
    by_name = {p.name: p for p in lock.packages}
    assert by_name["@types/node"].dev and by_name["@types/node"].direct
    assert not by_name["is-obj"].dev and by_name["is-obj"].direct


def test_poetry_old_and_new_formats_tell_dev_apart() -> None:
    old = _read("lockfiles/poetry-1.1-poetry-2022/poetry.lock")
    new = _read("lockfiles/poetry-2.1-poetry/poetry.lock")
    text_old = (SHARED_DATA / old.path).read_text(encoding="utf-8")
    assert sum(p.dev for p in old.packages) == text_old.count('category = "dev"')
    assert {p.name for p in new.packages if not p.dev} >= {"anyio", "build"}


def test_sbom_components_keep_purl_licence_and_supplier() -> None:
    lock = _read("sbom/laravel-7.12.0-cyclonedx-1.4.json")
    cors = next(p for p in lock.packages if p.name == "asm89/stack-cors")
    assert (cors.ecosystem, cors.version, cors.license) == ("composer", "1.3.0", "MIT")
    assert cors.purl == "pkg:composer/asm89/stack-cors@1.3.0"
    spdx = _read("sbom/spdx-tools-python-example-v2.3.spdx.json")
    assert "glibc" in {p.name for p in spdx.packages}


def test_a_json_that_is_no_sbom_is_reported(tmp_path: Path) -> None:
    (tmp_path / "bom.json").write_text('{"hello": "world"}', encoding="utf-8")
    (d,) = read_path(tmp_path, "bom.json").diagnostics
    assert d.code == "MT150" and "no lockfile or SBOM format" in d.found
