"""Bad input: every format truncated or of an unknown version gives a located MT150
diagnostic, never an exception, and the other files are still read."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from helpers import SHARED_DATA, shared_data

from medtrace.soup import read_audit, read_path

pytestmark = pytest.mark.verifies("SRS-130")

#: file → (text that names its version, the same with a version no reader knows)
UNKNOWN_VERSION = {
    "lockfiles/uv-cyclonedx-py-fixture/uv.lock": ("version = 1", "version = 7"),
    "lockfiles/poetry-2.1-poetry/poetry.lock": ('lock-version = "2.1"', 'lock-version = "3.0"'),
    "lockfiles/pylock-pip/pylock.toml": ('lock-version = "1.0"', 'lock-version = "2.0"'),
    "lockfiles/pipenv/Pipfile.lock": ('"pipfile-spec": 6', '"pipfile-spec": 9'),
    "lockfiles/npm-v3-cyclonedx-node-npm-fixture/package-lock.json": (
        '"lockfileVersion": 3',
        '"lockfileVersion": 4',
    ),
    "lockfiles/pnpm-v9-unjs-defu/pnpm-lock.yaml": (
        "lockfileVersion: '9.0'",
        "lockfileVersion: '5.4'",
    ),
    "lockfiles/yarn-berry-cyclonedx-node-yarn/yarn.lock": ("  version: 10\n", "  version: 99\n"),
    "lockfiles/yarn-v1-prop-types/yarn.lock": ("# yarn lockfile v1", "# yarn lockfile v7"),
    "sbom/laravel-7.12.0-cyclonedx-1.4.json": ('"specVersion": "1.4"', '"specVersion": "9.9"'),
    "sbom/spdx-tools-python-example-v2.3.spdx.json": ('"SPDX-2.3"', '"SPDX-3.0"'),
}


def _copy(tmp_path: Path, rel: str, text: str) -> str:
    target = tmp_path / rel
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(text, encoding="utf-8")
    return rel


@pytest.mark.parametrize("rel", sorted(UNKNOWN_VERSION))
def test_an_unknown_version_is_reported_on_its_line(tmp_path: Path, rel: str) -> None:
    text = shared_data(rel).read_text(encoding="utf-8")
    old, new = UNKNOWN_VERSION[rel]
    assert old in text
    changed = text.replace(old, new, 1)
    (d,) = read_path(tmp_path, _copy(tmp_path, rel, changed)).diagnostics
    assert d.code == "MT150" and d.path == rel
    assert "unknown" in d.found or "no '# yarn lockfile v1' header" in d.found
    if d.line:
        assert new.strip().split()[0].strip("\"'") in changed.splitlines()[d.line - 1]


#: Formats whose truncation leaves a syntax error (JSON, TOML, YAML): cut inside a string.
TRUNCATED = [
    "lockfiles/uv-mcp-python-sdk-2025-03/uv.lock",
    "lockfiles/poetry-1.1-poetry-2022/poetry.lock",
    "lockfiles/pylock-uv-spectree/pylock.toml",
    "lockfiles/pipenv/Pipfile.lock",
    "lockfiles/npm-v1-audit-ci-2021/package-lock.json",
    "lockfiles/npm-v2-audit-ci/package-lock.json",
    "lockfiles/pnpm-v6-antfu-ni/pnpm-lock.yaml",
    "lockfiles/yarn-berry-cyclonedx-node-yarn/yarn.lock",
    "sbom/cyclonedx-py-poetry-with-urls-1.6.json",
    "sbom/spdx-tools-python-example-v2.3.spdx.json",
]


@pytest.mark.parametrize("rel", TRUNCATED)
def test_a_truncated_file_is_reported_not_half_read(tmp_path: Path, rel: str) -> None:
    text = shared_data(rel).read_text(encoding="utf-8")
    middle = len(text) // 2
    cut = min(text.find(c, middle) % len(text) for c in '"{') + 3  # inside a string or {...}
    lock = read_path(tmp_path, _copy(tmp_path, rel, text[:cut]))
    (d,) = lock.diagnostics
    assert d.code == "MT150" and d.path == rel and d.line > 0
    assert lock.packages == []


def test_a_truncated_yarn_classic_entry_is_reported(tmp_path: Path) -> None:
    rel = "lockfiles/yarn-v1-prop-types/yarn.lock"
    text = shared_data(rel).read_text(encoding="utf-8")
    header = re.search(r'^"?[^\s#].*:$', text[len(text) // 2 :], re.MULTILINE)
    assert header is not None
    cut = len(text) // 2 + header.end() + 1  # an entry header with nothing under it
    (d,) = read_path(tmp_path, _copy(tmp_path, rel, text[:cut])).diagnostics
    assert d.code == "MT150" and "has no version" in d.found
    assert d.line == text[:cut].count("\n")


def test_a_truncated_requirement_is_reported(tmp_path: Path) -> None:
    rel = "requirements.txt"
    _copy(tmp_path, rel, "idna==3.7 \\\n    --hash=sha256:abc\nrequests>=2\n")
    (d,) = read_path(tmp_path, rel).diagnostics
    assert (d.code, d.line) == ("MT150", 3) and "not pinned" in d.found


def test_a_file_that_is_not_utf8_is_reported(tmp_path: Path) -> None:
    (tmp_path / "uv.lock").write_bytes(b"version = 1\n\xff\xfe")
    (d,) = read_path(tmp_path, "uv.lock").diagnostics
    assert d.code == "MT150" and "UTF-8" in d.found


@pytest.mark.parametrize("content", ["{", '{"some": "json"}', "[1, 2]"])
def test_a_report_of_no_known_scanner_is_reported(tmp_path: Path, content: str) -> None:
    (tmp_path / "audit.json").write_text(content, encoding="utf-8")
    advisories, problems = read_audit(tmp_path, "audit.json")
    assert advisories == []
    (d,) = problems
    assert d.code == "MT150" and d.path == "audit.json" and d.hint


def test_the_real_reports_read(tmp_path: Path) -> None:
    counts = {}
    for name in (
        "pip-audit-many-vulns.json",
        "npm-audit-v7-many-vulns.json",
        "osv-scanner-some-findings.json",
    ):
        advisories, problems = read_audit(SHARED_DATA, f"audit/{shared_data('audit', name).name}")
        assert problems == []
        counts[name] = advisories
    assert len(counts["pip-audit-many-vulns.json"]) == 7  # the README's figure
    (mal,) = counts["osv-scanner-some-findings.json"]
    assert (mal.id, mal.name, mal.published) == ("MAL-2023-1035", "flot-axis", "2023-08-01")
    assert "GHSA-8348-2q94-ffjx" in mal.aliases
    npm = counts["npm-audit-v7-many-vulns.json"]
    assert npm and all(a.ecosystem == "npm" and a.id.startswith("GHSA-") for a in npm)
